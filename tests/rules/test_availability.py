"""EBS001-EBS003 and HA001."""

import textwrap

import pytest

from archlint.rules.availability import (
    RULES,
    ElasticIpWithoutRecovery,
    GroupVolumesWithoutSnapshotHook,
    VolumeCannotFollow,
    VolumeInOtherZone,
)

from .conftest import load, line_of


def run(rule_class, text):
    """The graph of a spec text and the findings of one rule on it."""
    graph = load(text)
    return graph, list(rule_class().check(graph))


NETWORK = """\
archlint: 1
name: app
resources:
  main:
    type: vpc
  sub-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  sub-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.2.0/24
  sub-a2:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.3.0/24
"""


def spec(resources, flows=""):
    text = NETWORK + textwrap.indent(textwrap.dedent(resources), "  ")
    if flows:
        text += "flows:\n" + textwrap.indent(textwrap.dedent(flows), "  ")
    return text


# --- EBS001 ---------------------------------------------------------------------


def test_ebs001_volume_listed_by_an_instance_in_another_az():
    text = spec("""\
        data:
          type: ebs.volume
          az: us-east-1a
        db-1:
          type: ec2.instance
          subnet: sub-a2
          volumes: [data]
        db-2:
          type: ec2.instance
          subnet: sub-b
          volumes: [data]
        db-3:
          type: ec2.instance
          az: us-east-1c
          volumes: [data]
        db-4:
          type: ec2.instance
          volumes: [data]
        """)
    graph, found = run(VolumeInOtherZone, text)
    # once per instance in another AZ; db-1 is in the volume's AZ, db-4's AZ is unknown
    assert [(f.rule, f.resource) for f in found] == [("EBS001", "data"), ("EBS001", "data")]
    assert "db-2" in found[0].message and "us-east-1b" in found[0].message
    assert "db-3" in found[1].message and "us-east-1c" in found[1].message
    assert (found[0].line, found[0].column) == graph.nodes["data"]["positions"]["az"]
    assert found[0].line == line_of(text, "az: us-east-1a", occurrence=3)  # after sub-a, sub-a2


def test_ebs001_volume_in_the_instance_az():
    text = spec("""\
        db-1:
          type: ec2.instance
          subnet: sub-a
          volumes: [data]
        data:
          type: ebs.volume
        """)
    graph, found = run(VolumeInOtherZone, text)
    assert graph.nodes["data"]["az"] == "us-east-1a"  # filled from the one instance
    assert found == []


# --- EBS002 ---------------------------------------------------------------------


def test_ebs002_group_spanning_azs():
    text = spec("""\
        app:
          type: autoscaling.group
          subnets: [sub-a, sub-b]
          volumes: [data]
        data:
          type: ebs.volume
          az: us-east-1a
        """)
    graph, found = run(VolumeCannotFollow, text)
    assert [(f.rule, f.resource) for f in found] == [("EBS002", "data")]
    assert "app" in found[0].message and "us-east-1a and us-east-1b" in found[0].message
    assert (found[0].line, found[0].column) == graph.nodes["data"]["positions"]["az"]


def test_ebs002_group_in_one_az_with_two_subnets():
    text = spec("""\
        app:
          type: autoscaling.group
          subnets: [sub-a, sub-a2]
          volumes: [data]
        data:
          type: ebs.volume
          az: us-east-1a
        """)
    _, found = run(VolumeCannotFollow, text)
    assert found == []


@pytest.mark.parametrize("standby_line", ["standby_for: primary", None])
def test_ebs002_standby_partner_in_another_az_either_direction(standby_line):
    # the partner names the volume's instance, or the volume's instance names the partner
    if standby_line:
        resources = """\
            primary:
              type: ec2.instance
              subnet: sub-a
              volumes: [data]
            standby:
              type: ec2.instance
              subnet: sub-b
              standby_for: primary
            data:
              type: ebs.volume
            """
    else:
        resources = """\
            primary:
              type: ec2.instance
              subnet: sub-b
            standby:
              type: ec2.instance
              subnet: sub-a
              standby_for: primary
              volumes: [data]
            data:
              type: ebs.volume
            """
    _, found = run(VolumeCannotFollow, spec(resources))
    assert [(f.rule, f.resource) for f in found] == [("EBS002", "data")]
    assert "primary" in found[0].message and "standby" in found[0].message


def test_ebs002_standby_in_the_same_az_or_unknown():
    text = spec("""\
        primary:
          type: ec2.instance
          subnet: sub-a
          volumes: [data]
        standby:
          type: ec2.instance
          subnet: sub-a2
          standby_for: primary
        other:
          type: ec2.instance
          standby_for: primary
        data:
          type: ebs.volume
        """)
    _, found = run(VolumeCannotFollow, text)
    assert found == []


