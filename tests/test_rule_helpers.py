"""The helpers rules use to read the graph."""

from archlint.linter.rule import nodes_of_type, position_of
from archlint.specs import load_text

SPEC = """\
archlint: 1
name: helpers
resources:
  a: {type: sqs.queue}
  f: {type: lambda.function}
  b: {type: sqs.queue}
  t: {type: sns.topic}
  g: {type: lambda.function, timeout: 5}
"""


def test_nodes_of_type_keeps_file_order_across_types():
    graph = load_text(SPEC, "helpers.yaml")
    assert [node for node, _ in nodes_of_type(graph, "sqs.queue")] == ["a", "b"]
    assert [node for node, _ in nodes_of_type(graph, "lambda.function", "sqs.queue")] == ["a", "f", "b", "g"]
    assert [node for node, _ in nodes_of_type(graph, "s3.bucket")] == []
    assert dict(nodes_of_type(graph, "lambda.function"))["g"]["timeout"] == 5


def test_nodes_of_type_sees_nodes_added_after_a_first_call():
    graph = load_text(SPEC, "helpers.yaml")
    assert len(list(nodes_of_type(graph, "sns.topic"))) == 1
    graph.add_node("late", type="sns.topic", line=99, column=3)
    assert [node for node, _ in nodes_of_type(graph, "sns.topic")] == ["t", "late"]


def test_position_of_attribute_falls_back_to_the_resource():
    graph = load_text(SPEC, "helpers.yaml")
    assert position_of(graph, "g", "timeout") == (8, 30)
    assert position_of(graph, "g", "memory") == (8, 3)  # not written: the resource key
    assert position_of(graph, "g", (1, 2)) == (1, 2)
