"""`archlint check PATH...`: lint specs and report what the rules find."""

from __future__ import annotations

import argparse
import sys

from ..engine import lint_graph, selected_rules
from ..inputs import collect, report_problems
from ..registry import RegistryError, all_rules, known_selector
from ..reports import FORMATS, Report, text_summary
from ..rule import SEVERITIES, severity_rank

HELP = "lint specs (files, or folders searched for specs) and report what the rules find"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files, or folders to search for *.yaml/*.yml specs")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="report format [text]")
    parser.add_argument("--select", type=_selectors, default=None, metavar="IDS",
                        help="only these rules: comma-separated ids or prefixes (DLQ,SQS001)")
    parser.add_argument("--ignore", type=_selectors, default=None, metavar="IDS",
                        help="skip these rules: comma-separated ids or prefixes")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="error",
                        help="exit 1 when a finding is at least this severe [error]")


def _selectors(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    try:
        rules = all_rules()
        _check_selectors(args.select, "--select")
        _check_selectors(args.ignore, "--ignore")
    except (RegistryError, ValueError) as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    rules = selected_rules(rules, args.select, args.ignore)
    inputs = collect(args.paths)
    findings, suppressed = [], []
    for graph in inputs.graphs:
        result = lint_graph(graph, rules)
        findings.extend(result.findings)
        suppressed.extend(result.suppressed)
    report = Report(sorted(findings), sorted(inputs.problems), inputs.files, suppressed)
    sys.stdout.write(FORMATS[args.format](report))
    if args.format == "text":
        report_problems(report.problems)
        print(text_summary(report), file=sys.stderr)
    return exit_status(report, args.fail_on)


def _check_selectors(selectors, option: str) -> None:
    for selector in selectors or ():
        if not known_selector(selector):
            raise ValueError(f"{option}: '{selector}' names no rule; `archlint rules` lists them")


def exit_status(report: Report, fail_on: str) -> int:
    """CLI.md: 2 when an input could not be read (it wins), 1 for findings at or
    above --fail-on, else 0."""
    if report.problems:
        return 2
    threshold = severity_rank(fail_on)
    if any(severity_rank(finding.severity) >= threshold for finding in report.findings):
        return 1
    return 0
