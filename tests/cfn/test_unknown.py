"""What a template does not fix is unknown: never a wrong edge, never a crash, and no
rule fires on it. Each family's test has a control: the same template with the value
fixed fires the rule, so the test would notice a rule ignoring `unknown`."""

from __future__ import annotations

from archlint.linter.rule import known
from archlint.specs import load_text

from .helpers import findings, flows, load

PARAMETERS = """\
Parameters:
  Flag: {Type: String}
  Number: {Type: Number}
Conditions:
  IsOn: !Equals [!Ref Flag, "yes"]
"""


def test_parameters_conditions_imports_and_zones_are_unknown_with_reasons():
    graph = load(PARAMETERS + """\
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: {CidrBlock: !ImportValue shared-cidr}
          Subnet:
            Type: AWS::EC2::Subnet
            Properties: {VpcId: !Ref Vpc, AvailabilityZone: !Select [0, !GetAZs ""], CidrBlock: 10.0.0.0/24}
          Queue:
            Type: AWS::SQS::Queue
            Properties: {VisibilityTimeout: !Ref Number, FifoQueue: !If [IsOn, true, false]}
          Custom:
            Type: Custom::Thing
            Properties: {ServiceToken: !Ref Flag}
    """.replace("        ", ""))
    assert graph.nodes["vpc"]["unknown_reasons"] == {"cidr": "a value imported from another stack (Fn::ImportValue)"}
    assert graph.nodes["subnet"]["unknown"] == ["az"] and graph.nodes["subnet"]["az"] is None
    queue = graph.nodes["queue"]
    assert queue["unknown"] == ["fifo", "visibility_timeout"]
    assert queue["fifo"] is None and queue["visibility_timeout"] is None  # never the default
    assert queue["unknown_reasons"]["visibility_timeout"] == "the parameter Number"
    assert queue["unknown_reasons"]["fifo"] == "the condition IsOn"
    assert graph.nodes["custom"]["type"] == "cfn.resource"


def test_an_unresolvable_end_makes_no_edge():
    graph = load(PARAMETERS + """\
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !Ref Flag, FunctionName: !Ref Worker}
  Other:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: arn:aws:sqs:us-east-1:1:elsewhere, FunctionName: !GetAtt Worker.Arn}
""")
    assert flows(graph) == set()
    assert "flows" in graph.nodes["worker"]["unknown"]


def test_specs_leave_nothing_unknown_and_known_reads_the_list():
    graph = load_text("archlint: 1\nname: s\nresources:\n  q:\n    type: sqs.queue\n")
    assert graph.nodes["q"]["unknown"] == []
    assert known(graph.nodes["q"], "fifo") and not known({"unknown": ["fifo"]}, "timeout", "fifo")


def _both(template: str, unknown: str, fixed: str):
    """Findings of the template with the unknown value, and with it fixed."""
    return findings(load(PARAMETERS + template.replace("VALUE", unknown))), findings(load(PARAMETERS + template.replace("VALUE", fixed)))


CONSUMER = """\
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
      RedrivePolicy: VALUE
  Dlq:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}, Timeout: TIMEOUT}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Jobs.Arn, FunctionName: !Ref Worker}
"""


def test_dlq_rules_do_not_fire_on_an_unknown_dead_letter_queue():
    template = CONSUMER.replace("TIMEOUT", "3")
    unknown, fixed = _both(template, "!If [IsOn, {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 1}, !Ref AWS::NoValue]", "!Ref AWS::NoValue")
    assert ("DLQ001", "jobs") not in unknown and ("DLQ001", "jobs") in fixed


def test_sqs_rules_do_not_fire_on_an_unknown_function_timeout():
    template = CONSUMER.replace("VALUE", "{deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5}")
    unknown = findings(load(PARAMETERS + template.replace("TIMEOUT", "!Ref Number")))
    fixed = findings(load(PARAMETERS + template.replace("TIMEOUT", "60")))
    assert not {rule for rule, _ in unknown} & {"SQS001", "SQS002"}
    assert ("SQS001", "jobs") in fixed


def test_fanout_rules_do_not_fire_on_an_unknown_fifo_flag():
    unknown, fixed = _both("""\
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {FifoTopic: VALUE, Subscription: [{Protocol: lambda, Endpoint: !GetAtt Worker.Arn}]}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: arn:aws:sqs:us-east-1:1:q}}
""", "!Ref Flag", "true")
    assert ("FAN002", "topic") not in unknown and ("FAN002", "topic") in fixed


