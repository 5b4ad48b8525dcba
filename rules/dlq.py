"""Dead-letter queues (DLQ): where failed messages and events go, and whether they get there.

Where a dead-letter queue belongs depends on how the function is invoked:

- Lambda *polls* an SQS queue (event source mapping): a failed batch becomes visible
  again after the visibility timeout and is retried; after `max_receive_count`
  receives SQS moves it to the queue's redrive target. The DLQ is set on the queue.
- SNS, S3, EventBridge, alarms, lifecycle hooks and `on_failure` destinations invoke
  Lambda *asynchronously*: Lambda retries twice, then sends the event to the
  function's own DLQ or on-failure destination. The DLQ is set on the function.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from ..linter.rule import Finding, Rule, flow_position, known, nodes_of_type, prose_list
from ..specs.query import query

LAMBDA_ASYNC_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html"
LAMBDA_RETAIN_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"
SQS_DLQ_DOCS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"
SQS_DLQ_CONSOLE_DOCS = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html"
)
DESTINATION_CONFIG_DOCS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-properties-lambda-eventinvokeconfig-destinationconfig.html"
)

# Ref edges that invoke a function asynchronously (docs/rules.md, "invokers"): a function
# whose `on_failure` names it, an Auto Scaling group whose lifecycle hook targets it.
ASYNC_REF_RELATIONS = ("on_failure", "lifecycle_hook")


def invokers(graph: nx.MultiDiGraph, function: str) -> list[tuple[str, str]]:
    """(invoker id, invocation) of every invoker of `function`, in file order.

    Invocation is "async", "poll" or "sync". An invoker that invokes the function in
    several ways is listed once per way.
    """
    lookup = query(graph)
    found: list[tuple[tuple[int, int], str, str]] = []
    for source, data in lookup.flows_in(function):
        if data.get("invocation") in ("async", "poll", "sync"):
            found.append((flow_position(data), source, data["invocation"]))
    for source, data in lookup.references_in(function, *ASYNC_REF_RELATIONS):
        found.append((flow_position(data), source, "async"))
    found.sort(key=lambda item: item[0])
    seen: set[tuple[str, str]] = set()
    result = []
    for _, source, invocation in found:
        if (source, invocation) not in seen:
            seen.add((source, invocation))
            result.append((source, invocation))
    return result


def _attempts(function: dict) -> str:
    """"three attempts": the first try plus `max_retry_attempts` retries (default 2)."""
    retries = function.get("max_retry_attempts")
    count = 3 if retries is None else retries + 1
    return {1: "its only attempt", 2: "two attempts", 3: "three attempts"}.get(count, f"{count} attempts")


def _unique(ids) -> list[str]:
    return list(dict.fromkeys(ids))


class QueueWithoutDeadLetter(Rule):
    id = "DLQ001"
    severity = "error"
    summary = "An SQS queue that Lambda or EC2 polls has no dead-letter queue"
    docs = f"""
## What it does
Finds an `sqs.queue` that a function (event source mapping) or an instance or Auto
Scaling group (`poll`) consumes, and that has no `dead_letter`. A queue that is
itself another queue's dead-letter queue is left alone: its consumer replays it.

## Why is this bad?
When the consumer fails, the message becomes visible again after the visibility
timeout and is received again, forever (until the retention period drops it). A
single malformed message ("poison pill") keeps coming back, costs an invocation each
time and, on a FIFO queue, blocks its message group. With a redrive policy SQS moves
the message to the dead-letter queue after `max_receive_count` receives, where it can
be inspected and redriven. For a queue that Lambda polls, the DLQ belongs on the
queue: the function's own `dead_letter` only serves asynchronous invocations.
See [AWS: Using dead-letter queues in Amazon SQS]({SQS_DLQ_DOCS}).

## Example
The queue below is consumed by `billing-fn` with no dead-letter queue.

## Fix
Create a queue for failed messages and name it in `dead_letter`, with
`max_receive_count: 5` (a FIFO queue needs a FIFO dead-letter queue).
"""
    bad_example = """\
archlint: 1
name: billing
resources:
  billing-queue:
    type: sqs.queue
  billing-fn:
    type: lambda.function
flows:
  - billing-queue -> billing-fn
"""
    good_example = """\
archlint: 1
name: billing
resources:
  billing-queue:
    type: sqs.queue
    dead_letter: billing-dlq
    max_receive_count: 5
  billing-dlq:
    type: sqs.queue
  billing-fn:
    type: lambda.function
