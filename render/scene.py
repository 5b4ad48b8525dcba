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
from .styles import EDGE_STYLES, SEVERITY_ORDER, Highlight, edge_label, edge_style

# Rules whose findings are about one flow, drawn on that edge: a FIFO topic's
# subscription to a function (FAN002), a standard topic's to a FIFO queue (FAN004).
FLOW_RULES = ("FAN002", "FAN004")
# References between peers: drawn, but not ranking one after the other.
PEER_RELATIONS = ("standby_for",)
# Types drawn as clusters rather than nodes.
CLUSTER_TYPES = ("vpc", "subnet")
# Types outside the region.
OUTSIDE_TYPES = ("external", "directconnect.connection")
# Types that may sit in a cluster placement group.
PLACEMENT_MEMBER_TYPES = ("ec2.instance", "autoscaling.group", "batch.compute_environment", "parallelcluster.cluster")


@dataclass
class Marks:
    """What rules found on one resource or flow: the rule ids beside it, messages as
    tooltip, in the colour of the worst severity; the findings themselves for viewers."""

    rules: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    severity: str = ""  # the worst: error, warning or info ("" when nothing was found)
    findings: tuple = ()  # the linter's Finding objects, in file order


@dataclass
class Node:
    id: str
    type: str
    title: str
    icon: str
    detail: str = ""  # a short grey line under the title ("FIFO", "rate(5 minutes)")
    badges: list[str] = field(default_factory=list)  # "SG web, db", "PG hpc (spread)"
    marks: Marks = field(default_factory=Marks)
    # A presence marker: where a resource drawn elsewhere also is (an ALB's node in
    # each of its subnets); `of` names that resource. Not a resource of its own.
    of: str = ""
    count: int = 1  # identical units collapsed into this node ("× N")
    highlight: Highlight | None = None  # the graph's overlay (styles.Highlight), e.g. from archlint diff


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
    highlight: Highlight | None = None

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
    marks: Marks = field(default_factory=Marks)  # findings about this flow (FAN002, FAN004)
    position: tuple[int, int] = (0, 0)  # (line, column) of the flow entry or reference
    # whether the layout ranks the target after the source; not for a link between
    # peers (a standby and its primary), which would put one AZ before the other
    constrains: bool = True
    highlight: Highlight | None = None


@dataclass
class Scene:
    title: str
    direction: str
    top: Cluster
    edges: list[Edge]
    legend: list[str]  # style keys used, in EDGE_STYLES order
    has_findings: bool
    severities: list[str] = field(default_factory=list)  # the severities found, worst first
    # Invisible constraints for the layout (source, target), folding a long picture,
    # and groups of nodes drawn in one rank. Not drawn.
    layout_edges: list[tuple[str, str]] = field(default_factory=list)
    same_ranks: list[list[str]] = field(default_factory=list)
    # Nodes to draw in one rank in this order (top to bottom in LR, left to right in
    # TB): the targets of one flow entry in file order, a node of each AZ of a VPC in
    # name order. `flip_order` writes their chains the other way round: Graphviz's
    # orientation of such chains differs from graph to graph (see order.py).
    ordered_groups: list[list[str]] = field(default_factory=list)
    flip_order: bool = False
    concentrate: bool = False  # bundle edges that share an end (set by fold.py for hubs)
    notes: list[str] = field(default_factory=list)  # what a view left out, said in the legend
    highlights: list[Highlight] = field(default_factory=list)  # overlay legend rows, one per wording, sorted

    def nodes(self) -> list[Node]:
        return [node for cluster in self.top.walk() for node in cluster.nodes]

    def resource_nodes(self) -> list[Node]:
        """The nodes that are resources (not presence markers)."""
        return [node for node in self.nodes() if not node.of]