def test_nacl_rules_do_not_fire_on_an_unknown_entry():
    unknown, fixed = _both("""\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  In:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: false, CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
  Out:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: VALUE, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
""", "!Ref Number", "6")
    assert ("NACL003", "acl") not in unknown and ("NACL003", "acl") in fixed


def test_availability_rules_do_not_fire_on_an_unknown_alarm_action():
    unknown, fixed = _both("""\
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, AvailabilityZone: us-east-1a}
  Address:
    Type: AWS::EC2::EIP
    Properties: {InstanceId: !Ref Web}
  Health:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: StatusCheckFailed
      Namespace: AWS/EC2
      Dimensions: [{Name: InstanceId, Value: !Ref Web}]
      AlarmActions: [VALUE]
      ComparisonOperator: GreaterThanThreshold
      Threshold: 0
      EvaluationPeriods: 1
      Period: 60
""", "!Ref Flag", "!Ref AWS::NoValue")
    assert ("HA001", "web") not in unknown and ("HA001", "web") in fixed


def test_hpc_rules_do_not_fire_on_an_unknown_interface_type():
    unknown, fixed = _both("""\
Resources:
  Cluster:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: cluster}
  Node:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      AvailabilityZone: us-east-1a
      PlacementGroupName: !Ref Cluster
      NetworkInterfaces: [{DeviceIndex: 0, NetworkInterfaceId: !Ref Fabric}]
  Fabric:
    Type: AWS::EC2::NetworkInterface
    Properties: {InterfaceType: VALUE, SubnetId: subnet-1}
""", "!If [IsOn, efa, interface]", "interface")
    assert ("HPC001", "node") not in unknown and ("HPC001", "node") in fixed


def test_security_group_rules_with_unknown_peers_are_left_out():
    graph = load(PARAMETERS + """\
Resources:
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Flag}
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
""")
    node = graph.nodes["ssh"]
    assert node["unknown"] == ["rules"] and node["rules"] is None  # a rule reading it skips it
    assert findings(graph) == set()


def test_loops_are_not_built_from_a_write_of_unknown_keys():
    unknown, fixed = _both("""\
Resources:
  Media:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: media-bucket
      NotificationConfiguration:
        LambdaConfigurations: [{Event: "s3:ObjectCreated:*", Function: !GetAtt Worker.Arn, Filter: VALUE}]
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: !GetAtt Role.Arn, Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: arn:aws:sqs:us-east-1:1:q}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::media-bucket/*"}]}}]
""", "{S3Key: {Rules: [{Name: suffix, Value: .wav}]}}", "!Ref AWS::NoValue")
    assert ("LOOP001", "media") not in unknown and ("LOOP001", "media") in fixed


NOTIFICATION = """\
Parameters:
  Prefix: {Type: String, Default: uploads/}
Resources:
  Media:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: media-bucket
      NotificationConfiguration:
        LambdaConfigurations:
          - {Event: "s3:ObjectCreated:*", Function: !GetAtt Worker.Arn, Filter: {S3Key: {Rules: [{Name: prefix, Value: FIRST}]}}}
          - {Event: "s3:ObjectCreated:*", Function: !GetAtt Auditor.Arn, Filter: {S3Key: {Rules: [{Name: prefix, Value: thumbs/}]}}}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
  Auditor:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: arn:aws:sqs:us-east-1:1:q}}
"""


def test_a_parameter_in_a_key_filter_makes_only_the_filter_unknown():
    graph = load(NOTIFICATION.replace("FIRST", "!Ref Prefix"))
    (flow,) = [data for _, target, data in graph.edges(data=True) if target == "worker" and data["kind"] == "flow"]
    assert flow["unknown"] == ["prefix"] and flow["unknown_reasons"]["prefix"] == "the parameter Prefix"
    assert flow["prefix"] is None and flow["events"] == ["s3:ObjectCreated:*"] and flow["invocation"] == "async"
    assert "flows" not in graph.nodes["media"]["unknown"]
    # the flow is there, so the asynchronously invoked function without a DLQ is found
    assert ("DLQ002", "worker") in findings(graph)


def test_an_unknown_filter_never_makes_an_overlap():
    unknown = findings(load(NOTIFICATION.replace("FIRST", "!Ref Prefix")))
    fixed = findings(load(NOTIFICATION.replace("FIRST", "thumbs/")))
    assert ("FAN005", "media") not in unknown and ("FAN005", "media") in fixed


def test_spec_flows_leave_nothing_unknown():
    graph = load_text("archlint: 1\nname: t\nresources:\n  b: {type: s3.bucket}\n  f: {type: lambda.function}\n"
                      "flows:\n  - b -> f\n", "t.yaml")
    assert [data["unknown"] for _, _, data in graph.edges(data=True)] == [[]]
