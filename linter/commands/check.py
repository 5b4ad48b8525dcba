"""`archlint check PATH...`: lint specs and report what the rules find."""

from __future__ import annotations

import argparse
import os
import sys

from ...specs import Problem, is_spec_text
from ...specs.inputfile import InputRefused, read_input
from ..config import Config, ConfigError, discover
from ..engine import lint_graph, selected_rules
from ..inputs import collect, report_problems
from ..registry import RegistryError, all_rules, known_selector
from ..reports import FORMATS, Report, ignored_lines, text_summary
from ..rule import SEVERITIES, severity_rank

HELP = "lint specs (files, or folders searched for specs) and report what the rules find"

# formats read by people in a terminal or a CI log: the summary goes to standard error
HUMAN_FORMATS = ("text", "github")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files, or folders to search for *.yaml/*.yml specs")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="report format [text]")
    parser.add_argument("--select", type=_selectors, default=None, metavar="IDS",
                        help="only these rules: comma-separated ids or prefixes (DLQ,SQS001)")
    parser.add_argument("--ignore", type=_selectors, default=None, metavar="IDS",
                        help="skip these rules: comma-separated ids or prefixes")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding is at least this severe [error, or the configuration's]")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="configuration file (default: [tool.archlint] in the nearest pyproject.toml, "
                             "else .archlint.yaml)")
    parser.add_argument("--show-ignored", action="store_true",
                        help="also list the findings `ignore:` entries silenced, with their reasons")
    parser.add_argument("--specs-only", action="store_true",
                        help="skip named files that are not archlint specs instead of reporting them "
                             "(for pre-commit, which passes every changed YAML file)")


def _selectors(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(",")]
    if not all(parts):
        raise argparse.ArgumentTypeError(f"{text!r} holds an empty rule id, which would select every rule; name ids or prefixes such as DLQ,SQS001")
    return parts


def run(args: argparse.Namespace) -> int:
    try:
        rules = all_rules()
        config = discover(args.config)
        _check_selectors(args.select, "--select")
        _check_selectors(args.ignore, "--ignore")
    except (RegistryError, ConfigError, ValueError) as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    # the command line wins over the file, option by option
    select = args.select if args.select is not None else config.select
    ignore = args.ignore if args.ignore is not None else config.ignore
    fail_on = args.fail_on or config.fail_on or "error"
    rules = selected_rules(rules, select, ignore)
    paths = _specs_only(args.paths) if args.specs_only else args.paths
    report = lint_paths(paths, rules, config)
    report.show_ignored = args.show_ignored
    sys.stdout.write(FORMATS[args.format](report))
    if args.format == "text":
        report_problems(report.problems)
        if args.show_ignored:
            sys.stderr.write(ignored_lines(report))
    if args.format in HUMAN_FORMATS:
        print(text_summary(report), file=sys.stderr)
    return exit_status(report, fail_on)


def lint_paths(paths: list[str], rules: list, config: Config) -> Report:
    """Load every spec under `paths`, run the rules on each (less the per-path ignores
    of the configuration) and gather one report, severities as configured."""
    inputs = collect(paths)
    findings, suppressed, checked = [], [], {}
    for graph in inputs.graphs:
        file_rules = config.rules_for(graph.graph.get("file", ""), rules)
        checked[graph.graph.get("file", "")] = [rule.id for rule in file_rules]
        result = lint_graph(graph, file_rules)
        findings.extend(config.apply_severity(result.findings))
        suppressed.extend(result.suppressed)
        # a rule that crashed leaves the file unchecked: an input problem (exit 2)
        inputs.problems.extend(Problem(graph.graph.get("file", ""), 1, 1, failure) for failure in result.failures)
    return Report(sorted(findings), sorted(inputs.problems), inputs.files, suppressed,
                  rules=list(rules), checked=checked)


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
    """Whether `check` would import this file as a CloudFormation/SAM template (SPEC.md)."""
    try:
        from ...specs.cfn.decode import looks_like_template
    except ImportError:  # a build without the template importer
        return False
    return looks_like_template(data)


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
