"""Where resources go and how edges look, read back from real Graphviz's parse of our DOT."""

from __future__ import annotations

from archlint.linter.rule import Finding
from archlint.render import render_bytes
from archlint.render.styles import EDGE_STYLES, FINDING_COLOR
from archlint.specs import load_text

from .conftest import DotStructure, label_text


def structure(graph, **options) -> DotStructure:
    return DotStructure(render_bytes(graph, "dot", **options).data.decode())


def test_region_vpc_az_subnet_nest_and_resources_sit_in_their_subnet(network_graph):
    dot = structure(network_graph)
    assert dot.chain("bastion") == [
        "cluster_PG_tight_IN_SUBNET_web-a",
        "cluster_SUBNET_web-a",
        "cluster_AZ_eu-west-1a_OF_main",
        "cluster_VPC_main",
        "cluster_REGION",
    ]
    assert dot.chain("cluster_SUBNET_web-b") == ["cluster_AZ_eu-west-1b_OF_main", "cluster_VPC_main", "cluster_REGION"]
    # AWS's group colours: a public subnet green, a private one teal
    assert dot.clusters["cluster_SUBNET_web-a"]["pencolor"] == "#7AA116"


def test_every_resource_is_drawn_once_and_vpcs_and_subnets_are_clusters(network_graph):
    dot = structure(network_graph)
    for resource, data in network_graph.nodes(data=True):
        if data["type"] in ("vpc", "subnet"):
            assert f"cluster_{data['type'].upper()}_{resource}" in dot.clusters
        elif resource == "tight":  # a cluster placement group with members is a cluster
            assert "cluster_PG_tight_IN_SUBNET_web-a" in dot.clusters
        else:
            assert resource in dot.nodes, resource


def test_spanning_resources_sit_in_the_smallest_cluster_holding_their_subnets(network_graph):
    dot = structure(network_graph)
    assert dot.chain("front")[0] == "cluster_VPC_main"
    # an Auto Scaling group across subnets is one node in a cluster of its own
    assert dot.chain("fleet")[:2] == ["cluster_ASG_fleet", "cluster_VPC_main"]
    assert "web-a, web-b" in dot.clusters["cluster_ASG_fleet"]["label"]


def test_externals_are_outside_the_region_and_serverless_inside(network_graph):
    dot = structure(network_graph)
    assert dot.chain("shoppers") == []
    assert dot.chain("worker") == ["cluster_REGION"]
    assert "eu-west-1" in dot.clusters["cluster_REGION"]["label"]


def test_security_groups_and_acls_are_badges_not_arrows(network_graph):
    dot = structure(network_graph)
    assert "SG web-sg" in dot.nodes["front"]["label"]
    assert "SG web-sg" in dot.nodes["fleet"]["label"]
    assert "NACL edge-acl" in dot.clusters["cluster_SUBNET_web-a"]["label"]
    assert dot.chain("web-sg")[0] == dot.chain("edge-acl")[0] == "cluster_VPC_main"
    touching = {name for tail, head, _ in dot.edges for name in (tail, head)}
    assert "web-sg" not in touching and "edge-acl" not in touching


def test_every_resource_shows_its_icon(network_graph):
    dot = structure(network_graph)
    assert 'SRC="aws/compute/lambda.png"' in dot.nodes["worker"]["label"]
    assert 'SRC="icons/security-group.png"' in dot.nodes["web-sg"]["label"]
    assert 'SRC="aws/network/public-subnet.png"' in dot.clusters["cluster_SUBNET_web-a"]["label"]
    assert 'SRC="icons/placement-group.png"' in dot.clusters["cluster_PG_tight_IN_SUBNET_web-a"]["label"]


def test_invocation_kinds_have_distinct_styles_and_labels_show(network_graph):
    dot = structure(network_graph)
    sync = dot.edge("shoppers", "front")
    poll = dot.edge("orders", "worker")
    asynchronous = dot.edge("notify", "mailer")
    message = dot.edge("fleet", "orders")
    assert (sync["style"], poll["style"], asynchronous["style"]) == ("solid", "dotted", "dashed")
    assert len({sync["color"], poll["color"], asynchronous["color"], message["color"]}) == 4
    assert label_text(message["label"]) == "order placed"
    assert dot.edge("worker", "lookup")["style"] == "solid"  # a function invoking one synchronously


