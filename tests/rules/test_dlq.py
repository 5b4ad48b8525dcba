"""DLQ001–DLQ007: dead-letter queues on queues and functions."""

from __future__ import annotations

import pytest

from archlint.rules import dlq
from archlint.rules.dlq import (
    AsyncFunctionWithoutDeadLetter,
    DeadLetterFifoMismatch,
    DeadLetterOnSynchronousFunction,
    FifoFunctionDeadLetter,
    QueueWithoutDeadLetter,
    RedriveCycle,
    SingleReceiveDeadLetter,
)

from .conftest import findings, line_of, load


@pytest.mark.parametrize("rule", dlq.RULES, ids=lambda rule: rule.id)
def test_examples(rule):
    bad = findings(rule, rule.bad_example)
    assert bad and all(found.rule == rule.id for found in bad)
    assert findings(rule, rule.good_example) == []


# DLQ001 ---------------------------------------------------------------------------

POLLED = """\
archlint: 1
name: billing
resources:
  billing-queue:
    type: sqs.queue
  billing-fn:
    type: lambda.function
  worker:
    type: ec2.instance
flows:
  - billing-queue -> billing-fn
  - billing-queue -> worker
"""


def test_dlq001_fires_on_a_polled_queue_without_dead_letter():
    [found] = findings(QueueWithoutDeadLetter, POLLED)
    assert (found.rule, found.resource, found.severity) == ("DLQ001", "billing-queue", "error")
    assert found.line == line_of(POLLED, "billing-queue:")
    assert "billing-fn and worker" in found.message
    assert "dead_letter" in found.fix


def test_dlq001_fires_on_a_queue_only_an_instance_polls():
    spec = POLLED.replace("  - billing-queue -> billing-fn\n", "")
    [found] = findings(QueueWithoutDeadLetter, spec)
    assert found.resource == "billing-queue" and "worker" in found.message


def test_dlq001_quiet_with_a_dead_letter_queue():
    spec = POLLED.replace(
        "  billing-queue:\n    type: sqs.queue\n",
        "  billing-queue:\n    type: sqs.queue\n    dead_letter: billing-dlq\n  billing-dlq:\n    type: sqs.queue\n",
    )
    assert findings(QueueWithoutDeadLetter, spec) == []


def test_dlq001_quiet_on_a_queue_nobody_consumes():
    spec = """\
    archlint: 1
    name: billing
    resources:
      app:
        type: external
      billing-queue:
        type: sqs.queue
    flows:
      - app -> billing-queue
    """
    assert findings(QueueWithoutDeadLetter, spec) == []


def test_dlq001_quiet_on_a_dead_letter_queue_with_a_replay_consumer():
    spec = """\
    archlint: 1
    name: billing
    resources:
      billing-queue:
        type: sqs.queue
        dead_letter: billing-dlq
      billing-dlq:
        type: sqs.queue
      billing-fn:
        type: lambda.function
      replay-fn:
        type: lambda.function
    flows:
      - billing-queue -> billing-fn
      - billing-dlq -> replay-fn
    """
    assert findings(QueueWithoutDeadLetter, spec) == []


def test_dlq001_a_functions_dead_letter_is_not_a_queues():
    # Only another *queue's* dead_letter exempts a queue (docs/rules.md): a function's DLQ
    # that a replay function polls still needs its own redrive policy.
    spec = """\
    archlint: 1
    name: billing
    resources:
      fn-dlq:
        type: sqs.queue
      billing-fn:
        type: lambda.function
        dead_letter: fn-dlq
      replay-fn:
        type: lambda.function
    flows:
      - fn-dlq -> replay-fn
    """
    [found] = findings(QueueWithoutDeadLetter, spec)
    assert found.resource == "fn-dlq"


# DLQ002 / DLQ003: invokers -----------------------------------------------------------

ASYNC = """\
archlint: 1
name: images
resources:
  uploads:
    type: s3.bucket
  alerts:
    type: sns.topic
  resize-fn:
    type: lambda.function
flows:
  - uploads -> resize-fn
  - alerts -> resize-fn
"""


def test_dlq002_fires_on_an_async_function_without_dead_letter_or_destination():
    [found] = findings(AsyncFunctionWithoutDeadLetter, ASYNC)
    assert (found.rule, found.resource) == ("DLQ002", "resize-fn")
    assert found.line == line_of(ASYNC, "resize-fn:")
    assert "uploads and alerts" in found.message


