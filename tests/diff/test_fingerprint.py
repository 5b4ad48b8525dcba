"""linter/fingerprint.py: findings matched by rule, resource and the resources the
message names, never by position, and counted when the same one occurs twice."""

from __future__ import annotations

from archlint.linter.engine import lint
from archlint.linter.fingerprint import Fingerprint, fingerprint, introduced_and_resolved, unmatched
from archlint.linter.registry import all_rules
from archlint.specs import load_text

from .conftest import ORDERS, edit

NO_DLQ = edit(ORDERS, "    dead_letter: billing-dlq\n    max_receive_count: 5\n", "")


def findings_of(text: str, name: str = "spec.yaml"):
    graph = load_text(text, name)
    return lint(graph, all_rules()), graph


def changes(old_text: str, new_text: str):
    old, old_graph = findings_of(old_text, "old.yaml")
    new, new_graph = findings_of(new_text, "new.yaml")
    return introduced_and_resolved(old, old_graph, new, new_graph)


def test_fingerprint_names_the_rule_the_resource_and_the_others_named():
    findings, graph = findings_of(NO_DLQ)
    dlq001 = next(finding for finding in findings if finding.rule == "DLQ001")
    assert fingerprint(dlq001, graph) == Fingerprint("DLQ001", "billing-queue", ("billing-fn",))


def test_introduced_and_resolved():
    introduced, resolved = changes(ORDERS, NO_DLQ)
    assert [(f.rule, f.resource) for f in introduced] == [("DLQ001", "billing-queue")]
    assert resolved == []
    introduced, resolved = changes(NO_DLQ, ORDERS)
    assert introduced == [] and [(f.rule, f.resource) for f in resolved] == [("DLQ001", "billing-queue")]


def test_moving_the_block_with_a_finding_is_no_change():
    # the queue's block moves to the end of resources: the finding's line changes
    block = "  billing-queue:\n    type: sqs.queue\n    visibility_timeout: 180\n"
    moved = edit(NO_DLQ, block, "").replace("flows:\n", block + "flows:\n", 1)
    (old, _), (new, _) = findings_of(NO_DLQ), findings_of(moved)
    assert [f.line for f in old if f.rule == "DLQ001"] != [f.line for f in new if f.rule == "DLQ001"]
    assert changes(NO_DLQ, moved) == ([], [])


def test_numbers_in_a_message_do_not_make_another_finding():
    # SQS001 (visibility timeout below the function's timeout) stays while both values change
    short = edit(ORDERS, "visibility_timeout: 180", "visibility_timeout: 20")
    shorter = edit(edit(short, "visibility_timeout: 20", "visibility_timeout: 25"), "timeout: 30\n", "timeout: 40\n")
    old, _ = findings_of(short)
    assert any(finding.rule == "SQS001" for finding in old)
    assert changes(short, shorter) == ([], [])


def test_another_resource_named_is_another_finding():
    # the same queue, now consumed by another function: resolved for one, introduced for the other
    other = edit(NO_DLQ, "  - billing-queue -> billing-fn\n", "  - billing-queue -> invoice-fn\n")
    other = edit(other, "flows:\n", "  invoice-fn:\n    type: lambda.function\nflows:\n")
    introduced, resolved = changes(NO_DLQ, other)
    assert ("DLQ001", "billing-queue") in [(f.rule, f.resource) for f in introduced]
    assert ("DLQ001", "billing-queue") in [(f.rule, f.resource) for f in resolved]


def test_unmatched_counts_repeated_fingerprints():
    left = [("a", 1), ("a", 2), ("a", 3), ("b", 4)]
    right = [("a", 9), ("a", 8), ("c", 7)]
    assert unmatched(left, right) == [3, 4]
    assert unmatched(right, left) == [7]