def build_scene(graph: nx.MultiDiGraph, direction: str = "LR", findings: Iterable = (), group_by: str = "vpc") -> Scene:
    findings = [finding for finding in findings if finding.resource in graph]
    edge_findings = _findings_on_edges(graph, findings)
    on_edges = {id(finding) for found in edge_findings.values() for finding in found}
    marks = {resource: _marks(found) for resource, found in
             _group(finding for finding in findings if id(finding) not in on_edges).items()}
    builder = _Builder(graph, marks, group_by)
    builder.place_all()
    edges = _edges(graph, builder.drawn_nodes, {key: _marks(found) for key, found in edge_findings.items()})
    legend = [key for key in EDGE_STYLES if any(edge.style == key for edge in edges)]
    title = graph.graph.get("name") or ""
    severities = [level for level in SEVERITY_ORDER if any(finding.severity == level for finding in findings)]
    scene = Scene(title, direction, builder.top, edges, legend, has_findings=bool(findings), severities=severities,
                  notes=list(graph.graph.get("view_notes", ())), highlights=_highlight_legend(graph))
    counts = graph.graph.get("collapsed", {})
    for node in scene.nodes():
        node.count = counts.get(node.id, 1) if not node.of else 1
    scene.same_ranks = builder.same_ranks()
    scene.ordered_groups = builder.az_order() + _sibling_targets(edges)
    return scene



def _highlight_legend(graph: nx.MultiDiGraph) -> list[Highlight]:
    """One highlight per legend wording used by a node or edge, the first seen, sorted."""
    found: dict[str, Highlight] = {}
    items = [data for _, data in graph.nodes(data=True)] + [data for _, _, data in graph.edges(data=True)]
    for data in items:
        highlight = data.get("highlight")
        if highlight is not None and highlight.legend and highlight.legend not in found:
            found[highlight.legend] = highlight
    return [found[legend] for legend in sorted(found)]

def _group(findings: Iterable) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for finding in findings:
        grouped[finding.resource].append(finding)
    return grouped


def _marks(findings: list) -> Marks:
    ordered = sorted(findings)
    worst = min((SEVERITY_ORDER.index(f.severity) for f in ordered if f.severity in SEVERITY_ORDER), default=0)
    return Marks(tuple(sorted({f.rule for f in ordered})), tuple(sorted({f"{f.rule}: {f.message}" for f in ordered})),
                 SEVERITY_ORDER[worst], tuple(ordered))


def _findings_on_edges(graph: nx.MultiDiGraph, findings: list) -> dict[tuple, list]:
    """Findings about one flow (FAN002, FAN004 point at the `flows:` entry): by edge key.

    Rules of FLOW_RULES judge one subscription rather than a resource, and point at
    the flow they judge; such a finding is drawn on the flow edge written at its
    position, not on the node. (Other rules may point at a flow too, FAN001 at the
    first of the sends, SQS001 at the consuming flow, but are about the resource.)
    """
    found: dict[tuple, list] = defaultdict(list)
    for finding in findings:
        if finding.rule not in FLOW_RULES:
            continue
        for source, target, key, data in _touching_flows(graph, finding.resource):
            if (data.get("line"), data.get("column")) == (finding.line, finding.column) and finding.line:
                found[(source, target, key)].append(finding)
                break
    return found


