"""Alembic migrations for the encrypted store; run by store/schema.py on open."""
