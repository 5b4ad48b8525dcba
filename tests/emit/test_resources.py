"""What each type becomes, and the resources AWS needs around it."""

from __future__ import annotations

from .conftest import template_of


def _statements(role: dict) -> list[dict]:
    policies = role["Properties"].get("Policies", [])
    return [s for p in policies for s in p["PolicyDocument"]["Statement"]]


def _actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


# ---- IAM from flows ----------------------------------------------------------------

IAM_SPEC = """
    archlint: 1
    name: iam
    resources:
      inbox:
        type: sqs.queue
        dead_letter: inbox-dlq
      inbox-dlq:
        type: sqs.queue
      other:
        type: sqs.queue
      events-topic:
        type: sns.topic
      reports:
        type: s3.bucket
      worker:
        type: lambda.function
        dead_letter: failed
      failed:
        type: sns.topic
      idle:
        type: lambda.function
    flows:
      - inbox -> worker
      - worker -> events-topic
      - from: worker
        to: reports
        prefix: out/
"""


def test_function_role_has_exactly_what_its_flows_need():
    template = template_of(IAM_SPEC)
    statements = _statements(template["Resources"]["WorkerRole"])
    by_action = {tuple(_actions(s)): s["Resource"] for s in statements}
    assert by_action == {
        ("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"): {"Fn::GetAtt": ["Inbox", "Arn"]},
        ("sns:Publish",): [{"Ref": "EventsTopic"}, {"Ref": "Failed"}],
        ("s3:PutObject",): {"Fn::Sub": ["arn:${AWS::Partition}:s3:::reports-${StackSuffix}/out/*", by_action[("s3:PutObject",)]["Fn::Sub"][1]]},
    }
    assert all(s["Effect"] == "Allow" for s in statements)
    assert "*" not in str([s["Resource"] for s in statements]).replace("out/*", "")


def test_function_without_flows_only_logs():
    role = template_of(IAM_SPEC)["Resources"]["IdleRole"]["Properties"]
    assert "Policies" not in role
    assert role["ManagedPolicyArns"] == [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}]


def test_instances_get_a_profile_only_when_flows_need_one():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          jobs:
            type: sqs.queue
          poller:
            type: ec2.instance
          quiet:
            type: ec2.instance
        flows:
          - jobs -> poller
        """
    )
    resources = template["Resources"]
    assert resources["Poller"]["Properties"]["IamInstanceProfile"] == {"Ref": "PollerInstanceProfile"}
    assert _actions(_statements(resources["PollerRole"])[0])[-1] == "sqs:ReceiveMessage"
    assert "IamInstanceProfile" not in resources["Quiet"]["Properties"]
    assert "QuietRole" not in resources


# ---- functions -------------------------------------------------------------------


def test_async_function_gets_invoke_config_with_on_failure():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          topic:
            type: sns.topic
          fn:
            type: lambda.function
            on_failure: failures
            max_retry_attempts: 1
            max_event_age: 600
          failures:
            type: sqs.queue
        flows:
          - topic -> fn
        """
    )
    config = template["Resources"]["FnInvokeConfig"]["Properties"]
    assert config == {
        "FunctionName": {"Ref": "Fn"},
        "Qualifier": "$LATEST",
        "MaximumRetryAttempts": 1,
        "MaximumEventAgeInSeconds": 600,
        "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Failures", "Arn"]}}},
    }
    assert template["Resources"]["Failures"]["Properties"]["MessageRetentionPeriod"] == 1209600