flows:
  - billing-queue -> billing-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        lookup = query(graph)
        # a queue whose dead_letter is unknown may name any queue as its DLQ
        some_dead_letter_unknown = bool(lookup.unknown_dead_letters())
        for queue, data in nodes_of_type(graph, "sqs.queue"):
            if data.get("dead_letter") is not None or lookup.dead_letter_sources(queue):
                continue
            if not known(data, "dead_letter") or some_dead_letter_unknown:
                continue  # it may have a DLQ, or be another queue's DLQ: the template does not say
            consumers = lookup.flow_targets(queue, "event_source_mapping", "poll")
            if not consumers:
                continue
            yield self.finding(
                graph,
                queue,
                message=(
                    f"SQS queue {queue} is consumed by {prose_list(consumers)} and has no dead-letter queue: "
                    "a message that keeps failing is received again and again"
                ),
                fix=f"add `dead_letter: <queue id>` and `max_receive_count: 5` to {queue}",
            )

class AsyncFunctionWithoutDeadLetter(Rule):
    id = "DLQ002"
    severity = "error"
    summary = "A function invoked asynchronously has neither a dead-letter queue nor an on-failure destination"
    docs = f"""
## What it does
Finds a `lambda.function` with at least one asynchronous invoker (an SNS
subscription, an S3 notification, an EventBridge target, a CloudWatch alarm action,
an asynchronous `invoke`, another function's `on_failure`, an Auto Scaling lifecycle
hook) and neither `dead_letter` nor `on_failure`.

## Why is this bad?
For an asynchronous invocation Lambda queues the event, and when the function fails
it retries twice (three attempts in all; throttles and service errors are retried
for up to 6 hours). After that the event is discarded, unless the function has a
dead-letter queue or an on-failure destination. The invoker does not retry: SNS and
S3 consider the event delivered once Lambda accepted it.
See [AWS: How Lambda handles errors and retries with asynchronous invocation]({LAMBDA_ASYNC_DOCS}).

## Example
`resize-fn` is notified by the bucket and loses the events it fails on.

## Fix
Add `on_failure: <queue, topic, function or bucket id>` (a destination also records
the error) or `dead_letter: <standard queue or topic id>` to the function.
"""
    bad_example = """\
archlint: 1
name: images
resources:
  uploads:
    type: s3.bucket
  resize-fn:
    type: lambda.function
flows:
  - uploads -> resize-fn
"""
    good_example = """\
archlint: 1
name: images
resources:
  uploads:
    type: s3.bucket
  resize-fn:
    type: lambda.function
    on_failure: resize-failures
  resize-failures:
    type: sqs.queue
flows:
  - uploads -> resize-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for function, data in nodes_of_type(graph, "lambda.function"):
            if data.get("dead_letter") is not None or data.get("on_failure") is not None:
                continue
            if not known(data, "dead_letter", "on_failure"):
                continue
            async_invokers = _unique(source for source, how in invokers(graph, function) if how == "async")
            if not async_invokers:
                continue
            yield self.finding(
                graph,
                function,
                message=(
                    f"Lambda function {function} is invoked asynchronously by {prose_list(async_invokers)} and has "
                    f"neither dead_letter nor on_failure: an event that fails {_attempts(data)} is discarded"
                ),
                fix=f"add `on_failure: <queue id>` (or `dead_letter: <standard queue id>`) to {function}",
            )


class DeadLetterOnSynchronousFunction(Rule):
    id = "DLQ003"
    severity = "warning"
    summary = "A function's dead-letter queue or destination never receives anything: nothing invokes it asynchronously"
    docs = f"""
## What it does
Finds a `lambda.function` with `dead_letter` or `on_failure` whose invokers all poll
it (an SQS event source mapping) or call it synchronously (an ALB, a synchronous
`invoke`).

## Why is this bad?
A function's dead-letter queue and its destinations serve asynchronous invocations
only. Lambda invokes a function synchronously for an SQS event source mapping, so a
failed batch goes back to the queue, not to the function's DLQ: the DLQ gives a false
sense of safety while failed messages are retried from the queue and, without a
redrive policy on the queue, never set aside.
See [AWS: Retaining records of asynchronous invocations]({LAMBDA_RETAIN_DOCS})
and [AWS: Using dead-letter queues in Amazon SQS]({SQS_DLQ_DOCS}).

## Example
`billing-fn` reads `billing-queue` and carries a `dead_letter` that never fills.

## Fix
Move the dead-letter queue to the source queue (`dead_letter` and
`max_receive_count` on the `sqs.queue`) and remove it from the function.
"""
    bad_example = """\
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
    dead_letter: fn-dlq
  fn-dlq:
    type: sqs.queue
flows:
  - billing-queue -> billing-fn
