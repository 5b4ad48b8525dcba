"""`archlint rules`: every rule with its id, severity and summary."""

from __future__ import annotations

import sys

from ..docs import catalog_markdown
from ..registry import RegistryError, all_rules

HELP = "list every rule: id, severity, one-line summary"


def add_arguments(parser) -> None:
    parser.add_argument("--markdown", action="store_true",
                        help="print every rule's documentation as one Markdown page (docs/rules.md)")


def run(args) -> int:
    try:
        rules = all_rules()
    except RegistryError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    if args.markdown:
        sys.stdout.write(catalog_markdown(rules))
        return 0
    width = max((len(rule.id) for rule in rules), default=6)
    for rule in rules:
        print(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.summary}")
    return 0
