"""CloudFormation types mapped back to spec types, as a table.

`NODES` maps a CloudFormation type to its spec type and the function that reads its
properties into attributes. `FOLDED` maps the types that have no node of their own
to the function that folds them into the nodes and flows of others (an event source
mapping is a flow, a network ACL entry is a rule of its ACL, a volume attachment
lists the volume on its instance). Every other type becomes an opaque node
(`cfn.resource`) that diagrams show and rules ignore.

Each function reads the properties CloudFormation documents for the type (the
registry schemas that cfn-lint ships; `tests/cfn/test_property_names.py` checks every
name in `READS` against them) and records what it cannot resolve as unknown.
"""

from __future__ import annotations

from .compute import (
    auto_scaling_group,
    compute_environment,
    direct_connect,
    eip_association,
    elastic_ip,
    instance,
    lifecycle_hook,
    nothing,
    placement_group,
    volume,
    volume_attachment,
)
from .edge import alarm, listener, load_balancer, route_flows, web_acl, web_acl_association
from .messaging import (
    bucket,
    bucket_events,
    event_invoke_config,
    event_source_mapping,
    function,
    queue,
    rule,
    subscription,
    topic,
)
from .network import (
    acl_association,
    network_acl,
    network_acl_entry,
    public_subnets,
    security_group,
    security_group_rule,
    subnet,
    vpc,
)
from .policies import policy_flows
from .scheduler import schedule

__all__ = ["FOLDED", "NODES", "READS", "bucket_events", "policy_flows", "public_subnets", "route_flows"]


# CloudFormation type -> (spec type, the function reading its properties)
NODES = {
    "AWS::SQS::Queue": ("sqs.queue", queue),
    "AWS::SNS::Topic": ("sns.topic", topic),
    "AWS::Lambda::Function": ("lambda.function", function),
    "AWS::S3::Bucket": ("s3.bucket", bucket),
    "AWS::Events::Rule": ("events.rule", rule),
    "AWS::Scheduler::Schedule": ("scheduler.schedule", schedule),
    "AWS::EC2::VPC": ("vpc", vpc),
    "AWS::EC2::Subnet": ("subnet", subnet),
    "AWS::EC2::SecurityGroup": ("security_group", security_group),
    "AWS::EC2::NetworkAcl": ("network_acl", network_acl),
    "AWS::EC2::Instance": ("ec2.instance", instance),
    "AWS::EC2::Volume": ("ebs.volume", volume),
    "AWS::EC2::EIP": ("ec2.eip", elastic_ip),
    "AWS::AutoScaling::AutoScalingGroup": ("autoscaling.group", auto_scaling_group),
    "AWS::EC2::PlacementGroup": ("placement_group", placement_group),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("alb", load_balancer),
    "AWS::WAFv2::WebACL": ("waf.web_acl", web_acl),
    "AWS::CloudWatch::Alarm": ("cloudwatch.alarm", alarm),
    "AWS::DirectConnect::Connection": ("directconnect.connection", direct_connect),
    "AWS::DataSync::Task": ("datasync.task", nothing),
    "AWS::Batch::ComputeEnvironment": ("batch.compute_environment", compute_environment),
}

# CloudFormation type -> the function folding it into other nodes and flows
FOLDED = {
    "AWS::SNS::Subscription": subscription,
    "AWS::Lambda::EventSourceMapping": event_source_mapping,
    "AWS::Lambda::EventInvokeConfig": event_invoke_config,
    "AWS::EC2::SecurityGroupIngress": security_group_rule("ingress"),
    "AWS::EC2::SecurityGroupEgress": security_group_rule("egress"),
    "AWS::EC2::NetworkAclEntry": network_acl_entry,
    "AWS::EC2::SubnetNetworkAclAssociation": acl_association,
    "AWS::EC2::VolumeAttachment": volume_attachment,
    "AWS::EC2::EIPAssociation": eip_association,
    "AWS::AutoScaling::LifecycleHook": lifecycle_hook,
    "AWS::ElasticLoadBalancingV2::Listener": listener,
    "AWS::ElasticLoadBalancingV2::ListenerRule": listener,
    "AWS::WAFv2::WebACLAssociation": web_acl_association,
}