def _touching_flows(graph: nx.MultiDiGraph, resource: str):
    yield from (edge for edge in graph.out_edges(resource, keys=True, data=True) if edge[3].get("kind") == "flow")
    yield from (edge for edge in graph.in_edges(resource, keys=True, data=True) if edge[3].get("kind") == "flow")


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
    if kind == "cloudwatch.alarm" and data.get("watches"):
        # said here rather than on the edge: a label on a long edge lands on borders
        return f"watches {data['watches']}"
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

    def __init__(self, graph: nx.MultiDiGraph, marks: dict[str, Marks], group_by: str = "vpc"):
        self.graph = graph
        self.marks = marks
        self.group_by = group_by
        self.tag_key = group_by[4:] if group_by.startswith("tag:") else None
        self.top = Cluster("DIAGRAM", "diagram", graph.graph.get("name") or "")
        region = graph.graph.get("region") or "us-east-1"
        self.region = Cluster("REGION", "region", f"Region {region}", icon=None)
        self.clusters: dict[str, Cluster] = {}
        self.drawn_nodes: set[str] = set()
        self.nacl_of_subnet: dict[str, list[str]] = defaultdict(list)
        self.spans: dict[str, list[str]] = {}  # resource -> the subnets it spans (more than one)
        self.presence_edges: list[tuple[str, str]] = []

    # -- the cluster skeleton ------------------------------------------------------

    def place_all(self) -> None:
        self._networks()
        homes = {resource: self._home(resource, data) for resource, data in self._resources()}
        homes = self._placement_groups(homes)
        for resource, data in self._resources():
            homes[resource].nodes.append(self._node(resource, data))
            self.drawn_nodes.add(resource)
        self._presences()
        self.top.clusters.append(self.region)

    def _presences(self) -> None:
        """A marker in each subnet a spanning resource (ALB, Auto Scaling group) is in.

        The resource is drawn once, where its flows meet it; its subnets would look
        empty without the marker, and a reader looks for the load balancer in the
        public subnets. An ALB has a node in each of its subnets' AZs, a group runs
        its instances in its subnets, so the marker says which.
        """
        for resource, subnets in self.spans.items():
            data = self.graph.nodes[resource]
            what = "load balancer node" if data.get("type") == "alb" else "instances"
            for subnet in subnets:
                cluster = self.clusters.get(f"SUBNET_{subnet}")
                if cluster is None:
                    continue
                marker = Node(f"PRESENCE_{resource}_IN_{subnet}", data.get("type", ""), _title(resource, data),
                              icon_for(data), detail=what, of=resource)
                cluster.nodes.append(marker)
                self.presence_edges.append((marker.id, resource))

    def same_ranks(self) -> list[list[str]]:
        """Each spanning resource with its presence markers: one rank, so that the
        subnets line up beside the resource (public subnets in the ALB's column)."""
        groups: dict[str, list[str]] = defaultdict(list)
        for marker, resource in self.presence_edges:
            groups[resource].append(marker)
        return [[resource, *markers] for resource, markers in groups.items()]

    def az_order(self) -> list[list[str]]:
        """A node of each AZ of a VPC, in AZ name order: kept in that order in one
        rank, so that us-east-1a comes before us-east-1b whatever the flows say."""
        groups = []
        for vpc in self.region.clusters:
            anchors = [_first_node(az) for az in vpc.clusters if az.kind == "az"]
            anchors = [anchor for anchor in anchors if anchor]
            if len(anchors) > 1:
                groups.append(anchors)
        return groups

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
            if self.group_by == "az":
                # AZs first: one box per AZ across VPCs; the VPC is named on its subnets
                cluster = self.clusters[f"VPC_{vpc}"] = self.region
                for az in sorted({sub["az"] for _, sub in subnets_of_vpc[vpc] if sub.get("az")}):
                    self.clusters[f"AZ_{az}_OF_{vpc}"] = self._region_az(az)
            else:
                cluster = self._add(self.region, Cluster(
                    f"VPC_{vpc}", "vpc", f"VPC {_title(vpc, data)}", icon_for(data),
                    detail=str(data.get("cidr") or ""), marks=self.marks.get(vpc, Marks()),
                    highlight=data.get("highlight")))
                for az in sorted({sub["az"] for _, sub in subnets_of_vpc[vpc] if sub.get("az")}):
                    self._add(cluster, Cluster(f"AZ_{az}_OF_{vpc}", "az", az))
            for subnet, sub in subnets_of_vpc[vpc]:
                parent = self.clusters.get(f"AZ_{sub.get('az')}_OF_{vpc}", cluster)
                badges = [f"NACL {', '.join(self.nacl_of_subnet[subnet])}"] if subnet in self.nacl_of_subnet else []
                facts = [str(sub.get("cidr") or ""), "public" if sub.get("public") else "private"]
                if self.group_by == "az":
                    facts.append(f"VPC {vpc}")
                self._add(parent, Cluster(
                    f"SUBNET_{subnet}", "subnet", f"subnet {_title(subnet, sub)}", icon_for(sub),
                    look="public_subnet" if sub.get("public") else "subnet",
                    detail=" · ".join(fact for fact in facts if fact), badges=badges,
                    marks=self.marks.get(subnet, Marks()), highlight=sub.get("highlight")))

    def _add(self, parent: Cluster, cluster: Cluster) -> Cluster:
        parent.clusters.append(cluster)
        self.clusters[cluster.id] = cluster
        return cluster

    # -- where each resource goes ---------------------------------------------------

    def _home(self, resource: str, data: dict) -> Cluster:
        if self.tag_key is not None:
            tags = data.get("tags") if isinstance(data.get("tags"), dict) else {}
            if self.tag_key in tags and data.get("type") not in OUTSIDE_TYPES:
                value = str(tags[self.tag_key])
                cluster_id = f"TAG_{len(value)}_{value}"  # the length keeps ids of different values apart
                return self.clusters.get(cluster_id) or self._add(
                    self.region, Cluster(cluster_id, "tag", f"{self.tag_key}: {value}"))
        return self._network_home(resource, data)

    def _network_home(self, resource: str, data: dict) -> Cluster:
        kind = data.get("type")
        if kind in OUTSIDE_TYPES:
            return self.top
        if kind == "ec2.instance":
            if data.get("subnet"):
                return self.clusters[f"SUBNET_{data['subnet']}"]
            return self._region_az(data.get("az"))
        if kind in ("autoscaling.group", "alb"):
            subnets = _as_list(data.get("subnets"))
            if len(subnets) > 1:
                self.spans[resource] = [subnet for subnet in subnets if f"SUBNET_{subnet}" in self.clusters]
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
            # run where the group is: with one located piece they join it (one group,
            # one box, as the spec means); otherwise they sit at the region level in a
            # piece that says so, no "part" of a split.
            located = [piece for parent_id, piece in pieces.items() if parent_id != self.region.id]
            if self.region.id in pieces and len(located) == 1:
                stray = pieces.pop(self.region.id)
                self.region.clusters.remove(stray)
                located[0].nodes.extend(stray.nodes)
                located[0].clusters.extend(stray.clusters)
                for member, home in homes.items():
                    if home is stray:
                        homes[member] = located[0]
            elif self.region.id in pieces:
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
                    detail=_detail(data), badges=badges, marks=self.marks.get(resource, Marks()),
                    highlight=data.get("highlight"))


