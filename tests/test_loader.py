"""The loader on valid specs: the graph of docs/spec.md, with defaults, edges and positions."""

import textwrap

import pytest

from archlint.specs import load_text
from archlint.specs.flows import FLOW_PAIRS
from archlint.specs.types import TYPES

ORDERS = """\
archlint: 1
name: orders
description: Order intake
region: eu-west-1
resources:
  checkout:
    type: external
  orders-topic:
    type: sns.topic
  billing-queue:
    type: sqs.queue
    dead_letter: billing-dlq
  billing-dlq:
    type: sqs.queue
  billing-fn:
    type: lambda.function
    label: Billing
    tags: {team: payments, version: 3.10}
flows:
  - checkout -> orders-topic -> billing-queue -> billing-fn
  - from: orders-topic
    to: [billing-dlq]
    label: 404
ignore:
  SQS002: the billing function is idempotent
"""


def load(text):
    return load_text(textwrap.dedent(text), "spec.yaml")


def test_nodes_in_file_order_with_defaults_and_positions():
    graph = load(ORDERS)
    assert list(graph.nodes) == ["checkout", "orders-topic", "billing-queue", "billing-dlq", "billing-fn"]
    queue = graph.nodes["billing-queue"]
    assert queue["type"] == "sqs.queue"
    assert queue["fifo"] is False
    assert queue["max_receive_count"] == 5  # default, given a dead_letter
    assert queue["visibility_timeout"] == 30
    assert (queue["line"], queue["column"]) == (10, 3)
    assert queue["positions"]["dead_letter"] == (12, 5)
    assert graph.nodes["billing-dlq"]["max_receive_count"] is None  # no dead_letter: no count
    function = graph.nodes["billing-fn"]
    assert function["runtime"] == "python3.12" and function["memory"] == 128 and function["timeout"] == 3
    assert function["dead_letter"] is None and function["on_failure"] is None
    assert function["label"] == "Billing"
    assert graph.nodes["checkout"]["kind"] == "service"


def test_scalars_where_text_is_expected_keep_their_source_text():
    graph = load(ORDERS)
    assert graph.nodes["billing-fn"]["tags"] == {"team": "payments", "version": "3.10"}
    labels = [data["label"] for _, _, data in graph.edges(data=True) if data["kind"] == "flow"]
    assert "404" in labels


def test_spec_level_data():
    graph = load(ORDERS)
    assert graph.graph["name"] == "orders"
    assert graph.graph["region"] == "eu-west-1"
    assert graph.graph["description"] == "Order intake"
    assert graph.graph["ignore"] == {"SQS002": "the billing function is idempotent"}
    assert graph.graph["positions"]["ignore.SQS002"] == (25, 3)
    assert load(ORDERS.replace("region: eu-west-1\n", "")).graph["region"] == "us-east-1"


def test_chain_is_one_flow_per_arrow_at_the_entry_position():
    graph = load(ORDERS)
    flows = [(s, t, d["relation"], d["invocation"], d["line"]) for s, t, d in graph.edges(data=True) if d["kind"] == "flow"]
    assert ("checkout", "orders-topic", "publish", None, 20) in flows
    assert ("orders-topic", "billing-queue", "subscription", None, 20) in flows
    assert ("billing-queue", "billing-fn", "event_source_mapping", "poll", 20) in flows
    assert ("orders-topic", "billing-dlq", "subscription", None, 21) in flows


def test_reference_edges():
    graph = load(ORDERS)
    refs = [(s, t, d["relation"], d["line"]) for s, t, d in graph.edges(data=True) if d["kind"] == "ref"]
    assert refs == [("billing-queue", "billing-dlq", "dead_letter", 12)]


def _minimal_resource(type_name, rid, vpc="net", subnet="sub-a"):
    """Just the required attributes of a type, referring to shared helpers."""
    required = {
        "subnet": f"    vpc: {vpc}\n    az: us-east-1a\n",
        "network_acl": f"    vpc: {vpc}\n",
        "autoscaling.group": f"    subnets: [{subnet}]\n",
        "placement_group": "    strategy: cluster\n",
        "alb": f"    subnets: [{subnet}, sub-b]\n",
        "waf.web_acl": "    protects: lb\n",
        "cloudwatch.alarm": "    watches: host\n",
        "events.rule": "    schedule: rate(5 minutes)\n",
        "ebs.volume": "    az: us-east-1a\n",
    }
    return f"  {rid}:\n    type: {type_name}\n" + required.get(type_name, "")


HELPERS = """\
  net:
    type: vpc
  sub-a:
    type: subnet
    vpc: net
    az: us-east-1a
  sub-b:
    type: subnet
    vpc: net
    az: us-east-1b
  lb:
    type: alb
    subnets: [sub-a, sub-b]
  host:
    type: ec2.instance
"""


@pytest.mark.parametrize("pair", sorted(FLOW_PAIRS), ids=lambda pair: f"{pair[0]}->{pair[1]}")
def test_every_pair_of_the_flow_table_loads_with_its_relation(pair):
    source_type, target_type = pair
    relation, invocation = FLOW_PAIRS[pair]
    text = "archlint: 1\nname: pair\nresources:\n" + HELPERS
    text += _minimal_resource(source_type, "src") + _minimal_resource(target_type, "dst")
    text += "flows:\n  - src -> dst\n"
    graph = load_text(text, "pair.yaml")
    [(source, target, data)] = [edge for edge in graph.edges(data=True) if edge[2]["kind"] == "flow"]
    assert (source, target, data["relation"]) == ("src", "dst", relation)
    expected = "sync" if invocation == "async|sync" else invocation
    assert data["invocation"] == expected


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_every_type_loads_with_only_its_required_attributes(type_name):
    text = "archlint: 1\nname: one\nresources:\n" + HELPERS + _minimal_resource(type_name, "it")
    graph = load_text(text, "one.yaml")
    node = graph.nodes["it"]
    assert node["type"] == type_name
    for attribute in TYPES[type_name]:
        assert attribute in node  # every attribute present, absent ones as None


