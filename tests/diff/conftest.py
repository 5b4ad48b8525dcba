"""Helpers for the tests of `archlint diff` and baselines: specs in two versions, the
CLI as a process, a git repository made in the test, and Mermaid's own parser."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from mermaid_parser import mermaid_parse  # noqa: F401 - the diff tests import it from here
from cli_runner import run_cli, run_process

REPO = Path(__file__).resolve().parents[2]

# An order pipeline: checkout publishes to a topic, a queue with a DLQ feeds a function.
ORDERS = """\
archlint: 1
name: orders
resources:
  checkout:
    type: external
  orders-topic:
    type: sns.topic
  billing-queue:
    type: sqs.queue
    dead_letter: billing-dlq
    max_receive_count: 5
    visibility_timeout: 180
  billing-dlq:
    type: sqs.queue
  billing-fn:
    type: lambda.function
    timeout: 30
flows:
  - checkout -> orders-topic
  - from: orders-topic
    to: billing-queue
    label: order placed
  - billing-queue -> billing-fn
"""


def archlint(*args, cwd=None) -> subprocess.CompletedProcess:
    """`archlint ARGS` run in this process (tests/cli_runner.py)."""
    done = run_cli(*args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def archlint_process(*args, cwd=None) -> subprocess.CompletedProcess:
    """`archlint ARGS` as a process of its own, for what only a process shows: its exit status."""
    done = run_process(*args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


@pytest.fixture
def repo(project) -> Path:
    """A git repository with one commit (tag `base`) holding specs/orders.yaml."""
    git(project, "init", "-q", "-b", "main")
    write(project, "specs/orders.yaml", ORDERS)
    write(project, "specs/notes.yaml", "just: some yaml\n")  # not a spec: skipped in folders
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    git(project, "tag", "base")
    return project


def dot_objects(source: str) -> tuple[dict[str, dict], list[tuple[str, str, dict]]]:
    """Nodes (by name) and edges (tail, head, attributes) of a DOT source as Graphviz
    itself reads it (`dot -Tjson0`)."""
    import json

    from archlint.render.icon_map import icon_dirs

    done = subprocess.run(["dot", "-Tjson0", f"-Gimagepath={os.pathsep.join(icon_dirs())}"], input=source.encode(),
                          capture_output=True, check=True)
    assert b"Error" not in done.stderr, done.stderr.decode()
    objects = json.loads(done.stdout)["objects"]
    nodes = {obj["name"]: obj for obj in objects if not obj["name"].startswith("cluster_")}
    edges = [(objects[edge["tail"]]["name"], objects[edge["head"]]["name"], edge)
             for edge in json.loads(done.stdout).get("edges", ())]
    return nodes, edges