def test_inline_code_for_python_and_parameters_for_java():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          py:
            type: lambda.function
          java:
            type: lambda.function
            runtime: java21
        """
    )
    assert "def handler(event, context):" in template["Resources"]["Py"]["Properties"]["Code"]["ZipFile"]
    assert template["Resources"]["Java"]["Properties"]["Code"] == {"S3Bucket": {"Ref": "JavaCodeBucket"}, "S3Key": {"Ref": "JavaCodeKey"}}
    assert {"JavaCodeBucket", "JavaCodeKey", "JavaHandler"} <= set(template["Parameters"])


# ---- network -----------------------------------------------------------------------

NETWORK_SPEC = """
    archlint: 1
    name: net
    resources:
      vpc:
        type: vpc
        cidr: 10.1.0.0/16
      public-a:
        type: subnet
        vpc: vpc
        az: us-east-1a
        public: true
      private-a:
        type: subnet
        vpc: vpc
        az: us-east-1a
        cidr: 10.1.0.0/24
      cluster-sg:
        type: security_group
        vpc: vpc
        rules:
          - {protocol: all, group: cluster-sg}
          - {direction: egress, protocol: all, group: cluster-sg}
      acl:
        type: network_acl
        vpc: vpc
        subnets: [public-a]
        rules:
          - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: "80-81", cidr: 0.0.0.0/0}
          - {number: 110, direction: ingress, action: allow, protocol: icmp, cidr: 10.0.0.0/8}
          - {number: 100, direction: egress, action: deny, cidr: "::/0"}
"""


def test_public_subnet_gets_gateway_route_table_and_default_route():
    resources = template_of(NETWORK_SPEC)["Resources"]
    assert resources["VpcGatewayAttachment"]["Properties"] == {"VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "VpcInternetGateway"}}
    route = resources["VpcPublicDefaultRoute"]
    assert route["DependsOn"] == ["VpcGatewayAttachment"]
    assert route["Properties"]["DestinationCidrBlock"] == "0.0.0.0/0"
    assert resources["PublicARouteTableAssociation"]["Properties"]["RouteTableId"] == {"Ref": "VpcPublicRouteTable"}
    assert resources["PublicA"]["Properties"]["MapPublicIpOnLaunch"] is True
    assert "PrivateARouteTableAssociation" not in resources


def test_subnet_without_cidr_gets_the_first_free_block():
    resources = template_of(NETWORK_SPEC)["Resources"]
    assert resources["PublicA"]["Properties"]["CidrBlock"] == "10.1.1.0/24"  # 10.1.0.0/24 is private-a's


def test_self_referencing_group_rules_are_separate_resources():
    resources = template_of(NETWORK_SPEC)["Resources"]
    group = resources["ClusterSg"]["Properties"]
    assert "SecurityGroupIngress" not in group
    # the inline placeholder removes AWS's default allow-all egress
    assert group["SecurityGroupEgress"][0]["CidrIp"] == "255.255.255.255/32"
    ingress = resources["ClusterSgIngressRule0"]
    assert ingress["Type"] == "AWS::EC2::SecurityGroupIngress"
    assert ingress["Properties"]["SourceSecurityGroupId"] == {"Fn::GetAtt": ["ClusterSg", "GroupId"]}
    assert ingress["Properties"]["IpProtocol"] == "-1"
    egress = resources["ClusterSgEgressRule1"]
    assert egress["Properties"]["DestinationSecurityGroupId"] == {"Fn::GetAtt": ["ClusterSg", "GroupId"]}


def test_network_acl_entries_and_associations():
    resources = template_of(NETWORK_SPEC)["Resources"]
    tcp = resources["AclIngress100"]["Properties"]
    assert tcp["Protocol"] == 6 and tcp["PortRange"] == {"From": 80, "To": 81} and tcp["Egress"] is False
    assert resources["AclIngress110"]["Properties"]["Icmp"] == {"Code": -1, "Type": -1}
    egress = resources["AclEgress100"]["Properties"]
    assert egress["Egress"] is True and egress["RuleAction"] == "deny" and egress["Ipv6CidrBlock"] == "::/0"
    assert resources["AclPublicAAssociation"]["Properties"] == {"SubnetId": {"Ref": "PublicA"}, "NetworkAclId": {"Ref": "Acl"}}


# ---- compute -----------------------------------------------------------------------

COMPUTE_SPEC = """
    archlint: 1
    name: hpc
    resources:
      vpc:
        type: vpc
      nodes-a:
        type: subnet
        vpc: vpc
        az: us-east-1a
      efa-sg:
        type: security_group
        vpc: vpc
        rules:
          - {protocol: all, group: efa-sg}
      cluster-pg:
        type: placement_group
        strategy: cluster
      head:
        type: ec2.instance
        subnet: nodes-a
        networking: efa
        placement_group: cluster-pg
        security_groups: [efa-sg]
        volumes: [home]
      home:
        type: ebs.volume
        size: 100
      head-ip:
        type: ec2.eip
        instance: head
      nodes:
        type: autoscaling.group
        subnets: [nodes-a]
        instance_type: hpc7g.16xlarge
        networking: efa
        placement_group: cluster-pg
        security_groups: [efa-sg]
        lifecycle_hooks:
          - {transition: launching, target: bootstrap}
          - {transition: terminating, target: drain}
      bootstrap:
        type: lambda.function
      drain:
        type: sqs.queue
