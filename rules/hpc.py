"""High-performance computing rules (HPC): placement groups, EFA and enhanced networking.

HPC rules look at `ec2.instance` and `autoscaling.group` only (docs/rules.md): a *member*
of a placement group is one of those whose `placement_group` names it; an *EFA
resource* has `networking: efa`; an *EFA member* is an EFA resource that is a member.
Batch compute environments and ParallelCluster clusters are configured by their
services and are ignored here.
"""

from __future__ import annotations

from ..linter.rule import Rule, known, nodes_of_type, prose_list
from ..specs.query import query
from ._network import azs_of, rule_entries, subnets_of

COMPUTE = ("ec2.instance", "autoscaling.group")

EFA_DOCS_LINK = (
    "[AWS: Elastic Fabric Adapter for AI/ML and HPC workloads on Amazon EC2]"
    "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html)"
)
PLACEMENT_DOCS_LINK = (
    "[AWS: Placement strategies for your placement groups]"
    "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-strategies.html)"
)


def _kind(data) -> str:
    return "instance" if data.get("type") == "ec2.instance" else "Auto Scaling group"


def _at(data, *attributes):
    """The first of `attributes` the file spells out for this resource (else the key)."""
    positions = data.get("positions") or {}
    return next((name for name in attributes if name in positions), None)


def _members(graph, group):
    """Instances and Auto Scaling groups whose `placement_group` names `group`, in file order."""
    return query(graph).referrers(group, "placement_group", *COMPUTE)


def _cluster_groups(graph):
    for group, data in nodes_of_type(graph, "placement_group"):
        if data.get("strategy") == "cluster":
            yield group, data


class ClusterMemberWithoutEfa(Rule):
    id = "HPC001"
    severity = "warning"
    summary = "A member of a cluster placement group does not use the Elastic Fabric Adapter"
    docs = f"""
## What it does
Finds instances and Auto Scaling groups in a `cluster` placement group whose
`networking` is not `efa`. One finding per member.

## Why is this bad?
A cluster placement group packs instances close together for low-latency,
high-throughput traffic between them: that is what tightly coupled HPC jobs (MPI)
need. Over ENA that traffic still goes through the operating system's TCP/IP stack;
the Elastic Fabric Adapter adds OS bypass, letting MPI and NCCL talk to the network
hardware directly, with lower and more consistent latency. See {EFA_DOCS_LINK} and
{PLACEMENT_DOCS_LINK}.

## Fix
Set `networking: efa` on the member (on an instance type that supports EFA, running
Linux). If the group is not for inter-node traffic, `ignore:` this rule with the
reason.
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  tight:
    type: placement_group
    strategy: cluster
  node-1:
    type: ec2.instance
    instance_type: c5n.18xlarge
    az: us-east-1a
    placement_group: tight
"""
    good_example = """\
archlint: 1
name: sim
resources:
  tight:
    type: placement_group
    strategy: cluster
  node-1:
    type: ec2.instance
    instance_type: c5n.18xlarge
    az: us-east-1a
    placement_group: tight
    networking: efa
"""

    def check(self, graph):
        for group, _ in _cluster_groups(graph):
            for member in _members(graph, group):
                data = graph.nodes[member]
                networking = data.get("networking")
                if networking is None or networking == "efa" or not known(data, "networking"):
                    continue
                yield self.finding(
                    graph,
                    member,
                    message=(
                        f"{_kind(data)} {member} is in cluster placement group {group} with "
                        f"`networking: {networking}`: inter-node HPC traffic needs the Elastic Fabric "
                        "Adapter's OS bypass"
                    ),
                    fix=f"set `networking: efa` on {member}",
                    at=_at(data, "networking", "placement_group"),
                )


