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
    wanted = args.rule.strip().upper()
    rule = rules.get(wanted)
    if rule is None:
        print(f"archlint: {_not_a_rule(args.rule, wanted, rules)}", file=sys.stderr)
        return 2
    sys.stdout.write(rule_markdown(rule))
    return 0


def _not_a_rule(given: str, wanted: str, rules: dict) -> str:
    """Why `given` is no rule id, and the nearest thing that is: the rules of a family
    named by its prefix ("DLQ"), else the closest id ("DLQ01" -> DLQ001)."""
    family = sorted(rule_id for rule_id in rules if wanted and rule_id.startswith(wanted))
    if family:
        return f"'{given}' is not one rule but a prefix of {len(family)}: {', '.join(family)}; explain one of them"
    return f"no rule '{given}'{suggestion(wanted, rules)}; `archlint rules` lists them"