def test_async_invoke_between_functions_and_bucket_filters():
    graph = load("""\
        archlint: 1
        name: media
        resources:
          uploads:
            type: s3.bucket
          resize:
            type: lambda.function
            on_failure: notify
          notify:
            type: lambda.function
        flows:
          - {from: uploads, to: resize, suffix: .jpg}
          - {from: resize, to: notify, async: true}
          - {from: resize, to: uploads, prefix: thumbs/}
        """)
    edges = {(s, t): d for s, t, d in graph.edges(data=True) if d["kind"] == "flow"}
    assert edges[("uploads", "resize")]["events"] == ["s3:ObjectCreated:*"]
    assert edges[("uploads", "resize")]["suffix"] == ".jpg"
    assert edges[("uploads", "resize")]["invocation"] == "async"
    assert edges[("resize", "notify")]["invocation"] == "async"
    assert edges[("resize", "uploads")]["relation"] == "write"
    assert edges[("resize", "uploads")]["prefix"] == "thumbs/"
    assert edges[("resize", "uploads")]["events"] is None


def test_derived_values_instance_az_volume_az_group_sizes_alarm_metric():
    graph = load("""\
        archlint: 1
        name: derived
        resources:
          net: {type: vpc}
          sub: {type: subnet, vpc: net, az: us-east-1c, cidr: 10.0.3.0/24}
          host: {type: ec2.instance, subnet: sub, volumes: [data]}
          data: {type: ebs.volume}
          fleet: {type: autoscaling.group, subnets: [sub], min: 3}
          watch: {type: cloudwatch.alarm, watches: fleet}
          q: {type: sqs.queue}
          qwatch: {type: cloudwatch.alarm, watches: q}
        """)
    assert graph.nodes["host"]["az"] == "us-east-1c"
    assert graph.nodes["data"]["az"] == "us-east-1c"
    assert (graph.nodes["fleet"]["max"], graph.nodes["fleet"]["desired"]) == (3, 3)
    assert graph.nodes["watch"]["metric"] == "GroupInServiceInstances"
    assert graph.nodes["qwatch"]["metric"] == "ApproximateAgeOfOldestMessage"


def test_nested_references_lifecycle_hooks_and_security_group_self_reference():
    graph = load("""\
        archlint: 1
        name: nested
        resources:
          net: {type: vpc}
          sub: {type: subnet, vpc: net, az: us-east-1a}
          snap: {type: lambda.function, dead_letter: dlq}
          dlq: {type: sqs.queue}
          efa:
            type: security_group
            vpc: net
            rules:
              - {protocol: all, group: efa}
              - {direction: egress, protocol: all, group: efa}
          fleet:
            type: autoscaling.group
            subnets: sub
            security_groups: efa
            lifecycle_hooks:
              - {transition: terminating, target: snap}
        """)
    refs = {(s, t, d["relation"]): d for s, t, d in graph.edges(data=True) if d["kind"] == "ref"}
    assert refs[("fleet", "snap", "lifecycle_hook")]["transition"] == "terminating"
    assert refs[("efa", "efa", "group")]["rule"] in (0, 1)
    assert ("fleet", "sub", "subnets") in refs  # a single id reads as a one-item list
    assert graph.nodes["fleet"]["subnets"] == ["sub"]
    rules = graph.nodes["efa"]["rules"]
    assert rules[0] == {"direction": "ingress", "action": "allow", "protocol": "all", "ports": None, "cidr": None, "group": "efa"}
    assert graph.nodes["efa"]["positions"]["rules[1]"][0] == 13


def test_anchors_aliases_and_merge_keys():
    graph = load("""\
        archlint: 1
        name: anchors
        resources:
          base-fn: &fn
            type: lambda.function
            timeout: 30
            memory: 512
          other-fn:
            <<: *fn
            memory: 1024
        """)
    assert graph.nodes["other-fn"]["timeout"] == 30
    assert graph.nodes["other-fn"]["memory"] == 1024  # the mapping's own key wins


def test_resource_level_ignore_and_acl_rules():
    graph = load("""\
        archlint: 1
        name: acl
        resources:
          net: {type: vpc, cidr: 10.0.0.0/16}
          sub: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
          acl:
            type: network_acl
            vpc: net
            subnets: [sub]
            rules:
              - {number: 100, direction: ingress, action: deny, cidr: 203.0.113.7/32}
              - {number: 200, direction: ingress, action: allow, protocol: tcp, ports: "1024-65535", cidr: 0.0.0.0/0}
            ignore:
              NACL003: replies leave through a NAT that we manage
        """)
    acl = graph.nodes["acl"]
    assert acl["ignore"] == {"NACL003": "replies leave through a NAT that we manage"}
    assert acl["rules"][0]["protocol"] == "all"
    assert acl["rules"][1]["ports"] == "1024-65535"
    assert "ignore.NACL003" in acl["positions"]


def test_rule_known_callback_checks_ignore_keys():
    text = "archlint: 1\nname: x\nresources:\n  q: {type: sqs.queue}\nignore:\n  DLQ001: reason\n"
    assert load_text(text, "x.yaml", rule_known=lambda selector: True).graph["ignore"] == {"DLQ001": "reason"}
