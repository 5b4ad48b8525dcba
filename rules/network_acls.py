"""Network ACL rules (NACL): numbered, stateless, first match wins.

A network ACL checks a packet against its rules of that direction from the lowest
number up and applies the first one that matches; it keeps no connection state, so a
reply is a new packet that needs its own allow rule. The rules here reason on CIDRs
and port ranges with `ipaddress` (see `_network`).
"""

from __future__ import annotations

import bisect

from ..linter.rule import Rule, known, nodes_of_type, prose_list
from ..specs.query import EPHEMERAL_PORTS, network, networks_overlap, port_range, query, range_contains
from ._network import describe_rule, rule_entries, subnets_of

NACL_DOCS_LINK = (
    "[AWS: Control subnet traffic with network access control lists]"
    "(https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html)"
)


def _numbered(rule: dict) -> int | None:
    number = rule.get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


class ShadowedDenyRule(Rule):
    id = "NACL001"
    severity = "error"
    summary = "A network ACL deny rule never fires: a lower-numbered allow rule covers it"
    docs = f"""
## What it does
Finds network ACL deny rules that can never match, because a single allow rule with a
lower number in the same direction covers them: its protocol is `all` or the same,
its port range contains the deny rule's (absent ports mean all ports) and its CIDR
contains the deny rule's CIDR. One finding per such deny rule.

## Why is this bad?
A network ACL evaluates its rules in order, starting with the lowest numbered rule,
and the first rule that matches decides: every packet the deny rule would match has
already been allowed by the covering rule. The address the deny rule was written to
block gets through. See {NACL_DOCS_LINK} ("Network ACL rules", rule evaluation).

## Fix
Give the deny rule a number lower than the allow rule's (leave gaps: 90 before 100).
"""
    bad_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}
      - {number: 200, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""
    good_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 90, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""

    def check(self, graph):
        for acl, data in nodes_of_type(graph, "network_acl"):
            entries = list(rule_entries(data))
            shadows = _lowest_covering_allows(entries)
            for index, deny in entries:
                if index not in shadows:
                    continue
                allow_index, allow = shadows[index]
                yield self.finding(
                    graph,
                    acl,
                    message=(
                        f"network ACL {acl}: deny rule {deny['number']} (rules[{index}]: {describe_rule(deny)}) "
                        f"never fires, because allow rule {allow['number']} (rules[{allow_index}]: "
                        f"{describe_rule(allow)}) has a lower number and matches every packet it would deny"
                    ),
                    fix=_renumber_fix(acl, index, allow_index, allow["number"]),
                    at=f"rules[{index}]",
                )


def _renumber_fix(acl, deny_index, allow_index, allow_number):
    if allow_number > 1:
        return f"renumber the deny rule rules[{deny_index}] of {acl} below {allow_number} (e.g. number: {allow_number - 1})"
    return f"renumber the allow rule rules[{allow_index}] of {acl} above the deny rule's number"


def _lowest_covering_allows(entries) -> dict[int, tuple[int, dict]]:
    """deny index -> (index, entry) of the lowest-numbered allow rule of the same
    direction, numbered below the deny rule, that covers it (`_network.covers`); the
    first in the list among allow rules of one number.

    Linear in the rules, up to logarithms (a pair-by-pair comparison took 42 s for
    4,000 rules). A covering allow rule's CIDR is a supernet of the deny rule's, so
    each deny rule looks up its supernets at the prefix lengths the allow rules use;
    among the allow rules of one CIDR and protocol, the lowest-numbered one whose port
    range contains the deny rule's is found by a sweep over the low ports with a
    prefix-minimum tree over the high ports.
    """
    groups: dict[tuple, list[tuple[int, int, tuple[int, int, dict]]]] = {}
    lengths: dict[tuple[str, int], set[int]] = {}
    for index, rule in entries:
        read = _readable(rule)
        if rule.get("action") != "allow" or _numbered(rule) is None or read is None:
            continue
        direction, protocol, (low, high), net = read
        key = (direction, net.version, net.prefixlen, int(net.network_address), protocol)
        groups.setdefault(key, []).append((low, high, (rule["number"], index, rule)))
        lengths.setdefault((direction, net.version), set()).add(net.prefixlen)
    queries: dict[tuple, list[tuple[int, int, int]]] = {}
    for index, rule in entries:
        read = _readable(rule)
        if rule.get("action") != "deny" or _numbered(rule) is None or read is None:
            continue
        direction, protocol, (low, high), net = read
        address, bits = int(net.network_address), net.max_prefixlen
        protocols = ("all",) if protocol == "all" else ("all", protocol)
        for length in lengths.get((direction, net.version), ()):
            if length > net.prefixlen:
                continue
            supernet = address >> (bits - length) << (bits - length)
            for allowed in protocols:
                key = (direction, net.version, length, supernet, allowed)
                if key in groups:
                    queries.setdefault(key, []).append((low, high, index))
    best: dict[int, tuple[int, int, dict]] = {}
    for key, asked in queries.items():
        for index, found in _lowest_containing(groups[key], asked).items():
            if index not in best or found[:2] < best[index][:2]:
                best[index] = found
    numbers = dict(entries)
    return {
        index: (allow_index, allow)
        for index, (number, allow_index, allow) in best.items()
        if number < numbers[index]["number"]
    }


def _readable(rule: dict):
    """(direction, protocol, port range, network) of a rule entry, None when one is unreadable."""
    protocol, ports, net = rule.get("protocol"), port_range(rule.get("ports")), network(rule.get("cidr"))
    if protocol is None or ports is None or net is None:
        return None
    return rule.get("direction"), protocol, ports, net


def _lowest_containing(ranges: list, asked: list) -> dict[int, tuple]:
    """For each asked (low, high, id): the smallest value among `ranges` (low, high,
    value) whose range contains the asked one, keyed by id (absent when none does)."""
    highs = sorted({high for _, high, _ in ranges})
    size = len(highs)
    tree: list = [None] * (size + 1)  # prefix minimum over highs ranked from the top
    ranges = sorted(ranges, key=lambda item: item[0])
    found = {}
    next_range = 0
    for low, high, ident in sorted(asked, key=lambda item: item[0]):
        while next_range < len(ranges) and ranges[next_range][0] <= low:
            range_low, range_high, value = ranges[next_range]
            slot = size - bisect.bisect_left(highs, range_high)
            while slot <= size:
                if tree[slot] is None or value[:2] < tree[slot][:2]:
                    tree[slot] = value
                slot += slot & -slot
            next_range += 1
        slot = size - bisect.bisect_left(highs, high)  # how many highs reach `high`
        smallest = None
        while slot > 0:
            if tree[slot] is not None and (smallest is None or tree[slot][:2] < smallest[:2]):
                smallest = tree[slot]
            slot -= slot & -slot
        if smallest is not None:
            found[ident] = smallest
    return found


class DenyBehindLoadBalancer(Rule):
    id = "NACL002"
    severity = "warning"
    summary = "An ingress deny for outside addresses on the subnets behind an ALB never sees the client"
    docs = f"""
## What it does
Finds ingress deny rules whose CIDR does not overlap the VPC's CIDR (a client address
from outside), in a network ACL that is on at least one subnet holding a `route`
target of an `alb` (an instance, or an Auto Scaling group listing the subnet) and on
none of that ALB's own subnets. One finding per such deny rule.

## Why is this bad?
An Application Load Balancer ends the client's connection and opens its own to the
target, from its private addresses in its own subnets. The targets' subnets therefore
see the load balancer's addresses, never the client's, and a deny rule for the
client's address there matches nothing. Block the client where its address is still
visible: in the network ACL of the ALB's subnets, or with AWS WAF on the ALB.
See {NACL_DOCS_LINK} and
[AWS: HTTP headers and Application Load Balancers](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html)
("your server access logs only contain the IP address of the load balancer").

## Fix
Move the deny rule to the network ACL of the ALB's subnets, or add a `waf.web_acl`
that `protects` the ALB with the CIDR in `block`.
"""
    bad_example = """\
archlint: 1
name: shop
resources:
  main:
    type: vpc
  pub-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.0.0/24
    public: true
  pub-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.1.0/24
    public: true
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.10.0/24
  web-alb:
    type: alb
    subnets: [pub-a, pub-b]
  app:
    type: ec2.instance
    subnet: app-a
  app-acl:
    type: network_acl
    vpc: main
    subnets: [app-a]
    rules:
      - {number: 90, direction: ingress, action: deny, cidr: 198.51.100.0/24}
      - {number: 100, direction: ingress, action: allow, cidr: 10.0.0.0/16}
      - {number: 100, direction: egress, action: allow, cidr: 10.0.0.0/16}
flows:
  - web-alb -> app
"""
    good_example = """\
archlint: 1
name: shop
resources:
  main:
    type: vpc
  pub-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.0.0/24
    public: true
  pub-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.1.0/24
    public: true
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.10.0/24
  web-alb:
    type: alb
    subnets: [pub-a, pub-b]
  app:
    type: ec2.instance
    subnet: app-a
  edge-acl:
    type: network_acl
    vpc: main
    subnets: [pub-a, pub-b]
    rules:
      - {number: 90, direction: ingress, action: deny, cidr: 198.51.100.0/24}
      - {number: 100, direction: ingress, action: allow, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, cidr: 0.0.0.0/0}
  app-acl:
    type: network_acl
    vpc: main
    subnets: [app-a]
    rules:
      - {number: 100, direction: ingress, action: allow, cidr: 10.0.0.0/16}
      - {number: 100, direction: egress, action: allow, cidr: 10.0.0.0/16}
flows:
  - web-alb -> app
"""

    def check(self, graph):
        lookup = query(graph)
        behind = _subnets_behind_load_balancers(graph, lookup)
        alb_subnets = {alb: set(alb_data.get("subnets") or ()) for alb, alb_data in nodes_of_type(graph, "alb")}
        for acl, data in nodes_of_type(graph, "network_acl"):
            vpc_cidr = network(graph.nodes[data["vpc"]].get("cidr")) if data.get("vpc") in graph else None
            if vpc_cidr is None or not known(data, "rules", "subnets") or not known(graph.nodes[data["vpc"]], "cidr"):
                continue  # the VPC's range is unknown: cannot tell a client address from ours
            placement = _first_misplaced_behind(graph, data.get("subnets") or (), behind, alb_subnets, lookup)
            if placement is None:
                continue
            alb, subnet, target = placement
            for index, rule in rule_entries(data):
                if rule.get("direction") != "ingress" or rule.get("action") != "deny":
                    continue
                cidr = network(rule.get("cidr"))
                if cidr is None or networks_overlap(cidr, vpc_cidr):
                    continue
                yield self.finding(
                    graph,
                    acl,
                    message=(
                        f"network ACL {acl} denies {rule['cidr']} inbound (rules[{index}]), but its subnet "
                        f"{subnet} holds {target}, a route target of ALB {alb}, and {acl} is on none of "
                        f"{alb}'s subnets: behind the load balancer {target} sees {alb}'s addresses, "
                        "not the client's, so the rule never matches"
                    ),
                    fix=(
                        f"move rules[{index}] to the network ACL of {alb}'s subnets, or add a waf.web_acl "
                        f"that protects {alb} with `block: [{rule['cidr']}]`"
                    ),
                    at=f"rules[{index}]",
                )


def _subnets_behind_load_balancers(graph, lookup):
    """subnet -> [(alb, target)] for every subnet holding a `route` target of an ALB.

    Walks each ALB's outgoing route flows once (adjacency), in file order.
    """
    behind: dict[str, list[tuple[str, str]]] = {}
    for alb, _ in nodes_of_type(graph, "alb"):
        targets = sorted(lookup.flow_targets(alb, "route"), key=lookup.position)
        for target in targets:
            for subnet in subnets_of(graph, target):
                behind.setdefault(subnet, []).append((alb, target))
    return behind


def _first_misplaced_behind(graph, acl_subnets, behind, alb_subnets, lookup):
    """(alb, subnet, target): the ACL holds a target of `alb` and none of `alb`'s subnets.

    The first such ALB in file order, or None. `alb_subnets`: ALB -> set of its
    subnets, built once (an ALB may have many subnets and be a candidate for many ACLs).
    """
    acl_subnets = [s for s in acl_subnets if s in graph]
    own = set(acl_subnets)
    candidates = {}
    for subnet in acl_subnets:
        for alb, target in behind.get(subnet, ()):
            candidates.setdefault(alb, (subnet, target))
    for alb in sorted(candidates, key=lookup.position):
        if alb_subnets[alb].isdisjoint(own) and known(graph.nodes[alb], "subnets"):
            subnet, target = candidates[alb]
            return alb, subnet, target
    return None


class MissingEphemeralReturn(Rule):
    id = "NACL003"
    severity = "warning"
    summary = "A network ACL allows tcp or udp in but no egress rule allows the replies' ephemeral ports"
    docs = f"""
## What it does
Finds network ACLs with an ingress allow rule for `tcp` or `udp` (a rule for `all`
allows both) where, for that protocol, no egress allow rule with that protocol or
`all` has ports containing 1024-65535. One finding per ACL.

## Why is this bad?
Network ACLs are stateless: the reply to an allowed inbound request is checked
against the outbound rules like any other packet. Replies go to the client's
ephemeral port, which depends on the client (Linux, Windows, NAT gateways and Elastic
Load Balancing use ports within 1024-65535), so an ACL that allows requests in but
not the ephemeral range out drops the answers. See {NACL_DOCS_LINK} ("Ephemeral
ports": to cover the different kinds of clients, AWS suggests opening 1024-65535).

## Fix
Add an egress allow rule for the protocol with `ports: 1024-65535` (to the clients'
CIDR, or 0.0.0.0/0).
"""
    bad_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
"""
    good_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 110, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""

    def check(self, graph):
        for acl, data in nodes_of_type(graph, "network_acl"):
            if not known(data, "rules"):
                continue  # an entry the template does not fix may allow the replies
            entries = list(rule_entries(data))
            missing = []  # (protocol, index of the first ingress allow rule needing it)
            for protocol in ("tcp", "udp"):
                needing = _first_ingress_allow(entries, protocol)
                if needing is not None and not _egress_allows_ephemeral(entries, protocol):
                    missing.append((protocol, needing))
            if not missing:
                continue
            protocols = prose_list(protocol for protocol, _ in missing)
            first_index = missing[0][1]
            yield self.finding(
                graph,
                acl,
                message=(
                    f"network ACL {acl} allows {protocols} in (rules[{first_index}]) but no egress allow rule "
                    f"for {protocols} covers the ephemeral ports 1024-65535: the ACL is stateless, so "
                    "replies to those requests are dropped"
                ),
                fix=(
                    f"add to {acl} an egress rule "
                    + " and one ".join(
                        f"`{{number: <free>, direction: egress, action: allow, protocol: {p}, "
                        "ports: 1024-65535, cidr: 0.0.0.0/0}`"
                        for p, _ in missing
                    )
                ),
                at=f"rules[{first_index}]",
            )


def _first_ingress_allow(entries, protocol):
    """Index of the first ingress allow rule for `protocol` (or `all`), or None."""
    for index, rule in entries:
        if (
            rule.get("direction") == "ingress"
            and rule.get("action") == "allow"
            and rule.get("protocol") in (protocol, "all")
        ):
            return index
    return None


def _egress_allows_ephemeral(entries, protocol) -> bool:
    for _, rule in entries:
        if rule.get("direction") != "egress" or rule.get("action") != "allow":
            continue
        if rule.get("protocol") not in (protocol, "all"):
            continue
        ports = port_range(rule.get("ports"))
        if ports is None or range_contains(ports, EPHEMERAL_PORTS):
            # unreadable ports are unknown: count them as allowing, never fire on a guess
            return True
    return False


class DuplicateRuleNumber(Rule):
    id = "NACL004"
    severity = "error"
    summary = "Two rules of a network ACL have the same number and direction"
    docs = f"""
## What it does
Finds network ACLs with two or more rules of the same `direction` and the same
`number`. One finding per repeated number, at its second rule.

## Why is this bad?
A network ACL has one set of numbered ingress rules and one of egress rules, and the
number is what orders them: EC2 refuses a second entry with a number already used in
that direction (`NetworkAclEntryAlreadyExists`), so the stack fails to deploy and
neither ordering you may have meant can exist. In an imported template each entry is
kept, so that you see both. See {NACL_DOCS_LINK} ("Network ACL rules") and
[AWS: CreateNetworkAclEntry](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html)
("Each network ACL has a set of numbered ingress rules and a separate set of numbered
egress rules").

## Example
`web-acl` numbers a deny and an allow ingress rule 100: which one was meant to be
checked first?

## Fix
Give one of the rules a free number: the rule that must match first gets the lower.
"""
    bad_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 100, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""
    good_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 90, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}
      - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""

    def check(self, graph):
        for acl, data in nodes_of_type(graph, "network_acl"):
            first: dict[tuple[int, str], int] = {}
            for index, rule in rule_entries(data):
                number, direction = _numbered(rule), rule.get("direction")
                if number is None or direction not in ("ingress", "egress"):
                    continue
                key = (number, direction)
                if key not in first:
                    first[key] = index
                    continue
                if first[key] is None:
                    continue  # reported at its second rule already
                yield self.finding(
                    graph,
                    acl,
                    message=(
                        f"network ACL {acl} has two {direction} rules numbered {number} (rules[{first[key]}] and "
                        f"rules[{index}]): EC2 refuses the second, so the stack does not deploy"
                    ),
                    fix=f"give rules[{index}] of {acl} a {direction} number no other rule uses",
                    at=f"rules[{index}]",
                )
                first[key] = None


RULES = [ShadowedDenyRule, DenyBehindLoadBalancer, MissingEphemeralReturn, DuplicateRuleNumber]
