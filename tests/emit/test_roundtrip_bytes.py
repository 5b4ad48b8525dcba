"""`emit` -> `import` -> `emit` gives the same bytes for every example and coverage spec
(the spec ids, the attributes CloudFormation cannot hold, the resources not emitted and
the uncarried flows come back from Metadata); refusals of what AWS refuses at deploy
time hold even with --force; hostile flow prefixes stay literal in Fn::Sub."""

from __future__ import annotations

import glob
import json
import os

import pytest

from archlint.render.cloudformation import build
from archlint.specs import load_spec, load_text
from archlint.specs.cfn import load_template_text
from archlint.specs.cfn.to_spec import spec_text

from .conftest import SPECS, run_emit, template_of

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "specs", "examples")


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(EXAMPLES, "*.yaml"))) + sorted(glob.glob(os.path.join(SPECS, "*.yaml"))),
                         ids=os.path.basename)
def test_emit_import_emit_is_byte_identical(path):
    first = build(load_spec(path)).to_yaml()
    imported = spec_text(load_template_text(first, "emitted.yaml"))
    second = build(load_text(imported.encode(), os.path.basename(path))).to_yaml()
    assert second == first


def test_ids_that_lose_their_hyphens_come_back():
    text = """
        archlint: 1
        name: ids
        resources:
          q-0-b: {type: sqs.queue}
    """
    template = template_of(text)
    assert template["Resources"]["Q0B"]["Metadata"]["archlint"]["id"] == "q-0-b"
    assert "q-0-b" in load_template_text(json.dumps(template), "t.json").nodes


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
    from archlint.render.cloudformation import EmitError

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
