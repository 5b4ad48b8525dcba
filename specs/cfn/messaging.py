"""Queues, topics, EventBridge rules, functions and buckets: their attributes, and the
flows of subscriptions, event source mappings, rule targets and bucket notifications."""

from __future__ import annotations

import json

from .model import Draft, Importer, as_flag, as_int, as_runtime, as_text, has_unknown, why
from .resolve import NO_VALUE, ResourceRef, Unknown


# -- messaging -------------------------------------------------------------------------


def queue(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "fifo", imp.value(props.get("FifoQueue")), ["FifoQueue"], as_flag)
    imp.set_value(draft, "visibility_timeout", imp.value(props.get("VisibilityTimeout")), ["VisibilityTimeout"], as_int)
    imp.set_value(draft, "encrypted", imp.value(props.get("SqsManagedSseEnabled")), ["SqsManagedSseEnabled"], as_flag)
    redrive = imp.value(props.get("RedrivePolicy"))
    if isinstance(redrive, str):  # the policy may be written as a JSON string
        try:
            redrive = json.loads(redrive)
        except ValueError:
            redrive = Unknown("a RedrivePolicy that is not JSON")
    if redrive is None or redrive is NO_VALUE:
        return
    if not isinstance(redrive, dict):
        draft.unknown["dead_letter"] = redrive.reason if isinstance(redrive, Unknown) else "an unreadable RedrivePolicy"
        draft.positions["dead_letter"] = imp.position(draft.logical_id, ["RedrivePolicy"])
        return
    imp.set_ref(draft, "dead_letter", redrive.get("deadLetterTargetArn"), ["RedrivePolicy", "deadLetterTargetArn"], "sqs.queue")
    imp.set_value(draft, "max_receive_count", redrive.get("maxReceiveCount"), ["RedrivePolicy", "maxReceiveCount"], as_int)


def topic(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "fifo", imp.value(props.get("FifoTopic")), ["FifoTopic"], as_flag)
    key = imp.value(props.get("KmsMasterKeyId"))
    imp.set_value(draft, "encrypted", key is not None, ["KmsMasterKeyId"])
    subscriptions = imp.value(props.get("Subscription"))
    for index, subscription in enumerate(subscriptions if isinstance(subscriptions, list) else []):
        if isinstance(subscription, dict):
            _subscribe(imp, draft.logical_id, subscription.get("Protocol"), subscription.get("Endpoint"),
                       imp.position(draft.logical_id, ["Subscription", index]))


def subscription(imp: Importer, logical_id: str, props: dict) -> None:
    topic_id, reason = imp.target(props.get("TopicArn"), "sns.topic")
    at = imp.resource_position(logical_id)
    if topic_id is None:
        endpoint, _ = imp.target(props.get("Endpoint"))
        imp.flows_unknown(endpoint, f"a subscription to a topic the template does not fix ({reason})")
        return
    _subscribe(imp, topic_id, imp.value(props.get("Protocol")), props.get("Endpoint"), at)


def _subscribe(imp: Importer, topic_id: str, protocol, endpoint, at) -> None:
    kinds = {"sqs": "sqs.queue", "lambda": "lambda.function"}
    if not isinstance(protocol, str) or protocol.lower() not in kinds:
        return  # e-mail, HTTP, SMS...: endpoints outside the template
    target, reason = imp.target(endpoint, kinds[protocol.lower()])
    if target is None:
        imp.flows_unknown(topic_id, f"a subscription whose endpoint the template does not fix ({reason})")
        return
    imp.add_flow(topic_id, target, at)


def rule(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "schedule", imp.value(props.get("ScheduleExpression")), ["ScheduleExpression"], as_text)
    pattern = imp.value(props.get("EventPattern"))
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError:
            pattern = Unknown("an EventPattern that is not JSON")
    if isinstance(pattern, dict) and has_unknown(pattern):
        pattern = Unknown("an EventPattern with values the template does not fix")
    imp.set_value(draft, "pattern", pattern, ["EventPattern"], lambda value: value if isinstance(value, dict) else None)
    targets = imp.value(props.get("Targets"))
    if isinstance(targets, Unknown):
        imp.flows_unknown(draft.logical_id, targets.reason)
        return
    for index, target in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(target, dict):
            continue
        found, reason = imp.target(target.get("Arn"), "lambda.function", "sqs.queue", "sns.topic")
        if found is None:
            imp.flows_unknown(draft.logical_id, f"a target the template does not fix ({reason})")
            continue
        imp.add_flow(draft.logical_id, found, imp.position(draft.logical_id, ["Targets", index]))


