"""`archlint diff --format json`: the whole change as one document (docs/diff.md shows
its shape; like `check`'s, it only grows).

Attribute values are the spec's: numbers, strings, booleans, lists, mappings, null
for unset, and `{"unknown": true}` for a value an imported template leaves unknown.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ...specs.diff import UNKNOWN, AttributeChange, Flow
from ..reports import ignored_dict
from ..version import VERSION
from .diff_text import counts

if TYPE_CHECKING:
    from ..changes import ChangeReport, FileChange


def diff_json_report(report: "ChangeReport") -> str:
    files = [_file(file) for file in report.changed()]
    total = {key: sum(counts(file)[key] for file in report.files) for key in counts(report.files[0])} if report.files else {}
    document = {
        "version": VERSION,
        "base": report.base,
        "files": files,
        "errors": [problem.as_dict() for problem in report.problems],
        "summary": {"files": len(report.files), "changed_files": len(files), **total},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _file(file: "FileChange") -> dict:
    change = file.change
    return {
        "path": file.path,
        "old": file.old_label,
        "new": file.new_label,
        "resources": {
            "added": [{"id": item.key, "type": item.type} for item in change.added],
            "removed": [{"id": item.key, "type": item.type} for item in change.removed],
            "changed": [{"id": item.key, "type": item.new.type, "changes": _changes(item.attributes)}
                        for item in change.changed],
        },
        "flows": {
            "added": [_flow(flow) for flow in change.flows_added],
            "removed": [_flow(flow) for flow in change.flows_removed],
            "changed": [{**_flow(item.new), "changes": _changes(item.attributes)} for item in change.flows_changed],
        },
        "spec": _changes(change.spec),
        "findings": {
            "introduced": [finding.as_dict() for finding in file.introduced],
            "resolved": [finding.as_dict() for finding in file.resolved],
            # gone from the new version's report because an `ignore:` of it silences them
            "silenced": [ignored_dict(item) for item in file.silenced],
        },
    }


def _flow(flow: Flow) -> dict:
    return {"from": flow.source, "to": flow.target, "relation": flow.relation,
            **{name: _value(value) for name, value in flow.attributes}}


def _changes(changes: list[AttributeChange]) -> list[dict]:
    return [{"attribute": item.name, "old": _value(item.old), "new": _value(item.new)} for item in changes]


def _value(value):
    if value is UNKNOWN:
        return {"unknown": True}
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if isinstance(value, list):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    return value
