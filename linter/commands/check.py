"""`archlint check PATH...`: lint specs and report what the rules find."""

from __future__ import annotations

import argparse
import os
import sys

from ...specs import Problem, is_spec_text
from .. import selection
from ..engine import lint_graph
from ..inputs import collect, report_problems
from ..reports import FORMATS, Report, ignored_lines, text_summary
from ..rule import SEVERITIES, severity_rank

HELP = "lint specs (files, or folders searched for specs) and report what the rules find"

# formats read by people in a terminal or a CI log: the summary goes to standard error
HUMAN_FORMATS = ("text", "github")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files, or folders to search for *.yaml/*.yml specs")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="report format [text]")
    selection.add_arguments(parser, "to run")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding is at least this severe [error, or the configuration's]")
    parser.add_argument("--show-ignored", action="store_true",
                        help="also list the findings `ignore:` entries silenced, with their reasons")
    parser.add_argument("--specs-only", action="store_true",
                        help="skip named files that are not archlint specs instead of reporting them "
                             "(for pre-commit, which passes every changed YAML file)")


def run(args: argparse.Namespace) -> int:
    try:
        chosen = selection.from_args(args)
    except selection.SelectionError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    paths = _specs_only(args.paths) if args.specs_only else args.paths
    report = lint_paths(paths, chosen)
    report.show_ignored = args.show_ignored
    sys.stdout.write(FORMATS[args.format](report))
    if args.format == "text":
        report_problems(report.problems)
        if args.show_ignored:
            sys.stderr.write(ignored_lines(report))
    if args.format in HUMAN_FORMATS:
        print(text_summary(report), file=sys.stderr)
    return exit_status(report, chosen.fail_on)


def lint_paths(paths: list[str], chosen: selection.Selection) -> Report:
    """Load every spec under `paths`, run the selected rules on each (less the per-path
    ignores of the configuration) and gather one report, severities as configured."""
    inputs = collect(paths)
    findings, suppressed, checked = [], [], {}
    for graph in inputs.graphs:
        file = graph.graph.get("file", "")
        file_rules = chosen.rules_for(file)
        checked[file] = [rule.id for rule in file_rules]
        result = lint_graph(graph, file_rules)
        findings.extend(chosen.config.apply_severity(result.findings))
        suppressed.extend(result.suppressed)
        # a rule that crashed leaves the file unchecked: an input problem (exit 2)
        inputs.problems.extend(Problem(file, 1, 1, failure) for failure in result.failures)
    return Report(sorted(findings), sorted(inputs.problems), inputs.files, suppressed,
                  rules=list(chosen.rules), checked=checked)


def _specs_only(paths: list[str]) -> list[str]:
    """Named files that are neither specs nor CloudFormation/SAM templates are
    dropped, as they are when found in a folder."""
    kept = []
    for path in paths:
        if os.path.isfile(path):
            try:
                with open(path, "rb") as stream:
                    data = stream.read()
            except OSError:
                data = None  # collect() reports it
            if data is not None and not is_spec_text(data) and not _is_template(data):
                continue
        kept.append(path)
    return kept


def _is_template(data: bytes) -> bool:
    """Whether `check` would import this file as a CloudFormation/SAM template (docs/spec.md)."""
    try:
        from ...specs.cfn.decode import looks_like_template
    except ImportError:  # a build without the template importer
        return False
    return looks_like_template(data)


def exit_status(report: Report, fail_on: str) -> int:
    """docs/cli.md: 2 when an input could not be read (it wins), 1 for findings at or
    above --fail-on, else 0."""
    if report.problems:
        return 2
    threshold = severity_rank(fail_on)
    if any(severity_rank(finding.severity) >= threshold for finding in report.findings):
        return 1
    return 0