# -- functions -------------------------------------------------------------------------


def function(imp: Importer, draft: Draft, props: dict) -> None:
    name = draft.logical_id
    if imp.value(props.get("PackageType")) == "Image":
        draft.unknown["runtime"] = "a container image function (its runtime is in the image)"
    else:
        imp.set_value(draft, "runtime", imp.value(props.get("Runtime")), ["Runtime"], as_runtime)
    imp.set_value(draft, "memory", imp.value(props.get("MemorySize")), ["MemorySize"], as_int)
    imp.set_value(draft, "timeout", imp.value(props.get("Timeout")), ["Timeout"], as_int)
    logging = imp.value(props.get("LoggingConfig"))
    group = logging.get("LogGroup") if isinstance(logging, dict) else None
    if isinstance(group, ResourceRef) and imp.resources.get(group.logical_id, {}).get("Type") == "AWS::Logs::LogGroup":
        retention = imp.value(imp.properties(group.logical_id).get("RetentionInDays"))
        imp.set_value(draft, "log_retention", retention, ["LoggingConfig"], as_int)
    dead_letter = props.get("DeadLetterConfig")
    if isinstance(dead_letter, dict):
        imp.set_ref(draft, "dead_letter", dead_letter.get("TargetArn"), ["DeadLetterConfig"], "sqs.queue", "sns.topic")
        if "dead_letter" in draft.positions:  # SAM spells it DeadLetterQueue
            draft.positions["dead_letter"] = imp.position(name, ["DeadLetterQueue"], ["DeadLetterConfig"])
    elif dead_letter is not None and not imp.value(dead_letter) is NO_VALUE:
        draft.unknown["dead_letter"] = why(imp.value(dead_letter))
        draft.positions["dead_letter"] = imp.position(name, ["DeadLetterQueue"], ["DeadLetterConfig"])


def event_invoke_config(imp: Importer, logical_id: str, props: dict) -> None:
    function_id, reason = imp.target(props.get("FunctionName"), "lambda.function")
    if function_id is None:
        return
    draft = imp.drafts[function_id]
    at = ["EventInvokeConfig"]
    for attribute, key in (("max_retry_attempts", "MaximumRetryAttempts"), ("max_event_age", "MaximumEventAgeInSeconds")):
        value = imp.value(props.get(key))
        if value is not None and value is not NO_VALUE:
            imp.set_value(draft, attribute, value, at, as_int)
            draft.positions[attribute] = imp.position(function_id, at + [key], at)
    destination = imp.value(props.get("DestinationConfig"))
    if isinstance(destination, dict):
        on_failure = destination.get("OnFailure")
        if isinstance(on_failure, dict):
            imp.set_ref(draft, "on_failure", on_failure.get("Destination"), at,
                        "sqs.queue", "sns.topic", "lambda.function", "s3.bucket")
            draft.positions["on_failure"] = imp.position(function_id, at + ["DestinationConfig", "OnFailure"], at)
    elif isinstance(destination, Unknown):
        draft.unknown["on_failure"] = destination.reason
        draft.positions["on_failure"] = imp.position(function_id, at)


def event_source_mapping(imp: Importer, logical_id: str, props: dict) -> None:
    function_id, function_reason = imp.target(props.get("FunctionName"), "lambda.function")
    source, source_reason = imp.target(props.get("EventSourceArn"), "sqs.queue")
    if function_id and source:
        imp.add_flow(source, function_id, imp.resource_position(logical_id))
    elif function_id and isinstance(imp.value(props.get("EventSourceArn")), Unknown):
        imp.flows_unknown(function_id, f"an event source mapping from {source_reason}")
    elif source:
        imp.flows_unknown(source, f"an event source mapping to {function_reason}")


# What a function's role allows it to do to a resource of the template, as flows. Only
# statements naming the resource itself count ("Resource: '*'" names nothing), and not
# the grants that a dead-letter queue or a destination needs.
# -- storage ---------------------------------------------------------------------------

_NOTIFICATIONS = (
    ("LambdaConfigurations", "Function", "lambda.function"),
    ("QueueConfigurations", "Queue", "sqs.queue"),
    ("TopicConfigurations", "Topic", "sns.topic"),
)