# Property paths read above, per type: checked against CloudFormation's registry schemas.
READS = {
    "AWS::SQS::Queue": ["FifoQueue", "VisibilityTimeout", "RedrivePolicy"],
    "AWS::SNS::Topic": ["FifoTopic", "Subscription/Protocol", "Subscription/Endpoint"],
    "AWS::SNS::Subscription": ["TopicArn", "Protocol", "Endpoint"],
    "AWS::Events::Rule": ["ScheduleExpression", "EventPattern", "Targets/Arn"],
    "AWS::Scheduler::Schedule": ["ScheduleExpression", "Target/Arn", "Target/DeadLetterConfig/Arn",
                                 "Target/RetryPolicy/MaximumRetryAttempts", "Target/RetryPolicy/MaximumEventAgeInSeconds"],
    "AWS::Lambda::Function": ["PackageType", "Runtime", "MemorySize", "Timeout", "DeadLetterConfig/TargetArn"],
    "AWS::Lambda::EventInvokeConfig": ["FunctionName", "MaximumRetryAttempts", "MaximumEventAgeInSeconds",
                                       "DestinationConfig/OnFailure/Destination"],
    "AWS::Lambda::EventSourceMapping": ["FunctionName", "EventSourceArn"],
    "AWS::S3::Bucket": ["NotificationConfiguration/LambdaConfigurations/Event",
                        "NotificationConfiguration/LambdaConfigurations/Function",
                        "NotificationConfiguration/LambdaConfigurations/Filter/S3Key/Rules/Name",
                        "NotificationConfiguration/LambdaConfigurations/Filter/S3Key/Rules/Value",
                        "NotificationConfiguration/QueueConfigurations/Queue",
                        "NotificationConfiguration/TopicConfigurations/Topic",
                        "NotificationConfiguration/EventBridgeConfiguration/EventBridgeEnabled"],
    "AWS::EC2::VPC": ["CidrBlock"],
    "AWS::EC2::Subnet": ["VpcId", "AvailabilityZone", "CidrBlock"],
    "AWS::EC2::SecurityGroup": ["VpcId", "SecurityGroupIngress/IpProtocol", "SecurityGroupIngress/FromPort",
                                "SecurityGroupIngress/ToPort", "SecurityGroupIngress/CidrIp", "SecurityGroupIngress/CidrIpv6",
                                "SecurityGroupIngress/SourceSecurityGroupId", "SecurityGroupIngress/SourceSecurityGroupName",
                                "SecurityGroupEgress/DestinationSecurityGroupId", "SecurityGroupEgress/CidrIp"],
    "AWS::EC2::SecurityGroupIngress": ["GroupId", "GroupName", "IpProtocol", "FromPort", "ToPort", "CidrIp", "SourceSecurityGroupId"],
    "AWS::EC2::SecurityGroupEgress": ["GroupId", "IpProtocol", "FromPort", "ToPort", "CidrIp", "DestinationSecurityGroupId"],
    "AWS::EC2::NetworkAcl": ["VpcId"],
    "AWS::EC2::NetworkAclEntry": ["NetworkAclId", "RuleNumber", "Egress", "RuleAction", "Protocol", "PortRange/From",
                                  "PortRange/To", "CidrBlock", "Ipv6CidrBlock"],
    "AWS::EC2::SubnetNetworkAclAssociation": ["NetworkAclId", "SubnetId"],
    "AWS::EC2::Instance": ["InstanceType", "SubnetId", "AvailabilityZone", "SecurityGroupIds", "SecurityGroups",
                           "PlacementGroupName", "NetworkInterfaces/NetworkInterfaceId", "NetworkInterfaces/SubnetId",
                           "NetworkInterfaces/GroupSet", "LaunchTemplate/LaunchTemplateId", "LaunchTemplate/LaunchTemplateName",
                           "IamInstanceProfile"],
    "AWS::EC2::NetworkInterface": ["InterfaceType", "SubnetId", "GroupSet"],
    "AWS::EC2::Volume": ["AvailabilityZone", "Size", "SnapshotId", "VolumeType", "MultiAttachEnabled"],
    "AWS::EC2::VolumeAttachment": ["InstanceId", "VolumeId"],
    "AWS::EC2::EIP": ["InstanceId"],
    "AWS::EC2::EIPAssociation": ["AllocationId", "EIP", "InstanceId", "NetworkInterfaceId"],
    "AWS::EC2::PlacementGroup": ["Strategy"],
    "AWS::EC2::LaunchTemplate": ["LaunchTemplateData/InstanceType", "LaunchTemplateData/SecurityGroupIds",
                                 "LaunchTemplateData/NetworkInterfaces/InterfaceType",
                                 "LaunchTemplateData/NetworkInterfaces/Groups", "LaunchTemplateData/Placement/GroupName",
                                 "LaunchTemplateData/IamInstanceProfile/Arn", "LaunchTemplateData/IamInstanceProfile/Name"],
    "AWS::AutoScaling::AutoScalingGroup": ["VPCZoneIdentifier", "MinSize", "MaxSize", "DesiredCapacity", "PlacementGroup",
                                           "LaunchTemplate/LaunchTemplateId", "LaunchTemplate/LaunchTemplateName",
                                           "LaunchConfigurationName", "TargetGroupARNs",
                                           "LifecycleHookSpecificationList/LifecycleTransition",
                                           "LifecycleHookSpecificationList/NotificationTargetARN"],
    "AWS::AutoScaling::LaunchConfiguration": ["InstanceType", "SecurityGroups", "IamInstanceProfile"],
    "AWS::IAM::InstanceProfile": ["Roles"],
    "AWS::IAM::Role": ["Policies/PolicyDocument"],
    "AWS::IAM::Policy": ["Roles", "PolicyDocument"],
    "AWS::AutoScaling::LifecycleHook": ["AutoScalingGroupName", "LifecycleTransition", "NotificationTargetARN"],
    "AWS::AutoScaling::ScalingPolicy": ["AutoScalingGroupName"],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ["Subnets", "SubnetMappings/SubnetId", "SecurityGroups", "Scheme", "Type"],
    "AWS::ElasticLoadBalancingV2::Listener": ["LoadBalancerArn", "DefaultActions/TargetGroupArn",
                                              "DefaultActions/ForwardConfig/TargetGroups/TargetGroupArn"],
    "AWS::ElasticLoadBalancingV2::ListenerRule": ["ListenerArn", "Actions/TargetGroupArn"],
    "AWS::ElasticLoadBalancingV2::TargetGroup": ["Targets/Id", "TargetType"],
    "AWS::WAFv2::WebACL": ["Rules/Action/Block", "Rules/Statement/IPSetReferenceStatement/Arn"],
    "AWS::WAFv2::IPSet": ["Addresses"],
    "AWS::WAFv2::WebACLAssociation": ["WebACLArn", "ResourceArn"],
    "AWS::CloudWatch::Alarm": ["Dimensions/Name", "Dimensions/Value", "MetricName", "AlarmActions"],
    "AWS::DirectConnect::Connection": ["Bandwidth", "Location"],
    "AWS::DataSync::Task": [],
    "AWS::Batch::ComputeEnvironment": ["ComputeResources/InstanceTypes", "ComputeResources/PlacementGroup",
                                       "ComputeResources/LaunchTemplate/LaunchTemplateId"],
}