"""


def test_group_launch_template_has_efa_interface_and_placement():
    resources = template_of(COMPUTE_SPEC)["Resources"]
    data = resources["NodesLaunchTemplate"]["Properties"]["LaunchTemplateData"]
    assert data["NetworkInterfaces"] == [
        {"DeviceIndex": 0, "InterfaceType": "efa", "DeleteOnTermination": True, "Groups": [{"Fn::GetAtt": ["EfaSg", "GroupId"]}]}
    ]
    assert "SecurityGroupIds" not in data  # they are on the interface
    assert data["Placement"] == {"GroupName": {"Ref": "ClusterPg"}}
    assert data["ImageId"] == {"Ref": "LinuxArmAmi"}  # hpc7g is Graviton


def test_instance_efa_is_a_network_interface_resource():
    resources = template_of(COMPUTE_SPEC)["Resources"]
    assert resources["HeadEfa"]["Properties"]["InterfaceType"] == "efa"
    head = resources["Head"]["Properties"]
    assert head["NetworkInterfaces"] == [{"DeviceIndex": "0", "NetworkInterfaceId": {"Ref": "HeadEfa"}}]
    assert "SubnetId" not in head and head["PlacementGroupName"] == {"Ref": "ClusterPg"}


def test_volume_attachment_and_elastic_ip():
    template = template_of(COMPUTE_SPEC)
    resources = template["Resources"]
    assert resources["Home"]["Properties"]["AvailabilityZone"] == "us-east-1a"  # from the instance's subnet
    assert resources["HeadHomeAttachment"]["Properties"] == {"InstanceId": {"Ref": "Head"}, "VolumeId": {"Ref": "Home"}, "Device": "/dev/sdf"}
    assert resources["HeadIp"]["Properties"]["InstanceId"] == {"Ref": "Head"}
    assert resources["HeadIp"]["DependsOn"] == ["VpcGatewayAttachment"]  # an EIP needs the gateway
    assert template["Parameters"]["LinuxAmi"]["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    assert template["Parameters"]["LinuxAmi"]["Default"] == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def test_lifecycle_hooks_reach_functions_through_eventbridge_and_queues_through_a_role():
    resources = template_of(COMPUTE_SPEC)["Resources"]
    # declared on the group, so that the instances launched at creation get them too
    hooks = {hook["LifecycleHookName"]: hook for hook in resources["Nodes"]["Properties"]["LifecycleHookSpecificationList"]}
    launching = hooks["LaunchingHook"]
    assert launching["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_LAUNCHING"
    assert "NotificationTargetARN" not in launching
    rule = resources["NodesLaunchingHookRule"]["Properties"]
    assert rule["EventPattern"]["detail-type"] == ["EC2 Instance-launch Lifecycle Action"]
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["Bootstrap", "Arn"]}
    assert resources["NodesLaunchingHookPermission"]["Properties"]["SourceArn"] == {"Fn::GetAtt": ["NodesLaunchingHookRule", "Arn"]}
    terminating = hooks["TerminatingHook"]
    assert terminating["NotificationTargetARN"] == {"Fn::GetAtt": ["Drain", "Arn"]}
    assert terminating["RoleARN"] == {"Fn::GetAtt": ["NodesHookRole", "Arn"]}
    hook_role = resources["NodesHookRole"]["Properties"]
    assert hook_role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "autoscaling.amazonaws.com"}
    # the function may complete the lifecycle action it is called for
    assert any("autoscaling:CompleteLifecycleAction" in _actions(s) for s in _statements(resources["BootstrapRole"]))


# ---- edge and monitoring -------------------------------------------------------------

EDGE_SPEC = """
    archlint: 1
    name: edge
    resources:
      vpc:
        type: vpc
      a:
        type: subnet
        vpc: vpc
        az: us-east-1a
        public: true
      b:
        type: subnet
        vpc: vpc
        az: us-east-1b
        public: true
      alb:
        type: alb
        subnets: [a, b]
        weights: {web: 9, api: 1}
      web-sg:
        type: security_group
        vpc: vpc
        rules: [{ports: 8080, cidr: 10.0.0.0/16}]
      web:
        type: autoscaling.group
        subnets: [a, b]
        min: 2
        security_groups: [web-sg]
      api:
        type: lambda.function
      waf:
        type: waf.web_acl
        protects: alb
        block: [192.0.2.0/24, "2001:db8::/32"]
      page:
        type: sns.topic
      low-capacity:
        type: cloudwatch.alarm
        watches: web
      five-hundreds:
        type: cloudwatch.alarm
        watches: alb
    flows:
      - alb -> web
      - alb -> api
      - low-capacity -> web
      - five-hundreds -> page
      - five-hundreds -> api
