"""Each CloudFormation type of docs/spec.md's table maps back to its spec type and
attributes, and the folded types become flows, rules and references."""

from __future__ import annotations

from .helpers import flows, load, refs

NETWORK = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ToInternet:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  PublicA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, AvailabilityZone: eu-west-1a, CidrBlock: 10.0.1.0/24}
  PublicAInTable:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref PublicA, RouteTableId: !Ref PublicTable}
  PrivateB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, AvailabilityZone: eu-west-1b, CidrBlock: 10.0.2.0/24}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref Vpc
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
        - {IpProtocol: "-1", SourceSecurityGroupId: !Ref Web}
  WebEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !GetAtt Web.GroupId, IpProtocol: udp, FromPort: 1024, ToPort: 65535, CidrIp: 10.0.0.0/8}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  AclIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: 6, RuleAction: deny, Egress: false, CidrBlock: 198.51.100.0/24, PortRange: {From: 22, To: 22}}
  AclOut:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0}
  AclOnB:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref PrivateB, NetworkAclId: !Ref Acl}
"""


def test_network_types():
    graph = load(NETWORK)
    assert graph.graph["region"] == "eu-west-1"  # from the AZs the template names
    assert graph.nodes["vpc"]["cidr"] == "10.0.0.0/16"
    a, b = graph.nodes["public-a"], graph.nodes["private-b"]
    assert (a["vpc"], a["az"], a["cidr"], a["public"]) == ("vpc", "eu-west-1a", "10.0.1.0/24", True)
    assert b["public"] is False  # no route table of its own: the main one, without an internet route
    assert graph.nodes["web"]["rules"] == [
        {"direction": "ingress", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0", "group": None},
        {"direction": "ingress", "action": "allow", "protocol": "all", "ports": None, "cidr": None, "group": "web"},
        {"direction": "egress", "action": "allow", "protocol": "udp", "ports": "1024-65535", "cidr": "10.0.0.0/8", "group": None},
    ]
    acl = graph.nodes["acl"]
    assert acl["subnets"] == ["private-b"] and acl["vpc"] == "vpc"
    assert acl["rules"] == [
        {"number": 90, "direction": "ingress", "action": "deny", "protocol": "tcp", "ports": 22, "cidr": "198.51.100.0/24"},
        {"number": 100, "direction": "egress", "action": "allow", "protocol": "all", "ports": None, "cidr": "0.0.0.0/0"},
    ]
    entry_line = NETWORK.splitlines().index("  AclIn:") + 1
    assert acl["positions"]["rules[0]"] == (entry_line, 3)  # the entry's logical id
    assert {("web", "web", "group"), ("acl", "private-b", "subnets"), ("public-a", "vpc", "vpc")} <= refs(graph)
    assert graph.nodes["igw"]["type"] == "cfn.resource"
    assert "public-a-in-table" in graph  # route table associations stay (opaque)


COMPUTE = NETWORK + """\
  Cluster:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: cluster}
  Node:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: c5n.18xlarge
      ImageId: ami-12345678
      PlacementGroupName: !Ref Cluster
      NetworkInterfaces:
        - {DeviceIndex: 0, NetworkInterfaceId: !Ref Fabric}
  Fabric:
    Type: AWS::EC2::NetworkInterface
    Properties: {InterfaceType: efa, SubnetId: !Ref PublicA, GroupSet: [!Ref Web]}
  Data:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: !GetAtt Node.AvailabilityZone, Size: 100, VolumeType: io2}
  DataOnNode:
    Type: AWS::EC2::VolumeAttachment
    Properties: {InstanceId: !Ref Node, VolumeId: !Ref Data, Device: /dev/sdf}
  Address:
    Type: AWS::EC2::EIP
  AddressOnNode:
    Type: AWS::EC2::EIPAssociation
    Properties: {AllocationId: !GetAtt Address.AllocationId, InstanceId: !Ref Node}
  Recover:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: StatusCheckFailed_System
      Namespace: AWS/EC2
      Dimensions: [{Name: InstanceId, Value: !Ref Node}]
      AlarmActions: [!Sub "arn:${AWS::Partition}:automate:${AWS::Region}:ec2:recover"]
      ComparisonOperator: GreaterThanThreshold
      Threshold: 0
      EvaluationPeriods: 1
      Period: 60
      Statistic: Maximum
