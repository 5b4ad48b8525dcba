"""Baselines: the findings a team accepts today, so that `check` fails only on new ones.

    archlint check --write-baseline archlint-baseline.json specs/
    archlint check --baseline archlint-baseline.json specs/

The file is JSON, one finding per line, sorted, so that a review shows exactly which
findings were added to it or paid off:

    {
      "archlint_baseline": 1,
      "findings": [
        {"file": "specs/orders.yaml", "rule": "DLQ001", "resource": "orders-queue", "names": ["orders-fn"], "count": 1, "message": "..."}
      ]
    }

`file` is relative to the baseline's folder; `rule`, `resource` and `names` are the
finding's fingerprint (fingerprint.py, the matching `archlint diff` uses), so moving
a block or changing a number in a message does not make a finding new. `count` is how
many findings share that fingerprint in that file; `message` is for people only.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .fingerprint import Fingerprint, fingerprint
from .rule import Finding

FORMAT_KEY = "archlint_baseline"
FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read; str() is `file:line:column: what is wrong`."""


@dataclass(frozen=True, order=True)
class Entry:
    file: str
    rule: str
    resource: str
    names: tuple[str, ...] = ()
    count: int = field(default=1, compare=False)
    message: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, Fingerprint]:
        return self.file, Fingerprint(self.rule, self.resource, self.names)

    def as_dict(self) -> dict:
        return {"file": self.file, "rule": self.rule, "resource": self.resource, "names": list(self.names),
                "count": self.count, "message": self.message}


@dataclass
class Applied:
    new: list[Finding]  # findings the baseline does not hold: reported, and they fail
    known: int  # findings the baseline holds
    stale: list[Entry]  # entries (count: how many) no longer found in the files checked


def relative_file(file: str, baseline_path: str) -> str:
    """A spec's path as the baseline names it: relative to the baseline's folder."""
    folder = os.path.dirname(os.path.abspath(baseline_path))
    return Path(os.path.relpath(os.path.abspath(file), folder)).as_posix()


def _keyed(findings: list[Finding], graphs: dict[str, nx.MultiDiGraph], baseline_path: str):
    for finding in sorted(findings):
        graph = graphs.get(finding.file, nx.MultiDiGraph())
        yield (relative_file(finding.file, baseline_path), fingerprint(finding, graph)), finding


def record(findings: list[Finding], graphs: dict[str, nx.MultiDiGraph], baseline_path: str) -> list[Entry]:
    """The entries of a baseline holding `findings` (graphs: each spec's, by file)."""
    counts: Counter = Counter()
    messages: dict = {}
    for key, finding in _keyed(findings, graphs, baseline_path):
        counts[key] += 1
        messages.setdefault(key, finding.message)
    return sorted(Entry(file, key.rule, key.resource, key.names, counts[(file, key)], messages[(file, key)])
                  for file, key in counts)


def dumps(entries: list[Entry]) -> str:
    lines = [json.dumps(entry.as_dict(), ensure_ascii=False) for entry in sorted(entries)]
    body = ",\n".join("    " + line for line in lines)
    return (f'{{\n  "{FORMAT_KEY}": {FORMAT_VERSION},\n  "findings": [\n'
            + (body + "\n" if body else "") + "  ]\n}\n")


def apply(entries: list[Entry], findings: list[Finding], graphs: dict[str, nx.MultiDiGraph],
          baseline_path: str, checked_files: list[str]) -> Applied:
    """Split `findings` into those the baseline holds and new ones; list the entries
    of the files checked that no longer occur (in part, when fewer occur than counted)."""
    remaining = Counter({entry.key: entry.count for entry in entries})
    new, known = [], 0
    for key, finding in _keyed(findings, graphs, baseline_path):
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(finding)
    checked = {relative_file(file, baseline_path) for file in checked_files}
    stale = [Entry(entry.file, entry.rule, entry.resource, entry.names, remaining[entry.key], entry.message)
             for entry in sorted(entries) if remaining[entry.key] > 0 and entry.file in checked]
    return Applied(sorted(new), known, stale)


def load(path: str) -> list[Entry]:
    try:
        with open(path, "rb") as stream:
            text = stream.read().decode("utf-8")
    except OSError as error:
        raise BaselineError(f"{path}:1:1: cannot read the baseline: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}:1:1: the baseline is not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}:{error.colno}: not a baseline: {error.msg}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise BaselineError(f'{path}:1:1: not an archlint baseline (it needs "{FORMAT_KEY}": {FORMAT_VERSION}; '
                            "write one with `archlint check --write-baseline`)")
    items = document.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f'{path}:1:1: "findings" must be a list')
    return [_entry(item, index, path, text) for index, item in enumerate(items)]


def _entry(item, index: int, path: str, text: str) -> Entry:
    line = _line_of_item(text, index)

    def fail(message: str):
        raise BaselineError(f"{path}:{line}:1: findings[{index}]: {message}")

    if not isinstance(item, dict):
        fail("must be an object")
    for key in ("file", "rule", "resource"):
        if not isinstance(item.get(key), str) or not item[key]:
            fail(f'"{key}" must be a non-empty string')
    names = item.get("names", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        fail('"names" must be a list of resource ids')
    count = item.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        fail('"count" must be a whole number, 1 or more')
    message = item.get("message", "")
    return Entry(item["file"], item["rule"], item["resource"], tuple(sorted(names)), count,
                 message if isinstance(message, str) else "")


def _line_of_item(text: str, index: int) -> int:
    """The line of the index-th entry when the file has one per line, as we write it."""
    lines = text.splitlines()
    entry_lines = [number for number, line in enumerate(lines, start=1) if line.lstrip().startswith("{")][1:]
    return entry_lines[index] if index < len(entry_lines) else 1