"""
    good_example = """\
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
flows:
  - billing-queue -> billing-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for function, data in nodes_of_type(graph, "lambda.function"):
            attribute = "dead_letter" if data.get("dead_letter") is not None else "on_failure"
            if data.get(attribute) is None:
                continue
            if not known(data, "flows"):
                continue  # an invoker the template does not fix may be asynchronous
            found = invokers(graph, function)
            if not found or any(how == "async" for _, how in found):
                continue
            callers = _unique(source for source, _ in found)
            queues = [source for source in callers if graph.nodes[source]["type"] == "sqs.queue"]
            redrive = (f"give {prose_list(queues)} a `dead_letter` with `max_receive_count` instead" if queues
                       else "handle failures in the caller, which sees them synchronously")
            yield self.finding(
                graph,
                function,
                message=(
                    f"Lambda function {function} has {attribute} {data[attribute]} but is only invoked "
                    f"by polling or synchronously (by {prose_list(callers)}): its dead-letter queue and destinations "
                    "serve asynchronous invocations only, so they never receive anything"
                ),
                fix=f"remove {attribute} from {function} and {redrive}",
                at=attribute,
            )


class DeadLetterFifoMismatch(Rule):
    id = "DLQ004"
    severity = "error"
    summary = "A queue and its dead-letter queue differ in FIFO"
    docs = f"""
## What it does
Finds an `sqs.queue` whose `dead_letter` is FIFO while the queue is standard, or the
reverse.

## Why is this bad?
SQS requires the dead-letter queue to be of the same type as its source queue: a FIFO
queue can only use a FIFO dead-letter queue, and a standard queue only a standard one.
Creating the redrive policy fails.
See [AWS: Configure a dead-letter queue]({SQS_DLQ_CONSOLE_DOCS}).

## Example
The FIFO `orders-queue` names a standard dead-letter queue.

## Fix
Point `dead_letter` at a queue of the same type (add `fifo: true` to the dead-letter
queue of a FIFO queue).
"""
    bad_example = """\
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
    good_example = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    fifo: true
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
    fifo: true
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for queue, data in nodes_of_type(graph, "sqs.queue"):
            target = data.get("dead_letter")
            if target is None or target not in graph:
                continue
            mine, theirs = data.get("fifo"), graph.nodes[target].get("fifo")
            if not (known(data, "fifo") and known(graph.nodes[target], "fifo")):
                continue
            if mine is None or theirs is None or bool(mine) == bool(theirs):
                continue
            kind, other = ("FIFO", "standard") if mine else ("standard", "FIFO")
            yield self.finding(
                graph,
                queue,
                message=(
                    f"{kind} SQS queue {queue} has the {other} queue {target} as its dead-letter queue: "
                    "a dead-letter queue must be of the same type as its source queue"
                ),
                fix=f"set `fifo: {str(bool(mine)).lower()}` on {target}, or point dead_letter of {queue} at a {kind} queue",
                at="dead_letter",
            )


class RedriveCycle(Rule):
    id = "DLQ005"
    severity = "error"
    summary = "Following dead-letter queues leads back to the starting queue"
    docs = f"""
## What it does
Finds a redrive cycle: following `dead_letter` from queue to queue comes back to the
first one (a queue that is its own dead-letter queue included). One finding per
cycle, on the cycle's first queue in file order.

## Why is this bad?
A dead-letter queue exists to set failed messages aside. In a cycle a message that
exhausts its receives is moved to the next queue, fails there too, and comes back:
it is never set aside, and it circulates until the retention period deletes it.
See [AWS: Using dead-letter queues in Amazon SQS]({SQS_DLQ_DOCS}).

## Example
`orders-queue` and `orders-dlq` name each other.

## Fix
Give the cycle an end: a dead-letter queue with no `dead_letter` of its own.
"""
    bad_example = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
    dead_letter: orders-queue
"""
    good_example = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        order = {node: index for index, node in enumerate(graph.nodes)}
        for cycle in _redrive_cycles(graph):
            first = min(cycle, key=order.__getitem__)
            start = cycle.index(first)
            ordered = cycle[start:] + cycle[:start]
            path = " -> ".join(ordered + [first])
            yield self.finding(
                graph,
                first,
                message=(
                    f"redrive cycle {path}: a message that keeps failing is moved from queue to queue "
                    "and never set aside"
                ),
                fix=f"point dead_letter of {ordered[-1]} at a queue outside the cycle, or remove it",
                at="dead_letter",
            )


