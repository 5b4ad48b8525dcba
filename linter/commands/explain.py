"""`archlint explain ID`: one rule's full documentation."""

from __future__ import annotations

import sys

from ..docs import rule_markdown
from ..registry import RegistryError, rules_by_id
from ...specs.values import suggestion

HELP = "print a rule's full documentation: what it finds, why, how to fix it, examples"


def add_arguments(parser) -> None:
    parser.add_argument("rule", metavar="RULE", help="a rule id such as DLQ001")


def run(args) -> int:
    try:
        rules = rules_by_id()
    except RegistryError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    rule = rules.get(args.rule.upper())
    if rule is None:
        print(f"archlint: no rule '{args.rule}'{suggestion(args.rule.upper(), rules)}; `archlint rules` lists them", file=sys.stderr)
        return 2
    sys.stdout.write(rule_markdown(rule))
    return 0
