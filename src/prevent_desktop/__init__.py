"""Prevent Desktop: offline records for the Prevent duty at training sites."""

__version__ = "0.1.0"
