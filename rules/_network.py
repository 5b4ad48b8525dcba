"""Shared reasoning for the infrastructure rules: firewall rule entries and placement.

Two kinds of helpers live here (the leading underscore keeps the rule discovery from
scanning this module):

- **rule entries** of security groups and network ACLs, as the loader puts them in a
  node's `rules` list (dicts with `direction`, `action`, `protocol`, `ports`, `cidr`,
  and `group` or `number`), compared with the port and CIDR arithmetic of
  `archlint.specs.query`.
- **placement** of instances and Auto Scaling groups: their subnets and Availability
  Zones.

A value the spec leaves unknown (None) yields None or an empty set here, so that
rules built on these helpers never fire on a guess.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from ..specs.query import network, network_contains, port_range, range_contains

# ---------------------------------------------------------------------------------
# Rule entries


def covers(wide: dict, narrow: dict) -> bool | None:
    """Whether network ACL rule `wide` matches every packet that rule `narrow` matches.

    docs/rules.md: its protocol is `all` or the same, its port range contains the other's
    (absent ports mean all ports), and its CIDR contains the other's (same address
    family). None when either rule has a value that cannot be read (unknown).
    """
    wide_protocol, narrow_protocol = wide.get("protocol"), narrow.get("protocol")
    wide_ports, narrow_ports = port_range(wide.get("ports")), port_range(narrow.get("ports"))
    wide_net, narrow_net = network(wide.get("cidr")), network(narrow.get("cidr"))
    if None in (wide_protocol, narrow_protocol, wide_ports, narrow_ports, wide_net, narrow_net):
        return None
    if wide_protocol != "all" and wide_protocol != narrow_protocol:
        return False
    return range_contains(wide_ports, narrow_ports) and network_contains(wide_net, narrow_net)


def describe_rule(rule: dict) -> str:
    """A short human reading of a rule entry: "ingress deny tcp 22 from 203.0.113.0/24"."""
    direction = rule.get("direction") or "?"
    parts = [direction, rule.get("action") or "?", rule.get("protocol") or "?"]
    if rule.get("ports") is not None:
        parts.append(str(rule["ports"]))
    peer = rule.get("cidr") if rule.get("cidr") is not None else rule.get("group")
    if peer is not None:
        parts.append(("from " if direction == "ingress" else "to ") + str(peer))
    return " ".join(parts)


def rule_entries(data: dict) -> Iterator[tuple[int, dict]]:
    """(index, entry) of each rule of a security group or network ACL node."""
    for index, rule in enumerate(data.get("rules") or ()):
        if isinstance(rule, dict):
            yield index, rule


# ---------------------------------------------------------------------------------
# Placement


def subnets_of(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The subnets holding an instance (its `subnet`) or an Auto Scaling group (its `subnets`)."""
    data = graph.nodes[node]
    if data.get("type") == "ec2.instance":
        return [data["subnet"]] if data.get("subnet") else []
    if data.get("type") == "autoscaling.group":
        return [subnet for subnet in (data.get("subnets") or ()) if subnet in graph]
    return []


def azs_of(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The known Availability Zones of an instance (its `az`) or a group (its subnets' AZs).

    Sorted and without repeats; empty when unknown.
    """
    data = graph.nodes[node]
    if data.get("type") == "ec2.instance":
        return [data["az"]] if data.get("az") else []
    if data.get("type") == "autoscaling.group":
        return sorted({graph.nodes[s].get("az") for s in subnets_of(graph, node)} - {None})
    return []
