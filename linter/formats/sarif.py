"""SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads
(github/codeql-action/upload-sarif) and most static-analysis dashboards read.

One run; the driver lists every rule that ran with its summary and its full
documentation (`archlint explain`) as help; each finding is a result with the rule's
index, a level, the resource as a logical location and the line and column of the
physical one. Input problems (specs that could not be read) are
`toolExecutionNotifications` of the invocation, whose `executionSuccessful` is then
false: they are not findings of a rule. With --show-ignored, silenced findings are
results too, each with a SARIF `suppressions` entry giving the spec's reason.
Tests validate the output against the official schema.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..docs import rule_markdown
from ..version import VERSION
from .common import artifact_uri

if TYPE_CHECKING:
    from ..reports import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# SARIF knows error, warning, note (and none); archlint's info is a note
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_report(report: "Report") -> str:
    rules = _rules_of(report)
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = [_result(finding, index) for finding in report.findings]
    if report.show_ignored:
        for item in report.suppressed:
            result = _result(item.finding, index)
            result["suppressions"] = [{"kind": "inSource", "justification": item.reason}]
            results.append(result)
    run = {
        "tool": {"driver": {
            "name": "archlint",
            "version": VERSION,
            "rules": [_rule(rule) for rule in rules],
        }},
        "invocations": [{
            "executionSuccessful": not report.problems,
            "toolExecutionNotifications": [_notification(problem) for problem in sorted(report.problems)],
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rules_of(report: "Report") -> list:
    """Every rule that ran, plus any rule a finding names (ids are unique, sorted)."""
    by_id = {rule.id: rule for rule in report.rules}
    if any(finding.rule not in by_id for finding in report.findings):
        from ..registry import rules_by_id

        known = rules_by_id()
        for finding in report.findings:
            by_id.setdefault(finding.rule, known[finding.rule])
    return [by_id[rule_id] for rule_id in sorted(by_id)]


def _rule(rule) -> dict:
    markdown = rule_markdown(rule)
    return {
        "id": rule.id,
        "name": type(rule).__name__,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": markdown, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }


def _location(file: str, line: int, column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(file)},
        "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
    }}


def _result(finding, index: dict) -> dict:
    location = _location(finding.file, finding.line, finding.column)
    location["logicalLocations"] = [{"name": finding.resource, "kind": "resource"}]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. Fix: {finding.fix}" if finding.fix else finding.message},
        "locations": [location],
        "properties": {"resource": finding.resource, "fix": finding.fix, "severity": finding.severity},
    }


def _notification(problem) -> dict:
    return {
        "level": "error",
        "message": {"text": problem.message},
        "locations": [_location(problem.file, problem.line, problem.column)],
        "descriptor": {"id": "spec-error"},
    }
