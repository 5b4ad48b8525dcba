"""The report formats of `archlint check`. Each takes the same `Report` and returns
the text to print; docs/cli.md's JSON shape is a contract that only grows.

This module holds the table (`FORMATS`) and the two original formats; the formats
made for CI systems live in `linter/formats/`, one module each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..specs import Problem
from .engine import FILE_LEVEL, Suppressed
from .formats.common import log_line
from .rule import SEVERITIES, Finding, Rule
from .version import VERSION


@dataclass
class Report:
    findings: list[Finding]
    problems: list[Problem]
    files: int
    suppressed: list[Suppressed] = field(default_factory=list)
    # the rules that ran (for SARIF's rule metadata), and which of them ran on each
    # spec file (for JUnit's test cases)
    rules: list[Rule] = field(default_factory=list)
    checked: dict[str, list[str]] = field(default_factory=dict)
    show_ignored: bool = False  # --show-ignored: formats list the suppressed findings too
    # each spec's graph, by file (baselines fingerprint findings with it)
    graphs: dict = field(default_factory=dict)
    # --baseline: what it held and which of its entries no longer occur (baseline.Applied)
    baseline: Any = None
    baseline_file: str = ""

    def counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in reversed(SEVERITIES)}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def text_report(report: Report) -> str:
    """One line per finding (docs/cli.md); input problems go to standard error separately.
    Every line is safe in a terminal and a CI log (`formats.common.log_line`)."""
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.rule} {f.severity} {f.resource}: {f.message}"
        for f in report.findings
    ]
    return "".join(log_line(line) + "\n" for line in lines)


def text_summary(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}" for severity in counts]
    summary = f"{report.files} file{'s' if report.files != 1 else ''} checked: {', '.join(parts)}"
    if report.problems:
        summary += f"; {len(report.problems)} input problem{'s' if len(report.problems) != 1 else ''}"
    if report.suppressed:
        summary += f"; {len(report.suppressed)} ignored"
    if report.baseline is not None:
        summary += f"; {report.baseline.known} in the baseline"
        stale = sum(entry.count for entry in report.baseline.stale)
        if stale:
            summary += f", {stale} of its findings no longer occur (shrink it with --write-baseline)"
    return summary


def stale_lines(report: Report) -> str:
    """--baseline: the entries that no longer occur, so that the file shrinks (standard error)."""
    return "".join(
        f"{report.baseline_file}: no longer occurs: {entry.file}: {entry.rule} {entry.resource}"
        f"{f' (x{entry.count})' if entry.count > 1 else ''}: {entry.message}\n"
        for entry in report.baseline.stale
    )


def json_report(report: Report) -> str:
    document = {
        "version": VERSION,
        "findings": [finding.as_dict() for finding in report.findings],
        "errors": [problem.as_dict() for problem in sorted(report.problems)],
        "summary": {"files": report.files, **report.counts()},
    }
    if report.show_ignored:  # only on request: the default document stays as docs/cli.md shows
        document["ignored"] = [ignored_dict(item) for item in report.suppressed]
    if report.baseline is not None:  # only with --baseline, likewise
        document["baseline"] = {"file": report.baseline_file, "known": report.baseline.known,
                                "stale": [entry.as_dict() for entry in report.baseline.stale]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def ignored_dict(item: Suppressed) -> dict:
    return {**item.finding.as_dict(), "reason": item.reason, "ignored_by": item.where, "selector": item.selector}


def ignored_lines(report: Report) -> str:
    """--show-ignored in the text format: what `ignore:` silenced and why (standard error)."""
    return "".join(
        log_line(f"{f.file}:{f.line}:{f.column}: ignored {f.rule} {f.severity} {f.resource}: {f.message} "
                 f"[{'file-level' if item.where == FILE_LEVEL else 'resource-level'} ignore of {item.selector}: {item.reason}]") + "\n"
        for item in report.suppressed
        for f in (item.finding,)
    )


def _formats() -> dict:
    from .formats import github, junit, sarif  # the CI formats, one module each

    return {
        "text": text_report,
        "json": json_report,
        "sarif": sarif.sarif_report,
        "junit": junit.junit_report,
        "github": github.github_report,
    }


FORMATS = _formats()
