"""Read-only access to the data files in resources/, wherever the package is installed."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def resource(name: str) -> Traversable:
    return resources.files("prevent_desktop.resources").joinpath(name)


def load_json(name: str) -> Any:
    return json.loads(resource(name).read_text(encoding="utf-8"))
