"""HPC001-HPC006: placement groups, EFA and enhanced networking."""

import textwrap

import pytest

from archlint.rules.hpc import (
    RULES,
    ClusterAcrossZones,
    ClusterMemberWithoutEfa,
    EfaClusterAcrossSubnets,
    EfaOnWindows,
    EfaSecurityGroupNotSelfOpen,
    LegacyIntelNetworking,
)

from .conftest import load, line_of


def run(rule_class, text):
    """The graph of a spec text and the findings of one rule on it."""
    graph = load(text)
    return graph, list(rule_class().check(graph))


NETWORK = """\
archlint: 1
name: sim
resources:
  main:
    type: vpc
  hpc-a1:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  hpc-a2:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.2.0/24
  hpc-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.3.0/24
  tight:
    type: placement_group
    strategy: cluster
  spread-out:
    type: placement_group
    strategy: spread
"""


def spec(resources):
    return NETWORK + textwrap.indent(textwrap.dedent(resources), "  ")


# --- HPC001 ---------------------------------------------------------------------


def test_hpc001_cluster_members_without_efa():
    text = spec("""\
        node-1:
          type: ec2.instance
          placement_group: tight
          networking: ena
        workers:
          type: autoscaling.group
          subnets: [hpc-a1]
          placement_group: tight
        fast:
          type: ec2.instance
          placement_group: tight
          networking: efa
        spread-node:
          type: ec2.instance
          placement_group: spread-out
        batch:
          type: batch.compute_environment
          placement_group: tight
        """)
    graph, found = run(ClusterMemberWithoutEfa, text)
    # node-1 spells `networking`; workers has the default ena and is pointed at by placement_group
    assert [(f.rule, f.resource) for f in found] == [("HPC001", "node-1"), ("HPC001", "workers")]
    assert found[0].line == line_of(text, "networking: ena")
    assert (found[1].line, found[1].column) == graph.nodes["workers"]["positions"]["placement_group"]
    assert "tight" in found[0].message and "`networking: efa`" in found[0].fix


# --- HPC002 ---------------------------------------------------------------------


def test_hpc002_efa_on_windows():
    text = spec("""\
        node-1:
          type: ec2.instance
          os: windows
          networking: efa
        workers:
          type: autoscaling.group
          subnets: [hpc-a1]
          os: windows
          networking: efa
        win-ena:
          type: ec2.instance
          os: windows
        linux-efa:
          type: ec2.instance
          networking: efa
        """)
    graph, found = run(EfaOnWindows, text)
    assert [(f.rule, f.resource) for f in found] == [("HPC002", "node-1"), ("HPC002", "workers")]
    assert (found[0].line, found[0].column) == graph.nodes["node-1"]["positions"]["os"]


# --- HPC003 ---------------------------------------------------------------------


def test_hpc003_members_in_two_azs_counting_every_az_of_a_group():
    text = spec("""\
        node-1:
          type: ec2.instance
          subnet: hpc-a1
          placement_group: tight
          networking: efa
        workers:
          type: autoscaling.group
          subnets: [hpc-a2, hpc-b]
          placement_group: tight
          networking: efa
        """)
    _, found = run(ClusterAcrossZones, text)
    assert [(f.rule, f.resource) for f in found] == [("HPC003", "tight")]
    assert "us-east-1a: node-1 and workers" in found[0].message
    assert "us-east-1b: workers" in found[0].message
    assert found[0].line == line_of(text, "strategy: cluster")


def test_hpc003_one_az_and_unknown_azs_do_not_count():
    text = spec("""\
        node-1:
          type: ec2.instance
          subnet: hpc-a1
          placement_group: tight
        node-2:
          type: ec2.instance
          placement_group: tight
        workers:
          type: autoscaling.group
          subnets: [hpc-a2]
          placement_group: tight
        elsewhere:
          type: ec2.instance
          subnet: hpc-b
          placement_group: spread-out
        """)
    _, found = run(ClusterAcrossZones, text)
    assert found == []


# --- HPC004 ---------------------------------------------------------------------


def test_hpc004_legacy_intel_networking():
    text = spec("""\
        old:
          type: ec2.instance
          instance_type: c4.8xlarge
          networking: intel-82599
        new:
          type: ec2.instance
          networking: ena
        """)
    graph, found = run(LegacyIntelNetworking, text)
    assert [(f.rule, f.resource, f.severity) for f in found] == [("HPC004", "old", "info")]
    assert (found[0].line, found[0].column) == graph.nodes["old"]["positions"]["networking"]