class EfaOnWindows(Rule):
    id = "HPC002"
    severity = "error"
    summary = "`networking: efa` on Windows: EFA's OS bypass works on Linux only"
    docs = f"""
## What it does
Finds instances and Auto Scaling groups with `networking: efa` and `os: windows`.

## Why is this bad?
The OS-bypass capabilities of EFA are not supported on Windows instances: attached
to a Windows instance, an EFA works as a plain Elastic Network Adapter, without the
added EFA capabilities. The HPC job gets none of the latency it was designed for.
See {EFA_DOCS_LINK}.

## Fix
Run the nodes on Linux (`os: linux`), or use `networking: ena` and accept TCP.
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  node-1:
    type: ec2.instance
    instance_type: c5n.18xlarge
    os: windows
    networking: efa
"""
    good_example = """\
archlint: 1
name: sim
resources:
  node-1:
    type: ec2.instance
    instance_type: c5n.18xlarge
    os: linux
    networking: efa
"""

    def check(self, graph):
        for resource, data in nodes_of_type(graph, *COMPUTE):
            if data.get("networking") == "efa" and data.get("os") == "windows" and known(data, "networking", "os"):
                yield self.finding(
                    graph,
                    resource,
                    message=(
                        f"{_kind(data)} {resource} has `networking: efa` on Windows: EFA's OS bypass works "
                        "on Linux only, so it behaves as a plain ENA"
                    ),
                    fix=f"set `os: linux` on {resource} (or `networking: ena`)",
                    at=_at(data, "os", "networking"),
                )


class ClusterAcrossZones(Rule):
    id = "HPC003"
    severity = "error"
    summary = "A cluster placement group has members in two or more Availability Zones"
    docs = f"""
## What it does
Finds a `cluster` placement group whose members are in two or more Availability
Zones. An Auto Scaling group counts with every AZ of its subnets; a member whose AZ
is unknown does not count.

## Why is this bad?
A cluster placement group is a logical grouping of instances within a single
Availability Zone; you cannot specify multiple AZs and a cluster placement group.
Instances launched in another AZ fail to launch into the group (an Auto Scaling group
spanning AZs cannot use it at all). See {PLACEMENT_DOCS_LINK}.

## Fix
Put every member in subnets of one AZ (an Auto Scaling group lists subnets of that
AZ only), or use a `spread` or `partition` placement group for members across AZs.
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  tight:
    type: placement_group
    strategy: cluster
  node-1:
    type: ec2.instance
    az: us-east-1a
    placement_group: tight
    networking: efa
  node-2:
    type: ec2.instance
    az: us-east-1b
    placement_group: tight
    networking: efa
"""
    good_example = """\
archlint: 1
name: sim
resources:
  tight:
    type: placement_group
    strategy: cluster
  node-1:
    type: ec2.instance
    az: us-east-1a
    placement_group: tight
    networking: efa
  node-2:
    type: ec2.instance
    az: us-east-1a
    placement_group: tight
    networking: efa
"""

    def check(self, graph):
        for group, _ in _cluster_groups(graph):
            by_zone: dict[str, list[str]] = {}
            for member in _members(graph, group):
                for zone in azs_of(graph, member):
                    by_zone.setdefault(zone, []).append(member)
            if len(by_zone) < 2:
                continue
            spread = "; ".join(f"{zone}: {prose_list(members)}" for zone, members in sorted(by_zone.items()))
            yield self.finding(
                graph,
                group,
                message=(
                    f"cluster placement group {group} has members in {len(by_zone)} Availability Zones "
                    f"({spread}); a cluster placement group lives in one AZ"
                ),
                fix=f"place every member of {group} in subnets of one AZ, or use `strategy: spread` or `partition`",
                at=_at(graph.nodes[group], "strategy"),
            )


