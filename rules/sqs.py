"""Queue timing (SQS): a queue's visibility timeout against its consumer function's timeout.

While Lambda processes a batch, the messages are invisible for the queue's visibility
timeout. If the timeout runs out first, the messages are delivered again while still
being processed. Lambda checks the hard limit when it creates the event source
mapping (SQS001); AWS advises six times the function timeout (SQS002).
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from ..linter.rule import Finding, Rule, flow_position, known, nodes_of_type
from ..specs.query import query

SQS_LAMBDA_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"

# AWS: "set the source queue's visibility timeout to at least six times the timeout
# that you configure on your function", so that a batch retried after throttling does
# not become visible again while it is still being processed.
ADVISED_FACTOR = 6


def mapped_functions(graph: nx.MultiDiGraph, queue: str) -> Iterator[tuple[str, dict, tuple[int, int]]]:
    """(function, its attributes, position of the first flow) of each function mapped to `queue`.

    Each function once, in the order of the flows, so a rule reports "once per function".
    """
    for target, data in query(graph).first_flows_out(queue, "event_source_mapping"):
        yield target, graph.nodes[target], flow_position(data)


def _timings(graph: nx.MultiDiGraph, queue: str, data: dict):
    """(function, function timeout, visibility timeout, flow position) for each known pair."""
    visibility = data.get("visibility_timeout")
    if visibility is None or not known(data, "visibility_timeout"):
        return
    for function, attributes, at in mapped_functions(graph, queue):
        timeout = attributes.get("timeout")
        if timeout is not None and known(attributes, "timeout"):
            yield function, timeout, visibility, at


class VisibilityTimeoutBelowFunctionTimeout(Rule):
    id = "SQS001"
    severity = "error"
    summary = "A queue's visibility timeout is shorter than the timeout of the function it triggers"
    docs = f"""
## What it does
Finds an `sqs.queue` with an event source mapping to a `lambda.function` whose
`timeout` exceeds the queue's `visibility_timeout`. One finding per function.

## Why is this bad?
Lambda validates that the function's timeout is less than or equal to the queue's
visibility timeout when it creates or updates the event source mapping, and returns
an error otherwise: the deployment fails. (Were it allowed, a message would become
visible again, and be processed twice, while the first invocation still runs.)
See [AWS: Creating and configuring an Amazon SQS event source mapping]({SQS_LAMBDA_DOCS}).

## Example
`report-fn` may run for 60 s; `report-queue` hides a message for 30 s (the default).

## Fix
Raise the queue's `visibility_timeout` to six times the function's `timeout`
(or lower the function's timeout).
"""
    bad_example = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
  report-dlq:
    type: sqs.queue
  report-fn:
    type: lambda.function
    timeout: 60
flows:
  - report-queue -> report-fn
"""
    good_example = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
    visibility_timeout: 360
  report-dlq:
    type: sqs.queue
  report-fn:
    type: lambda.function
    timeout: 60
flows:
  - report-queue -> report-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for queue, data in nodes_of_type(graph, "sqs.queue"):
            for function, timeout, visibility, at in _timings(graph, queue, data):
                if timeout <= visibility:
                    continue
                yield self.finding(
                    graph,
                    queue,
                    message=(
                        f"SQS queue {queue} has a visibility timeout of {visibility} s, shorter than the "
                        f"{timeout} s timeout of {function}: Lambda refuses to create the event source mapping"
                    ),
                    fix=(
                        f"set `visibility_timeout: {min(ADVISED_FACTOR * timeout, 43200)}` on {queue} "
                        f"(6 x the timeout of {function})"
                    ),
                    at=at,
                )


class VisibilityTimeoutBelowAdvice(Rule):
    id = "SQS002"
    severity = "warning"
    summary = "A queue's visibility timeout is less than six times its function's timeout"
    docs = f"""
## What it does
Finds an `sqs.queue` with an event source mapping to a `lambda.function` where
`timeout` <= `visibility_timeout` < 6 x `timeout`. One finding per function.

## Why is this bad?
AWS advises a visibility timeout of at least six times the function timeout. The
extra time lets Lambda retry a batch when the function is throttled while processing
a previous batch; with less, the messages can become visible again while they are
still being processed, and are processed twice.
See [AWS: Creating and configuring an Amazon SQS event source mapping]({SQS_LAMBDA_DOCS}).

## Example
`report-fn` may run for 30 s and `report-queue` hides a message for 60 s.

## Fix
Raise `visibility_timeout` to at least six times the function's `timeout`.
"""
    bad_example = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
    visibility_timeout: 60
  report-dlq:
    type: sqs.queue
  report-fn:
    type: lambda.function
    timeout: 30
flows:
  - report-queue -> report-fn
"""
    good_example = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
    visibility_timeout: 180
  report-dlq:
    type: sqs.queue
  report-fn:
    type: lambda.function
    timeout: 30
flows:
  - report-queue -> report-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for queue, data in nodes_of_type(graph, "sqs.queue"):
            for function, timeout, visibility, at in _timings(graph, queue, data):
                if not timeout <= visibility < ADVISED_FACTOR * timeout:
                    continue
                yield self.finding(
                    graph,
                    queue,
                    message=(
                        f"SQS queue {queue} has a visibility timeout of {visibility} s, less than six times "
                        f"the {timeout} s timeout of {function}: a batch retried after throttling can become "
                        "visible again while it is still being processed"
                    ),
                    fix=(
                        f"set `visibility_timeout: {min(ADVISED_FACTOR * timeout, 43200)}` on {queue} "
                        f"(6 x the timeout of {function})"
                    ),
                    at=at,
                )


RULES = [VisibilityTimeoutBelowFunctionTimeout, VisibilityTimeoutBelowAdvice]
