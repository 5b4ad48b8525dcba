"""Rules about the spec's own lint configuration (ARCH), rather than about AWS.

ARCH001 audits `ignore:` entries. Whether an entry was used is known only after every
other rule has run and the ignores have been matched, so the engine emits its findings
(`linter/engine.py`, `unused_ignores`); the rule class holds the id, severity and
documentation, and lets `--select`/`--ignore` and configuration turn it on and off.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from ..linter.rule import Finding, Rule


class UnusedIgnore(Rule):
    id = "ARCH001"
    severity = "warning"
    summary = "An `ignore:` entry silences no finding"
    docs = """
## What it does
Finds `ignore:` entries, on a resource or at the top of the file, that silenced no
finding in this run. The finding points at the entry's key. An entry is only judged
when every rule it names was checked: with `--select DLQ001`, an `ignore:` of `SQS002`
is not reported (SQS002 did not run). Entries that name ARCH rules are not judged.

## Why is this bad?
An ignore records a decision ("this function is idempotent, it needs no DLQ"). Once
the architecture changes and the rule no longer fires, the stale entry keeps silencing
the rule for whatever comes next, with a reason that no longer holds: the next real
finding on that resource is hidden without anyone deciding it should be. Reporting
unused entries keeps the list of silenced findings short and true, the way ruff's
RUF100 reports unused `noqa` comments.

## Example
`report-queue` has a dead-letter queue, so DLQ001 never fires on it, yet the spec
still ignores DLQ001 there.

## Fix
Delete the entry (`archlint check --show-ignored` lists the entries that are used,
with their reasons).
"""
    bad_example = """\
archlint: 1
name: reports
resources:
  report-queue:
    type: sqs.queue
    dead_letter: report-dlq
    visibility_timeout: 360
    ignore:
      DLQ001: reports can be regenerated, a lost message does no harm
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

    def check(self, graph: nx.MultiDiGraph) -> Iterable[Finding]:
        # The engine reports unused ignores once all other rules have run.
        return ()


RULES = [UnusedIgnore]
