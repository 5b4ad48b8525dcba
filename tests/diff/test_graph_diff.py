"""specs/diff.py: resources and flows added, removed and changed, matched by id (a
template's logical id), never by where they are written."""

from __future__ import annotations

from archlint.linter.inputs import collect
from archlint.specs import load_text
from archlint.specs.diff import UNKNOWN, AttributeChange, diff_graphs

from .conftest import ORDERS, edit, write


def diff(old_text: str, new_text: str):
    return diff_graphs(load_text(old_text, "old.yaml"), load_text(new_text, "new.yaml"))


def test_the_same_spec_is_no_change():
    assert diff(ORDERS, ORDERS).is_empty()


def test_added_resource_and_flows():
    new = edit(ORDERS, "flows:\n", "  audit-fn:\n    type: lambda.function\nflows:\n")
    new += "  - orders-topic -> audit-fn\n"
    change = diff(ORDERS, new)
    assert [(item.key, item.type) for item in change.added] == [("audit-fn", "lambda.function")]
    assert [(flow.source, flow.target, flow.relation) for flow in change.flows_added] == [
        ("orders-topic", "audit-fn", "subscription")]
    assert not change.removed and not change.changed and not change.flows_removed


def test_removed_resource_takes_its_flows():
    new = edit(ORDERS, "  checkout:\n    type: external\n", "")
    new = edit(new, "  - checkout -> orders-topic\n", "")
    change = diff(ORDERS, new)
    assert [item.key for item in change.removed] == ["checkout"]
    assert [(flow.source, flow.target) for flow in change.flows_removed] == [("checkout", "orders-topic")]
    assert not change.added and not change.flows_added


def test_changed_attributes_old_and_new():
    new = edit(ORDERS, "    timeout: 30\n", "    timeout: 60\n    memory: 512  # the default is 128\n")
    new = edit(new, "    dead_letter: billing-dlq\n    max_receive_count: 5\n", "")
    change = diff(ORDERS, new)
    by_key = {item.key: item.attributes for item in change.changed}
    assert by_key["billing-fn"] == [AttributeChange("memory", 128, 512), AttributeChange("timeout", 30, 60)]
    assert by_key["billing-queue"] == [AttributeChange("dead_letter", "billing-dlq", None),
                                       AttributeChange("max_receive_count", 5, None)]


def test_a_flow_whose_label_changes_is_one_changed_flow():
    change = diff(ORDERS, edit(ORDERS, "label: order placed", "label: order paid"))
    assert not change.flows_added and not change.flows_removed
    [flow_change] = change.flows_changed
    assert (flow_change.new.source, flow_change.new.target) == ("orders-topic", "billing-queue")
    assert flow_change.attributes == [AttributeChange("label", "order placed", "order paid")]


def test_a_block_moved_elsewhere_in_the_file_is_no_change():
    # billing-fn's block first, flows in another order and another form
    moved = edit(ORDERS, "resources:\n", "resources:\n  billing-fn:\n    timeout: 30\n    type: lambda.function\n")
    moved = edit(moved, "  billing-fn:\n    type: lambda.function\n    timeout: 30\nflows:\n", "flows:\n")
    moved = edit(moved, "flows:\n  - checkout -> orders-topic\n",
                 "flows:\n  - billing-queue -> billing-fn\n  - from: checkout\n    to: orders-topic\n")
    moved = edit(moved, "    label: order placed\n  - billing-queue -> billing-fn\n", "    label: order placed\n")
    old_graph, new_graph = load_text(ORDERS, "a.yaml"), load_text(moved, "b.yaml")
    assert old_graph.nodes["billing-fn"]["line"] != new_graph.nodes["billing-fn"]["line"]
    assert diff_graphs(old_graph, new_graph).is_empty()


def test_spec_level_changes():
    change = diff(ORDERS, edit(ORDERS, "name: orders\n", "name: orders\nregion: eu-west-1\n"))
    assert change.spec == [AttributeChange("region", "us-east-1", "eu-west-1")]


def test_a_new_or_deleted_file_is_all_added_or_all_removed():
    import networkx as nx

    graph = load_text(ORDERS, "a.yaml")
    added = diff_graphs(nx.MultiDiGraph(), graph)
    assert len(added.added) == 5 and len(added.flows_added) == 3 and not added.spec
    removed = diff_graphs(graph, nx.MultiDiGraph())
    assert len(removed.removed) == 5 and len(removed.flows_removed) == 3


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: {visibility}
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/orders
      Code: {{ZipFile: "def handler(event, context): pass"}}
      Timeout: 10
  OrdersMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt OrdersQueue.Arn
      FunctionName: !Ref OrdersFunction
"""


def test_templates_match_by_logical_id_and_unknown_values_say_so(tmp_path):
    old = write(tmp_path, "old.yaml", TEMPLATE.format(visibility=60))
    new = write(tmp_path, "new.yaml", "Parameters:\n  Visibility: {Type: Number}\n"
                + TEMPLATE.format(visibility="!Ref Visibility"))
    old_graph, new_graph = collect([str(old)]).graphs[0], collect([str(new)]).graphs[0]
    change = diff_graphs(old_graph, new_graph)
    [queue] = change.changed
    assert queue.key == "OrdersQueue"
    assert queue.attributes == [AttributeChange("visibility_timeout", 60, UNKNOWN)]
    assert not change.flows_added and not change.flows_removed