# --- EBS003 ---------------------------------------------------------------------


def test_ebs003_group_with_volumes_and_only_a_launching_hook():
    text = spec("""\
        app:
          type: autoscaling.group
          subnets: [sub-a]
          volumes: [data]
          lifecycle_hooks:
            - transition: launching
        data:
          type: ebs.volume
          az: us-east-1a
        """)
    graph, found = run(GroupVolumesWithoutSnapshotHook, text)
    assert [(f.rule, f.resource) for f in found] == [("EBS003", "app")]
    assert (found[0].line, found[0].column) == graph.nodes["app"]["positions"]["volumes"]
    assert "data" in found[0].message


def test_ebs003_not_with_a_terminating_hook_or_without_volumes():
    text = spec("""\
        app:
          type: autoscaling.group
          subnets: [sub-a]
          volumes: [data]
          lifecycle_hooks:
            - transition: launching
            - transition: terminating
        web:
          type: autoscaling.group
          subnets: [sub-a]
        data:
          type: ebs.volume
          az: us-east-1a
        """)
    _, found = run(GroupVolumesWithoutSnapshotHook, text)
    assert found == []


# --- HA001 ----------------------------------------------------------------------

STANDBY = """\
    web:
      type: ec2.instance
      subnet: sub-a
    web-standby:
      type: ec2.instance
      subnet: sub-b
      standby_for: web
    web-ip:
      type: ec2.eip
      instance: web
    web-down:
      type: cloudwatch.alarm
      watches: web
    failover:
      type: lambda.function
"""


def test_ha001_eip_instance_without_any_recovery():
    text = spec("""\
        web:
          type: ec2.instance
          subnet: sub-a
        web-ip:
          type: ec2.eip
          instance: web
        web-down:
          type: cloudwatch.alarm
          watches: web
        alerts:
          type: sns.topic
        """, "- web-down -> alerts\n")
    graph, found = run(ElasticIpWithoutRecovery, text)
    assert [(f.rule, f.resource) for f in found] == [("HA001", "web")]
    assert "web-ip" in found[0].message
    assert (found[0].line, found[0].column) == (graph.nodes["web"]["line"], graph.nodes["web"]["column"])


def test_ha001_ec2_recover_alarm():
    text = spec("""\
        web:
          type: ec2.instance
          subnet: sub-a
        web-ip:
          type: ec2.eip
          instance: web
        web-down:
          type: cloudwatch.alarm
          watches: web
        """, "- web-down -> web\n")
    _, found = run(ElasticIpWithoutRecovery, text)
    assert found == []


def test_ha001_alarm_recovering_another_instance_does_not_count():
    text = spec("""\
        web:
          type: ec2.instance
          subnet: sub-a
        other:
          type: ec2.instance
          subnet: sub-a
        web-ip:
          type: ec2.eip
          instance: web
        web-down:
          type: cloudwatch.alarm
          watches: web
        """, "- web-down -> other\n")
    _, found = run(ElasticIpWithoutRecovery, text)
    assert [f.resource for f in found] == ["web"]


def test_ha001_complete_standby_pattern():
    _, found = run(ElasticIpWithoutRecovery, spec(STANDBY, "- web-down -> failover -> web-ip\n"))
    assert found == []


@pytest.mark.parametrize(
    "resources, flows, missing",
    [
        # no standby instance
        (STANDBY.replace("      standby_for: web\n", ""), "- web-down -> failover -> web-ip\n", "no instance has it as `standby_for`"),
        # the function manages no Elastic IP of the instance
        (STANDBY + "    other-ip:\n      type: ec2.eip\n", "- web-down -> failover -> other-ip\n", "never takes over"),
        # the alarm that invokes the function watches another instance
        (
            STANDBY.replace("      watches: web\n", "      watches: web-standby\n"),
            "- web-down -> failover -> web-ip\n",
            "never takes over",
        ),
    ],
    ids=["no-standby", "function-moves-another-eip", "alarm-on-another-instance"],
)
def test_ha001_incomplete_standby_pattern(resources, flows, missing):
    _, found = run(ElasticIpWithoutRecovery, spec(resources, flows))
    assert [f.resource for f in found] == ["web"]
    assert missing in found[0].message


def test_ha001_instances_without_eip_are_not_checked():
    text = spec("""\
        web:
          type: ec2.instance
          subnet: sub-a
        """)
    _, found = run(ElasticIpWithoutRecovery, text)
    assert found == []


@pytest.mark.parametrize("rule_class", RULES, ids=lambda cls: cls.id)
def test_examples(rule_class):
    _, bad = run(rule_class, rule_class.bad_example)
    assert bad and all(f.rule == rule_class.id for f in bad)
    _, good = run(rule_class, rule_class.good_example)
    assert good == []
