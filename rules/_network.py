"""Shared reasoning for the infrastructure rules: firewall rule entries and placement.

Two kinds of helpers live here (the leading underscore keeps the rule discovery from
scanning this module):

- **rule entries** of security groups and network ACLs, as the loader puts them in a
  node's `rules` list (dicts with `direction`, `action`, `protocol`, `ports`, `cidr`,
  and `group` or `number`): port ranges and CIDRs are compared as numbers and networks
  with the standard library's `ipaddress`, never as strings ("10.0.0.0/8" contains
  "10.1.0.0/16" although neither string starts with the other).
- **placement** of instances and Auto Scaling groups: their subnets and Availability
  Zones, and who refers to a resource (the reverse of a reference edge).

A value the spec leaves unknown (None) yields None or an empty set here, so that
rules built on these helpers never fire on a guess.
"""

from __future__ import annotations

import ipaddress
from typing import Iterator

import networkx as nx

ALL_PORTS = (0, 65535)
EPHEMERAL_PORTS = (1024, 65535)

# ---------------------------------------------------------------------------------
# Rule entries


def port_range(ports) -> tuple[int, int] | None:
    """The (low, high) range of a rule's `ports`: N, "N" or "N-M"; None means all ports.

    Returns None for a value that is not a port range, so callers can skip it (the
    loader rejects such values; a rule must still not crash or guess on one).
    """
    if ports is None:
        return ALL_PORTS
    if isinstance(ports, bool):  # bool is an int subclass; True is no port
        return None
    if isinstance(ports, int):
        return (ports, ports) if 0 <= ports <= 65535 else None
    if not isinstance(ports, str):
        return None
    low, sep, high = ports.strip().partition("-")
    try:
        low_port = int(low)
        high_port = int(high) if sep else low_port
    except ValueError:
        return None
    if not 0 <= low_port <= high_port <= 65535:
        return None
    return low_port, high_port


def range_contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def network(cidr) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network of a CIDR string, or None when it is absent or not a CIDR."""
    if not isinstance(cidr, str):
        return None
    try:
        # strict=False: the loader already rejects host bits; do not crash if one slips by
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


def network_contains(outer, inner) -> bool:
    """True when network `outer` contains network `inner` (same address family only)."""
    return outer.version == inner.version and inner.subnet_of(outer)


def networks_overlap(first, second) -> bool:
    """True when two networks share an address (networks of different families never do)."""
    return first.version == second.version and first.overlaps(second)


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


def file_order(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Node id -> position in the file (the loader inserts nodes in file order).

    Compute it once per check and pass it to `referrers` / `flow_targets`, so that
    their answers come in file order whatever order the edges were added in.
    """
    return {node: index for index, node in enumerate(graph.nodes)}


def referrers(graph: nx.MultiDiGraph, node: str, relation: str, *types: str, order=None) -> list[str]:
    """Resources (of `types`, if given) whose reference `relation` names `node`.

    The reverse of a reference: `referrers(g, "vol", "volumes", "ec2.instance")` are the
    instances that list the volume. Reads the node's incoming edges only (adjacency).
    In file order when `order` (from `file_order`) is given.
    """
    found = {}  # a dict keeps first-seen order and drops repeats (a list names an id once, but be safe)
    for source, _, data in graph.in_edges(node, data=True):
        if data.get("kind") != "ref" or data.get("relation") != relation:
            continue
        if types and graph.nodes[source].get("type") not in types:
            continue
        found[source] = None
    return sorted(found, key=order.__getitem__) if order else list(found)


def flow_targets(graph: nx.MultiDiGraph, node: str, relation: str, order=None) -> list[str]:
    """Targets of the flows with `relation` leaving `node`, once each (file order with `order`)."""
    found = {}
    for _, target, data in graph.out_edges(node, data=True):
        if data.get("kind") == "flow" and data.get("relation") == relation:
            found[target] = None
    return sorted(found, key=order.__getitem__) if order else list(found)


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