# --- HPC005 ---------------------------------------------------------------------


def test_hpc005_efa_members_in_two_subnets():
    text = spec("""\
        node-1:
          type: ec2.instance
          subnet: hpc-a1
          placement_group: tight
          networking: efa
        node-2:
          type: ec2.instance
          subnet: hpc-a2
          placement_group: tight
          networking: efa
        """)
    _, found = run(EfaClusterAcrossSubnets, text)
    assert [(f.rule, f.resource) for f in found] == [("HPC005", "tight")]
    assert "hpc-a1: node-1" in found[0].message and "hpc-a2: node-2" in found[0].message


def test_hpc005_a_group_counts_with_each_subnet():
    text = spec("""\
        workers:
          type: autoscaling.group
          subnets: [hpc-a1, hpc-a2]
          placement_group: tight
          networking: efa
        """)
    _, found = run(EfaClusterAcrossSubnets, text)
    assert [f.resource for f in found] == ["tight"]


def test_hpc005_non_efa_members_and_unknown_subnets_do_not_count():
    text = spec("""\
        node-1:
          type: ec2.instance
          subnet: hpc-a1
          placement_group: tight
          networking: efa
        node-2:
          type: ec2.instance
          subnet: hpc-a2
          placement_group: tight
        node-3:
          type: ec2.instance
          az: us-east-1a
          placement_group: tight
          networking: efa
        """)
    _, found = run(EfaClusterAcrossSubnets, text)
    assert found == []


# --- HPC006 ---------------------------------------------------------------------

GROUPS = """\
    ssh-only:
      type: security_group
      vpc: main
      rules:
        - {protocol: tcp, ports: 22, cidr: 10.0.0.0/16}
    self-in-only:
      type: security_group
      vpc: main
      rules:
        - {direction: ingress, protocol: all, group: self-in-only}
    self-in-web-out:
      type: security_group
      vpc: main
      rules:
        - {direction: ingress, protocol: all, group: self-in-web-out}
        - {direction: egress, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
    self-both:
      type: security_group
      vpc: main
      rules:
        - {direction: ingress, protocol: all, group: self-both}
        - {direction: egress, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
        - {direction: egress, protocol: all, group: self-both}
    other-group:
      type: security_group
      vpc: main
      rules:
        - {direction: ingress, protocol: all, group: ssh-only}
    self-tcp:
      type: security_group
      vpc: main
      rules:
        - {direction: ingress, protocol: tcp, ports: 0-65535, group: self-tcp}
"""


@pytest.mark.parametrize(
    "groups, fires",
    [
        ("[ssh-only]", True),
        ("[self-in-web-out]", True),  # egress rules, none of them to itself
        ("[other-group]", True),  # ingress from another group
        ("[self-tcp]", True),  # tcp only: not all traffic
        ("[self-in-only]", False),  # no egress rule at all: all egress allowed
        ("[self-both]", False),
        ("[ssh-only, self-both]", False),  # one of its groups suffices
    ],
)
def test_hpc006_security_groups_of_an_efa_resource(groups, fires):
    text = spec(GROUPS + f"""\
    node-1:
      type: ec2.instance
      networking: efa
      security_groups: {groups}
""")
    graph, found = run(EfaSecurityGroupNotSelfOpen, text)
    if fires:
        assert [(f.rule, f.resource) for f in found] == [("HPC006", "node-1")]
        assert (found[0].line, found[0].column) == graph.nodes["node-1"]["positions"]["security_groups"]
    else:
        assert found == []


def test_hpc006_only_efa_resources_and_groups_with_security_groups():
    text = spec(GROUPS + """\
    plain:
      type: ec2.instance
      security_groups: [ssh-only]
    no-groups:
      type: ec2.instance
      networking: efa
    workers:
      type: autoscaling.group
      subnets: [hpc-a1]
      networking: efa
      security_groups: [ssh-only]
""")
    _, found = run(EfaSecurityGroupNotSelfOpen, text)
    assert [f.resource for f in found] == ["workers"]


@pytest.mark.parametrize("rule_class", RULES, ids=lambda cls: cls.id)
def test_examples(rule_class):
    _, bad = run(rule_class, rule_class.bad_example)
    assert bad and all(f.rule == rule_class.id for f in bad)
    _, good = run(rule_class, rule_class.good_example)
    assert good == []