def bucket(imp: Importer, draft: Draft, props: dict) -> None:
    block = imp.value(props.get("PublicAccessBlockConfiguration"))
    if isinstance(block, dict):
        settings = [block.get(key) for key in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")]
        imp.set_value(draft, "block_public_access", all(as_flag(value) is True for value in settings), ["PublicAccessBlockConfiguration"])
    configuration = imp.value(props.get("NotificationConfiguration"))
    if isinstance(configuration, Unknown):
        imp.flows_unknown(draft.logical_id, configuration.reason)
        return
    if not isinstance(configuration, dict):
        return
    for key, target_key, kind in _NOTIFICATIONS:
        items = configuration.get(key)
        if isinstance(items, Unknown):
            imp.flows_unknown(draft.logical_id, items.reason)
            continue
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            target, reason = imp.target(item.get(target_key), kind)
            if target is None:
                imp.flows_unknown(draft.logical_id, f"a notification to {reason}")
                continue
            # A value the template does not fix makes that attribute of the flow unknown;
            # the notification itself (an asynchronous invocation) is still there.
            unknown = {}
            event = item.get("Event")
            if isinstance(event, Unknown):
                unknown["events"], event = event.reason, None
            prefix, suffix = _key_filter(item.get("Filter"))
            for name, value in (("prefix", prefix), ("suffix", suffix)):
                if isinstance(value, Unknown):
                    unknown[name] = value.reason
            prefix = None if isinstance(prefix, Unknown) else prefix
            suffix = None if isinstance(suffix, Unknown) else suffix
            same = next((flow for flow in imp.flows if flow.source == draft.logical_id and flow.target == target
                         and (flow.prefix, flow.suffix) == (prefix, suffix) and flow.events is not None
                         and flow.unknown == unknown), None)
            if same is not None and isinstance(event, str):
                same.events.append(event)  # one configuration per event: one flow with their events
                continue
            imp.add_flow(draft.logical_id, target, _notification_position(imp, draft.logical_id, key, index, target),
                         events=[event] if isinstance(event, str) else None, prefix=prefix, suffix=suffix,
                         unknown=unknown)
    bridge = configuration.get("EventBridgeConfiguration")
    if isinstance(bridge, dict) and as_flag(bridge.get("EventBridgeEnabled")):
        imp.bridged_buckets.append(draft.logical_id)


def _key_filter(value):
    """(prefix, suffix) of a notification's Filter; each None when absent, an `Unknown`
    when the template does not fix it."""
    prefix = suffix = None
    key = value.get("S3Key") if isinstance(value, dict) else None
    rules = key.get("Rules") if isinstance(key, dict) else key
    for part in (value, key, rules):
        if isinstance(part, Unknown):
            return part, part
    for item in rules if isinstance(rules, list) else []:
        if isinstance(item, Unknown):
            return item, item
        if not isinstance(item, dict):
            continue
        name, text = item.get("Name"), item.get("Value")
        if isinstance(name, Unknown):
            return name, name  # which of the two it sets is unknown
        if isinstance(name, str) and name.lower() == "prefix":
            prefix = text
        elif isinstance(name, str) and name.lower() == "suffix":
            suffix = text
    return prefix, suffix


def _notification_position(imp: Importer, bucket_id: str, key: str, index: int, target: str):
    """The configuration entry as written; for SAM, the function's S3 event that made it."""
    source = imp.source_resources.get(bucket_id, {})
    written = source.get("Properties", {}).get("NotificationConfiguration") if isinstance(source.get("Properties"), dict) else None
    if written:
        return imp.position(bucket_id, ["NotificationConfiguration", key, index])
    function = imp.source_resources.get(target, {})
    events = (function.get("Properties") or {}).get("Events") if isinstance(function, dict) else None
    for name, event in (events or {}).items():
        if isinstance(event, dict) and event.get("Type") == "S3":
            found = imp.value((event.get("Properties") or {}).get("Bucket"))
            if isinstance(found, ResourceRef) and found.logical_id == bucket_id:
                return imp.position(target, ["Events", name])
    return imp.resource_position(bucket_id)


def bucket_events(imp: Importer) -> None:
    """A bucket that sends its events to EventBridge flows into every rule of the
    template matching S3 events of any bucket or of that one (read after all rules)."""
    for logical_id, draft in imp.drafts.items():
        if draft.type != "events.rule":
            continue
        pattern = imp.value(imp.properties(logical_id).get("EventPattern"))
        if not isinstance(pattern, dict) or "aws.s3" not in (pattern.get("source") or []):
            continue
        detail = pattern.get("detail") if isinstance(pattern.get("detail"), dict) else {}
        names = (detail.get("bucket") or {}).get("name") if isinstance(detail.get("bucket"), dict) else None
        for bucket_id in imp.bridged_buckets:
            if names is None or any(isinstance(n, ResourceRef) and n.logical_id == bucket_id for n in names if names):
                imp.add_flow(bucket_id, logical_id, imp.resource_position(logical_id))
