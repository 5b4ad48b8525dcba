"""The picture of a change: the new architecture, with what the change did marked on it.

    rendered = render_change(old_graph, new_graph, change, "svg", introduced=..., resolved=...)

Added resources and flows are green, changed ones amber (with what changed under the
name), removed ones are drawn back in, dashed red. Findings the change introduces get
the renderer's red outline and rule ids; findings it resolves are noted under their
resource. `context=N` keeps only the changed resources and those N edges away from
them, so a one-line change to a large architecture stays readable.

The picture is drawn by the renderer's own entry point (`render_bytes`) from a graph
built here: the new graph, plus what the change removed, with a `highlight`
(`styles.Highlight`) on each node and edge that the change touched.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Iterable

import networkx as nx

from ..specs.diff import UNKNOWN, GraphDiff, edge_flow, resource_key
from . import Rendered, render_bytes
from .scene import CLUSTER_TYPES
from .styles import Highlight

ADDED = Highlight("added (resource or flow)", color="#2DA44E", fill="#E6F4EA")
CHANGED = Highlight("changed (old → new under the name)", color="#E8A317", fill="#FEF7E0")
REMOVED = Highlight("removed (dashed, drawn back in)", color="#D13212", fill="#FCE8E6", dashed=True)
NOTED = Highlight("")  # unchanged, with a note (a finding resolved)

NOTE_LINES = 3  # attribute changes listed under a resource, then "and N more"
VALUE_WIDTH = 24  # characters of a value shown before "…"


def render_change(old: nx.MultiDiGraph, new: nx.MultiDiGraph, change: GraphDiff, output_format: str,
                  direction: str = "LR", introduced: Iterable = (), resolved: Iterable = (),
                  context: int | None = None) -> Rendered:
    """The change drawn in `output_format` (a value of render.FORMATS)."""
    introduced = list(introduced)
    graph = change_graph(old, new, change, resolved)
    if context is not None:
        graph = within(graph, _touched_nodes(graph, introduced), context)
    findings = [finding for finding in introduced if finding.resource in graph]
    return render_bytes(graph, output_format, direction, findings)


def change_graph(old: nx.MultiDiGraph, new: nx.MultiDiGraph, change: GraphDiff,
                 resolved: Iterable = ()) -> nx.MultiDiGraph:
    """The new graph with what `change` removed put back, and a highlight on each
    node and edge the change touched."""
    graph = new.copy()
    node_of_key = {resource_key(new, node): node for node in new}
    for resource in change.added:
        _highlight(graph, resource.node, ADDED)
    for resource_change in change.changed:
        _highlight(graph, resource_change.new.node, replace(CHANGED, notes=_change_notes(resource_change.attributes)))
    for resource in change.removed:
        node = resource.node if resource.node not in graph else f"{resource.node}-removed"
        graph.add_node(node, **{**old.nodes[resource.node], "highlight": REMOVED})
        node_of_key[resource.key] = node
    _flow_highlights(graph, old, change, node_of_key)
    _reference_highlights(graph, old, new, node_of_key)
    for finding in resolved:
        node = node_of_key.get(resource_key(old, finding.resource) if finding.resource in old else finding.resource)
        if node in graph:
            current = graph.nodes[node].get("highlight") or NOTED
            graph.nodes[node]["highlight"] = replace(current, notes=current.notes + (f"✓ {finding.rule} resolved",))
    return graph


def _highlight(graph: nx.MultiDiGraph, node: str, highlight: Highlight) -> None:
    graph.nodes[node]["highlight"] = highlight


def _change_notes(attributes) -> tuple[str, ...]:
    notes = [f"{change.name}: {_short(change.old)} → {_short(change.new)}" for change in attributes[:NOTE_LINES]]
    if len(attributes) > NOTE_LINES:
        notes.append(f"and {len(attributes) - NOTE_LINES} more")
    return tuple(notes)


def _short(value) -> str:
    if value is None:
        text = "—"
    elif value is UNKNOWN:
        text = "unknown"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(item) for item in value) or "—"
    else:
        text = str(value)
    return text if len(text) <= VALUE_WIDTH else text[:VALUE_WIDTH - 1] + "…"


def _flow_highlights(graph: nx.MultiDiGraph, old: nx.MultiDiGraph, change: GraphDiff, node_of_key: dict) -> None:
    added = set(change.flows_added)
    changed = {flow_change.new: flow_change for flow_change in change.flows_changed}
    for source, target, data in graph.edges(data=True):
        if data.get("kind") != "flow":
            continue
        flow = edge_flow(graph, source, target, data)
        if flow in added:
            data["highlight"] = ADDED
        elif flow in changed:
            data["highlight"] = replace(CHANGED, notes=_change_notes(changed[flow].attributes))
    removed = set(change.flows_removed)
    for source, target, data in old.edges(data=True):
        if data.get("kind") == "flow" and edge_flow(old, source, target, data) in removed:
            _put_back(graph, node_of_key, resource_key(old, source), resource_key(old, target), data)


def _reference_highlights(graph: nx.MultiDiGraph, old: nx.MultiDiGraph, new: nx.MultiDiGraph,
                          node_of_key: dict) -> None:
    """References drawn as arrows (a queue's DLQ, an on-failure destination) that the
    change added are green; those it removed are put back, dashed red."""
    old_references = _references(old)
    new_references = _references(new)
    for source, target, data in graph.edges(data=True):
        if data.get("kind") == "ref" and "highlight" not in data and source in new and target in new:
            if _reference_key(new, source, target, data) not in old_references:
                data["highlight"] = ADDED
    for source, target, data in old.edges(data=True):
        if data.get("kind") == "ref" and _reference_key(old, source, target, data) not in new_references:
            _put_back(graph, node_of_key, resource_key(old, source), resource_key(old, target), data)


def _references(graph: nx.MultiDiGraph) -> set[tuple]:
    return {_reference_key(graph, source, target, data)
            for source, target, data in graph.edges(data=True) if data.get("kind") == "ref"}


def _reference_key(graph: nx.MultiDiGraph, source: str, target: str, data: dict) -> tuple:
    return resource_key(graph, source), resource_key(graph, target), data.get("relation"), data.get("transition")


def _put_back(graph: nx.MultiDiGraph, node_of_key: dict, source_key: str, target_key: str, data: dict) -> None:
    source, target = node_of_key.get(source_key), node_of_key.get(target_key)
    if source in graph and target in graph:
        graph.add_edge(source, target, **{**data, "highlight": REMOVED})


def _touched_nodes(graph: nx.MultiDiGraph, introduced: list) -> set[str]:
    """Nodes the change added, changed or removed, at an end of a highlighted edge,
    or carrying an introduced finding or a note."""
    touched = {node for node, data in graph.nodes(data=True) if data.get("highlight") is not None}
    for source, target, data in graph.edges(data=True):
        if data.get("highlight") is not None:
            touched |= {source, target}
    touched |= {finding.resource for finding in introduced if finding.resource in graph}
    return touched


def within(graph: nx.MultiDiGraph, centre: set[str], distance: int) -> nx.MultiDiGraph:
    """The part of `graph` at most `distance` edges (either way) from `centre`, with the
    VPCs and subnets what is kept sits in, so that it is drawn where it lives."""
    seen = {node: 0 for node in centre if node in graph}
    queue = deque(seen)
    undirected = graph.to_undirected(as_view=True)
    while queue:
        node = queue.popleft()
        if seen[node] == distance:
            continue
        for neighbour in undirected.neighbors(node):
            if neighbour not in seen:
                seen[neighbour] = seen[node] + 1
                queue.append(neighbour)
    kept = set(seen)
    homes = deque(kept)
    while homes:  # a resource in a kept subnet needs the subnet, a subnet its VPC
        node = homes.popleft()
        for _, target, data in graph.out_edges(node, data=True):
            if data.get("kind") == "ref" and graph.nodes[target].get("type") in CLUSTER_TYPES and target not in kept:
                kept.add(target)
                homes.append(target)
    return graph.subgraph(kept).copy()