class LegacyIntelNetworking(Rule):
    id = "HPC004"
    severity = "info"
    summary = "`networking: intel-82599`: the legacy virtual function tops out at 10 Gbps"
    docs = """
## What it does
Finds instances and Auto Scaling groups with `networking: intel-82599`.

## Why is this bad?
The Intel 82599 Virtual Function interface is the legacy form of enhanced
networking: it supports up to 10 Gbps and only on previous-generation instance types
(C3, C4, D2, I2, M4 except m4.16xlarge, R3). The Elastic Network Adapter, used by all
Nitro instances, supports 100 Gbps and more, and the Elastic Fabric Adapter adds OS
bypass for HPC. See
[AWS: Enhanced networking on Amazon EC2 instances](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/enhanced-networking.html).

## Fix
Move to a current-generation instance type with `networking: ena` (or `efa` for
tightly coupled HPC).
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  node-1:
    type: ec2.instance
    instance_type: c4.8xlarge
    networking: intel-82599
"""
    good_example = """\
archlint: 1
name: sim
resources:
  node-1:
    type: ec2.instance
    instance_type: c6in.32xlarge
    networking: ena
"""

    def check(self, graph):
        for resource, data in nodes_of_type(graph, *COMPUTE):
            if data.get("networking") == "intel-82599" and known(data, "networking"):
                yield self.finding(
                    graph,
                    resource,
                    message=(
                        f"{_kind(data)} {resource} uses the legacy Intel 82599 virtual function (up to 10 Gbps); "
                        "ENA (100 Gbps and more) or EFA is faster"
                    ),
                    fix=f"set `networking: ena` (or `efa`) on {resource} with a current-generation instance type",
                    at="networking",
                )


class EfaClusterAcrossSubnets(Rule):
    id = "HPC005"
    severity = "warning"
    summary = "A cluster placement group's EFA members are in two or more subnets"
    docs = f"""
## What it does
Finds a `cluster` placement group whose EFA members (members with `networking: efa`)
are in two or more subnets. An Auto Scaling group counts with each of its subnets; a
member whose subnet is unknown does not count.

## Why is this bad?
The Elastic Fabric Adapter provides OS-bypass communication with other instances in
the same subnet: its OS-bypass traffic is not routed between subnets. Nodes in
different subnets fall back to ordinary IP traffic between them and lose what EFA was
chosen for. See {EFA_DOCS_LINK} and
[AWS ParallelCluster: Elastic Fabric Adapter](https://docs.aws.amazon.com/parallelcluster/latest/ug/efa-v3.html).

## Fix
Put the EFA members in one subnet (an Auto Scaling group with a single subnet).
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  main:
    type: vpc
  hpc-1:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  hpc-2:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.2.0/24
  tight:
    type: placement_group
    strategy: cluster
  workers:
    type: autoscaling.group
    subnets: [hpc-1, hpc-2]
    placement_group: tight
    networking: efa
"""
    good_example = """\
archlint: 1
name: sim
resources:
  main:
    type: vpc
  hpc-1:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  tight:
    type: placement_group
    strategy: cluster
  workers:
    type: autoscaling.group
    subnets: [hpc-1]
    placement_group: tight
    networking: efa
"""

    def check(self, graph):
        for group, _ in _cluster_groups(graph):
            by_subnet: dict[str, list[str]] = {}
            for member in _members(graph, group):
                if graph.nodes[member].get("networking") != "efa":
                    continue
                for subnet in subnets_of(graph, member):
                    by_subnet.setdefault(subnet, []).append(member)
            if len(by_subnet) < 2:
                continue
            lookup = query(graph)
            in_file_order = sorted(by_subnet, key=lambda subnet: lookup.position(subnet) if subnet in graph else len(graph))
            spread = "; ".join(f"{subnet}: {prose_list(by_subnet[subnet])}" for subnet in in_file_order)
            yield self.finding(
                graph,
                group,
                message=(
                    f"cluster placement group {group} has EFA members in {len(by_subnet)} subnets ({spread}): "
                    "EFA's OS-bypass traffic does not leave its subnet"
                ),
                fix=f"put every EFA member of {group} in one subnet",
                at=_at(graph.nodes[group], "strategy"),
            )