"""


def test_compute_types():
    graph = load(COMPUTE)
    node = graph.nodes["node"]
    assert (node["instance_type"], node["subnet"], node["az"], node["networking"]) == ("c5n.18xlarge", "public-a", "eu-west-1a", "efa")
    assert (node["security_groups"], node["placement_group"], node["volumes"]) == (["web"], "cluster", ["data"])
    assert "os" in node["unknown"]  # the image decides the operating system
    data = graph.nodes["data"]
    assert (data["az"], data["size"], data["volume_type"]) == ("eu-west-1a", 100, "io2")  # the instance's AZ
    assert graph.nodes["cluster"]["strategy"] == "cluster"
    assert graph.nodes["address"]["instance"] == "node"
    alarm = graph.nodes["recover"]
    assert (alarm["watches"], alarm["metric"]) == ("node", "StatusCheckFailed_System")
    assert ("recover", "node", "alarm_action") in flows(graph)  # EC2 recover


GROUPS = NETWORK + """\
  Hooks:
    Type: AWS::SNS::Topic
  Drain:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::123456789012:role/x, Code: {ZipFile: x}}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {InstanceType: m5.large, SecurityGroupIds: [!Ref Web]}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "4"
      VPCZoneIdentifier: [!Ref PublicA, !Ref PrivateB]
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
      TargetGroupARNs: [!Ref Targets]
      LifecycleHookSpecificationList:
        - {LifecycleHookName: out, LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", NotificationTargetARN: !Ref Hooks, RoleARN: arn:aws:iam::123456789012:role/y}
  Launching:
    Type: AWS::AutoScaling::LifecycleHook
    Properties: {AutoScalingGroupName: !Ref Group, LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING"}
  LaunchingRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.autoscaling]
        detail-type: [EC2 Instance-launch Lifecycle Action]
        detail: {AutoScalingGroupName: [!Ref Group]}
      Targets: [{Id: drain, Arn: !GetAtt Drain.Arn}]
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref PublicA, !Ref PrivateB], SecurityGroups: [!Ref Web], Scheme: internal}
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Port: 80, Protocol: HTTP, VpcId: !Ref Vpc}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Balancer, Port: 80, Protocol: HTTP, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]}
  Blocked:
    Type: AWS::WAFv2::IPSet
    Properties: {Scope: REGIONAL, IPAddressVersion: IPV4, Addresses: [203.0.113.0/24]}
  Firewall:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Allow: {}}
      VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: fw}
      Rules:
        - Name: block
          Priority: 0
          Action: {Block: {}}
          Statement: {IPSetReferenceStatement: {Arn: !GetAtt Blocked.Arn}}
          VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: block}
  FirewallOnBalancer:
    Type: AWS::WAFv2::WebACLAssociation
    Properties: {ResourceArn: !Ref Balancer, WebACLArn: !GetAtt Firewall.Arn}
  ScaleOut:
    Type: AWS::AutoScaling::ScalingPolicy
    Properties: {AutoScalingGroupName: !Ref Group, PolicyType: SimpleScaling, AdjustmentType: ChangeInCapacity, ScalingAdjustment: 1}
  Busy:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: CPUUtilization
      Namespace: AWS/EC2
      Dimensions: [{Name: AutoScalingGroupName, Value: !Ref Group}]
      AlarmActions: [!Ref ScaleOut, !Ref Hooks]
      ComparisonOperator: GreaterThanThreshold
      Threshold: 80
      EvaluationPeriods: 1
      Period: 60
      Statistic: Average
