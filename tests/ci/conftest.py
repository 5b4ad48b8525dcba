"""Helpers for the CI-integration tests: run `archlint` as a process, as CI does, on
small specs written into a temporary project folder."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_runner import run_cli

REPO = Path(__file__).resolve().parents[2]
# the official schema, copied into the repository (its source and licence: the README beside it)
SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")

# Three findings, all errors, at known positions (line, column):
#   DLQ001 orders-queue (5, 3): polled by orders-fn, no dead_letter
#   DLQ002 notify-fn (10, 3): invoked asynchronously by alerts, no dead_letter
#   SQS001 orders-queue (15, 5, the flow): visibility 30 s < function timeout 60 s
FAILING = """\
archlint: 1
name: orders
description: a queue without a dead-letter queue
resources:
  orders-queue:
    type: sqs.queue
  orders-fn:
    type: lambda.function
    timeout: 60
  notify-fn:
    type: lambda.function
  alerts:
    type: sns.topic
flows:
  - orders-queue -> orders-fn
  - alerts -> notify-fn
"""

CLEAN = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
    visibility_timeout: 360
  report-dlq:
    type: sqs.queue
  report-fn:
    type: lambda.function
    timeout: 60
flows:
  - report-queue -> report-fn
"""

# not a valid spec: line 6, column 11 is not a boolean
BROKEN = """\
archlint: 1
name: broken
resources:
  thing:
    type: sqs.queue
    fifo: maybe
"""


# HPC004 (info) on a lone instance with the legacy Intel 82599 interface, at line 8, column 5
INFO_ONLY = """\
archlint: 1
name: legacy
region: us-east-1
resources:
  old-node:
    type: ec2.instance
    az: us-east-1a
    networking: intel-82599
"""


def archlint(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    done = run_cli(*args, cwd=cwd, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def json_findings(*args, cwd=None) -> tuple[int, dict]:
    done = archlint("check", "--format", "json", *args, cwd=cwd)
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def project(tmp_path) -> Path:
    """An empty project folder (under the test's tmp folder: no configuration above it)."""
    folder = tmp_path / "project"
    folder.mkdir()
    return folder
