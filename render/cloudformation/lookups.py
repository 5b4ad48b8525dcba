"""Reading the spec graph: flows in and out of a resource, and how to point at one.

Builders pull what they need from the graph (a bucket reads its own notification
flows, a queue the flows that need its policy), so each builder is complete on its
own and no builder depends on the order the others run in.
"""

from __future__ import annotations

import json
import weakref

import networkx as nx

from .intrinsics import arn, get_att, ref
from .names import bucket_arn, logical_id


_NODE_ORDER: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict]" = weakref.WeakKeyDictionary()


def _order(graph: nx.MultiDiGraph, node: str, data: dict) -> tuple:
    """Flows in the order of the resources at their other end (the spec's order), then
    by their options: the template does not depend on the order of the `flows:` list,
    which `import` cannot know (it reads flows from where the template keeps them)."""
    if graph not in _NODE_ORDER:
        _NODE_ORDER[graph] = {name: index for index, name in enumerate(graph.nodes)}
    options = [data.get(key) for key in ("relation", "events", "prefix", "suffix", "invocation")]
    return _NODE_ORDER[graph].get(node, -1), json.dumps(options, default=str)


def flows_out(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """(target, edge data) of the flows leaving `node`, by target in spec order."""
    found = [
        (target, data)
        for _, target, data in graph.out_edges(node, data=True)
        if data.get("kind") == "flow" and (not relations or data.get("relation") in relations)
    ]
    return sorted(found, key=lambda pair: _order(graph, pair[0], pair[1]))


def flows_in(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """(source, edge data) of the flows entering `node`, by source in spec order."""
    found = [
        (source, data)
        for source, _, data in graph.in_edges(node, data=True)
        if data.get("kind") == "flow" and (not relations or data.get("relation") in relations)
    ]
    return sorted(found, key=lambda pair: _order(graph, pair[0], pair[1]))


def referrers(graph: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    """The resources whose reference `relation` (e.g. "watches") names `node`."""
    return unique(
        source
        for source, _, data in graph.in_edges(node, data=True)
        if data.get("kind") == "ref" and data.get("relation") == relation
    )


def type_of(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["type"]


def as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def unique(items) -> list:
    return list(dict.fromkeys(items))


def arn_of(graph: nx.MultiDiGraph, node: str):
    """An expression for the ARN of a spec resource.

    `Ref` returns an ARN for some types and not others: a queue's `Ref` is its URL,
    a function's its name, a topic's and a load balancer's their ARN. Bucket ARNs are
    built from the bucket's name (see names.py).
    """
    kind = type_of(graph, node)
    own = logical_id(node)
    if kind in ("sqs.queue", "lambda.function", "events.rule"):
        return get_att(own, "Arn")
    if kind in ("sns.topic", "alb"):
        return ref(own)
    if kind == "s3.bucket":
        return bucket_arn(node)
    if kind == "ec2.instance":
        return arn("ec2", f"instance/${{{own}}}")
    if kind == "ec2.eip":
        return arn("ec2", f"elastic-ip/${{{own}.AllocationId}}")
    raise ValueError(f"no ARN for {kind}")  # a builder asked for what it should not


def nodes_of(graph: nx.MultiDiGraph, *types: str) -> list[tuple[str, dict]]:
    """(id, attributes) of every resource of the given types, in file order."""
    return [(node, data) for node, data in graph.nodes(data=True) if data.get("type") in types]
