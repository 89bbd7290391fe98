"""What the command-line modules share: the shapes of cli.py's helpers they are given, and
a signed-in workspace that is closed however the command ends."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from prevent_desktop.services.workspace import Workspace

Command = Callable[[str, str], argparse.ArgumentParser]
WithSecret = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]
SignIn = Callable[[argparse.Namespace], Workspace]
ReadSecret = Callable[[Path, str], str]


class signed_in:
    def __init__(self, sign_in: SignIn, args: argparse.Namespace) -> None:
        self.workspace = sign_in(args)

    def __enter__(self) -> Workspace:
        return self.workspace

    def __exit__(self, *_exc: object) -> None:
        self.workspace.close()
