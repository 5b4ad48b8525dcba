"""`ignore:` in a template: a team that lints its templates directly has no spec to
write ignores in, so they go in the template's `Metadata`, as cfn-lint's do:

    Metadata:                      # the whole template
      archlint:
        ignore: {SQS002: batches are tiny}
    Resources:
      Jobs:
        Type: AWS::SQS::Queue
        Metadata:                  # one resource
          archlint:
            ignore: {DLQ001: replayed from the source system}

The same rules as a spec's `ignore:` apply: a rule id or family prefix that names a
known rule, and a reason that is not empty; problems are reported with their position.
"""

from __future__ import annotations

from ..errors import Problem
from ..reader import RULE_SELECTOR
from .decode import key_position


def read_ignore(file: str, owner: dict, rule_known, problems: list) -> tuple[dict, dict]:
    """(selector -> reason, "ignore.ID" -> position) from `owner`'s Metadata.archlint.ignore."""
    metadata = owner.get("Metadata") if isinstance(owner, dict) else None
    archlint = metadata.get("archlint") if isinstance(metadata, dict) else None
    if not isinstance(archlint, dict) or "ignore" not in archlint:
        return {}, {}
    entries = archlint["ignore"]
    where = key_position(archlint, "ignore") or (1, 1)
    if not isinstance(entries, dict):
        problems.append(Problem(file, *where, "'ignore' in Metadata.archlint maps rule ids (or prefixes such as DLQ) to the reason for ignoring them"))
        return {}, {}
    ignores, positions = {}, {}
    for selector, reason in entries.items():
        at = key_position(entries, selector) or where
        text = str(selector)
        if not RULE_SELECTOR.match(text):
            problems.append(Problem(file, *at, f"'{text}' is not a rule id (such as DLQ001) or family prefix (such as DLQ)"))
        elif rule_known is not None and not rule_known(text):
            problems.append(Problem(file, *at, f"'{text}' names no known rule; `archlint rules` lists them"))
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(file, *at, f"ignoring {text} needs a reason, e.g. '{text}: the audit function is idempotent'"))
        else:
            ignores[text] = str(reason).strip()
            positions[f"ignore.{text}"] = at
    return ignores, positions