"""


def test_groups_balancers_firewalls_and_alarms():
    graph = load(GROUPS)
    group = graph.nodes["group"]
    assert (group["min"], group["max"], group["desired"], group["instance_type"]) == (2, 4, 2, "m5.large")
    assert (group["subnets"], group["security_groups"]) == (["public-a", "private-b"], ["web"])
    assert group["lifecycle_hooks"] == [
        {"transition": "terminating", "target": "hooks"},
        {"transition": "launching", "target": "drain"},  # through the EventBridge rule, folded into the hook
    ]
    assert "launching-rule" not in graph
    balancer = graph.nodes["balancer"]
    assert (balancer["type"], balancer["internal"], balancer["subnets"]) == ("alb", True, ["public-a", "private-b"])
    firewall = graph.nodes["firewall"]
    assert (firewall["protects"], firewall["block"]) == ("balancer", ["203.0.113.0/24"])
    assert {("balancer", "group", "route"), ("busy", "group", "alarm_action"), ("busy", "hooks", "alarm_action")} <= flows(graph)
    assert graph.nodes["busy"]["watches"] == "group"
    assert ("group", "drain", "lifecycle_hook") in refs(graph)


MESSAGING = """\
Resources:
  Orders:
    Type: AWS::SNS::Topic
    Properties:
      FifoTopic: false
      Subscription: [{Protocol: lambda, Endpoint: !GetAtt Audit.Arn}, {Protocol: email, Endpoint: ops@example.com}]
  Billing:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 180, RedrivePolicy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:outside", "maxReceiveCount": 5}'}
  BillingSub:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Orders, Protocol: sqs, Endpoint: !GetAtt Billing.Arn}
  Audit:
    Type: AWS::Lambda::Function
    Properties: {Runtime: nodejs20.x, Handler: i.h, Role: arn:aws:iam::123456789012:role/x, Code: {ZipFile: x}, MemorySize: 512}
  BillingToAudit:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Billing.Arn, FunctionName: !Ref Audit}
  AuditConfig:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Audit
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
      DestinationConfig: {OnFailure: {Destination: !Ref Orders}}
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        QueueConfigurations: [{Event: "s3:ObjectCreated:*", Queue: !GetAtt Billing.Arn, Filter: {S3Key: {Rules: [{Name: prefix, Value: in/}]}}}]
        TopicConfigurations: [{Event: "s3:ObjectRemoved:*", Topic: !Ref Orders}]
  Nightly:
    Type: AWS::Events::Rule
    Properties: {ScheduleExpression: cron(0 3 * * ? *), Targets: [{Id: a, Arn: !GetAtt Audit.Arn}, {Id: b, Arn: !Ref Orders}]}
  Link:
    Type: AWS::DirectConnect::Connection
    Properties: {Bandwidth: 10Gbps, ConnectionName: dx, Location: EqDC2}
  Copy:
    Type: AWS::DataSync::Task
    Properties: {SourceLocationArn: arn:a, DestinationLocationArn: arn:b}
  Batch:
    Type: AWS::Batch::ComputeEnvironment
    Properties: {Type: MANAGED, ComputeResources: {Type: EC2, MaxvCpus: 4, Subnets: [subnet-1], InstanceTypes: [p4d.24xlarge]}}
"""


def test_messaging_and_the_rest():
    graph = load(MESSAGING)
    billing = graph.nodes["billing"]
    assert billing["visibility_timeout"] == 180
    assert billing["dead_letter"] is None and "dead_letter" in billing["unknown"]  # a queue outside the template
    assert graph.nodes["orders"]["fifo"] is False
    audit = graph.nodes["audit"]
    assert (audit["runtime"], audit["memory"], audit["on_failure"], audit["max_retry_attempts"]) == ("nodejs20.x", 512, "orders", 0)
    assert flows(graph) == {
        ("orders", "audit", "subscription"),
        ("orders", "billing", "subscription"),
        ("billing", "audit", "event_source_mapping"),
        ("uploads", "billing", "notification"),
        ("uploads", "orders", "notification"),
        ("nightly", "audit", "target"),
        ("nightly", "orders", "target"),
    }
    to_billing = next(d for s, t, d in graph.edges(data=True) if (s, t) == ("uploads", "billing"))
    assert (to_billing["events"], to_billing["prefix"]) == (["s3:ObjectCreated:*"], "in/")
    assert graph.nodes["nightly"]["schedule"] == "cron(0 3 * * ? *)"
    assert (graph.nodes["link"]["type"], graph.nodes["link"]["location"]) == ("directconnect.connection", "EqDC2")
    assert graph.nodes["copy"]["type"] == "datasync.task"
    assert graph.nodes["batch"]["instance_types"] == ["p4d.24xlarge"]


def test_policies_say_what_a_function_writes_sends_and_publishes():
    graph = load("""\
        Resources:
          Out:
            Type: AWS::S3::Bucket
          Jobs:
            Type: AWS::SQS::Queue
          Worker:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: !GetAtt WorkerRole.Arn, Code: {ZipFile: x}}
          WorkerRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {}
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Statement:
                      - {Effect: Allow, Action: s3:PutObject, Resource: !Sub "${Out.Arn}/thumbs/*"}
                      - {Effect: Allow, Action: [sqs:SendMessage], Resource: !GetAtt Jobs.Arn}
                      - {Effect: Allow, Action: sns:Publish, Resource: "*"}
    """)
    assert flows(graph) == {("worker", "out", "write"), ("worker", "jobs", "send")}
    write = next(d for s, t, d in graph.edges(data=True) if t == "out")
    assert write["prefix"] == "thumbs/"


def test_a_network_load_balancer_is_opaque():
    graph = load("""\
        Resources:
          Nlb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {Type: network, Subnets: [subnet-1, subnet-2]}
    """)
    assert graph.nodes["nlb"]["type"] == "cfn.resource"
