"""The traps of CloudFormation that the emitter must not fall into, one test each.

Each test would fail if the emitter fell into its trap: a Ref to the bucket in its own
permission, a subscription racing its queue policy, a queue's URL where an ARN is
needed, a FIFO name without `.fifo`.
"""

from __future__ import annotations

import json

from archlint.render.cloudformation import build

from .conftest import cfn_lint, resources_of_type, spec, template_of

BUCKET_SPEC = """
    archlint: 1
    name: uploads
    resources:
      uploads:
        type: s3.bucket
      resize-fn:
        type: lambda.function
        on_failure: failed-events
      failed-events:
        type: sqs.queue
      csv-queue:
        type: sqs.queue
      png-topic:
        type: sns.topic
      thumbnails:
        type: s3.bucket
    flows:
      - from: uploads
        to: resize-fn
        prefix: incoming/
      - from: uploads
        to: csv-queue
        prefix: csv/
      - from: uploads
        to: png-topic
        prefix: png/
      - from: resize-fn
        to: uploads
        prefix: done/
      - resize-fn -> thumbnails
"""


def _mentions(value, logical_id: str) -> bool:
    """Whether an expression holds a Ref or GetAtt of `logical_id` (or names it in a Sub)."""
    text = json.dumps(value)
    return (
        json.dumps({"Ref": logical_id}) in text
        or f'"Fn::GetAtt": ["{logical_id}"' in text
        or f"${{{logical_id}}}" in text
        or f"${{{logical_id}." in text
    )


def test_bucket_waits_for_the_permission_of_the_function_it_notifies():
    template = template_of(BUCKET_SPEC)
    bucket = template["Resources"]["Uploads"]
    permission = template["Resources"]["UploadsToResizeFnPermission"]
    assert permission["Type"] == "AWS::Lambda::Permission"
    assert permission["Properties"]["Principal"] == "s3.amazonaws.com"
    assert "UploadsToResizeFnPermission" in bucket["DependsOn"]


def test_nothing_refers_to_a_bucket_by_ref_or_getatt():
    """Permission SourceArn, policies and roles name the bucket by its name: a Ref to
    the bucket from anything the bucket waits for is a circular dependency. (The
    bucket's own TLS-only policy names it: it is made after the bucket.)"""
    template = template_of(BUCKET_SPEC)
    for logical, body in template["Resources"].items():
        for bucket in ("Uploads", "Thumbnails"):
            if logical not in (bucket, f"{bucket}Policy"):
                assert not _mentions(body, bucket), f"{logical} refers to {bucket}"


def test_permission_source_arn_is_built_from_the_bucket_name():
    template = template_of(BUCKET_SPEC)
    name = template["Resources"]["Uploads"]["Properties"]["BucketName"]["Fn::Sub"]
    source = template["Resources"]["UploadsToResizeFnPermission"]["Properties"]["SourceArn"]["Fn::Sub"]
    assert name[0] == "uploads-${StackSuffix}"
    assert source[0] == "arn:${AWS::Partition}:s3:::uploads-${StackSuffix}"
    assert source[1] == name[1]  # the very same suffix expression


def test_bucket_waits_for_queue_and_topic_policies_too():
    template = template_of(BUCKET_SPEC)
    assert {"CsvQueuePolicy", "PngTopicPolicy"} <= set(template["Resources"]["Uploads"]["DependsOn"])


def test_bucket_spec_has_no_circular_dependency_for_cfn_lint():
    text = build(spec(BUCKET_SPEC)).to_yaml()
    assert not [m for m in cfn_lint(text) if m.rule.id == "E3004"]


SUBSCRIPTION_SPEC = """
    archlint: 1
    name: fanout
    resources:
      orders:
        type: sns.topic
      billing:
        type: sqs.queue
      audit:
        type: sqs.queue
      mailer:
        type: lambda.function
    flows:
      - from: orders
        to: [billing, audit, mailer]
"""


def test_queue_subscriptions_wait_for_the_queue_policy():
    template = template_of(SUBSCRIPTION_SPEC)
    subscriptions = resources_of_type(template, "AWS::SNS::Subscription")
    queue_subscriptions = [s for s in subscriptions.values() if s["Properties"]["Protocol"] == "sqs"]
    assert len(queue_subscriptions) == 2
    for subscription in queue_subscriptions:
        queue = subscription["Properties"]["Endpoint"]["Fn::GetAtt"][0]
        policy = template["Resources"][f"{queue}Policy"]
        assert policy["Type"] == "AWS::SQS::QueuePolicy"
        assert policy["Properties"]["Queues"] == [{"Ref": queue}]
        assert f"{queue}Policy" in subscription["DependsOn"]


def test_function_subscription_waits_for_its_permission():
    template = template_of(SUBSCRIPTION_SPEC)
    subscription = template["Resources"]["OrdersToMailerSubscription"]
    assert subscription["DependsOn"] == ["OrdersToMailerPermission"]
    assert template["Resources"]["OrdersToMailerPermission"]["Properties"]["SourceArn"] == {"Ref": "Orders"}


