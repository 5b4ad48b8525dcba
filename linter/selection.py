"""Which rules run, and how severe their findings are: the configuration file and the
command line, read the same way by every command that lints (`check`, `render` for
the findings it draws, `emit` for the errors that stop it).

The command line wins over the file, option by option; a file's per-path ignores
and severity changes apply to the file being linted.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import networkx as nx

from .config import Config, ConfigError, discover
from .engine import RuleFailed, lint, lint_graph, selected_rules
from .registry import RegistryError, all_rules, known_selector
from .rule import Finding, Rule


class SelectionError(Exception):
    """The configuration or a selector on the command line is wrong; str() says how."""


@dataclass
class Selection:
    config: Config
    rules: list[Rule]  # after --select/--ignore (or the file's select/ignore)
    fail_on: str

    def rules_for(self, file: str) -> list[Rule]:
        """The rules to run on one input: the selection less its per-path ignores."""
        return self.config.rules_for(file, self.rules)

    def lint(self, graph: nx.MultiDiGraph) -> list[Finding]:
        """The findings on one graph, sorted, severities as configured. Raises
        RuleFailed when a rule raised (a command must not go on without it)."""
        rules = self.rules_for(graph.graph.get("file", ""))
        return self.config.apply_severity(lint(graph, rules))


def add_arguments(parser: argparse.ArgumentParser, purpose: str) -> None:
    """--select, --ignore and --config; `purpose` ends the help of --select ("run")."""
    parser.add_argument("--select", type=_selectors, default=None, metavar="IDS",
                        help=f"only these rules {purpose}: comma-separated ids or prefixes (DLQ,SQS001)")
    parser.add_argument("--ignore", type=_selectors, default=None, metavar="IDS",
                        help="skip these rules: comma-separated ids or prefixes")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="configuration file (default: [tool.archlint] in the nearest pyproject.toml, "
                             "else .archlint.yaml)")


def from_args(args: argparse.Namespace) -> Selection:
    """The selection a command line and the configuration it finds make. Raises
    SelectionError."""
    try:
        rules = all_rules()
        config = discover(args.config)
        _check(args.select, "--select")
        _check(args.ignore, "--ignore")
    except (RegistryError, ConfigError) as error:
        raise SelectionError(str(error)) from None
    select = args.select if args.select is not None else config.select
    ignore = args.ignore if args.ignore is not None else config.ignore
    fail_on = getattr(args, "fail_on", None) or config.fail_on or "error"
    return Selection(config, selected_rules(rules, select, ignore), fail_on)


def lint_or_report(graph: nx.MultiDiGraph, args: argparse.Namespace) -> list[Finding] | None:
    """The findings a command that draws or emits acts on, selected and configured as
    `check` would; None after saying on standard error what is wrong (exit 2)."""
    try:
        return from_args(args).lint(graph)
    except (SelectionError, RuleFailed) as error:
        print(f"archlint: {error}", file=sys.stderr)
        return None


def lint_for_emit(graph: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[list[Finding], list[Finding]] | None:
    """For `emit`: (the findings the selection reports, severities as configured; every
    finding of every rule, whatever `ignore:` or the configuration say, since AWS reads
    neither when it refuses a template). None after saying on standard error what is
    wrong."""
    try:
        chosen = from_args(args)
        result = lint_graph(graph, all_rules())
    except (SelectionError, RegistryError) as error:
        print(f"archlint: {error}", file=sys.stderr)
        return None
    if result.failures:
        print(f"archlint: {RuleFailed('; '.join(result.failures))}", file=sys.stderr)
        return None
    selected = {rule.id for rule in chosen.rules_for(graph.graph.get("file", ""))}
    reported = chosen.config.apply_severity([finding for finding in result.findings if finding.rule in selected])
    return reported, result.findings + [item.finding for item in result.suppressed]


def _selectors(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(",")]
    if not all(parts):
        raise argparse.ArgumentTypeError(f"{text!r} holds an empty rule id, which would select every rule; "
                                         "name ids or prefixes such as DLQ,SQS001")
    return parts


def _check(selectors, option: str) -> None:
    for selector in selectors or ():
        if not known_selector(selector):
            raise SelectionError(f"{option}: '{selector}' names no rule; `archlint rules` lists them")

