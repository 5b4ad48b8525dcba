"""Helpers for the emitter's tests: specs from text, templates as data, real cfn-lint,
and the `archlint emit` command run as a process."""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest
import yaml
from archlint.render.cloudformation import build
from archlint.specs import load_text
from cli_runner import run_cli

HERE = os.path.dirname(os.path.abspath(__file__))
SPECS = os.path.join(HERE, "specs")


def spec(text: str, name: str = "test.yaml"):
    """The graph of a spec written inline (dedented)."""
    return load_text(textwrap.dedent(text).encode(), name)


def template_of(text: str) -> dict:
    """The emitted template of an inline spec, read back from its YAML."""
    return yaml.safe_load(build(spec(text)).to_yaml())


def resources_of_type(template: dict, type_: str) -> dict:
    return {key: body for key, body in template["Resources"].items() if body["Type"] == type_}


def cfn_lint(text: str, region: str = "us-east-1") -> list:
    """cfn-lint's matches (its Python API; the real validator, not a mock), with its
    informational checks too (explicit deletion policies, retention periods)."""
    from cfnlint.api import ManualArgs, lint

    return lint(text, config=ManualArgs(regions=[region], include_checks=["I"]))


def run_emit(*args: str, env: dict | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    """`archlint emit ARGS`: (returncode, stdout, stderr as text)."""
    return run_cli("emit", *args, env=env, cwd=cwd)


@pytest.fixture
def write_spec(tmp_path):
    """Write an inline spec to a file and return its path."""

    def write(text: str, name: str = "spec.yaml") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return str(path)

    return write