class EfaSecurityGroupNotSelfOpen(Rule):
    id = "HPC006"
    severity = "warning"
    summary = "An EFA resource has no security group that allows all traffic within itself"
    docs = f"""
## What it does
Finds instances and Auto Scaling groups with `networking: efa` none of whose
security groups has both an ingress allow rule with `protocol: all` and `group`
naming that same group, and either such an egress rule or no egress rule at all.

A resource without `security_groups` is not reported: it gets its VPC's default
security group, which allows all inbound traffic from itself and all outbound traffic.

## Why is this bad?
To enable OS bypass, an EFA must be a member of a security group that allows all
inbound and outbound traffic to and from the security group itself. With port-based
rules only, EFA traffic between the nodes is dropped and MPI jobs hang or fail at
start. See {EFA_DOCS_LINK} ("Prepare an EFA-enabled security group").

## Fix
Add to one of its security groups `{{direction: ingress, protocol: all, group: <that
group>}}` and `{{direction: egress, protocol: all, group: <that group>}}`.
"""
    bad_example = """\
archlint: 1
name: sim
resources:
  main:
    type: vpc
  hpc-sg:
    type: security_group
    vpc: main
    rules:
      - {protocol: tcp, ports: 22, cidr: 10.0.0.0/16}
  node-1:
    type: ec2.instance
    networking: efa
    security_groups: [hpc-sg]
"""
    good_example = """\
archlint: 1
name: sim
resources:
  main:
    type: vpc
  hpc-sg:
    type: security_group
    vpc: main
    rules:
      - {protocol: tcp, ports: 22, cidr: 10.0.0.0/16}
      - {direction: ingress, protocol: all, group: hpc-sg}
      - {direction: egress, protocol: all, group: hpc-sg}
  node-1:
    type: ec2.instance
    networking: efa
    security_groups: [hpc-sg]
"""

    def check(self, graph):
        open_to_itself: dict[str, bool] = {}  # a group shared by many members is read once

        def is_open(group: str) -> bool:
            if group not in open_to_itself:
                open_to_itself[group] = _open_to_itself(group, graph.nodes[group])
            return open_to_itself[group]

        for resource, data in nodes_of_type(graph, *COMPUTE):
            if data.get("networking") != "efa" or not known(data, "networking", "security_groups"):
                continue
            groups = [group for group in (data.get("security_groups") or ()) if group in graph]
            if not all(known(graph.nodes[group], "rules") for group in groups):
                continue  # a rule the template does not fix may open the group to itself
            if not groups:
                continue  # the VPC's default security group already allows all traffic within itself
            if any(is_open(group) for group in groups):
                continue
            yield self.finding(
                graph,
                resource,
                message=(
                    f"EFA {_kind(data)} {resource}: none of its security groups ({prose_list(groups)}) allows all "
                    "traffic in from itself and out to itself; EFA's OS bypass needs all traffic within "
                    "its security group"
                ),
                fix=(
                    f"add `{{direction: ingress, protocol: all, group: {groups[0]}}}` and "
                    f"`{{direction: egress, protocol: all, group: {groups[0]}}}` to {groups[0]}"
                ),
                at="security_groups",
            )


def _open_to_itself(group: str, data: dict) -> bool:
    """Ingress allow all from itself, and egress allow all to itself or no egress rule."""

    def self_rule(rule, direction):
        return (
            rule.get("direction") == direction
            and rule.get("action") == "allow"
            and rule.get("protocol") == "all"
            and rule.get("group") == group
        )

    rules = [rule for _, rule in rule_entries(data)]
    if not any(self_rule(rule, "ingress") for rule in rules):
        return False
    egress = [rule for rule in rules if rule.get("direction") == "egress"]
    return not egress or any(self_rule(rule, "egress") for rule in egress)


RULES = [
    ClusterMemberWithoutEfa,
    EfaOnWindows,
    ClusterAcrossZones,
    LegacyIntelNetworking,
    EfaClusterAcrossSubnets,
    EfaSecurityGroupNotSelfOpen,
]