def _redrive_cycles(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Every cycle of `dead_letter` between queues, each listed in dead-letter order.

    Each queue has at most one dead-letter queue, so following it from any queue is a
    single path; walking every path once (and never re-walking a visited queue) finds
    every cycle in time linear in the number of queues.
    """
    def next_queue(queue: str) -> str | None:
        target = graph.nodes[queue].get("dead_letter")
        if target is None or target not in graph or graph.nodes[target]["type"] != "sqs.queue":
            return None
        return target

    done: set[str] = set()
    cycles = []
    for start, _ in nodes_of_type(graph, "sqs.queue"):
        path: list[str] = []
        on_path: dict[str, int] = {}
        queue = start
        while queue is not None and queue not in done and queue not in on_path:
            on_path[queue] = len(path)
            path.append(queue)
            queue = next_queue(queue)
        if queue is not None and queue in on_path:
            cycles.append(path[on_path[queue]:])
        done.update(path)
    return cycles


class SingleReceiveDeadLetter(Rule):
    id = "DLQ006"
    severity = "warning"
    summary = "max_receive_count of 1 dead-letters a message on its first failure"
    docs = f"""
## What it does
Finds an `sqs.queue` with `max_receive_count: 1`.

## Why is this bad?
SQS moves a message to the dead-letter queue once it has been received
`max_receive_count` times without being deleted. With 1, a single failed receive
(a timeout, a throttled function, a deployment in progress) dead-letters the message
with no retry at all. With Lambda, a failed invocation returns every message of its
batch to the queue unless the function reports partial batch failures
(`FunctionResponseTypes: [ReportBatchItemFailures]` on the event source mapping), so
without it one bad message takes its healthy neighbours with it; with it, only the
failed messages count a receive, but each of them still gets no retry. 5 is the
usual choice.
See [AWS: Using dead-letter queues in Amazon SQS]({SQS_DLQ_DOCS}) and
[AWS: Handling errors for an SQS event source in Lambda](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).

## Example
`orders-queue` gives each message one chance.

## Fix
Set `max_receive_count` to 5 (or at least 3).
"""
    bad_example = """\
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
    good_example = """\
archlint: 1
name: orders
resources:
  orders-queue:
    type: sqs.queue
    dead_letter: orders-dlq
    max_receive_count: 5
  orders-dlq:
    type: sqs.queue
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for queue, data in nodes_of_type(graph, "sqs.queue"):
            if data.get("max_receive_count") != 1 or not known(data, "max_receive_count"):
                continue
            yield self.finding(
                graph,
                queue,
                message=(
                    f"SQS queue {queue} moves a message to its dead-letter queue {data.get('dead_letter')} "
                    "after a single failed receive, with no retry"
                ),
                fix=f"set `max_receive_count: 5` on {queue}",
                at="max_receive_count",
            )


class FifoFunctionDeadLetter(Rule):
    id = "DLQ007"
    severity = "error"
    summary = "A function's dead-letter queue or on-failure destination is a FIFO queue or topic"
    docs = f"""
## What it does
Finds a `lambda.function` whose `dead_letter` or `on_failure` names a FIFO
`sqs.queue` or `sns.topic`.

## Why is this bad?
Lambda sends failed asynchronous events only to standard queues and topics; the
destination configuration refuses FIFO queues ("When using an Amazon SQS queue as a
destination, FIFO queues cannot be used").
See [AWS: DestinationConfig]({DESTINATION_CONFIG_DOCS}) and
[AWS: Retaining records of asynchronous invocations]({LAMBDA_RETAIN_DOCS}).

## Example
`orders-fn` names a FIFO queue as its on-failure destination.

## Fix
Name a standard queue or topic instead.
"""
    bad_example = """\
archlint: 1
name: orders
resources:
  orders-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
    fifo: true
"""
    good_example = """\
archlint: 1
name: orders
resources:
  orders-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for function, data in nodes_of_type(graph, "lambda.function"):
            fifo_targets = [
                (attribute, data[attribute])
                for attribute in ("dead_letter", "on_failure")
                if self._is_fifo(graph, data.get(attribute))
            ]
            if not fifo_targets:
                continue
            described = prose_list([f"{attribute} {target}" for attribute, target in fifo_targets])
            yield self.finding(
                graph,
                function,
                message=(
                    f"Lambda function {function} has the FIFO {described}: Lambda delivers failed "
                    "asynchronous events only to standard queues and topics"
                ),
                fix=f"point {' and '.join(a for a, _ in fifo_targets)} of {function} at a standard queue or topic",
                at=fifo_targets[0][0],
            )

    @staticmethod
    def _is_fifo(graph: nx.MultiDiGraph, target: str | None) -> bool:
        if target is None or target not in graph:
            return False
        node = graph.nodes[target]
        return node["type"] in ("sqs.queue", "sns.topic") and node.get("fifo") is True and known(node, "fifo")


RULES = [
    QueueWithoutDeadLetter,
    AsyncFunctionWithoutDeadLetter,
    DeadLetterOnSynchronousFunction,
    DeadLetterFifoMismatch,
    RedriveCycle,
    SingleReceiveDeadLetter,
    FifoFunctionDeadLetter,
]
