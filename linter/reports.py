"""The report formats of `archlint check`. Each takes the same `Report` and returns
the text to print; CI.md's JSON shape is a contract that only grows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..specs import Problem
from .engine import Suppressed
from .rule import SEVERITIES, Finding
from .version import VERSION


@dataclass
class Report:
    findings: list[Finding]
    problems: list[Problem]
    files: int
    suppressed: list[Suppressed] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in reversed(SEVERITIES)}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def text_report(report: Report) -> str:
    """One line per finding (CLI.md); input problems go to standard error separately."""
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.rule} {f.severity} {f.resource}: {f.message}"
        for f in report.findings
    ]
    return "".join(line + "\n" for line in lines)


def text_summary(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}" for severity in counts]
    summary = f"{report.files} file{'s' if report.files != 1 else ''} checked: {', '.join(parts)}"
    if report.problems:
        summary += f"; {len(report.problems)} input problem{'s' if len(report.problems) != 1 else ''}"
    if report.suppressed:
        summary += f"; {len(report.suppressed)} ignored"
    return summary


def json_report(report: Report) -> str:
    document = {
        "version": VERSION,
        "findings": [finding.as_dict() for finding in report.findings],
        "errors": [problem.as_dict() for problem in sorted(report.problems)],
        "summary": {"files": report.files, **report.counts()},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS = {
    "text": text_report,
    "json": json_report,
}