def test_dead_letter_and_on_failure_links_are_red_dashed_and_named(network_graph):
    dot = structure(network_graph)
    dlq = dot.edge("orders", "orders-dlq")
    failure = dot.edge("mailer", "failed")
    assert (dlq["color"], dlq["style"], label_text(dlq["label"])) == (FINDING_COLOR, "dashed", "DLQ")
    assert (failure["color"], failure["style"], label_text(failure["label"])) == (FINDING_COLOR, "dashed", "on failure")


def test_the_legend_lists_exactly_the_styles_used(network_graph):
    legend = structure(network_graph).nodes["LEGEND"]["label"]
    for key in ("sync", "async", "poll", "message", "dead_letter", "on_failure"):
        assert EDGE_STYLES[key].legend in legend
    assert EDGE_STYLES["reference"].legend not in legend


def _finding(resource: str, rule: str) -> Finding:
    return Finding("shop.yaml", 1, 1, rule, resource, "error", f"{rule} on {resource}", "fix it")


def test_findings_outline_the_resource_in_red_with_rule_ids_in_it(network_graph):
    findings = [_finding("orders", "DLQ006"), _finding("orders", "DLQ001"), _finding("web-a", "NACL002")]
    dot = structure(network_graph, findings=findings)
    orders = dot.nodes["orders"]
    assert orders["color"] == FINDING_COLOR and float(orders["penwidth"]) >= 2
    assert f'COLOR="{FINDING_COLOR}"><B>DLQ001 DLQ006</B>' in orders["label"]  # sorted, under the name
    assert "DLQ001: DLQ001 on orders" in orders["tooltip"]
    subnet = dot.clusters["cluster_SUBNET_web-a"]
    assert subnet["pencolor"] == FINDING_COLOR and "NACL002" in subnet["label"]
    assert "color" not in dot.nodes["worker"] or dot.nodes["worker"]["color"] != FINDING_COLOR


def test_without_findings_nothing_is_marked(network_graph):
    dot = structure(network_graph)
    assert not any(node.get("color") == FINDING_COLOR or "tooltip" in node for node in dot.nodes.values())
    assert not any(cluster.get("pencolor") == FINDING_COLOR for cluster in dot.clusters.values())
    assert "LEGEND_findings" not in dot.graph["objects"] and "RULE001" not in dot.nodes["LEGEND"]["label"]


def test_direction_sets_rankdir(network_graph):
    assert structure(network_graph, direction="TB").graph["rankdir"] == "TB"
    assert structure(network_graph).graph["rankdir"] == "LR"


def test_cluster_placement_group_split_across_subnets_shows_each_part():
    graph = load_text("""\
archlint: 1
name: hpc
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  b: {type: subnet, vpc: net, az: us-east-1b, cidr: 10.0.2.0/24}
  pg: {type: placement_group, strategy: cluster}
  spread: {type: placement_group, strategy: spread}
  n1: {type: ec2.instance, subnet: a, placement_group: pg}
  n2: {type: ec2.instance, subnet: b, placement_group: pg}
  n3: {type: ec2.instance, subnet: b, placement_group: spread}
""", "hpc.yaml")
    dot = structure(graph)
    assert dot.chain("n1")[:2] == ["cluster_PG_pg_IN_SUBNET_a", "cluster_SUBNET_a"]
    assert dot.chain("n2")[:2] == ["cluster_PG_pg_IN_SUBNET_b", "cluster_SUBNET_b"]
    assert "part 1 of 2" in dot.clusters["cluster_PG_pg_IN_SUBNET_a"]["label"]
    assert "part 2 of 2" in dot.clusters["cluster_PG_pg_IN_SUBNET_b"]["label"]
    # a spread group is no cluster: a node of its own, and a badge on its members
    assert "spread" in dot.nodes and "PG spread (spread)" in dot.nodes["n3"]["label"]


def test_instances_without_subnet_and_volumes_go_to_their_availability_zone():
    graph = load_text("""\
archlint: 1
name: disks
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  app: {type: ec2.instance, subnet: a, volumes: [data]}
  data: {type: ebs.volume, az: us-east-1a}
  loose: {type: ec2.instance, az: us-east-1b}
""", "disks.yaml")
    dot = structure(graph)
    assert dot.chain("data")[:2] == ["cluster_AZ_us-east-1a_OF_net", "cluster_VPC_net"]
    assert dot.chain("loose") == ["cluster_AZ_us-east-1b", "cluster_REGION"]
    assert label_text(dot.edge("app", "data")["label"]) == "volume"


