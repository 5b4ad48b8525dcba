"""Every example's template, and the coverage specs', deployed into moto's
CloudFormation emulation (an offline implementation of the AWS APIs, not a mock of
archlint) and read back through boto3: the stack reaches CREATE_COMPLETE and the
resources match the spec.

What moto 5 does not model, and so is not checked here (docs/emit.md lists it too):
its CloudFormation skips AWS::SNS::Subscription, AWS::SQS::QueuePolicy,
AWS::CloudWatch::Alarm, AWS::EC2::NetworkAcl(+Entry, +Association),
AWS::EC2::PlacementGroup, AWS::EC2::SecurityGroupEgress, AWS::Lambda::EventInvokeConfig
and AWS::WAFv2::*; a Fn::GetAtt of a skipped resource fails the stack. Those resources
are taken out of the template moto deploys (`_deployable`), and the subscriptions are
then created through the SNS API, as AWS would, and read back. moto also needs a
TargetGroupArn in a listener's forward action (a weighted ForwardConfig of several
groups gets its first group only), FromPort/ToPort on every inline security group rule,
and resolves every SSM parameter's default (it holds only the x86_64 Amazon Linux image
parameter). It ignores a volume's Encrypted and VolumeType (the template is checked
instead) and a security group's IPv6 (CidrIpv6) inline rules (IPv4 rules are checked). Lambda code is never invoked (that needs Docker).
"""

from __future__ import annotations

import glob
import json
import os

import pytest
import yaml

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

from archlint.render.cloudformation import build  # noqa: E402
from archlint.specs import load_spec  # noqa: E402

from .conftest import SPECS  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "specs", "examples")
REGION = "us-east-1"
# CloudFormation types moto 5's emulation does not create (it logs "No Moto
# CloudFormation support") and whose attributes it cannot resolve.
NOT_IN_MOTO = {
    "AWS::SNS::Subscription", "AWS::SQS::QueuePolicy", "AWS::CloudWatch::Alarm", "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation", "AWS::EC2::PlacementGroup",
    "AWS::EC2::SecurityGroupEgress", "AWS::Lambda::EventInvokeConfig", "AWS::WAFv2::IPSet", "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy",
}
PLACEHOLDER = "arn:aws:moto:us-east-1:123456789012:not-created"
MOTO_IMAGE_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def _specs():
    return sorted(glob.glob(os.path.join(EXAMPLES, "*.yaml"))) + sorted(glob.glob(os.path.join(SPECS, "*.yaml")))


def _deployable(template: dict) -> tuple[dict, dict]:
    """(the template without what moto does not create, the resources taken out)."""
    removed = {name: body for name, body in template["Resources"].items() if body["Type"] in NOT_IN_MOTO}

    def scrub(value):
        if isinstance(value, dict):
            if value.get("Ref") in removed:
                return PLACEHOLDER
            if "Fn::GetAtt" in value and value["Fn::GetAtt"][0] in removed:
                return PLACEHOLDER
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    kept = {}
    for name, body in template["Resources"].items():
        if name in removed:
            continue
        body = scrub(body)
        if body["Type"] == "AWS::ElasticLoadBalancingV2::Listener":
            body = _single_forward(body)
        if body["Type"] == "AWS::EC2::SecurityGroup":
            body = _explicit_ports(body)
        depends = [d for d in body.get("DependsOn", []) if d not in removed]
        body.pop("DependsOn", None)
        if depends:
            body["DependsOn"] = depends
        kept[name] = body
    parameters = {}
    for name, body in template.get("Parameters", {}).items():
        if body["Type"].startswith("AWS::SSM::Parameter::Value"):
            # moto's SSM holds the x86_64 Amazon Linux image parameter only, and resolves
            # every default even when a value is passed
            body = {**body, "Default": MOTO_IMAGE_PARAMETER}
        parameters[name] = body
    return {**template, "Parameters": parameters, "Resources": kept}, removed


