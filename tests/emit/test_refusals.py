"""What emit refuses or keeps literal: what AWS refuses at deploy time (even with
--force and an `ignore:`), hostile flow prefixes in Fn::Sub, load balancers the spec
leaves undecided or unreachable, VPC ranges EC2 refuses."""

from __future__ import annotations

import json

import pytest

from archlint.render.cloudformation import EmitError

from .conftest import run_emit, template_of

HOSTILE = """
    archlint: 1
    name: hostile
    resources:
      uploads: {type: s3.bucket}
      writer: {type: lambda.function}
    flows:
      - from: writer
        to: uploads
        prefix: "${AWS::AccountId}/"
        suffix: ".${writer.Arn}"
"""


def test_a_hostile_prefix_stays_literal_in_fn_sub():
    text = json.dumps(template_of(HOSTILE))
    assert "${!AWS::AccountId}/*.${!writer.Arn}" in text
    assert "/${AWS::AccountId}/" not in text


FIFO_STANDARD_DLQ = """
    archlint: 1
    name: fifo
    resources:
      orders:
        type: sqs.queue
        fifo: true
        dead_letter: dlq
        ignore: {DLQ004: we know}
      dlq: {type: sqs.queue}
"""


def test_what_aws_refuses_is_refused_even_with_force_and_ignore(write_spec, tmp_path):
    out = tmp_path / "t.yaml"
    result = run_emit(write_spec(FIFO_STANDARD_DLQ), "--force", "-o", str(out))
    assert result.returncode == 1 and not out.exists()
    assert "DLQ004" in result.stderr and "refused even with --force" in result.stderr


def test_an_alb_with_no_subnets_is_a_clear_error(write_spec, tmp_path):
    spec = write_spec("""
        archlint: 1
        name: t
        resources:
          v: {type: vpc}
          s: {type: subnet, vpc: v, az: us-east-1a}
          i: {type: ec2.instance, subnet: s}
          lb: {type: alb, subnets: []}
        flows:
          - lb -> i
    """)
    result = run_emit(spec, "-o", str(tmp_path / "t.yaml"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "at least two Availability Zones" in result.stderr


def test_two_alb_targets_need_weights():
    text = """
        archlint: 1
        name: t
        resources:
          v: {type: vpc}
          a: {type: subnet, vpc: v, az: us-east-1a}
          b: {type: subnet, vpc: v, az: us-east-1b}
          sg: {type: security_group, vpc: v, rules: [{ports: 8080, cidr: 10.0.0.0/8}]}
          i: {type: ec2.instance, subnet: a, security_groups: [sg]}
          j: {type: ec2.instance, subnet: b, security_groups: [sg]}
          lb: {type: alb, subnets: [a, b], listener_protocol: HTTP}
        flows:
          - lb -> i
          - lb -> j
    """
    with pytest.raises(EmitError, match="weights"):
        template_of(text)
    listener = template_of(text.replace("listener_protocol: HTTP}", "listener_protocol: HTTP, weights: {i: 1, j: 3}}"))
    forward = next(b for b in listener["Resources"].values() if b["Type"] == "AWS::ElasticLoadBalancingV2::Listener")
    assert [g["Weight"] for g in forward["Properties"]["DefaultActions"][0]["ForwardConfig"]["TargetGroups"]] == [1, 3]


ALB = """
    archlint: 1
    name: t
    resources:
      v: {type: vpc}
      a: {type: subnet, vpc: v, az: us-east-1a}
      b: {type: subnet, vpc: v, az: us-east-1b}
      lb-sg: {type: security_group, vpc: v, rules: [{ports: 443, cidr: 0.0.0.0/0}]}
      app-sg: {type: security_group, vpc: v, rules: [{ports: 8080, group: lb-sg}]}
      i: {type: ec2.instance, subnet: a, security_groups: [app-sg]}
      lb: {type: alb, subnets: [a, b], security_groups: [lb-sg]}
    flows:
      - lb -> i
"""


def test_alb_ports_come_from_the_spec_and_its_security_groups():
    resources = template_of(ALB)["Resources"]
    assert resources["LbToITargetGroup"]["Properties"]["Port"] == 8080
    assert resources["LbListener"]["Properties"]["Port"] == 443


@pytest.mark.parametrize("old, new, words", [
    ("ports: 443, cidr", "ports: 80, cidr", "let no client in on the listener port 443"),
    ("ports: 8080, group: lb-sg", "ports: 8080, cidr: 192.168.0.0/24", "which port do the targets"),
])
def test_an_alb_that_no_request_could_reach_is_an_error(old, new, words):
    with pytest.raises(EmitError, match=words):
        template_of(ALB.replace(old, new))


def test_a_vpc_range_ec2_refuses_is_an_error():
    with pytest.raises(EmitError, match="/16 to /28"):
        template_of("""
            archlint: 1
            name: t
            resources:
              v: {type: vpc, cidr: 10.0.0.0/8}
        """)
