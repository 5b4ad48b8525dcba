"""Baselines: `check --write-baseline` records today's findings, `check --baseline`
fails only on others and lists entries that no longer occur (the write/read/stale
cycle), with the fingerprints of `archlint diff`."""

from __future__ import annotations

import json

import pytest

from archlint.linter import baseline
from archlint.linter.rule import Finding
from archlint.specs import load_text

from .conftest import ORDERS, archlint, archlint_process, edit, write

NO_DLQ = edit(ORDERS, "    dead_letter: billing-dlq\n    max_receive_count: 5\n", "")  # DLQ001 on billing-queue
SHORT = edit(ORDERS, "visibility_timeout: 180", "visibility_timeout: 20")  # SQS001 on billing-queue


@pytest.fixture
def legacy(project):
    """specs/ with two specs that have findings, and the baseline in ci/ (paths relative to it)."""
    write(project, "specs/billing.yaml", NO_DLQ)
    write(project, "specs/short.yaml", SHORT)
    (project / "ci").mkdir()
    done = archlint("check", "--write-baseline", "ci/baseline.json", "specs", cwd=project)
    assert done.returncode == 0, done.stderr
    return project


def test_write_records_findings_one_per_line_sorted(legacy):
    text = (legacy / "ci" / "baseline.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "archlint_baseline": 1,', '  "findings": [']
    entries = [json.loads(line.strip().rstrip(",")) for line in lines[3:-2]]
    assert [(e["file"], e["rule"], e["resource"], e["names"], e["count"]) for e in entries] == [
        ("../specs/billing.yaml", "DLQ001", "billing-queue", ["billing-fn"], 1),
        ("../specs/short.yaml", "SQS001", "billing-queue", ["billing-fn"], 1),
    ]
    assert entries[0]["message"].startswith("SQS queue billing-queue is consumed by billing-fn")
    # the same findings write the same bytes, whatever order the paths are named in
    archlint("check", "--write-baseline", "ci/again.json", "specs/short.yaml", "specs/billing.yaml", cwd=legacy)
    assert (legacy / "ci" / "again.json").read_text(encoding="utf-8") == text


def test_known_findings_pass_new_ones_fail(legacy):
    done = archlint("check", "--baseline", "ci/baseline.json", "specs", cwd=legacy)
    assert done.returncode == 0 and done.stdout == ""
    assert "2 in the baseline" in done.stderr
    # moving the finding's block is not a new finding
    block = "  billing-queue:\n    type: sqs.queue\n    visibility_timeout: 180\n"
    write(legacy, "specs/billing.yaml", edit(NO_DLQ, block, "").replace("flows:\n", block + "flows:\n"))
    assert archlint("check", "--baseline", "ci/baseline.json", "specs", cwd=legacy).returncode == 0
    # a new finding fails, and is the only one reported
    write(legacy, "specs/billing.yaml", edit(NO_DLQ, "timeout: 30\n", "timeout: 60\n"))  # adds SQS002, a warning
    done = archlint("check", "--baseline", "ci/baseline.json", "--fail-on", "warning", "specs", cwd=legacy)
    assert done.returncode == 1
    assert [line.split()[1] for line in done.stdout.splitlines()] == ["SQS002"]
    report = json.loads(archlint("check", "--baseline", "ci/baseline.json", "--format", "json", "specs", cwd=legacy).stdout)
    assert [f["rule"] for f in report["findings"]] == ["SQS002"]
    assert report["baseline"] == {"file": "ci/baseline.json", "known": 2, "stale": []}


def test_paid_debt_is_listed_and_the_baseline_shrinks(legacy):
    write(legacy, "specs/short.yaml", ORDERS)  # SQS001 fixed
    done = archlint("check", "--baseline", "ci/baseline.json", "specs", cwd=legacy)
    assert done.returncode == 0
    assert "ci/baseline.json: no longer occurs: ../specs/short.yaml: SQS001 billing-queue: SQS queue" in done.stderr
    assert "1 of its findings no longer occur" in done.stderr
    report = json.loads(archlint("check", "--baseline", "ci/baseline.json", "--format", "json", "specs", cwd=legacy).stdout)
    assert [(e["file"], e["rule"]) for e in report["baseline"]["stale"]] == [("../specs/short.yaml", "SQS001")]
    # entries of specs not checked in this run are not stale
    only = archlint("check", "--baseline", "ci/baseline.json", "specs/billing.yaml", cwd=legacy)
    assert only.returncode == 0 and "no longer occurs" not in only.stderr
    # written again, the file holds one entry less
    assert archlint("check", "--write-baseline", "ci/baseline.json", "specs", cwd=legacy).returncode == 0
    assert len(baseline.load(str(legacy / "ci" / "baseline.json"))) == 1


def test_counts_repeated_fingerprints(tmp_path):
    graph = load_text(NO_DLQ, str(tmp_path / "orders.yaml"))
    twice = [Finding(str(tmp_path / "orders.yaml"), line, 3, "DLQ001", "billing-queue", "error",
                     "billing-queue is consumed by billing-fn", "fix") for line in (8, 12)]
    path = str(tmp_path / "baseline.json")
    [entry] = baseline.record(twice, {graph.graph["file"]: graph}, path)
    assert (entry.file, entry.count, entry.names) == ("orders.yaml", 2, ("billing-fn",))
    three = twice + [Finding(str(tmp_path / "orders.yaml"), 20, 3, "DLQ001", "billing-queue", "error", "billing-queue is consumed by billing-fn", "fix")]
    applied = baseline.apply([entry], three, {graph.graph["file"]: graph}, path, [graph.graph["file"]])
    assert (applied.known, [f.line for f in applied.new], applied.stale) == (2, [20], [])
    applied = baseline.apply([entry], twice[:1], {graph.graph["file"]: graph}, path, [graph.graph["file"]])
    assert [(e.rule, e.count) for e in applied.stale] == [("DLQ001", 1)]


def test_bad_baselines_and_refusals(legacy):
    write(legacy, "ci/broken.json", '{\n  "archlint_baseline": 1,\n  "findings": [\n    {"file": }\n  ]\n}\n')
    done = archlint_process("check", "--baseline", "ci/broken.json", "specs", cwd=legacy)
    assert done.returncode == 2 and done.stderr.startswith("ci/broken.json:4:14: not a baseline")
    write(legacy, "ci/other.json", '{"findings": []}\n')
    assert "not an archlint baseline" in archlint_process("check", "--baseline", "ci/other.json", "specs", cwd=legacy).stderr
    write(legacy, "ci/wrong.json", '{\n  "archlint_baseline": 1,\n  "findings": [\n    {"file": "a", "rule": "X1"}\n  ]\n}\n')
    done = archlint_process("check", "--baseline", "ci/wrong.json", "specs", cwd=legacy)
    assert done.returncode == 2 and 'ci/wrong.json:4:1: findings[0]: "resource" must be a non-empty string' in done.stderr
    assert archlint_process("check", "--baseline", "ci/missing.json", "specs", cwd=legacy).returncode == 2
    # never over a spec; never from specs that cannot be read
    before = (legacy / "specs" / "billing.yaml").read_text()
    done = archlint_process("check", "--write-baseline", "specs/billing.yaml", "specs", cwd=legacy)
    assert done.returncode == 2 and (legacy / "specs" / "billing.yaml").read_text() == before
    write(legacy, "specs/broken.yaml", "archlint: 1\nname: x\nresources:\n  q:\n    type: sqs.queue\n    fifo: maybe\n")
    done = archlint_process("check", "--write-baseline", "ci/new.json", "specs", cwd=legacy)
    assert done.returncode == 2 and not (legacy / "ci" / "new.json").exists()
    assert archlint_process("check", "--baseline", "a", "--write-baseline", "b", "specs", cwd=legacy).returncode == 2
