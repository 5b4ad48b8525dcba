"""A finding's identity across versions of a spec, for `archlint diff` and baselines.

A finding is the same finding when the same rule reports it on the same resource
about the same other resources. Its position is not part of it (moving a block is not
a change), nor are the numbers in its message (a finding that a visibility timeout is
too short stays the same finding when both values change but the fault remains):

    Fingerprint(rule="DLQ001", resource="orders-queue", names=("orders-fn",))

`resource` and `names` are resource keys (`archlint.specs.diff.resource_key`): the
logical id of a resource imported from a template. `names` are the resources of the
graph that the message names, other than the finding's own.

The same fingerprint can occur more than once (a rule reporting two flows between
the same resources): matching counts them, as a multiset.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, TypeVar

import networkx as nx

from ..specs.diff import resource_key
from .rule import Finding

# a resource id as the spec language spells it (specs/reader.py RESOURCE_ID), as a word
RESOURCE_WORD = re.compile(r"(?<![a-z0-9-])[a-z][a-z0-9-]*(?![a-z0-9-])")


@dataclass(frozen=True, order=True)
class Fingerprint:
    rule: str
    resource: str
    names: tuple[str, ...] = ()


def fingerprint(finding: Finding, graph: nx.MultiDiGraph) -> Fingerprint:
    own = finding.resource
    resource = resource_key(graph, own) if own in graph else own
    named = {word for word in RESOURCE_WORD.findall(finding.message) if word != own and word in graph}
    return Fingerprint(finding.rule, resource, tuple(sorted(resource_key(graph, node) for node in named)))


Item = TypeVar("Item")


def unmatched(left: Iterable[tuple[object, Item]], right: Iterable[tuple[object, Item]]) -> list[Item]:
    """The items of `left` (key, item) that `right` has no counterpart for, key by key:
    when `left` has a key three times and `right` twice, the last of the three."""
    available = Counter(key for key, _ in right)
    result = []
    for key, item in left:
        if available[key]:
            available[key] -= 1
        else:
            result.append(item)
    return result


def introduced_and_resolved(old: list[Finding], old_graph: nx.MultiDiGraph,
                            new: list[Finding], new_graph: nx.MultiDiGraph) -> tuple[list[Finding], list[Finding]]:
    """(findings of `new` that `old` did not have, findings of `old` that `new` no longer has)."""
    old_keyed = [(fingerprint(finding, old_graph), finding) for finding in sorted(old)]
    new_keyed = [(fingerprint(finding, new_graph), finding) for finding in sorted(new)]
    return unmatched(new_keyed, old_keyed), unmatched(old_keyed, new_keyed)