"""


def test_alb_listener_forwards_to_a_target_group_per_route():
    resources = template_of(EDGE_SPEC)["Resources"]
    action = resources["AlbListener"]["Properties"]["DefaultActions"][0]
    groups = [(g["TargetGroupArn"]["Ref"], g["Weight"]) for g in action["ForwardConfig"]["TargetGroups"]]
    assert groups == [("AlbToWebTargetGroup", 9), ("AlbToApiTargetGroup", 1)]
    web = resources["AlbToWebTargetGroup"]["Properties"]  # the port web-sg opens to the load balancer's VPC
    assert (web["Port"], web["HealthCheckPort"], web["HealthCheckPath"]) == (8080, "traffic-port", "/")
    listener = resources["AlbListener"]["Properties"]
    assert (listener["Protocol"], listener["Port"]) == ("HTTPS", 443)
    assert listener["Certificates"] == [{"CertificateArn": {"Ref": "AlbCertificateArn"}}]
    # no security group in the spec: one of its own, for the listener port
    assert resources["AlbSecurityGroup"]["Properties"]["SecurityGroupIngress"][0]["FromPort"] == 443
    assert resources["Web"]["Properties"]["TargetGroupARNs"] == [{"Ref": "AlbToWebTargetGroup"}]
    assert resources["Web"]["DependsOn"] == ["AlbListener"]
    assert resources["AlbToApiTargetGroup"]["DependsOn"] == ["AlbToApiPermission"]
    assert resources["AlbToApiPermission"]["Properties"]["Principal"] == "elasticloadbalancing.amazonaws.com"
    assert resources["Alb"]["DependsOn"] == ["VpcGatewayAttachment"]


def test_waf_is_regional_blocks_both_families_and_is_associated():
    resources = template_of(EDGE_SPEC)["Resources"]
    acl = resources["Waf"]["Properties"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    assert [rule["Action"] for rule in acl["Rules"]] == [{"Block": {}}, {"Block": {}}]
    assert resources["WafIpv4Set"]["Properties"]["Addresses"] == ["192.0.2.0/24"]
    assert resources["WafIpv6Set"]["Properties"]["IPAddressVersion"] == "IPV6"
    assert resources["WafAssociation"]["Properties"] == {"ResourceArn": {"Ref": "Alb"}, "WebACLArn": {"Fn::GetAtt": ["Waf", "Arn"]}}


def test_alarm_actions_by_target_type():
    template = template_of(EDGE_SPEC)
    resources = template["Resources"]
    capacity = resources["LowCapacity"]["Properties"]
    assert capacity["AlarmActions"] == [{"Ref": "LowCapacityToWebScalingPolicy"}]
    assert capacity["Threshold"] == 2 and capacity["ComparisonOperator"] == "LessThanThreshold"
    assert resources["Web"]["Properties"]["MetricsCollection"] == [{"Granularity": "1Minute"}]
    errors = resources["FiveHundreds"]["Properties"]
    # in the order of the targets in the spec (api before page), whatever the order of the flows
    assert errors["AlarmActions"] == [{"Fn::GetAtt": ["Api", "Arn"]}, {"Ref": "Page"}]
    assert errors["Dimensions"] == [{"Name": "LoadBalancer", "Value": {"Fn::GetAtt": ["Alb", "LoadBalancerFullName"]}}]
    permission = resources["FiveHundredsToApiPermission"]["Properties"]
    assert permission["Principal"] == "lambda.alarms.cloudwatch.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["FiveHundreds", "Arn"]}
    # the topic policy (TLS only) keeps the alarms' statement; no KMS key (alarms could not use it)
    statements = resources["PagePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statements[0]["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert "KmsMasterKeyId" not in resources["Page"].get("Properties", {})


def test_instance_alarm_recovers_the_instance():
    resources = template_of(
        """
        archlint: 1
        name: t
        resources:
          server:
            type: ec2.instance
            az: us-east-1a
          check:
            type: cloudwatch.alarm
            watches: server
        flows:
          - check -> server
        """
    )["Resources"]
    alarm = resources["Check"]["Properties"]
    assert alarm["AlarmActions"] == [{"Fn::Sub": "arn:${AWS::Partition}:automate:${AWS::Region}:ec2:recover"}]
    assert alarm["MetricName"] == "StatusCheckFailed_System"


def test_long_description_is_cut_to_cloudformations_limit():
    long_text = "word " * 400 + "é" * 50
    template = template_of(
        f"""
        archlint: 1
        name: t
        description: {long_text}
        resources:
          q:
            type: sqs.queue
        """
    )
    description = template["Description"]
    assert len(description.encode("utf-8")) <= 1024
    assert description.startswith("t: word word") and description.endswith("... (emitted by archlint)")


def test_external_subscriber_is_a_conditional_subscription_with_parameters():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          alerts:
            type: sns.topic
          on-call:
            type: external
            kind: users
        flows:
          - alerts -> on-call
        """
    )
    subscription = template["Resources"]["AlertsToOnCallSubscription"]
    assert subscription["Condition"] == "AlertsToOnCallSubscribed"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlertsToOnCallEndpoint"}
    assert template["Parameters"]["AlertsToOnCallEndpoint"]["Default"] == ""  # deploys as is: no subscription
    assert template["Parameters"]["AlertsToOnCallProtocol"]["Default"] == "email"
    assert template["Conditions"]["AlertsToOnCallSubscribed"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "AlertsToOnCallEndpoint"}, ""]}]
    }