@pytest.mark.parametrize("attribute", ["on_failure: failures", "dead_letter: failures"])
def test_dlq002_quiet_with_dead_letter_or_on_failure(attribute):
    spec = ASYNC.replace(
        "  resize-fn:\n    type: lambda.function\n",
        f"  resize-fn:\n    type: lambda.function\n    {attribute}\n  failures:\n    type: sqs.queue\n",
    )
    assert findings(AsyncFunctionWithoutDeadLetter, spec) == []


def test_dlq002_counts_on_failure_and_lifecycle_hooks_as_async_invokers():
    spec = """\
    archlint: 1
    name: fleet
    resources:
      vpc-main:
        type: vpc
      subnet-a:
        type: subnet
        vpc: vpc-main
        az: us-east-1a
        cidr: 10.0.1.0/24
      web:
        type: autoscaling.group
        subnets: [subnet-a]
        lifecycle_hooks:
          - transition: terminating
            target: drain-fn
          - transition: launching
            target: boot-fn
      boot-fn:
        type: lambda.function
      drain-fn:
        type: lambda.function
        on_failure: report-fn
      report-fn:
        type: lambda.function
    """
    found = findings(AsyncFunctionWithoutDeadLetter, spec)
    assert [f.resource for f in found] == ["boot-fn", "report-fn"]
    assert "invoked asynchronously by web" in found[0].message
    assert "invoked asynchronously by drain-fn" in found[1].message
    # drain-fn is invoked asynchronously (by the lifecycle hook) and has a destination:
    # DLQ003 must not call it useless.
    assert findings(DeadLetterOnSynchronousFunction, spec) == []


def test_dlq002_quiet_on_synchronous_and_polling_invokers():
    spec = """\
    archlint: 1
    name: api
    resources:
      front-fn:
        type: lambda.function
      back-fn:
        type: lambda.function
      jobs:
        type: sqs.queue
        dead_letter: jobs-dlq
      jobs-dlq:
        type: sqs.queue
    flows:
      - front-fn -> back-fn
      - jobs -> back-fn
    """
    assert findings(AsyncFunctionWithoutDeadLetter, spec) == []


def test_dlq002_fires_on_an_async_invoke_between_functions():
    spec = """\
    archlint: 1
    name: api
    resources:
      front-fn:
        type: lambda.function
      back-fn:
        type: lambda.function
    flows:
      - from: front-fn
        to: back-fn
        async: true
    """
    [found] = findings(AsyncFunctionWithoutDeadLetter, spec)
    assert found.resource == "back-fn" and "front-fn" in found.message


SYNC_ONLY = """\
archlint: 1
name: billing
resources:
  billing-queue:
    type: sqs.queue
    dead_letter: billing-dlq
  billing-dlq:
    type: sqs.queue
  billing-fn:
    type: lambda.function
    timeout: 3
    dead_letter: fn-dlq
  fn-dlq:
    type: sqs.queue
  caller-fn:
    type: lambda.function
flows:
  - billing-queue -> billing-fn
  - caller-fn -> billing-fn
"""


def test_dlq003_fires_when_all_invokers_poll_or_call_synchronously():
    [found] = findings(DeadLetterOnSynchronousFunction, SYNC_ONLY)
    assert (found.rule, found.resource, found.severity) == ("DLQ003", "billing-fn", "warning")
    assert found.line == line_of(SYNC_ONLY, "dead_letter: fn-dlq")
    assert "billing-queue" in found.message and "caller-fn" in found.message


def test_dlq003_quiet_when_one_invoker_is_asynchronous():
    spec = SYNC_ONLY.replace("  caller-fn:\n    type: lambda.function\n", "  alerts:\n    type: sns.topic\n").replace(
        "caller-fn -> billing-fn", "alerts -> billing-fn"
    )
    assert findings(DeadLetterOnSynchronousFunction, spec) == []


def test_dlq003_quiet_on_a_function_nothing_invokes():
    spec = """\
    archlint: 1
    name: lonely
    resources:
      lonely-fn:
        type: lambda.function
        on_failure: failures
      failures:
        type: sqs.queue
    """
    assert findings(DeadLetterOnSynchronousFunction, spec) == []


def test_dlq003_points_at_on_failure_when_there_is_no_dead_letter():
    spec = SYNC_ONLY.replace("    dead_letter: fn-dlq\n", "    on_failure: fn-dlq\n")
    [found] = findings(DeadLetterOnSynchronousFunction, spec)
    assert found.line == line_of(spec, "on_failure: fn-dlq")


# DLQ004 ---------------------------------------------------------------------------

