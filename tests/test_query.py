"""The graph's query index (specs/query.py): one name, one contract per query."""

import pytest

from archlint.specs import load_text
from archlint.specs.query import (
    KeyFilterIndex,
    flows_out,
    key_filters_overlap,
    port_range,
    query,
    referrers,
)

SPEC = """\
archlint: 1
name: queries
resources:
  bucket: {type: s3.bucket}
  fn-b: {type: lambda.function}
  fn-a: {type: lambda.function, dead_letter: dlq}
  orders: {type: sqs.queue, dead_letter: dlq}
  dlq: {type: sqs.queue, dead_letter: dlq}
  late: {type: sqs.queue, dead_letter: dlq}
flows:
  - {from: bucket, to: fn-a, prefix: b/}
  - bucket -> fn-b
  - {from: bucket, to: fn-a, prefix: a/}
  - orders -> fn-a
"""


@pytest.fixture(scope="module")
def graph():
    return load_text(SPEC, "queries.yaml")


def test_flows_out_lists_every_flow_in_file_order(graph):
    flows = query(graph).flows_out("bucket")
    # two flows to fn-a with different filters are both kept (the emitter needs both)
    assert [(target, data["prefix"]) for target, data in flows] == [("fn-a", "b/"), ("fn-b", None), ("fn-a", "a/")]
    assert flows_out(graph, "bucket", "notification") == flows


def test_first_flows_out_and_flow_targets_name_each_target_once(graph):
    first = query(graph).first_flows_out("bucket", "notification")
    assert [(target, data["prefix"]) for target, data in first] == [("fn-a", "b/"), ("fn-b", None)]
    assert query(graph).flow_targets("bucket") == ["fn-a", "fn-b"]
    assert query(graph).flow_targets("bucket", "write") == []


def test_flows_in_and_references_in(graph):
    assert [source for source, _ in query(graph).flows_in("fn-a")] == ["bucket", "bucket", "orders"]
    assert [source for source, _ in query(graph).references_in("dlq", "dead_letter")] == ["fn-a", "orders", "dlq", "late"]


def test_referrers_in_file_order_of_the_given_types(graph):
    assert referrers(graph, "dlq", "dead_letter") == ["fn-a", "orders", "dlq", "late"]
    assert referrers(graph, "dlq", "dead_letter", "sqs.queue") == ["orders", "dlq", "late"]
    assert referrers(graph, "dlq", "volumes") == []


def test_dead_letter_sources_are_the_other_queues(graph):
    assert query(graph).dead_letter_sources("dlq") == ["orders", "late"]
    assert query(graph).unknown_dead_letters() == []


def test_unknown_dead_letters_of_an_imported_graph(graph):
    imported = graph.copy()
    imported.nodes["late"]["unknown"] = ["dead_letter"]
    assert query(imported).unknown_dead_letters() == ["late"]


def test_the_index_is_built_once_and_again_when_nodes_were_added(graph):
    assert query(graph) is query(graph)
    grown = graph.copy()
    before = query(grown)
    grown.add_node("extra", type="sqs.queue", line=99, column=3)
    assert query(grown) is not before
    assert [node for node, _ in query(grown).nodes_of_type("sqs.queue")][-1] == "extra"


@pytest.mark.parametrize(
    "ports, expected",
    [(None, (0, 65535)), (22, (22, 22)), ("1024-65535", (1024, 65535)), ("", None), ("x", None), (-1, None)],
)
def test_port_range_one_contract(ports, expected):
    assert port_range(ports) == expected


def test_key_filter_index_finds_what_comparing_every_pair_finds():
    filters = [(None, None), ("a/", None), ("a/b/", ".jpg"), ("b/", None), (None, ".png"), ("a/", ".jpg"), ("", "g")]
    index = KeyFilterIndex(filters)
    for asked in filters + [("a/b/c", None), (None, "x.jpg"), ("c", ".gif")]:
        expected = [item for item, other in enumerate(filters) if key_filters_overlap(asked, other)]
        assert index.overlapping(asked) == expected
