"""The architectural difference between two graphs: what a change does to an architecture.

    change = diff_graphs(old_graph, new_graph)
    change.added, change.removed, change.changed            # resources
    change.flows_added, change.flows_removed, change.flows_changed

Resources are matched by their *key*: a spec's resource id, or an imported template's
logical id (`resource_key`), so that a template's names are what a reviewer reads.
Flows are matched by their two ends' keys and their relation; of several flows
between the same two resources with the same relation (two S3 notifications with
different prefixes), identical ones match first, and a lone pair left over is one
flow that changed.

Only what the architecture says is compared: where a block sits in the file (lines,
columns, the order of resources or flows) is never a change. An attribute an
imported template leaves unknown compares as `UNKNOWN`. This module reads two graphs
and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

# Node attributes that say where a resource is written, or repeat what another says,
# rather than what it is.
LOCATION_KEYS = frozenset({"line", "column", "positions", "unknown", "unknown_reasons", "logical_id"})
# Flow attributes compared; the rest say where the flow is written (line, column,
# entry) or are the match key itself (relation).
FLOW_KEYS = ("invocation", "label", "events", "prefix", "suffix")
# Spec-level facts compared (`graph.graph`).
SPEC_KEYS = ("name", "description", "region", "ignore")


class _Unknown:
    """The value of an attribute an imported template does not fix."""

    def __repr__(self) -> str:
        return "unknown"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class AttributeChange:
    name: str
    old: object  # None: not set
    new: object


@dataclass(frozen=True)
class Resource:
    """A resource on one side of a diff: its key and its node id in that side's graph."""

    key: str
    node: str
    type: str


@dataclass
class ResourceChange:
    key: str
    old: Resource
    new: Resource
    attributes: list[AttributeChange]


@dataclass(frozen=True)
class Flow:
    """A flow on one side: ends by key (and by node id in that side's graph)."""

    source: str
    target: str
    relation: str
    source_node: str
    target_node: str
    attributes: tuple[tuple[str, object], ...]  # FLOW_KEYS, in that order

    @property
    def match_key(self) -> tuple[str, str, str]:
        return self.source, self.target, self.relation

    def attribute(self, name: str):
        return dict(self.attributes).get(name)


@dataclass
class FlowChange:
    old: Flow
    new: Flow
    attributes: list[AttributeChange]


@dataclass
class GraphDiff:
    added: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)
    changed: list[ResourceChange] = field(default_factory=list)
    flows_added: list[Flow] = field(default_factory=list)
    flows_removed: list[Flow] = field(default_factory=list)
    flows_changed: list[FlowChange] = field(default_factory=list)
    spec: list[AttributeChange] = field(default_factory=list)  # name, region, file-level ignore

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.flows_added
                    or self.flows_removed or self.flows_changed or self.spec)

    def touched_keys(self) -> set[str]:
        """Keys of every resource added, removed or changed, or at an end of a changed flow."""
        keys = {resource.key for resource in self.added + self.removed}
        keys |= {change.key for change in self.changed}
        for flow in self.flows_added + self.flows_removed:
            keys |= {flow.source, flow.target}
        for change in self.flows_changed:
            keys |= {change.new.source, change.new.target}
        return keys


def resource_key(graph: nx.MultiDiGraph, node: str) -> str:
    """How a resource is matched across two versions: a template's logical id, else its id."""
    return graph.nodes[node].get("logical_id") or node


def diff_graphs(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> GraphDiff:
    """What changed from `old` to `new`; either may be an empty graph (a file added or deleted)."""
    result = GraphDiff()
    old_resources = _resources(old)
    new_resources = _resources(new)
    for key, resource in new_resources.items():
        if key not in old_resources:
            result.added.append(resource)
    for key, resource in old_resources.items():
        if key not in new_resources:
            result.removed.append(resource)
            continue
        counterpart = new_resources[key]
        changes = _attribute_changes(_values(old.nodes[resource.node]), _values(new.nodes[counterpart.node]))
        if changes:
            result.changed.append(ResourceChange(key, resource, counterpart, changes))
    _diff_flows(_flows(old), _flows(new), result)
    if len(old) and len(new):  # a file added or deleted is all resources, not a renamed spec
        result.spec = _attribute_changes({key: old.graph.get(key) for key in SPEC_KEYS},
                                         {key: new.graph.get(key) for key in SPEC_KEYS})
    return result


def _resources(graph: nx.MultiDiGraph) -> dict[str, Resource]:
    return {resource_key(graph, node): Resource(resource_key(graph, node), node, str(data.get("type")))
            for node, data in graph.nodes(data=True)}


def _values(data: dict) -> dict:
    """A node's attributes as the architecture states them, unknown ones as UNKNOWN."""
    unknown = set(data.get("unknown") or ())
    return {name: (UNKNOWN if name in unknown else value)
            for name, value in data.items() if name not in LOCATION_KEYS}


def _attribute_changes(old: dict, new: dict) -> list[AttributeChange]:
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if not _same(before, after):
            changes.append(AttributeChange(name, before, after))
    return changes


def _same(before, after) -> bool:
    # an empty list or mapping says no more than an absent one (tags: {} vs None)
    if before in (None, [], {}) and after in (None, [], {}):
        return True
    return before == after


def edge_flow(graph: nx.MultiDiGraph, source: str, target: str, data: dict) -> Flow:
    """The `Flow` of one flow edge of `graph`, as diffs compare it."""
    attributes = tuple((name, _hashable(data.get(name))) for name in FLOW_KEYS)
    return Flow(resource_key(graph, source), resource_key(graph, target), str(data.get("relation")),
                source, target, attributes)


def _flows(graph: nx.MultiDiGraph) -> list[Flow]:
    flows = [edge_flow(graph, source, target, data)
             for source, target, data in graph.edges(data=True) if data.get("kind") == "flow"]
    return sorted(flows, key=_flow_order)


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


def _flow_order(flow: Flow):
    return flow.source, flow.target, flow.relation, repr(flow.attributes)


def _diff_flows(old: list[Flow], new: list[Flow], result: GraphDiff) -> None:
    old_groups: dict[tuple, list[Flow]] = defaultdict(list)
    new_groups: dict[tuple, list[Flow]] = defaultdict(list)
    for flow in old:
        old_groups[flow.match_key].append(flow)
    for flow in new:
        new_groups[flow.match_key].append(flow)
    for key in sorted(set(old_groups) | set(new_groups)):
        before, after = list(old_groups.get(key, ())), list(new_groups.get(key, ()))
        for flow in list(before):  # identical flows match first
            twin = next((other for other in after if other.attributes == flow.attributes), None)
            if twin is not None:
                before.remove(flow)
                after.remove(twin)
        if len(before) == 1 and len(after) == 1:
            changes = _attribute_changes(dict(before[0].attributes), dict(after[0].attributes))
            result.flows_changed.append(FlowChange(before[0], after[0], changes))
            continue
        result.flows_removed.extend(before)
        result.flows_added.extend(after)