def test_an_auto_scaling_group_in_one_subnet_sits_in_it_and_empty_subnets_still_show():
    graph = load_text("""\
archlint: 1
name: one
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  spare: {type: subnet, vpc: net, az: us-east-1b, cidr: 10.0.2.0/24}
  group: {type: autoscaling.group, subnets: [a]}
""", "one.yaml")
    dot = structure(graph)
    assert dot.chain("group")[0] == "cluster_SUBNET_a"
    assert "cluster_ASG_group" not in dot.clusters
    assert "cluster_SUBNET_spare" in dot.clusters  # drawn although nothing lives in it


def test_a_resource_of_a_type_we_do_not_know_is_drawn_with_the_generic_icon_and_its_type():
    import networkx as nx

    graph = nx.MultiDiGraph(name="imported", file="template.yaml", region="us-east-1")
    graph.add_node("table", type="AWS::DynamoDB::Table", line=3, column=3)
    graph.add_node("fn", type="lambda.function", line=9, column=3)
    graph.add_edge("fn", "table", kind="flow", relation="write", invocation=None, label="put item", line=20, column=5)
    dot = structure(graph)
    assert 'SRC="aws/general/general.png"' in dot.nodes["table"]["label"]
    assert "AWS::DynamoDB::Table" in dot.nodes["table"]["label"]
    assert label_text(dot.edge("fn", "table")["label"]) == "put item"


def test_placement_members_without_a_subnet_join_the_one_box_of_their_group():
    # hpc-cluster: the ParallelCluster and its compute fleet share one placement group
    # in one subnet; drawing two boxes would picture the very split HPC003 warns about
    graph = load_text("""\
archlint: 1
name: hpc
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  pg: {type: placement_group, strategy: cluster}
  head: {type: parallelcluster.cluster, placement_group: pg, networking: efa}
  n1: {type: ec2.instance, subnet: a, placement_group: pg, networking: efa}
""", "hpc.yaml")
    dot = structure(graph)
    assert dot.chain("head")[0] == dot.chain("n1")[0] == "cluster_PG_pg_IN_SUBNET_a"
    assert [name for name in dot.clusters if name.startswith("cluster_PG_pg")] == ["cluster_PG_pg_IN_SUBNET_a"]
    assert not any("part " in cluster["label"] for cluster in dot.clusters.values())


def test_placement_members_without_a_subnet_are_no_part_of_a_split():
    graph = load_text("""\
archlint: 1
name: hpc
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  b: {type: subnet, vpc: net, az: us-east-1b, cidr: 10.0.2.0/24}
  pg: {type: placement_group, strategy: cluster}
  head: {type: parallelcluster.cluster, placement_group: pg, networking: efa}
  n1: {type: ec2.instance, subnet: a, placement_group: pg, networking: efa}
  n2: {type: ec2.instance, subnet: b, placement_group: pg, networking: efa}
""", "hpc.yaml")
    dot = structure(graph)
    assert dot.chain("head")[:2] == ["cluster_PG_pg_IN_REGION", "cluster_REGION"]
    assert "no subnet in the spec" in dot.clusters["cluster_PG_pg_IN_REGION"]["label"]
    assert "part 1 of 2" in dot.clusters["cluster_PG_pg_IN_SUBNET_a"]["label"]
    assert "part " not in dot.clusters["cluster_PG_pg_IN_REGION"]["label"]


def test_unconnected_nodes_are_laid_out_in_rows_not_one_column():
    resources = "".join(f"  role{index}: {{type: sqs.queue}}\n" for index in range(9))
    dot = structure(load_text(f"archlint: 1\nname: many\nresources:\n{resources}", "many.yaml"))
    hidden = [(tail, head) for tail, head, attrs in dot.edges if attrs.get("style") == "invis"]
    # rows of four: role0..3, role4..7, role8
    assert hidden == [("role0", "role1"), ("role1", "role2"), ("role2", "role3"),
                      ("role4", "role5"), ("role5", "role6"), ("role6", "role7")]


