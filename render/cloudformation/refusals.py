"""What the emitter refuses, and why.

- A security-group deny rule: security groups hold allow rules only, so there is no
  CloudFormation for it; refused even with --force, with the network ACL rule to
  write instead (`refuse_deny_rules`).
What AWS would refuse at deploy time is a lint rule's to report (FAN005 for
overlapping S3 notifications): `emit` refuses lint errors unless --force.
"""

from __future__ import annotations

import networkx as nx

from . import network
from ...specs.query import nodes_of_type, port_range
from .lookups import as_list
from .names import EmitError
from .template import where


def refuse_deny_rules(graph: nx.MultiDiGraph) -> None:
    """Security groups have allow rules only: a deny rule cannot be emitted at all."""
    problems = []
    for group, index, rule in network.deny_rules(graph):
        position = graph.nodes[group].get("positions", {}).get(f"rules[{index}]")
        at = f"{graph.graph.get('file', '<spec>')}:{position[0]}:{position[1]}" if position else where(graph, group)
        problems.append(f"{at}: security group '{group}' rules[{index}] is a deny rule. {deny_advice(graph, group, rule)}")
    if problems:
        raise EmitError("\n".join(problems), status=1)


def _free_rule_number(acl: dict, direction: str) -> int:
    """A rule number below the ACL's allow rules in that direction, so the deny is met first."""
    rules = [r for r in as_list(acl.get("rules")) if r.get("direction") == direction]
    used = {r.get("number") for r in rules}
    lowest = min((r["number"] for r in rules if r.get("action") == "allow"), default=100)
    for number in [lowest - 10] + list(range(lowest - 1, 0, -1)):
        if number > 0 and number not in used:
            return number
    return 1


def deny_advice(graph: nx.MultiDiGraph, group: str, rule: dict) -> str:
    """Why a deny rule cannot be emitted, and the network ACL rule to write instead."""
    subnets = []
    for user, data in graph.nodes(data=True):
        if group in as_list(data.get("security_groups")):
            subnets.extend(as_list(data.get("subnet")) + as_list(data.get("subnets")))
    subnets = list(dict.fromkeys(subnets))
    acls = [acl for acl, data in nodes_of_type(graph, "network_acl") if set(as_list(data.get("subnets"))) & set(subnets)]
    protocol = rule.get("protocol") or "tcp"
    direction = rule.get("direction") or "ingress"
    number = _free_rule_number(graph.nodes[acls[0]] if acls else {}, direction)
    fields = [f"number: {number}", f"direction: {direction}", "action: deny", f"protocol: {protocol}"]
    ports = port_range(rule["ports"]) if rule.get("ports") is not None else None
    if ports:
        fields.append(f"ports: {ports[0]}" if ports[0] == ports[1] else f'ports: "{ports[0]}-{ports[1]}"')
    fields.append(f"cidr: {rule.get('cidr') or '<the address to block>'}")
    snippet = "{" + ", ".join(fields) + "}"
    if acls:
        where_to = f"add {snippet} to network ACL '{acls[0]}' (on {', '.join(s for s in subnets if s in as_list(graph.nodes[acls[0]].get('subnets')))})"
    elif subnets:
        where_to = f"add a network_acl on subnet(s) {', '.join(subnets)} with the rule {snippet}"
    else:
        where_to = f"add a network_acl on the subnets of the resources in '{group}' with the rule {snippet}"
    return (
        "Security groups hold allow rules only (everything not allowed is denied), so "
        f"CloudFormation cannot express it, even with --force. Remove it and {where_to}: "
        "numbered below the ACL's allow rules, it is evaluated before them. "
        "In front of a load balancer, a waf.web_acl with `block` does the same by client address."
    )
