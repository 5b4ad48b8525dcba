"""EventBridge Scheduler schedules: imported with their target flow, retry policy and
dead-letter queue; the function they invoke is invoked asynchronously (DLQ002)."""

from __future__ import annotations

from archlint.linter.engine import lint_graph
from archlint.linter.registry import all_rules
from archlint.render.cloudformation import not_emitted_reason
from archlint.specs import load_text

from .helpers import findings, flows, load

TEMPLATE = """\
    Parameters:
      Retries: {Type: Number, Default: 3}
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
      ScheduleDlq:
        Type: AWS::SQS::Queue
      Nightly:
        Type: AWS::Scheduler::Schedule
        Properties:
          ScheduleExpression: cron(0 3 * * ? *)
          FlexibleTimeWindow: {Mode: 'OFF'}
          Target:
            Arn: !GetAtt Fn.Arn
            RoleArn: arn:aws:iam::1:role/scheduler
            DeadLetterConfig: {Arn: !GetAtt ScheduleDlq.Arn}
            RetryPolicy: {MaximumRetryAttempts: !Ref Retries, MaximumEventAgeInSeconds: 3600}
"""


def test_a_schedule_is_imported_with_its_target_retry_policy_and_dead_letter_queue():
    graph = load(TEMPLATE)
    nightly = graph.nodes["nightly"]
    assert nightly["type"] == "scheduler.schedule"
    assert (nightly["schedule"], nightly["dead_letter"], nightly["max_event_age"]) == ("cron(0 3 * * ? *)", "schedule-dlq", 3600)
    assert nightly["unknown_reasons"] == {"max_retry_attempts": "the parameter Retries"}
    assert ("nightly", "fn", "target") in flows(graph)
    (flow,) = [data for _, target, data in graph.edges(data=True) if target == "fn" and data["kind"] == "flow"]
    assert flow["invocation"] == "async"


def test_the_function_a_schedule_invokes_needs_its_own_dlq():
    # the schedule's DLQ takes what the schedule cannot deliver, not the function's failures
    assert ("DLQ002", "fn") in findings(load(TEMPLATE))
    fixed = TEMPLATE.replace("Code: {ZipFile: x}}", "Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: !GetAtt ScheduleDlq.Arn}}")
    assert ("DLQ002", "fn") not in findings(load(fixed))


def test_a_schedule_in_a_spec_loads_lints_and_is_listed_as_not_emitted():
    graph = load_text("""\
archlint: 1
name: nightly
resources:
  nightly: {type: scheduler.schedule, schedule: "rate(1 day)", max_retry_attempts: 5}
  report-fn: {type: lambda.function}
flows:
  - nightly -> report-fn
""", "spec.yaml")
    assert graph.nodes["nightly"]["max_event_age"] == 86400  # the service's default
    found = {(f.rule, f.resource) for f in lint_graph(graph, all_rules()).findings}
    assert ("DLQ002", "report-fn") in found
    assert "not emitted" in not_emitted_reason(graph.nodes["nightly"])
