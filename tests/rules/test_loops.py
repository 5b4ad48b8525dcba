"""LOOP001: cycles of flows, the S3 filter exception, and speed on large graphs."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.rules import loops
from archlint.rules.loops import LoopOfFlows, filters_disjoint

from .conftest import findings, line_of


def test_examples():
    bad = findings(LoopOfFlows, LoopOfFlows.bad_example)
    assert bad and all(found.rule == "LOOP001" for found in bad)
    assert findings(LoopOfFlows, LoopOfFlows.good_example) == []


def bucket_loop(notification: str = "", write: str = "") -> str:
    """A bucket that notifies a function that writes back; extra filter lines per flow."""
    return (
        "archlint: 1\nname: images\nresources:\n"
        "  helper:\n    type: external\n"
        "  images:\n    type: s3.bucket\n"
        "  thumbs-fn:\n    type: lambda.function\n"
        "flows:\n"
        f"  - from: images\n    to: thumbs-fn\n{notification}"
        f"  - from: thumbs-fn\n    to: images\n{write}"
        "  - helper -> images\n"
    )


def test_loop001_bucket_function_bucket():
    text = bucket_loop()
    [found] = findings(LoopOfFlows, text)
    assert (found.rule, found.resource, found.severity) == ("LOOP001", "images", "error")
    assert "images -> thumbs-fn -> images" in found.message
    assert "helper" not in found.message
    # points at the flow leaving the first resource: the notification
    assert found.line == line_of(text, "from: images")


@pytest.mark.parametrize(
    "notification, write",
    [
        ("    prefix: uploads/\n", "    prefix: thumbnails/\n"),
        ("    suffix: .jpg\n", "    suffix: .png\n"),
        ("    events: ['s3:ObjectRemoved:*']\n", ""),
        ("    prefix: uploads/\n    suffix: .jpg\n", "    prefix: uploads/small/\n    suffix: .png\n"),
    ],
    ids=["prefixes", "suffixes", "no-created-event", "suffix-breaks-despite-prefix"],
)
def test_loop001_broken_by_disjoint_filters(notification, write):
    assert findings(LoopOfFlows, bucket_loop(notification, write)) == []


@pytest.mark.parametrize(
    "notification, write",
    [
        ("    prefix: uploads/\n", "    prefix: uploads/thumbs/\n"),
        ("    suffix: .jpg\n", "    suffix: thumb.jpg\n"),
        ("    prefix: uploads/\n", ""),
        ("", "    suffix: .png\n"),
        ("    prefix: a/\n", "    suffix: .png\n"),
        ("    events: ['s3:ObjectRemoved:*', 's3:ObjectCreated:Put']\n", ""),
    ],
    ids=["nested-prefix", "nested-suffix", "prefix-one-side", "suffix-one-side", "prefix-vs-suffix", "created-put"],
)
def test_loop001_not_broken_by_overlapping_filters(notification, write):
    [found] = findings(LoopOfFlows, bucket_loop(notification, write))
    assert found.resource == "images"


def test_filters_disjoint_is_symmetric_in_nesting():
    assert not filters_disjoint(("a/", None), ("a/b/", None))
    assert not filters_disjoint(("a/b/", None), ("a/", None))
    assert filters_disjoint(("a/", None), ("b/", None))
    assert filters_disjoint((None, ".x"), (None, ".y"))
    assert not filters_disjoint((None, None), ("b/", ".y"))


QUEUE_LOOP = """\
archlint: 1
name: jobs
resources:
  worker-fn:
    type: lambda.function
  jobs:
    type: sqs.queue
  other:
    type: sqs.queue
flows:
  - jobs -> worker-fn
  - worker-fn -> other
  - worker-fn -> jobs
