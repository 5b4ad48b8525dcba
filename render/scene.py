"""What a diagram shows, before any drawing: nested clusters, nodes, edges, legend.

`build_scene(graph, findings)` decides *where* each resource goes and *how* each edge
looks; the DOT writer (`dot_source.py`) and the Mermaid writer (`mermaid.py`) only
translate the scene, so both pictures agree.

Placement (issue 4):
- Region → VPC → Availability Zone → subnet are nested clusters; externals (and
  Direct Connect connections, which live at a Direct Connect location, not in the
  region) stay outside the region.
- A resource that lives in a subnet is drawn inside it. One that spans several
  subnets (an ALB, an Auto Scaling group) goes in the smallest cluster holding all
  of them; an Auto Scaling group that spans subnets gets a cluster of its own that
  names them.
- A `cluster` placement group is a cluster around its members. Members in different
  subnets (a mistake HPC003/HPC005 report) give one cluster piece per subnet,
  labelled "part i of n", so the split shows; members the spec gives no subnet
  (ParallelCluster, Batch) share a piece at the region level that says so.
- Security groups and network ACLs are nodes of their VPC (with their icon and their
  findings) and *badges* on what they guard: "SG web, db" under a node, "NACL edge"
  in a subnet's label. Arrows to every guarded resource would bury the flows.

Every id in a scene is stable: a resource's own id for its node, and for clusters
an id built from resource ids and AZ names with upper-case words ("VPC_", "_OF_")
that resource ids (lower case only) can never contain.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from ..specs.query import referrers
from .icon_map import TYPE_ICONS, icon_for
from .styles import EDGE_STYLES, edge_label, edge_style

# Types drawn as clusters rather than nodes.
CLUSTER_TYPES = ("vpc", "subnet")
# Types outside the region.
OUTSIDE_TYPES = ("external", "directconnect.connection")
# Types that may sit in a cluster placement group.
PLACEMENT_MEMBER_TYPES = ("ec2.instance", "autoscaling.group", "batch.compute_environment", "parallelcluster.cluster")


@dataclass
class Marks:
    """What rules found on one resource: the rule ids beside it, messages as tooltip."""

    rules: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()


@dataclass
class Node:
    id: str
    type: str
    title: str
    icon: str
    detail: str = ""  # a short grey line under the title ("FIFO", "rate(5 minutes)")
    badges: list[str] = field(default_factory=list)  # "SG web, db", "PG hpc (spread)"
    marks: Marks = field(default_factory=Marks)


@dataclass
class Cluster:
    id: str
    kind: str  # diagram, region, vpc, az, subnet, autoscaling, placement
    title: str
    icon: str | None = None
    detail: str = ""
    badges: list[str] = field(default_factory=list)
    marks: Marks = field(default_factory=Marks)
    clusters: list["Cluster"] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    look: str = ""  # the writers' cluster style when not the kind's ("public_subnet")

    def walk(self):
        """This cluster and every cluster inside it, parents first."""
        yield self
        for child in self.clusters:
            yield from child.walk()


@dataclass
class Edge:
    source: str
    target: str
    style: str  # a key of styles.EDGE_STYLES
    label: str = ""


@dataclass
class Scene:
    title: str
    direction: str
    top: Cluster
    edges: list[Edge]
    legend: list[str]  # style keys used, in EDGE_STYLES order
    has_findings: bool

    def nodes(self) -> list[Node]:
        return [node for cluster in self.top.walk() for node in cluster.nodes]


def build_scene(graph: nx.MultiDiGraph, direction: str = "LR", findings: Iterable = ()) -> Scene:
    marks = _marks_by_resource(graph, findings)
    builder = _Builder(graph, marks)
    builder.place_all()
    edges = _edges(graph, builder.drawn_nodes)
    legend = [key for key in EDGE_STYLES if any(edge.style == key for edge in edges)]
    title = graph.graph.get("name") or ""
    return Scene(title, direction, builder.top, edges, legend, has_findings=bool(marks))


def _marks_by_resource(graph: nx.MultiDiGraph, findings: Iterable) -> dict[str, Marks]:
    rules: dict[str, set[str]] = defaultdict(set)
    messages: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.resource in graph:
            rules[finding.resource].add(finding.rule)
            messages[finding.resource].add(f"{finding.rule}: {finding.message}")
    return {resource: Marks(tuple(sorted(rules[resource])), tuple(sorted(messages[resource]))) for resource in rules}


def _title(resource: str, data: dict) -> str:
    return str(data.get("label") or resource)


def _detail(data: dict) -> str:
    """A short fact worth seeing on the picture, by type."""
    kind = data.get("type")
    if kind in ("sqs.queue", "sns.topic") and data.get("fifo"):
        return "FIFO"
    if kind == "events.rule" and data.get("schedule"):
        return str(data["schedule"])
    if kind == "alb" and data.get("internal"):
        return "internal"
    if kind == "placement_group":
        return f"{data.get('strategy')} placement group"
    if kind == "ebs.volume":
        return " ".join(str(part) for part in (data.get("volume_type"), data.get("az")) if part)
    if kind in PLACEMENT_MEMBER_TYPES:
        # the facts the HPC rules are about: a network adapter other than ENA, Windows
        facts = [NETWORKING_WORDS.get(data.get("networking"), "")]
        facts.append("Windows" if data.get("os") == "windows" else "")
        return " · ".join(fact for fact in facts if fact)
    if kind != "external" and kind not in TYPE_ICONS:
        return str(data.get("cfn_type") or kind)  # an opaque resource imported from CloudFormation
    return ""


NETWORKING_WORDS = {"efa": "EFA", "intel-82599": "Intel 82599 VF", "standard": "standard networking"}


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class _Builder:
    """Places every resource of a graph into the cluster tree of a scene."""

    def __init__(self, graph: nx.MultiDiGraph, marks: dict[str, Marks]):
        self.graph = graph
        self.marks = marks
        self.top = Cluster("DIAGRAM", "diagram", graph.graph.get("name") or "")
        region = graph.graph.get("region") or "us-east-1"
        self.region = Cluster("REGION", "region", f"Region {region}", icon=None)
        self.clusters: dict[str, Cluster] = {}
        self.drawn_nodes: set[str] = set()
        self.nacl_of_subnet: dict[str, list[str]] = defaultdict(list)

    # -- the cluster skeleton ------------------------------------------------------

    def place_all(self) -> None:
        self._networks()
        homes = {resource: self._home(resource, data) for resource, data in self._resources()}
        homes = self._placement_groups(homes)
        for resource, data in self._resources():
            homes[resource].nodes.append(self._node(resource, data))
            self.drawn_nodes.add(resource)
        self.top.clusters.append(self.region)

    def _resources(self):
        """(id, data) of every resource drawn as a node, in file order."""
        for resource, data in self.graph.nodes(data=True):
            if data.get("type") in CLUSTER_TYPES:
                continue
            if data.get("type") == "placement_group" and self._cluster_members(resource):
                continue
            yield resource, data

    def _networks(self) -> None:
        """VPC clusters, their AZ clusters (sorted by name) and subnet clusters."""
        for acl, data in self.graph.nodes(data=True):
            if data.get("type") == "network_acl":
                for subnet in _as_list(data.get("subnets")):
                    self.nacl_of_subnet[subnet].append(acl)
        subnets_of_vpc: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for subnet, data in self.graph.nodes(data=True):
            if data.get("type") == "subnet":
                subnets_of_vpc[data.get("vpc")].append((subnet, data))
        for vpc, data in self.graph.nodes(data=True):
            if data.get("type") != "vpc":
                continue
            cluster = self._add(self.region, Cluster(
                f"VPC_{vpc}", "vpc", f"VPC {_title(vpc, data)}", icon_for(data),
                detail=str(data.get("cidr") or ""), marks=self.marks.get(vpc, Marks())))
            for az in sorted({sub["az"] for _, sub in subnets_of_vpc[vpc] if sub.get("az")}):
                self._add(cluster, Cluster(f"AZ_{az}_OF_{vpc}", "az", az))
            for subnet, sub in subnets_of_vpc[vpc]:
                parent = self.clusters.get(f"AZ_{sub.get('az')}_OF_{vpc}", cluster)
                badges = [f"NACL {', '.join(self.nacl_of_subnet[subnet])}"] if subnet in self.nacl_of_subnet else []
                facts = [str(sub.get("cidr") or ""), "public" if sub.get("public") else "private"]
                self._add(parent, Cluster(
                    f"SUBNET_{subnet}", "subnet", f"subnet {_title(subnet, sub)}", icon_for(sub),
                    look="public_subnet" if sub.get("public") else "subnet",
                    detail=" · ".join(fact for fact in facts if fact), badges=badges,
                    marks=self.marks.get(subnet, Marks())))

    def _add(self, parent: Cluster, cluster: Cluster) -> Cluster:
        parent.clusters.append(cluster)
        self.clusters[cluster.id] = cluster
        return cluster

    # -- where each resource goes ---------------------------------------------------

    def _home(self, resource: str, data: dict) -> Cluster:
        kind = data.get("type")
        if kind in OUTSIDE_TYPES:
            return self.top
        if kind == "ec2.instance":
            if data.get("subnet"):
                return self.clusters[f"SUBNET_{data['subnet']}"]
            return self._region_az(data.get("az"))
        if kind == "autoscaling.group":
            subnets = _as_list(data.get("subnets"))
            home = self._around_subnets(subnets)
            if len(subnets) > 1:
                return self._add(home, Cluster(
                    f"ASG_{resource}", "autoscaling", f"Auto Scaling group {_title(resource, data)}",
                    detail="across " + ", ".join(subnets)))
            return home
        if kind == "alb":
            return self._around_subnets(_as_list(data.get("subnets")))
        if kind in ("security_group", "network_acl"):
            return self.clusters.get(f"VPC_{data.get('vpc')}", self.region)
        if kind == "ec2.eip":
            return self._vpc_cluster_of(data.get("instance")) or self.region
        if kind == "ebs.volume":
            return self._volume_home(resource, data)
        return self.region

    def _region_az(self, az: str | None) -> Cluster:
        """An AZ cluster directly in the region, for what has an AZ but no subnet."""
        if not az:
            return self.region
        return self.clusters.get(f"AZ_{az}") or self._add(self.region, Cluster(f"AZ_{az}", "az", az))

    def _around_subnets(self, subnets: list[str]) -> Cluster:
        """The smallest cluster holding every one of `subnets`."""
        known = [self.graph.nodes[subnet] for subnet in subnets if subnet in self.graph]
        if not known:
            return self.region
        if len(subnets) == 1:
            return self.clusters[f"SUBNET_{subnets[0]}"]
        vpcs = {data.get("vpc") for data in known}
        azs = {data.get("az") for data in known}
        if len(vpcs) == 1:
            vpc = vpcs.pop()
            if len(azs) == 1:
                return self.clusters.get(f"AZ_{azs.pop()}_OF_{vpc}", self.clusters[f"VPC_{vpc}"])
            return self.clusters[f"VPC_{vpc}"]
        return self.region

    def _vpc_of(self, resource: str | None) -> str | None:
        if resource not in self.graph:
            return None
        data = self.graph.nodes[resource]
        subnets = [data.get("subnet")] if data.get("type") == "ec2.instance" else _as_list(data.get("subnets"))
        for subnet in subnets:
            if subnet in self.graph:
                return self.graph.nodes[subnet].get("vpc")
        return None

    def _vpc_cluster_of(self, resource: str | None) -> Cluster | None:
        vpc = self._vpc_of(resource)
        return self.clusters.get(f"VPC_{vpc}") if vpc else None

    def _volume_home(self, resource: str, data: dict) -> Cluster:
        """A volume lives in an AZ: that AZ in the VPC of the first resource listing it."""
        az = data.get("az")
        listers = sorted(
            (edge.get("line", 0), edge.get("column", 0), source)
            for source, _, edge in self.graph.in_edges(resource, data=True)
            if edge.get("kind") == "ref" and edge.get("relation") == "volumes"
        )
        for _, _, lister in listers:
            vpc = self._vpc_of(lister)
            if vpc and az:
                cluster_id = f"AZ_{az}_OF_{vpc}"
                return self.clusters.get(cluster_id) or self._add(
                    self.clusters[f"VPC_{vpc}"], Cluster(cluster_id, "az", az))
        return self._region_az(az)

    # -- cluster placement groups ---------------------------------------------------

    def _cluster_members(self, group: str) -> list[str]:
        """Members of `group` when it is a `cluster` placement group with members."""
        if self.graph.nodes[group].get("strategy") != "cluster":
            return []
        return referrers(self.graph, group, "placement_group", *PLACEMENT_MEMBER_TYPES)

    def _placement_groups(self, homes: dict[str, Cluster]) -> dict[str, Cluster]:
        """Wrap members of each cluster placement group, one piece per cluster they sit in."""
        for group, data in self.graph.nodes(data=True):
            if data.get("type") != "placement_group":
                continue
            members = self._cluster_members(group)
            pieces: dict[str, Cluster] = {}
            for member in members:
                home = homes[member]
                # An Auto Scaling group's own cluster goes inside the piece, not around it.
                wrapped = home if home.kind == "autoscaling" else None
                parent = self._parent_of(home) if wrapped else home
                if parent.id not in pieces:
                    pieces[parent.id] = Cluster(
                        f"PG_{group}_IN_{parent.id}", "placement", f"placement group {_title(group, data)}",
                        icon_for(data), detail="cluster", marks=self.marks.get(group, Marks()))
                    self._add(parent, pieces[parent.id])
                if wrapped:
                    parent.clusters.remove(wrapped)
                    pieces[parent.id].clusters.append(wrapped)
                else:
                    homes[member] = pieces[parent.id]
            # Members with no subnet (ParallelCluster, Batch, an instance without one)
            # sit at the region level: that piece says so, and is no "part" of a split.
            located = [piece for parent_id, piece in pieces.items() if parent_id != self.region.id]
            if self.region.id in pieces:
                pieces[self.region.id].detail = "cluster · members with no subnet in the spec"
            if len(located) > 1:
                for number, piece in enumerate(located, start=1):
                    piece.detail = f"cluster · part {number} of {len(located)}"
        return homes

    def _parent_of(self, cluster: Cluster) -> Cluster:
        for candidate in self.top.walk():
            if cluster in candidate.clusters:
                return candidate
        for candidate in self.region.walk():
            if cluster in candidate.clusters:
                return candidate
        raise LookupError(cluster.id)

    # -- nodes ----------------------------------------------------------------------

    def _node(self, resource: str, data: dict) -> Node:
        badges = []
        groups = _as_list(data.get("security_groups"))
        if groups:
            badges.append("SG " + ", ".join(groups))
        group = data.get("placement_group")
        if group and group in self.graph and self.graph.nodes[group].get("strategy") != "cluster":
            badges.append(f"PG {group} ({self.graph.nodes[group].get('strategy')})")
        return Node(resource, data.get("type", ""), _title(resource, data), icon_for(data),
                    detail=_detail(data), badges=badges, marks=self.marks.get(resource, Marks()))


def _edges(graph: nx.MultiDiGraph, drawn: set[str]) -> list[Edge]:
    """Every edge drawn as an arrow, sorted by its place in the file."""
    rows = []
    for source, target, data in graph.edges(data=True):
        style = edge_style(data)
        if style is None or source not in drawn or target not in drawn:
            continue
        rows.append(((data.get("line") or 0, data.get("column") or 0, source, target, style),
                     Edge(source, target, style, edge_label(data))))
    rows.sort(key=lambda row: (row[0], row[1].label))
    return [edge for _, edge in rows]