MISMATCH = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    fifo: true
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
"""


def test_dlq004_fires_on_a_fifo_queue_with_a_standard_dead_letter_queue():
    [found] = findings(DeadLetterFifoMismatch, MISMATCH)
    assert (found.rule, found.resource) == ("DLQ004", "orders-queue")
    assert found.line == line_of(MISMATCH, "dead_letter: orders-dlq")
    assert "orders-dlq" in found.message


def test_dlq004_fires_on_a_standard_queue_with_a_fifo_dead_letter_queue():
    spec = MISMATCH.replace("    fifo: true\n    dead_letter", "    dead_letter") + "    fifo: true\n"
    [found] = findings(DeadLetterFifoMismatch, spec)
    assert found.resource == "orders-queue" and "standard SQS queue orders-queue" in found.message


def test_dlq004_quiet_when_both_are_fifo():
    assert findings(DeadLetterFifoMismatch, MISMATCH + "    fifo: true\n") == []


# DLQ005 ---------------------------------------------------------------------------

CYCLE = """\
archlint: 1
name: orders
resources:
  feeder:
    type: sqs.queue
    dead_letter: q-b
  q-a:
    type: sqs.queue
    dead_letter: q-c
  q-b:
    type: sqs.queue
    dead_letter: q-a
  q-c:
    type: sqs.queue
    dead_letter: q-b
"""


def test_dlq005_one_finding_per_cycle_on_its_first_queue():
    [found] = findings(RedriveCycle, CYCLE)
    assert (found.rule, found.resource) == ("DLQ005", "q-a")
    assert found.line == line_of(CYCLE, "dead_letter: q-c")
    assert "q-a -> q-c -> q-b -> q-a" in found.message
    assert "feeder" not in found.message


def test_dlq005_a_queue_that_is_its_own_dead_letter_queue():
    spec = """\
    archlint: 1
    name: orders
    resources:
      q-a:
        type: sqs.queue
        dead_letter: q-a
      q-b:
        type: sqs.queue
        dead_letter: q-c
      q-c:
        type: sqs.queue
        dead_letter: q-b
    """
    found = findings(RedriveCycle, spec)
    assert [f.resource for f in found] == ["q-a", "q-b"]
    assert "q-a -> q-a" in found[0].message


def test_dlq005_quiet_on_a_chain():
    spec = CYCLE.replace("    dead_letter: q-a\n", "")
    assert findings(RedriveCycle, spec) == []


# DLQ006 ---------------------------------------------------------------------------

SINGLE = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    dead_letter: orders-dlq
    max_receive_count: 1
  orders-dlq:
    type: sqs.queue
"""


def test_dlq006_fires_on_max_receive_count_one():
    [found] = findings(SingleReceiveDeadLetter, SINGLE)
    assert (found.rule, found.resource, found.severity) == ("DLQ006", "orders-queue", "warning")
    assert found.line == line_of(SINGLE, "max_receive_count: 1")


def test_dlq006_quiet_on_two_receives():
    assert findings(SingleReceiveDeadLetter, SINGLE.replace("max_receive_count: 1", "max_receive_count: 2")) == []


# DLQ007 ---------------------------------------------------------------------------

FIFO_TARGETS = """\
archlint: 1
name: orders
resources:
  orders-fn:
    type: lambda.function
    dead_letter: fifo-topic
    on_failure: fifo-queue
  fifo-topic:
    type: sns.topic
    fifo: true
  fifo-queue:
    type: sqs.queue
    fifo: true
"""


def test_dlq007_fires_once_on_a_function_with_fifo_targets():
    [found] = findings(FifoFunctionDeadLetter, FIFO_TARGETS)
    assert (found.rule, found.resource) == ("DLQ007", "orders-fn")
    assert found.line == line_of(FIFO_TARGETS, "dead_letter: fifo-topic")
    assert "fifo-topic" in found.message and "fifo-queue" in found.message


def test_dlq007_points_at_on_failure_when_only_it_is_fifo():
    spec = FIFO_TARGETS.replace("    type: sns.topic\n    fifo: true\n", "    type: sns.topic\n")
    [found] = findings(FifoFunctionDeadLetter, spec)
    assert found.line == line_of(spec, "on_failure: fifo-queue")
    assert "fifo-topic" not in found.message


def test_dlq007_quiet_on_standard_targets():
    spec = FIFO_TARGETS.replace("    fifo: true\n", "")
    assert findings(FifoFunctionDeadLetter, spec) == []


def test_dlq007_quiet_on_a_function_destination():
    spec = """\
    archlint: 1
    name: orders
    resources:
      orders-fn:
        type: lambda.function
        on_failure: report-fn
      report-fn:
        type: lambda.function
    """
    graph = load(spec)
    assert list(FifoFunctionDeadLetter().check(graph)) == []
