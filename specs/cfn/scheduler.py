"""EventBridge Scheduler schedules (`AWS::Scheduler::Schedule`): one target each,
invoked asynchronously, with the schedule's own retry policy and dead-letter queue.
Source: https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html
("EventBridge Scheduler invokes your Lambda function asynchronously")."""

from __future__ import annotations

from .model import Draft, Importer, as_int, as_text
from .resolve import Unknown


def schedule(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "schedule", imp.value(props.get("ScheduleExpression")), ["ScheduleExpression"], as_text)
    target = imp.value(props.get("Target"))
    if isinstance(target, Unknown):
        imp.flows_unknown(draft.logical_id, target.reason)
        return
    if not isinstance(target, dict):
        return
    found, reason = imp.target(target.get("Arn"), "lambda.function", "sqs.queue", "sns.topic")
    if found is None:
        imp.flows_unknown(draft.logical_id, f"a target the template does not fix ({reason})")
    else:
        imp.add_flow(draft.logical_id, found, imp.position(draft.logical_id, ["Target"]))
    dead_letter = target.get("DeadLetterConfig")
    if isinstance(dead_letter, Unknown):
        draft.unknown["dead_letter"] = dead_letter.reason
    elif isinstance(dead_letter, dict):
        imp.set_ref(draft, "dead_letter", dead_letter.get("Arn"), ["Target", "DeadLetterConfig"], "sqs.queue")
    retry = target.get("RetryPolicy")
    if isinstance(retry, Unknown):
        draft.unknown["max_retry_attempts"] = draft.unknown["max_event_age"] = retry.reason
    elif isinstance(retry, dict):
        imp.set_value(draft, "max_retry_attempts", retry.get("MaximumRetryAttempts"),
                      ["Target", "RetryPolicy", "MaximumRetryAttempts"], as_int)
        imp.set_value(draft, "max_event_age", retry.get("MaximumEventAgeInSeconds"),
                      ["Target", "RetryPolicy", "MaximumEventAgeInSeconds"], as_int)