def _vertical_order(graph, names) -> list[str]:
    """`names` as drawn top to bottom in a left-to-right picture, from real Graphviz."""
    import subprocess

    from .conftest import imagepath

    source = render_bytes(graph, "dot").data
    done = subprocess.run(["dot", "-Tplain", f"-Gimagepath={imagepath()}"], input=source, capture_output=True,
                          check=True)
    height = {}
    for line in done.stdout.decode().splitlines():
        parts = line.split()
        if parts[0] == "node" and parts[1].strip('"') in names:
            height[parts[1].strip('"')] = float(parts[3])
    return sorted(names, key=lambda name: -height[name])


def test_a_flows_targets_keep_file_order_in_the_example_and_its_flawed_twin():
    import os

    from archlint.specs import load_spec

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    queues = ["billing-queue", "shipping-queue", "analytics-queue"]  # as both files list them
    for path in ("specs/examples/sns-fanout.yaml", "specs/examples/flawed/sns-fanout.yaml"):
        assert _vertical_order(load_spec(os.path.join(root, path)), queues) == queues, path


def test_availability_zones_in_name_order(network_graph):
    # eu-west-1a's subnet above eu-west-1b's (left to right, AZs stack in name order)
    order = _vertical_order(network_graph, ["PRESENCE_front_IN_web-a", "PRESENCE_front_IN_web-b"])
    assert order == ["PRESENCE_front_IN_web-a", "PRESENCE_front_IN_web-b"]


def test_spanning_resources_have_a_presence_marker_in_each_subnet_in_their_rank(network_graph):
    dot = structure(network_graph)
    assert dot.chain("PRESENCE_front_IN_web-a")[0] == "cluster_SUBNET_web-a"
    assert dot.chain("PRESENCE_front_IN_web-b")[0] == "cluster_SUBNET_web-b"
    assert "load balancer node" in label_text(dot.nodes["PRESENCE_front_IN_web-a"]["label"])
    assert "instances" in label_text(dot.nodes["PRESENCE_fleet_IN_web-b"]["label"])
    assert "cluster_SUBNET_web-b_EMPTY" not in dot.nodes  # no subnet is drawn empty any more
    assert "spans it" in label_text(dot.nodes["LEGEND"]["label"])  # the legend says what the markers are


def test_lifecycle_hooks_on_functions_are_drawn_as_async_invocations():
    graph = load_text("""\
archlint: 1
name: hooks
resources:
  net: {type: vpc}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
  group:
    type: autoscaling.group
    subnets: [a]
    lifecycle_hooks:
      - {transition: terminating, target: snap}
      - {transition: launching, target: note}
  snap: {type: lambda.function}
  note: {type: sqs.queue}
""", "hooks.yaml")
    dot = structure(graph)
    assert dot.edge("group", "snap")["color"] == EDGE_STYLES["async"].color
    assert dot.edge("group", "snap")["style"] == "dashed"
    assert dot.edge("group", "note")["color"] == EDGE_STYLES["message"].color  # a notification, no invocation


def test_findings_about_a_flow_are_drawn_on_its_edge_in_their_severity_colour():
    from archlint.render.styles import SEVERITY_COLORS

    graph = load_text("""\
archlint: 1
name: fifo
resources:
  topic: {type: sns.topic, fifo: true}
  fn: {type: lambda.function}
  other: {type: sqs.queue}
flows:
  - topic -> fn
""", "fifo.yaml")
    line, column = graph.edges["topic", "fn", 0]["line"], graph.edges["topic", "fn", 0]["column"]
    findings = [Finding("fifo.yaml", line, column, "FAN002", "topic", "error", "FIFO to Lambda", "use a queue"),
                Finding("fifo.yaml", 4, 3, "DLQ001", "other", "warning", "no DLQ", "add one")]
    dot = structure(graph, findings=findings)
    edge = dot.edge("topic", "fn")
    assert edge["color"] == SEVERITY_COLORS["error"] and "FAN002" in label_text(edge["label"])
    assert "FIFO to Lambda" in edge["tooltip"]
    assert "FAN002" not in dot.nodes["topic"]["label"]  # on the edge, not the node
    assert dot.nodes["other"]["color"] == SEVERITY_COLORS["warning"] != SEVERITY_COLORS["error"]
    legend = label_text(dot.nodes["LEGEND"]["label"])
    assert "error:" in legend and "warning:" in legend and "info:" not in legend