def _explicit_ports(group: dict) -> dict:
    """moto needs FromPort/ToPort on every inline rule; AWS (and cfn-lint, W3687) want
    none for all protocols (-1) and ICMPv6, which mean every port or type anyway."""
    properties = dict(group["Properties"])
    for key in ("SecurityGroupIngress", "SecurityGroupEgress"):
        if key in properties:
            properties[key] = [{"FromPort": -1, "ToPort": -1, **rule} for rule in properties[key]]
    return {**group, "Properties": properties}


def _single_forward(listener: dict) -> dict:
    """moto's listeners need a TargetGroupArn on a forward action, which a weighted
    ForwardConfig of several groups cannot have: moto gets the first group only."""
    actions = []
    for action in listener["Properties"]["DefaultActions"]:
        groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
        if groups and "TargetGroupArn" not in action:
            action = {"Type": "forward", "TargetGroupArn": groups[0]["TargetGroupArn"]}
        actions.append(action)
    return {**listener, "Properties": {**listener["Properties"], "DefaultActions": actions}}


def _parameters(template: dict, acm) -> list[dict]:
    """A value for every parameter without a default: a certificate for HTTPS listeners,
    a bucket and key for code archives."""
    values = []
    for name, body in template.get("Parameters", {}).items():
        if "Default" in body:
            continue
        if name.endswith("CertificateArn"):
            arn = acm.request_certificate(DomainName="example.com")["CertificateArn"]
            values.append({"ParameterKey": name, "ParameterValue": arn})
        else:
            values.append({"ParameterKey": name, "ParameterValue": "index.handler" if name.endswith("Handler") else "code"})
    return values


def _code_archive(aws) -> None:
    """The bucket and key the code parameters name, holding a (placeholder) archive."""
    s3 = aws("s3")
    s3.create_bucket(Bucket="code")
    s3.put_object(Bucket="code", Key="code", Body=b"PK\x05\x06" + b"\x00" * 18)


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    with moto.mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


def _deploy(aws, template: dict) -> dict:
    """Deploy into moto; logical id -> physical id of what it created."""
    deployable, _ = _deployable(template)
    _code_archive(aws)
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName="spec", TemplateBody=json.dumps(deployable),
                                Parameters=_parameters(deployable, aws("acm")),
                                Capabilities=["CAPABILITY_IAM"])
    stack = cloudformation.describe_stacks(StackName="spec")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    resources = cloudformation.list_stack_resources(StackName="spec")["StackResourceSummaries"]
    return {item["LogicalResourceId"]: item.get("PhysicalResourceId") for item in resources if "LogicalResourceId" in item}


