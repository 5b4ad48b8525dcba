"""`archlint check PATH...`: lint specs and report what the rules find."""

from __future__ import annotations

import argparse
import os
import sys

from ...specs import Problem, is_spec_text
from ...specs.inputfile import InputRefused, read_input
from .. import selection
from ..engine import lint_graph
from ..inputs import collect, report_problems
from .. import baseline
from ..output import write_or_report
from ..reports import FORMATS, Report, ignored_lines, stale_lines, text_summary
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
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", default=None,
                          help="report and fail only on findings this baseline does not hold; list its entries "
                               "that no longer occur")
    baseline.add_argument("--write-baseline", metavar="FILE", default=None,
                          help="record today's findings in FILE (JSON, one per line, sorted) instead of reporting them")
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
    entries = None
    if args.baseline:
        try:
            entries = baseline.load(args.baseline)
        except baseline.BaselineError as error:
            print(f"{error}", file=sys.stderr)
            return 2
    report = lint_paths(paths, chosen)
    if args.write_baseline:
        return _write_baseline(report, args.write_baseline)
    report.show_ignored = args.show_ignored
    if entries is not None:
        report.baseline = baseline.apply(entries, report.findings, report.graphs, args.baseline, list(report.checked))
        report.baseline_file = args.baseline
        report.findings = report.baseline.new
    sys.stdout.write(FORMATS[args.format](report))
    if args.format == "text":
        report_problems(report.problems)
        if args.show_ignored:
            sys.stderr.write(ignored_lines(report))
    if report.baseline is not None and args.format in HUMAN_FORMATS:
        sys.stderr.write(stale_lines(report))
    if args.format in HUMAN_FORMATS:
        print(text_summary(report), file=sys.stderr)
    return exit_status(report, chosen.fail_on)


def _write_baseline(report: Report, path: str) -> int:
    """Record the findings; never over an input, never from a run that could not read one."""
    if report.problems:
        report_problems(report.problems)
        print(f"archlint: {path} not written: a baseline of specs that cannot be read would be wrong",
              file=sys.stderr)
        return 2
    if any(os.path.realpath(file) == os.path.realpath(path) for file in report.checked):
        print(f"archlint: {path} is one of the specs checked: not overwriting it", file=sys.stderr)
        return 2
    entries = baseline.record(report.findings, report.graphs, path)
    if not write_or_report(path, baseline.dumps(entries)):
        return 2
    findings = len(report.findings)
    print(f"archlint: wrote {path}: {findings} finding{'s' if findings != 1 else ''} in {len(entries)} "
          f"entr{'ies' if len(entries) != 1 else 'y'}", file=sys.stderr)
    return 0


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
                  rules=list(chosen.rules), checked=checked,
                  graphs={graph.graph.get("file", ""): graph for graph in inputs.graphs})


def _specs_only(paths: list[str]) -> list[str]:
    """Named files that are neither specs nor CloudFormation/SAM templates are
    dropped, as they are when found in a folder."""
    kept = []
    for path in paths:
        if os.path.isfile(path):
            try:
                data = read_input(path)
            except InputRefused:
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