"""


def test_loop001_function_that_sends_to_its_own_queue():
    [found] = findings(LoopOfFlows, QUEUE_LOOP)
    assert found.resource == "worker-fn"  # first in file order, though the flows start at jobs
    assert "worker-fn -> jobs -> worker-fn" in found.message
    assert found.line == line_of(QUEUE_LOOP, "worker-fn -> jobs")


def test_loop001_quiet_on_a_pipeline():
    assert findings(LoopOfFlows, QUEUE_LOOP.replace("  - worker-fn -> jobs\n", "")) == []


def test_loop001_one_finding_per_cycle():
    text = """\
    archlint: 1
    name: images
    resources:
      images:
        type: s3.bucket
      fn-a:
        type: lambda.function
      fn-b:
        type: lambda.function
    flows:
      - from: images
        to: [fn-a, fn-b]
      - fn-a -> images
      - fn-b -> images
    """
    found = findings(LoopOfFlows, text)
    assert [f.resource for f in found] == ["images", "images"]
    assert "images -> fn-a -> images" in found[0].message
    assert "images -> fn-b -> images" in found[1].message


def test_loop001_through_eventbridge_and_a_self_invoking_function():
    text = """\
    archlint: 1
    name: events
    resources:
      data:
        type: s3.bucket
      on-upload:
        type: events.rule
        pattern: {source: [aws.s3]}
      etl-fn:
        type: lambda.function
      poller-fn:
        type: lambda.function
    flows:
      - data -> on-upload -> etl-fn -> data
      - poller-fn -> poller-fn
    """
    found = findings(LoopOfFlows, text)
    assert [f.resource for f in found] == ["data", "poller-fn"]
    assert "data -> on-upload -> etl-fn -> data" in found[0].message
    assert "poller-fn -> poller-fn" in found[1].message


def test_loop001_broken_bucket_in_a_cyclic_part_reports_nothing():
    # images and sorter-fn form a cycle of resources, but every pass through images is
    # broken: sorter-fn writes sorted/ and is notified of incoming/ only.
    text = """\
    archlint: 1
    name: images
    resources:
      images:
        type: s3.bucket
      sorter-fn:
        type: lambda.function
      archive-fn:
        type: lambda.function
      archive:
        type: sqs.queue
    flows:
      - from: images
        to: sorter-fn
        prefix: incoming/
      - from: images
        to: archive-fn
        prefix: sorted/
      - from: sorter-fn
        to: images
        prefix: sorted/
      - archive-fn -> archive
    """
    assert findings(LoopOfFlows, text) == []


def test_loop001_loop_through_a_bucket_twice():
    # Neither a -> images -> a nor b -> images -> b is a loop (disjoint prefixes), but
    # a writes b-in/, which starts b, which writes a-in/, which starts a again.
    text = """\
    archlint: 1
    name: pingpong
    resources:
      images:
        type: s3.bucket
      fn-a:
        type: lambda.function
      fn-b:
        type: lambda.function
    flows:
      - from: images
        to: fn-a
        prefix: a-in/
      - from: images
        to: fn-b
        prefix: b-in/
      - from: fn-a
        to: images
        prefix: b-in/
      - from: fn-b
        to: images
        prefix: a-in/
    """
    [found] = findings(LoopOfFlows, text)
    assert found.resource == "images"
    assert "images -> fn-a -> images -> fn-b -> images" in found.message


# Large and tangled graphs, built directly (the loader is not what is measured here).


def _graph(resources: list[tuple[str, str]], flows: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(file="big.yaml")
    for line, (node, kind) in enumerate(resources, start=1):
        graph.add_node(node, type=kind, line=line, column=3, positions={})
    for line, (source, target, relation) in enumerate(flows, start=len(resources) + 1):
        graph.add_edge(source, target, kind="flow", relation=relation, invocation=None, label=None,
                       line=line, column=5, events=None, prefix=None, suffix=None)
    return graph


def test_loop001_stays_fast_on_100k_resources():
    resources, flows = [], []
    for index in range(25_000):  # 25k pipelines topic -> queue -> function -> bucket
        topic, queue, function, bucket = (f"t{index}", f"q{index}", f"f{index}", f"b{index}")
        resources += [(topic, "sns.topic"), (queue, "sqs.queue"), (function, "lambda.function"), (bucket, "s3.bucket")]
        flows += [(topic, queue, "subscription"), (queue, function, "event_source_mapping"), (function, bucket, "write")]
        if index % 5000 == 0:  # a few of them loop back
            flows.append((bucket, function, "notification"))
    graph = _graph(resources, flows)
    started = time.perf_counter()
    found = list(LoopOfFlows().check(graph))
    elapsed = time.perf_counter() - started
    assert [f.resource for f in found] == ["f0", "f5000", "f10000", "f15000", "f20000"]
    assert elapsed < 10, f"LOOP001 took {elapsed:.1f}s on 100k resources"


def test_loop001_a_large_ring_is_reported_once():
    names = [f"fn-{index}" for index in range(5_000)]
    flows = [(name, names[(index + 1) % len(names)], "invoke") for index, name in enumerate(names)]
    [found] = LoopOfFlows().check(_graph([(name, "lambda.function") for name in names], flows))
    assert found.resource == "fn-0"
    assert "all 5000 resources" in found.message


def test_loop001_a_dense_tangle_is_reported_once_and_deterministically():
    # 10 functions that all invoke each other hold about a million simple cycles.
    names = [f"fn-{index}" for index in range(10)]
    flows = [(a, b, "invoke") for a in names for b in names if a != b]
    started = time.perf_counter()
    [found] = LoopOfFlows().check(_graph([(name, "lambda.function") for name in names], flows))
    assert time.perf_counter() - started < 5
    assert found.resource == "fn-0"
    assert "fn-0 -> fn-1 -> fn-0" in found.message and "all 10 resources" in found.message


SEEDED_RUN = """
import networkx as nx
from archlint.rules.loops import LoopOfFlows
g = nx.MultiDiGraph(file="x.yaml")
names = [f"r{i}" for i in range(8)]
for i, n in enumerate(names):
    g.add_node(n, type="lambda.function", line=i + 1, column=3, positions={})
