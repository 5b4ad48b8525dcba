"""Tags: a `Name` tag (what the EC2 console shows) and the spec's own tags."""

from __future__ import annotations

import networkx as nx


def tags(graph: nx.MultiDiGraph, node: str, name: bool = True, propagate: bool = False) -> list[dict]:
    """Key/Value tags of a resource, sorted by key; `propagate` for Auto Scaling groups."""
    found = dict(graph.nodes[node].get("tags") or {})
    if name:
        found.setdefault("Name", node)
    result = []
    for key in sorted(found):
        tag = {"Key": str(key), "Value": str(found[key])}
        if propagate:
            tag["PropagateAtLaunch"] = True
        result.append(tag)
    return result
