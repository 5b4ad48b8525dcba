"""`archlint import`'s spec: loads, lints the same way as the template, and says what the
template left unknown (comments, placeholders, ignores with the reason)."""

from __future__ import annotations

from archlint.linter.commands.import_template import spec_for
from archlint.linter.engine import lint_graph
from archlint.linter.registry import all_rules, known_selector
from archlint.specs import load_text

from .helpers import findings, load

UNKNOWNS = """\
Parameters:
  Visibility: {Type: Number}
  Dlq: {Type: String}
  VpcId: {Type: AWS::EC2::VPC::Id}
  Subnets: {Type: List<AWS::EC2::Subnet::Id>}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref Visibility
      RedrivePolicy: {deadLetterTargetArn: !Ref Dlq, maxReceiveCount: 3}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}, Timeout: 60}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Jobs.Arn, FunctionName: !Ref Worker}
  Zone:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, AvailabilityZone: !Select [1, !GetAZs ""], CidrBlock: 10.1.0.0/24}
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: !Ref Subnets}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: 1, MaxSize: 2, VPCZoneIdentifier: !Ref Subnets, LaunchConfigurationName: elsewhere}
  Spread:
    Type: AWS::EC2::PlacementGroup
  Matcher:
    Type: AWS::Events::Rule
    Properties: {EventPattern: {source: [!Ref Dlq]}}
"""


def test_the_spec_loads_and_lints_like_the_template():
    graph = load(UNKNOWNS)
    text, differences = spec_for(graph, all_rules())
    assert differences == []
    spec = load_text(text, "spec.yaml", rule_known=known_selector)
    assert findings(spec) == findings(graph) == set()
    # without the ignores the defaults would speak: no DLQ (DLQ001) and 30 s < 60 s (SQS001)
    assert "      DLQ001: 'unknown in the template: jobs.dead_letter, jobs.visibility_timeout" in text
    assert "      SQS001: 'unknown in the template: " in text
    assert "    # unknown in the template: visibility_timeout (the parameter Visibility)" in text


def test_required_unknowns_get_marked_placeholders():
    text, _ = spec_for(load(UNKNOWNS), all_rules())
    assert "    vpc: unknown-vpc  # placeholder" in text
    assert "    az: us-east-1a  # placeholder" in text
    assert "    subnets: [unknown-subnet-a, unknown-subnet-b]  # placeholder" in text  # an ALB needs two AZs
    assert "    strategy: spread  # placeholder" in text
    assert "    pattern: {}  # placeholder" in text
    assert "  unknown-vpc:  # placeholder: a VPC outside the template" in text
    spec = load_text(text, "spec.yaml")
    assert spec.nodes["zone"]["vpc"] == "unknown-vpc" and spec.nodes["group"]["subnets"] == ["unknown-subnet-a"]


def test_opaque_resources_are_listed_not_written():
    graph = load("Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n  Q:\n    Type: AWS::SQS::Queue\n")
    text, differences = spec_for(graph, all_rules())
    assert differences == []
    assert "#   Api (AWS::ApiGateway::RestApi, line 2)" in text
    assert list(load_text(text).nodes) == ["q"]


def test_duplicate_acl_rule_numbers_are_all_kept_for_nacl004():
    """CloudFormation refuses the second entry; the spec keeps both, as the template
    has them, and NACL004 reports them on the template and the spec alike."""
    graph = load("""\
        Resources:
          Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
          Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}
          A: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 300, Protocol: -1, RuleAction: deny, Egress: false, CidrBlock: 0.0.0.0/0}}
          B: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 300, Protocol: -1, RuleAction: allow, Egress: false, CidrBlock: 10.0.0.0/8}}
    """)
    assert len(graph.nodes["acl"]["rules"]) == 2  # the template as it is
    text, differences = spec_for(graph, all_rules())
    spec = load_text(text)
    assert [rule["action"] for rule in spec.nodes["acl"]["rules"]] == ["deny", "allow"]
    assert differences == []
    assert ("NACL004", "acl") in {(f.rule, f.resource) for f in lint_graph(spec, all_rules()).findings}


IGNORED = """\
Metadata:
  archlint:
    ignore: {SQS002: batches are tiny}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Metadata:
      archlint:
        ignore: {DLQ001: replayed from the source system}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}, Timeout: 10}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Jobs.Arn, FunctionName: !Ref Worker}
"""


def test_ignores_in_the_template_metadata_silence_and_carry_over():
    from archlint.linter.engine import lint_graph
    from archlint.specs.cfn import load_template_text

    graph = load_template_text(IGNORED, "t.yaml", rule_known=known_selector)
    result = lint_graph(graph, all_rules())
    assert result.findings == []
    assert sorted(item.finding.rule for item in result.suppressed) == ["DLQ001", "SQS002"]
    assert graph.nodes["jobs"]["positions"]["ignore.DLQ001"] == (9, 18)
    text, differences = spec_for(graph, all_rules())
    assert differences == []
    spec = load_text(text, "spec.yaml", rule_known=known_selector)
    assert spec.graph["ignore"] == {"SQS002": "batches are tiny"}
    assert spec.nodes["jobs"]["ignore"] == {"DLQ001": "replayed from the source system"}


def test_a_bad_ignore_in_the_template_is_reported_where_it_is():
    import pytest

    from archlint.specs import SpecError
    from archlint.specs.cfn import load_template_text

    with pytest.raises(SpecError) as caught:
        load_template_text(IGNORED.replace("DLQ001: replayed from the source system", "NOPE999: why"), "t.yaml", rule_known=known_selector)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (9, 18) and "names no known rule" in problem.message