for i, a in enumerate(names):
    for j, b in enumerate(names):
        if (i * 7 + j * 3) % 4 == 0 and a != b:
            g.add_edge(a, b, kind="flow", relation="invoke", line=100 + i, column=j + 1)
for f in LoopOfFlows().check(g):
    print(f.resource, f.line, f.column, f.message)
"""


def test_loop001_output_does_not_depend_on_hashing():
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", SEEDED_RUN],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1 and next(iter(outputs)).strip()


# A bucket's writes meet its notifications directly while their pairs are few, through
# hub nodes beyond (loops._join_bucket): both must find the same loops.


def _bucket_graph(writes: list[tuple], notifications: list[tuple]) -> nx.MultiDiGraph:
    """Functions f0..f3 writing into and notified by one bucket, with the given filters."""
    graph = nx.MultiDiGraph(file="bucket.yaml")
    graph.add_node("b", type="s3.bucket", line=1, column=3, positions={})
    for index in range(4):
        graph.add_node(f"f{index}", type="lambda.function", line=index + 2, column=3, positions={})
    line = 10
    for relation, flows in (("write", writes), ("notification", notifications)):
        for function, prefix, suffix in flows:
            ends = (f"f{function}", "b") if relation == "write" else ("b", f"f{function}")
            graph.add_edge(*ends, kind="flow", relation=relation, invocation=None, label=None,
                           line=line, column=5, events=None, prefix=prefix, suffix=suffix)
            line += 1
    return graph


FILTER_PART = st.sampled_from([None, "", "a/", "a/b/", "b/", ".x", "y.x", ".z"])
BUCKET_FLOW = st.tuples(st.integers(0, 3), FILTER_PART, FILTER_PART)


@settings(max_examples=300, deadline=None)
@given(st.lists(BUCKET_FLOW, max_size=6), st.lists(BUCKET_FLOW, max_size=6))
def test_loop001_hubs_find_the_loops_pairs_find(writes, notifications):
    graph = _bucket_graph(writes, notifications)
    by_pairs = [(f.resource, f.line, f.message) for f in LoopOfFlows().check(graph)]
    original = loops.HUB_PAIRS
    loops.HUB_PAIRS = -1  # every bucket through hubs
    try:
        by_hubs = [(f.resource, f.line, f.message) for f in LoopOfFlows().check(_bucket_graph(writes, notifications))]
    finally:
        loops.HUB_PAIRS = original
    assert by_hubs == by_pairs


def test_loop001_a_bucket_with_many_filters_grows_with_its_flows_not_their_pairs():
    # 2,000 writes with a prefix each and 2,000 notifications with a suffix each: every
    # write can trigger every notification (4 million pairs)
    count = 2_000
    resources = [("shared", "s3.bucket")] + [(f"w{index}", "lambda.function") for index in range(count)]
    graph = _graph(resources, [])
    line = 10_000
    for index in range(count):
        graph.add_edge(f"w{index}", "shared", kind="flow", relation="write", invocation=None, label=None,
                       line=line, column=5, events=None, prefix=f"out{index}/", suffix=None)
        graph.add_edge("shared", f"w{index}", kind="flow", relation="notification", invocation=None, label=None,
                       line=line + 1, column=5, events=None, prefix=None, suffix=f".in{index}")
        line += 2
    expanded = loops.expanded_graph(graph)
    assert expanded.number_of_edges() < 10 * 2 * count
    [found] = LoopOfFlows().check(graph)
    assert found.resource == "shared" and f"all {count + 1} resources" in found.message
    assert "shared -> w0 -> shared" in found.message