EVERY_QUEUE_ARN_SPEC = """
    archlint: 1
    name: queue-arns
    resources:
      topic:
        type: sns.topic
      work:
        type: sqs.queue
        dead_letter: dlq
      dlq:
        type: sqs.queue
      fn:
        type: lambda.function
        dead_letter: fn-dlq
        on_failure: failures
      fn-dlq:
        type: sqs.queue
      failures:
        type: sqs.queue
      bucket:
        type: s3.bucket
      rule:
        type: events.rule
        schedule: rate(5 minutes)
      hooks:
        type: sqs.queue
      vpc:
        type: vpc
      subnet:
        type: subnet
        vpc: vpc
        az: us-east-1a
      group:
        type: autoscaling.group
        subnets: [subnet]
        lifecycle_hooks:
          - {transition: terminating, target: hooks}
      alarm:
        type: cloudwatch.alarm
        watches: work
    flows:
      - topic -> work -> fn
      - fn -> failures
      - bucket -> work
      - rule -> work
      - group -> work
"""


def _refs(value, path=()):
    """(path, logical id) of every {"Ref": id} in an expression."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            yield path, value["Ref"]
        for key, item in value.items():
            yield from _refs(item, path + (key,))
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item, path)


def test_queue_ref_is_used_only_where_a_url_is_wanted():
    """`Ref` of a queue is its URL: everywhere an ARN is needed (redrive, DLQ, on-failure
    destination, subscription endpoint, event source, rule target, lifecycle hook, IAM)
    the emitter must use Fn::GetAtt Arn. The only place a queue URL belongs is a queue
    policy's `Queues` list."""
    template = template_of(EVERY_QUEUE_ARN_SPEC)
    queues = set(resources_of_type(template, "AWS::SQS::Queue"))
    assert queues == {"Work", "Dlq", "FnDlq", "Failures", "Hooks"}
    for logical, body in template["Resources"].items():
        for path, target in _refs(body):
            if target in queues:
                assert body["Type"] == "AWS::SQS::QueuePolicy" and path[-1] == "Queues", (logical, path)


def test_queue_arns_come_from_getatt():
    template = template_of(EVERY_QUEUE_ARN_SPEC)
    resources = template["Resources"]
    arn = lambda queue: {"Fn::GetAtt": [queue, "Arn"]}  # noqa: E731
    assert resources["Work"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] == arn("Dlq")
    assert resources["Fn"]["Properties"]["DeadLetterConfig"]["TargetArn"] == arn("FnDlq")
    assert resources["FnInvokeConfig"]["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == arn("Failures")
    assert resources["TopicToWorkSubscription"]["Properties"]["Endpoint"] == arn("Work")
    assert resources["WorkToFnMapping"]["Properties"]["EventSourceArn"] == arn("Work")
    assert resources["Rule"]["Properties"]["Targets"][0]["Arn"] == arn("Work")
    hook = resources["Group"]["Properties"]["LifecycleHookSpecificationList"][0]
    assert hook["NotificationTargetARN"] == arn("Hooks")
    assert resources["Alarm"]["Properties"]["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["Work", "QueueName"]}


def test_one_policy_per_queue_with_a_statement_per_service():
    """Two QueuePolicy resources on one queue overwrite each other."""
    template = template_of(EVERY_QUEUE_ARN_SPEC)
    policies = [p for p in resources_of_type(template, "AWS::SQS::QueuePolicy").values() if p["Properties"]["Queues"] == [{"Ref": "Work"}]]
    assert len(policies) == 1
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    services = [s["Principal"]["Service"] for s in statements if s["Effect"] == "Allow"]
    assert services == ["events.amazonaws.com", "s3.amazonaws.com", "sns.amazonaws.com"]
    assert statements[-1]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}  # and TLS only


FIFO_SPEC = """
    archlint: 1
    name: fifo
    resources:
      orders:
        type: sns.topic
        fifo: true
      ledger:
        type: sqs.queue
        fifo: true
        dead_letter: ledger-dlq
      ledger-dlq:
        type: sqs.queue
        fifo: true
      plain:
        type: sqs.queue
      tick:
        type: events.rule
        schedule: rate(1 hour)
    flows:
      - orders -> ledger
      - tick -> ledger
"""


def test_fifo_queue_and_topic_names_end_in_fifo():
    template = template_of(FIFO_SPEC)
    resources = template["Resources"]
    for logical in ("Ledger", "LedgerDlq"):
        properties = resources[logical]["Properties"]
        assert properties["FifoQueue"] is True
        assert properties["QueueName"]["Fn::Sub"][0].endswith(".fifo")
    topic = resources["Orders"]["Properties"]
    assert topic["FifoTopic"] is True
    assert topic["TopicName"]["Fn::Sub"][0].endswith(".fifo")
    assert "QueueName" not in resources["Plain"].get("Properties", {})  # standard: CloudFormation names it


def test_fifo_rule_target_has_a_message_group():
    template = template_of(FIFO_SPEC)
    target = template["Resources"]["Tick"]["Properties"]["Targets"][0]
    assert target["SqsParameters"] == {"MessageGroupId": "tick"}


def test_fifo_names_fit_the_queue_name_limit():
    long_id = "q" + "-x" * 31  # 63 characters, the longest id
    template = template_of(
        f"""
        archlint: 1
        name: long
        resources:
          {long_id}:
            type: sqs.queue
            fifo: true
        """
    )
    (queue,) = resources_of_type(template, "AWS::SQS::Queue").values()
    pattern = queue["Properties"]["QueueName"]["Fn::Sub"][0]
    assert len(pattern.replace("${StackSuffix}", "12345678")) <= 80
