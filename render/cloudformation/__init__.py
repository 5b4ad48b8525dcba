"""Emit a deployable CloudFormation template from a spec's graph.

    template = build(graph)          # raises EmitError (with .status) when it cannot
    text = template.to_yaml()        # or template.to_json(): the same data

One small builder per spec type (BUILDERS below); each reads its resource and the
flows around it from the graph and adds the CloudFormation resources it needs. Where
to look:

- names.py        logical ids, bucket and FIFO names, EmitError
- iam.py          least-privilege roles derived from the flows
- messaging.py    queues, topics, rules, resource policies, subscriptions
- storage.py      buckets and their notifications (the circular-dependency trap)
- functions.py    functions, permissions, event source mappings, invoke config
- compute.py      instances, groups, launch templates, lifecycle hooks, volumes, EIPs
- network.py      VPC plumbing, subnets, security groups, network ACLs
- edge.py         load balancers and WAF
- monitoring.py   alarms and their actions
- parameters.py   image and code parameters with working defaults
- metadata.py     what CloudFormation cannot hold, kept in Metadata for `import`
- refusals.py     what is refused even with --force: deny rules, what AWS refuses
                  at deploy time, CloudFormation's limits
- split.py        over 500 resources: a parent template and nested stacks
- template.py     the template model and its YAML/JSON serialisation
"""

from __future__ import annotations

import networkx as nx

from . import compute, edge, functions, messaging, monitoring, network, storage
from .metadata import not_emitted_attributes, resource_metadata, uncarried_flows
from .names import EmitError, logical_id
from .refusals import refuse_deny_rules
from .template import OUTPUT_LIMIT, Template

BUILDERS = {
    "sqs.queue": messaging.queue,
    "sns.topic": messaging.topic,
    "events.rule": messaging.rule,
    "s3.bucket": storage.bucket,
    "lambda.function": functions.function,
    "vpc": network.vpc,
    "subnet": network.subnet,
    "security_group": network.security_group,
    "network_acl": network.network_acl,
    "directconnect.connection": network.directconnect,
    "ec2.instance": compute.instance,
    "ebs.volume": compute.volume,
    "ec2.eip": compute.elastic_ip,
    "autoscaling.group": compute.auto_scaling_group,
    "placement_group": compute.placement_group,
    "alb": edge.load_balancer,
    "waf.web_acl": edge.web_acl,
    "cloudwatch.alarm": monitoring.alarm,
}

# Types CloudFormation cannot create, and why (docs/spec.md's type table).
NOT_EMITTED = {
    "external": "outside AWS",
    "datasync.task": "not emitted in format 1",
    "snowball.job": "a device order; there is no CloudFormation type for it",
    "batch.compute_environment": "not emitted in format 1",
    "parallelcluster.cluster": "AWS ParallelCluster deploys it, not CloudFormation",
    "scheduler.schedule": "not emitted in format 1 (a schedule needs an execution role for its target)",
}


def not_emitted_reason(node: dict) -> str | None:
    """Why a resource is left out of the template, or None when it is emitted."""
    if node["type"] in NOT_EMITTED:
        return NOT_EMITTED[node["type"]]
    if node["type"] == "directconnect.connection" and not node.get("location"):
        return "no location: a connection is requested at a Direct Connect location; add `location` to emit it"
    if node["type"] not in BUILDERS:  # e.g. an opaque resource kept from an imported template
        return f"archlint has no CloudFormation emitter for the type {node['type']}"
    return None


def build(graph: nx.MultiDiGraph) -> Template:
    """The template of a spec; EmitError when it cannot be written (see refusals.py)."""
    refuse_deny_rules(graph)
    template = Template(graph, description=_description(graph))
    emitted = set()
    for place, (node, data) in enumerate(graph.nodes(data=True)):
        reason = not_emitted_reason(data)
        if reason:
            entry = {"Resource": node, "Type": data["type"], "Reason": reason, "At": place}
            attributes = not_emitted_attributes(graph, node)
            if attributes:
                entry["Attributes"] = attributes
            template.not_emitted.append(entry)
            continue
        BUILDERS[data["type"]](template, node)
        template.mark(logical_id(node), **resource_metadata(graph, node))
        emitted.add(node)
    if graph.graph.get("description"):
        template.metadata["Description"] = str(graph.graph["description"])
    template.metadata["Region"] = graph.graph.get("region") or "us-east-1"
    flows = uncarried_flows(graph, emitted)
    if flows:
        template.metadata["Flows"] = flows
    if len(template.outputs) > OUTPUT_LIMIT:
        template.notes.append(
            f"{len(template.outputs)} outputs, over CloudFormation's {OUTPUT_LIMIT}: the first {OUTPUT_LIMIT} "
            "in spec order are written"
        )
    return template


# CloudFormation accepts a template description of at most 1024 bytes.
DESCRIPTION_LIMIT = 1024


def _description(graph: nx.MultiDiGraph) -> str:
    name = graph.graph.get("name") or "architecture"
    description = " ".join(str(graph.graph.get("description") or "").split())
    text = f"{name}: {description} (emitted by archlint)" if description else f"{name} (emitted by archlint)"
    while len(text.encode("utf-8")) > DESCRIPTION_LIMIT:
        description = description[: len(description) - max(1, len(text.encode("utf-8")) - DESCRIPTION_LIMIT)]
        text = f"{name}: {description.rstrip()}... (emitted by archlint)"
    return text


__all__ = [
    "BUILDERS",
    "NOT_EMITTED",
    "EmitError",
    "Template",
    "build",
    "not_emitted_reason",
    "refuse_deny_rules",
]