@pytest.mark.parametrize("path", _specs(), ids=os.path.basename)
def test_template_deploys_and_matches_the_spec(aws, path):
    graph = load_spec(path)
    template = yaml.safe_load(build(graph).to_yaml())
    physical = _deploy(aws, template)
    sqs, lam, ec2, elbv2, sns = aws("sqs"), aws("lambda"), aws("ec2"), aws("elbv2"), aws("sns")
    by_id = {name: body for name, body in template["Resources"].items()}

    for node, data in graph.nodes(data=True):
        logical = next((name for name, body in by_id.items()
                        if (body.get("Metadata") or {}).get("archlint", {}).get("id") == node), None)
        if data["type"] == "sqs.queue":
            attributes = sqs.get_queue_attributes(QueueUrl=physical[logical], AttributeNames=["All"])["Attributes"]
            assert int(attributes["VisibilityTimeout"]) == data["visibility_timeout"]
            assert attributes.get("SqsManagedSseEnabled") == "true"
            if data.get("dead_letter"):  # redrive: to the spec's dead-letter queue
                redrive = json.loads(attributes["RedrivePolicy"])
                target = next(name for name, body in by_id.items()
                              if (body.get("Metadata") or {}).get("archlint", {}).get("id") == data["dead_letter"])
                dlq = sqs.get_queue_attributes(QueueUrl=physical[target], AttributeNames=["QueueArn"])["Attributes"]
                assert redrive["deadLetterTargetArn"] == dlq["QueueArn"]
                assert int(redrive["maxReceiveCount"]) == data["max_receive_count"]
        elif data["type"] == "lambda.function":
            configuration = lam.get_function(FunctionName=physical[logical])["Configuration"]
            assert configuration["Timeout"] == data["timeout"] and configuration["MemorySize"] == data["memory"]
            assert configuration["Runtime"] == data["runtime"]
        elif data["type"] == "security_group":  # every inline (CIDR) rule of the spec, with its ports
            group = ec2.describe_security_groups(GroupIds=[physical[logical]])["SecurityGroups"][0]
            deployed = {(p.get("IpProtocol"), p.get("FromPort"), p.get("ToPort"), r.get("CidrIp") or r.get("CidrIpv6"))
                        for p in group["IpPermissions"] for r in p.get("IpRanges", []) + p.get("Ipv6Ranges", [])}
            for rule in data.get("rules") or []:
                ipv4 = ":" not in str(rule.get("cidr") or ":")  # moto's CloudFormation drops CidrIpv6 rules
                if ipv4 and rule.get("direction", "ingress") == "ingress" and rule.get("protocol", "tcp") == "tcp":
                    low, _, high = str(rule["ports"]).partition("-")
                    assert ("tcp", int(low), int(high or low), rule["cidr"]) in deployed, (node, rule, deployed)
        elif data["type"] == "events.rule":  # schedule or pattern, and one target per flow
            events = aws("events")
            rule = events.describe_rule(Name=physical[logical].split("|")[0].split("/")[-1])
            if data.get("schedule"):
                assert rule["ScheduleExpression"] == data["schedule"]
            targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            assert len(targets) == sum(1 for _, _, d in graph.out_edges(node, data=True) if d.get("kind") == "flow")
        elif data["type"] == "ebs.volume":
            volume = ec2.describe_volumes(VolumeIds=[physical[logical]])["Volumes"][0]
            assert (volume["AvailabilityZone"], volume["Size"]) == (data["az"], data["size"])
            assert by_id[logical]["Properties"]["Encrypted"] is True  # moto ignores Encrypted and VolumeType
        elif data["type"] == "alb":
            balancer = elbv2.describe_load_balancers(Names=[physical[logical].split("/")[-2]])["LoadBalancers"][0] \
                if physical[logical].startswith("arn:") else None
            arn = balancer["LoadBalancerArn"] if balancer else physical[logical]
            listener = elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"][0]
            expected_port = data.get("listener_port") or (80 if data.get("listener_protocol") == "HTTP" else 443)
            assert (listener["Protocol"], listener["Port"]) == (data.get("listener_protocol") or "HTTPS", expected_port)

    # event source mappings: one per queue -> function flow, with partial batch responses
    mappings = lam.list_event_source_mappings()["EventSourceMappings"]
    expected = [(s, t) for s, t, d in graph.edges(data=True) if d.get("kind") == "flow" and d["relation"] == "event_source_mapping"]
    assert len(mappings) == len(expected)
    for mapping in mappings:
        assert mapping.get("FunctionResponseTypes") == ["ReportBatchItemFailures"]

    # target groups: the spec's target port, health checked on it
    for name, body in by_id.items():
        if body["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup" and body["Properties"].get("TargetType") == "instance":
            group = elbv2.describe_target_groups(TargetGroupArns=[physical[name]])["TargetGroups"][0]
            assert group["Port"] == body["Properties"]["Port"] and group["HealthCheckPort"] == "traffic-port"

    # what moto's CloudFormation skips, created through the service APIs as AWS would
    _, removed = _deployable(template)
    for name, body in removed.items():
        properties = body.get("Properties", {})
        if body["Type"] == "AWS::SNS::Subscription" and "Condition" not in body:
            topic = physical[properties["TopicArn"]["Ref"]]
            endpoint = properties["Endpoint"]["Fn::GetAtt"][0]
            endpoint_arn = (sqs.get_queue_attributes(QueueUrl=physical[endpoint], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                            if properties["Protocol"] == "sqs" else lam.get_function(FunctionName=physical[endpoint])["Configuration"]["FunctionArn"])
            sns.subscribe(TopicArn=topic, Protocol=properties["Protocol"], Endpoint=endpoint_arn)
            subscribed = [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
            assert endpoint_arn in subscribed
