"""Reading the spec graph: how to point at a resource (flows and referrers are
asked of the graph's index, archlint.specs.query).

Builders pull what they need from the graph (a bucket reads its own notification
flows, a queue the flows that need its policy), so each builder is complete on its
own and no builder depends on the order the others run in.
"""

from __future__ import annotations

import json

import networkx as nx

from ...specs.query import query
from .intrinsics import arn, get_att, ref
from .names import bucket_arn, logical_id


def _order(graph: nx.MultiDiGraph, node: str, data: dict) -> tuple:
    """Flows in the order of the resources at their other end (the spec's order), then
    by their options: the template does not depend on the order of the `flows:` list,
    which `import` cannot know (it reads flows from where the template keeps them)."""
    options = [data.get(key) for key in ("relation", "events", "prefix", "suffix", "invocation")]
    return query(graph).position(node), json.dumps(options, default=str)


def flows_out_in_spec_order(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """The graph index's `flows_out`, by target in spec order (see `_order`)."""
    return sorted(query(graph).flows_out(node, *relations), key=lambda pair: _order(graph, *pair))


def flows_in_in_spec_order(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """The graph index's `flows_in`, by source in spec order (see `_order`)."""
    return sorted(query(graph).flows_in(node, *relations), key=lambda pair: _order(graph, *pair))


def type_of(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["type"]


def as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


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