def _sibling_targets(edges: list[Edge]) -> list[list[str]]:
    """The targets of each flow entry with several (`to: [a, b, c]`), in file order."""
    by_entry: dict[tuple, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.style not in ("reference",) and edge.position[0]:
            targets = by_entry[(edge.source, *edge.position)]
            if edge.target not in targets:
                targets.append(edge.target)
    return [targets for targets in by_entry.values() if len(targets) > 1]


def _first_node(cluster: Cluster) -> str | None:
    for inner in cluster.walk():
        if inner.nodes:
            return inner.nodes[0].id
    return None


def _edges(graph: nx.MultiDiGraph, drawn: set[str], marks: dict[tuple, Marks]) -> list[Edge]:
    """Every edge drawn as an arrow, sorted by its place in the file."""
    rows = []
    order = {resource: index for index, resource in enumerate(graph.nodes)}  # file order
    for source, target, key, data in graph.edges(keys=True, data=True):
        style = edge_style(data, graph.nodes[target].get("type"))
        if style is None or source not in drawn or target not in drawn:
            continue
        # one flow entry to several targets (`to: [a, b, c]`) keeps the targets in file order
        rows.append(((data.get("line") or 0, data.get("column") or 0, order[source], order[target], style),
                     Edge(source, target, style, edge_label(data), marks.get((source, target, key), Marks()),
                          (data.get("line") or 0, data.get("column") or 0),
                          constrains=data.get("relation") not in PEER_RELATIONS, highlight=data.get("highlight"))))
    rows.sort(key=lambda row: (row[0], row[1].label))
    return [edge for _, edge in rows]
