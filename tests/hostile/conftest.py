"""Helpers for the hostile-input tests: `archlint` run as a process (a hang or a
traceback is what these inputs used to cause), with a timeout."""

from __future__ import annotations

import subprocess

import pytest
from cli_runner import archlint_command

ARCHLINT = archlint_command()
VALID = "archlint: 1\nname: ok\nresources:\n  b:\n    type: s3.bucket\n"


def run(*args, cwd=None, timeout=60, **kwargs):
    return subprocess.run([*ARCHLINT, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, errors="replace", **kwargs)


def assert_clean_refusal(result, *words):
    """Exit 2, no traceback, and a message holding every word on standard error."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.fixture
def write(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return write
