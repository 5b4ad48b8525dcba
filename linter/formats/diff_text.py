"""`archlint diff --format text`: one line per change, findings as `check` prints them.

    specs/orders.yaml: 2 resources added, 1 flow added; 1 finding introduced
      + audit-queue (sqs.queue)
      ~ billing-fn (lambda.function): timeout 30 → 60
      + flow orders-topic -> audit-queue (subscription)
      introduced: specs/orders.yaml:55:3: DLQ001 error audit-queue: SQS queue audit-queue ...

Also what the other diff formats share: how a value and a file's counts are written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ...specs.diff import UNKNOWN, Flow

if TYPE_CHECKING:
    from ..changes import ChangeReport, FileChange

UNSET = "—"


def show_value(value) -> str:
    """A value as a reviewer reads it: unset as "—", lists and mappings as YAML's flow style."""
    if value is None or value in ([], {}, ()):
        return UNSET
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {show_value(item)}" for key, item in value.items()) + "}"
    return str(value)


def show_flow(flow: Flow) -> str:
    return f"{flow.source} -> {flow.target}"


def flow_facts(flow: Flow) -> str:
    """The relation and whatever else the flow says (label, events, prefix)."""
    facts = [flow.relation]
    facts += [f"{name} {show_value(value)}" if name != "label" else json.dumps(value, ensure_ascii=False)
              for name, value in flow.attributes if value not in (None, ()) and name != "invocation"]
    return ", ".join(facts)


def counts(file: "FileChange") -> dict[str, int]:
    change = file.change
    return {
        "resources_added": len(change.added), "resources_removed": len(change.removed),
        "resources_changed": len(change.changed), "flows_added": len(change.flows_added),
        "flows_removed": len(change.flows_removed), "flows_changed": len(change.flows_changed),
        "findings_introduced": len(file.introduced), "findings_resolved": len(file.resolved),
        "findings_silenced": len(file.silenced),
    }


def counts_in_words(numbers: dict[str, int]) -> str:
    """"2 resources added, 1 changed, 1 flow added; 1 finding introduced", or "no change"."""
    def part(count: int, noun: str, verb: str, first: bool) -> str:
        return f"{count} {noun}{'s' if count != 1 else ''} {verb}" if first else f"{count} {verb}"

    groups = []
    for noun, keys in (("resource", ("resources_added", "resources_changed", "resources_removed")),
                       ("flow", ("flows_added", "flows_changed", "flows_removed")),
                       ("finding", ("findings_introduced", "findings_resolved", "findings_silenced"))):
        words = []
        for key in keys:
            if numbers.get(key):
                words.append(part(numbers[key], noun, key.split("_")[1], not words))
        if words:
            groups.append(", ".join(words))
    return "; ".join(groups) or "no change"


def finding_line(finding) -> str:
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} {finding.severity} {finding.resource}: {finding.message}"


def diff_text_report(report: "ChangeReport") -> str:
    lines = []
    for file in report.changed():
        lines.append(f"{file.path}: {counts_in_words(counts(file))}" + _file_note(file))
        change = file.change
        lines += [f"  + {resource.key} ({resource.type})" for resource in change.added]
        lines += [f"  ~ {item.key} ({item.new.type}): "
                  + "; ".join(f"{a.name} {show_value(a.old)} → {show_value(a.new)}" for a in item.attributes)
                  for item in change.changed]
        lines += [f"  - {resource.key} ({resource.type})" for resource in change.removed]
        lines += [f"  + flow {show_flow(flow)} ({flow_facts(flow)})" for flow in change.flows_added]
        lines += [f"  ~ flow {show_flow(item.new)} ({item.new.relation}): "
                  + "; ".join(f"{a.name} {show_value(a.old)} → {show_value(a.new)}" for a in item.attributes)
                  for item in change.flows_changed]
        lines += [f"  - flow {show_flow(flow)} ({flow_facts(flow)})" for flow in change.flows_removed]
        lines += [f"  ~ spec {a.name}: {show_value(a.old)} → {show_value(a.new)}" for a in change.spec]
        lines += [f"  introduced: {finding_line(finding)}" for finding in file.introduced]
        lines += [f"  resolved: {finding_line(finding)}" for finding in file.resolved]
        lines += [f"  silenced: {finding_line(item.finding)} [ignore of {item.selector}: {item.reason}]"
                  for item in file.silenced]
    return "".join(line + "\n" for line in lines)


def _file_note(file: "FileChange") -> str:
    if file.old_label is None:
        return " (new file)"
    if file.new_label is None:
        return " (deleted)"
    return ""


def diff_summary(report: "ChangeReport") -> str:
    """The line on standard error: files compared and what changed, over all files."""
    total: dict[str, int] = {}
    for file in report.files:
        for key, value in counts(file).items():
            total[key] = total.get(key, 0) + value
    compared = len(report.files)
    summary = (f"{compared} file{'s' if compared != 1 else ''} compared, {len(report.changed())} changed: "
               f"{counts_in_words(total)}")
    if report.problems:
        summary += f"; {len(report.problems)} input problem{'s' if len(report.problems) != 1 else ''}"
    return summary
