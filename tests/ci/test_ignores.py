"""Auditable suppressions: --show-ignored lists what `ignore:` silenced and why, and
an `ignore:` entry that silences nothing is an ARCH001 finding at the entry."""

from __future__ import annotations

import json
import textwrap

from archlint.linter.engine import lint_graph, selected_rules
from archlint.linter.registry import all_rules
from archlint.rules.meta import UnusedIgnore
from archlint.specs import load_text

from .conftest import FAILING, archlint, json_findings, write

# DLQ002 fires on notify-fn (line 10); nothing fires on orders-fn
IGNORING = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    dead_letter: orders-dlq
    visibility_timeout: 360
  orders-dlq:
    type: sqs.queue
  notify-fn:
    type: lambda.function
    ignore:
      DLQ002: alerts are re-sent every minute
  orders-fn:
    type: lambda.function
    timeout: 60
    ignore:
      SQS001: the function finishes in 5 s in practice
flows:
  - orders-queue -> orders-fn
  - alerts -> notify-fn
ignore:
  FAN: we fan out on purpose
  DLQ: checked by hand
"""
# the rest of the spec: the topic
IGNORING = IGNORING.replace("  orders-fn:\n", "  alerts:\n    type: sns.topic\n  orders-fn:\n", 1)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def lint(text: str, select=None, ignore=None):
    rules = selected_rules(all_rules(), select, ignore)
    return lint_graph(load_text(textwrap.dedent(text), "spec.yaml"), rules)


def test_unused_ignores_are_arch001_findings_at_the_entry():
    result = lint(IGNORING)
    unused = [(f.rule, f.resource, f.line, f.column, f.severity) for f in result.findings]
    assert unused == [
        ("ARCH001", "orders-fn", line_of(IGNORING, "SQS001:"), 7, "warning"),
        ("ARCH001", "orders", line_of(IGNORING, "FAN:"), 3, "warning"),  # file level: the spec's name
        ("ARCH001", "orders", line_of(IGNORING, "DLQ: checked"), 3, "warning"),
    ]
    assert "SQS001" in result.findings[0].message and "orders-fn" in result.findings[0].message
    # the resource-level DLQ002 was used: the finding is suppressed with its reason
    [suppressed] = result.suppressed
    assert (suppressed.finding.rule, suppressed.where, suppressed.selector, suppressed.reason) == (
        "DLQ002", "notify-fn", "DLQ002", "alerts are re-sent every minute")


def test_an_ignore_used_at_file_level_is_not_reported():
    text = IGNORING.replace("    ignore:\n      DLQ002: alerts are re-sent every minute\n", "")
    result = lint(text)
    assert [(item.finding.rule, item.where, item.selector) for item in result.suppressed] == [("DLQ002", "file", "DLQ")]
    assert [f.line for f in result.findings] == [line_of(text, "SQS001:"), line_of(text, "FAN:")]  # not DLQ's


def test_an_ignore_is_not_unused_when_its_rules_did_not_run():
    # only DLQ001 and ARCH run: SQS001 and FAN did not run, DLQ002..7 did not run
    result = lint(IGNORING, select=["DLQ001", "ARCH"])
    assert result.findings == []
    # --ignore SQS: the SQS001 entry is not judged, the rest are
    result = lint(IGNORING, ignore=["SQS"])
    assert [f.line for f in result.findings] == [line_of(IGNORING, "FAN:"), line_of(IGNORING, "DLQ: checked")]


def test_arch001_deselected_reports_nothing():
    assert lint(IGNORING, ignore=["ARCH"]).findings == []


def test_arch001_can_itself_be_ignored_and_such_entries_are_not_judged():
    text = IGNORING.replace("ignore:\n  FAN:", "ignore:\n  ARCH001: being cleaned up in ticket 42\n  FAN:")
    result = lint(text)
    assert result.findings == []  # a file-level ignore covers every resource's findings
    assert sorted((item.finding.rule, item.finding.resource) for item in result.suppressed) == [
        ("ARCH001", "orders"), ("ARCH001", "orders"), ("ARCH001", "orders-fn"), ("DLQ002", "notify-fn")]


def test_rule_documentation_examples():
    bad = lint_graph(load_text(UnusedIgnore.bad_example, "bad.yaml"), all_rules()).findings
    assert [(f.rule, f.resource) for f in bad] == [("ARCH001", "report-queue")]
    assert bad[0].line == line_of(UnusedIgnore.bad_example, "DLQ001:")
    assert lint_graph(load_text(UnusedIgnore.good_example, "good.yaml"), all_rules()).findings == []


def test_explain_and_rules_list_arch001():
    done = archlint("explain", "ARCH001")
    assert done.returncode == 0
    assert "## Why is this bad?" in done.stdout and "## Fix" in done.stdout
    assert "ARCH001" in archlint("rules").stdout


def test_per_path_ignores_make_no_ignore_unused(project):
    write(project, "specs/legacy/orders.yaml", IGNORING)
    write(project, "pyproject.toml", '[tool.archlint]\nper-path-ignores = {"specs/legacy/*" = ["SQS", "FAN", "DLQ"]}\n')
    _, report = json_findings("specs", cwd=project)
    assert report["findings"] == []


def test_show_ignored_in_text_and_json(project):
    spec = write(project, "orders.yaml", IGNORING)
    plain = archlint("check", "orders.yaml", cwd=project)
    assert "ignored DLQ002" not in plain.stderr
    assert plain.stderr.strip().endswith("; 1 ignored")
    shown = archlint("check", "--show-ignored", "orders.yaml", cwd=project)
    assert shown.stdout == plain.stdout  # stdout stays one line per finding
    line = line_of(IGNORING, "notify-fn:")
    assert (f"orders.yaml:{line}:3: ignored DLQ002 error notify-fn: " in shown.stderr
            and "[resource-level ignore of DLQ002: alerts are re-sent every minute]" in shown.stderr)
    _, report = json_findings("orders.yaml", cwd=project)
    assert "ignored" not in report  # the docs/cli.md document is unchanged without the option
    _, report = json_findings("--show-ignored", "orders.yaml", cwd=project)
    [ignored] = report["ignored"]
    assert (ignored["rule"], ignored["resource"], ignored["reason"], ignored["ignored_by"], ignored["selector"]) == (
        "DLQ002", "notify-fn", "alerts are re-sent every minute", "notify-fn", "DLQ002")
    assert spec.exists()


def test_text_and_json_formats_are_unchanged(project):
    write(project, "orders.yaml", FAILING)
    done = archlint("check", "orders.yaml", cwd=project)
    assert done.stdout.splitlines()[0] == (
        "orders.yaml:5:3: DLQ001 error orders-queue: SQS queue orders-queue is consumed by orders-fn "
        "and has no dead-letter queue: a message that keeps failing is received again and again")
    assert done.stderr.strip().endswith("1 file checked: 3 errors, 0 warnings, 0 infos")
    report = json.loads(archlint("check", "--format", "json", "orders.yaml", cwd=project).stdout)
    assert set(report) == {"version", "findings", "errors", "summary"}
    assert set(report["findings"][0]) == {"rule", "severity", "file", "line", "column", "resource", "message", "fix"}
    assert report["summary"] == {"files": 1, "error": 3, "warning": 0, "info": 0}
