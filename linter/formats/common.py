"""What the CI formats share: how a spec's path is written for a CI system."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(file: str) -> str:
    """A spec path as CI systems want it: relative to the current folder (the
    checkout, where CI runs) with forward slashes. A path outside it stays absolute."""
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute, os.getcwd()) if os.path.isabs(file) else os.path.normpath(file)
    if relative.startswith(os.pardir + os.sep) and os.path.isabs(file):
        return Path(absolute).as_posix()
    return Path(relative).as_posix()


def artifact_uri(file: str) -> str:
    """SARIF's artifactLocation.uri: a relative reference (resolved against the
    checkout by GitHub) or, for a spec outside the current folder, a file:// URI."""
    shown = display_path(file)
    return Path(shown).as_uri() if os.path.isabs(shown) else shown
