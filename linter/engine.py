"""Running rules over a graph: selection, `ignore:` at file and resource level, order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from .rule import Finding, Rule


@dataclass
class Suppressed:
    """A finding an `ignore:` entry silenced, with the reason the spec gives."""

    finding: Finding
    reason: str
    where: str  # "file" or the resource id whose ignore: applied


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """Whether a rule id is named by any selector: an id or a prefix ("DLQ", "DLQ00")."""
    return any(rule_id.startswith(selector) for selector in selectors)


def selected_rules(rules: Iterable[Rule], select=None, ignore=None) -> list[Rule]:
    chosen = []
    for rule in rules:
        if select and not matches(rule.id, select):
            continue
        if ignore and matches(rule.id, ignore):
            continue
        chosen.append(rule)
    return chosen


def lint_graph(graph: nx.MultiDiGraph, rules: Iterable[Rule]) -> LintResult:
    """Run every rule; sort what they find; set aside what `ignore:` silences."""
    result = LintResult()
    file_ignore = graph.graph.get("ignore") or {}
    for rule in rules:
        for finding in rule.check(graph):
            reason, where = _ignore_reason(graph, finding, file_ignore)
            if reason is None:
                result.findings.append(finding)
            else:
                result.suppressed.append(Suppressed(finding, reason, where))
    result.findings.sort()
    result.suppressed.sort(key=lambda item: item.finding)
    return result


def lint(graph: nx.MultiDiGraph, rules: Iterable[Rule]) -> list[Finding]:
    """The findings `ignore:` leaves, sorted by position."""
    return lint_graph(graph, rules).findings


def _ignore_reason(graph, finding: Finding, file_ignore: dict):
    node = graph.nodes.get(finding.resource)
    resource_ignore = (node or {}).get("ignore") or {}
    for selector, reason in resource_ignore.items():
        if finding.rule.startswith(selector):
            return reason, finding.resource
    for selector, reason in file_ignore.items():
        if finding.rule.startswith(selector):
            return reason, "file"
    return None, None
