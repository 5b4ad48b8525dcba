"""What a rule is, and what it reports.

A rule is a class with an id, a default severity, a one-line summary and ruff-style
documentation beside its check. Built-in rules live in `archlint.rules`; a team's own
rules are written the same way and published through the entry-point group
`archlint.rules` (see the README).

A rule reads the spec's graph (docs/spec.md, "The graph") and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Iterable, Iterator

import networkx as nx

# nodes_of_type is imported from here by rules and plugins (docs/custom-rules.md)
from ..specs.query import nodes_of_type, query  # noqa: F401

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """Order severities so that `--fail-on warning` can compare them."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a rule found. Sorted by file, position, rule, resource."""

    file: str
    line: int
    column: int
    rule: str
    resource: str
    severity: str = field(compare=False)
    message: str = field(compare=False)
    fix: str = field(compare=False)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "resource": self.resource,
            "message": self.message,
            "fix": self.fix,
        }


class Rule:
    """Base class of every rule.

    Subclasses set the class attributes and implement `check`, yielding findings made
    with `self.finding(...)`. `docs` holds the ruff-style sections "What it does",
    "Why is this bad?" and a link to AWS's documentation; `bad_example` is a whole
    spec that fires the rule and `good_example` the fixed spec, both checked by tests.
    """

    id: ClassVar[str]
    severity: ClassVar[str]
    summary: ClassVar[str]
    docs: ClassVar[str] = ""
    bad_example: ClassVar[str] = ""
    good_example: ClassVar[str] = ""

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    def check(self, graph: nx.MultiDiGraph) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        graph: nx.MultiDiGraph,
        resource: str,
        message: str,
        fix: str,
        at: str | tuple[int, int] | None = None,
    ) -> Finding:
        """A finding on `resource`, positioned at one of its attributes.

        `at` is an attribute name ("dead_letter"), a list item ("rules[2]"), an
        explicit (line, column) such as a flow edge's, or None for the resource key.
        An attribute the file does not spell out falls back to the resource key.
        """
        line, column = position_of(graph, resource, at)
        return Finding(
            file=graph.graph.get("file", ""),
            line=line,
            column=column,
            rule=self.id,
            resource=resource,
            severity=self.severity,
            message=message,
            fix=fix,
        )


def position_of(graph: nx.MultiDiGraph, resource: str, at=None) -> tuple[int, int]:
    """The (line, column) of a resource, one of its attributes, or an explicit pair."""
    if isinstance(at, tuple):
        return at
    node = graph.nodes[resource]
    if at is not None:
        found = node.get("positions", {}).get(at)
        if found is not None:
            return found
    return node["line"], node["column"]


def flow_edges(graph: nx.MultiDiGraph, node=None, out: bool = True) -> Iterator[tuple]:
    """(source, target, data) of every flow edge, or of those leaving/entering `node`
    in the order of the flows in the file (`specs.query.GraphQuery.flows_out`)."""
    if node is None:
        for source, target, data in graph.edges(data=True):
            if data["kind"] == "flow":
                yield source, target, data
    elif out:
        for target, data in query(graph).flows_out(node):
            yield node, target, data
    else:
        for source, data in query(graph).flows_in(node):
            yield source, node, data


def flow_position(data: dict) -> tuple[int, int]:
    """(line, column) of a flow edge: the `flows:` entry it came from."""
    return data["line"], data["column"]


def prose_list(ids) -> str:
    """"a", "a and b", "a, b and c": resource ids as a sentence reads them."""
    ids = list(ids)
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1]


def known(data: dict, *attributes: str) -> bool:
    """Whether every one of `attributes` of a node is known.

    A node imported from a CloudFormation template lists in `unknown` the attributes
    the template does not fix (a parameter, a condition, a resource outside it; the
    pseudo-attribute "flows" when a flow into or out of it has an end the template does
    not fix). A rule reading such an attribute does not fire on a guess (docs/rules.md).
    Specs leave nothing unknown.
    """
    unknown = data.get("unknown") or ()
    return not any(attribute in unknown for attribute in attributes)