def test_icmp_toward_ipv6_is_icmpv6():
    resources = template_of(
        """
        archlint: 1
        name: t
        resources:
          vpc:
            type: vpc
          sg:
            type: security_group
            vpc: vpc
            rules:
              - {protocol: icmp, cidr: "2001:db8::/32"}
              - {protocol: icmp, cidr: 10.0.0.0/8}
          acl:
            type: network_acl
            vpc: vpc
            rules:
              - {number: 100, direction: ingress, action: allow, protocol: icmp, cidr: "2001:db8::/32"}
        """
    )["Resources"]
    assert [r["IpProtocol"] for r in resources["Sg"]["Properties"]["SecurityGroupIngress"]] == ["icmpv6", "icmp"]
    assert resources["AclIngress100"]["Properties"]["Protocol"] == 58


def test_s3_grants_follow_the_flow_filters():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          photos:
            type: s3.bucket
          resize:
            type: lambda.function
          out:
            type: s3.bucket
        flows:
          - from: photos
            to: resize
            prefix: in/
            suffix: .jpg
          - from: resize
            to: out
            suffix: .png
        """
    )
    resources = {
        tuple(_actions(s)): s["Resource"]["Fn::Sub"][0] for s in _statements(template["Resources"]["ResizeRole"])
    }
    assert resources == {
        ("s3:GetObject",): "arn:${AWS::Partition}:s3:::photos-${StackSuffix}/in/*.jpg",
        ("s3:PutObject",): "arn:${AWS::Partition}:s3:::out-${StackSuffix}/*.png",
    }
