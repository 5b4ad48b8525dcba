"""Running rules over a graph: selection, `ignore:` at file and resource level, order,
and the audit of `ignore:` entries that silence nothing (ARCH001)."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from .rule import SEVERITIES, Finding, Rule

# The rule that reports an `ignore:` entry silencing nothing (rules/meta.py). Its
# check yields nothing: only the engine knows which ignores were used.
UNUSED_IGNORE = "ARCH001"
META_FAMILY = "ARCH"
FILE_LEVEL = "file"


@dataclass
class Suppressed:
    """A finding an `ignore:` entry silenced, with the reason the spec gives."""

    finding: Finding
    reason: str
    where: str  # "file" or the resource id whose ignore: applied
    selector: str = ""  # the ignore key that matched ("DLQ" or "DLQ001")


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # rules that raised, in words


class RuleFailed(Exception):
    """A rule raised instead of returning findings; the message names it."""


def describe_failure(rule: Rule, error: BaseException) -> str:
    return f"rule {rule.id} ({_origin(rule)}) failed on this spec with {type(error).__name__}: {error} ({_who(rule)})"


def is_builtin(rule: Rule) -> bool:
    return type(rule).__module__.startswith("archlint.")


def isolated_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A frozen deep copy of the graph for third-party rules: whatever one changes
    (a node's attributes, its nested tags) cannot reach the findings of the built-in
    rules nor what `emit` and `render` write. Made once per spec, only when a plugin
    rule runs: nothing without plugins. A pickle round trip is the cheapest deep copy
    (measured at 100k resources on a loaded machine: 9 s, a quarter of the 36 s the
    load took there; copy.deepcopy took 32 s)."""
    return nx.freeze(pickle.loads(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)))


def run_rule(rule: Rule, graph: nx.MultiDiGraph) -> tuple[list[Finding], str | None]:
    """A rule's findings, or the sentence saying how it failed. What the rule prints
    is relayed on standard error (made safe), never mixed into a report on standard
    output; anything it raises, SystemExit included, is its failure, not archlint's
    exit; a plugin rule's finding that is not a well-formed `Finding` of the rule
    fails it too (the built-in rules' are checked by their tests)."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            # a rule's findings count only when its whole check ran
            found = list(rule.check(graph))
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - one broken (often third-party) rule must not end the run
        return [], describe_failure(rule, error)
    finally:
        _relay(rule, printed.getvalue())
    for finding in found if not is_builtin(rule) else ():
        wrong = malformed(rule, finding)
        if wrong:
            return [], f"rule {rule.id} ({_origin(rule)}) returned a malformed finding: {wrong} ({_who(rule)})"
    return found, None


def malformed(rule: Rule, finding) -> str | None:
    """What is wrong with a finding a rule returned, or None."""
    if not isinstance(finding, Finding):
        return f"a {type(finding).__name__} instead of a Finding (make findings with self.finding(...))"
    if not isinstance(finding.file, (str, os.PathLike)):
        return f"its file is {type(finding.file).__name__} {finding.file!r}, not a path"
    for name in ("rule", "resource", "message", "fix"):
        if not isinstance(getattr(finding, name), str):
            return f"its {name} is {type(getattr(finding, name)).__name__} {getattr(finding, name)!r}, not text"
    for name in ("line", "column"):
        value = getattr(finding, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"its {name} is {value!r}, not a line or column number"
    if finding.rule != rule.id:
        return f"it names the rule {finding.rule}, not {rule.id}"
    if finding.severity not in SEVERITIES:
        return f"its severity is {finding.severity!r}, not one of {', '.join(SEVERITIES)}"
    return None


def _relay(rule: Rule, printed: str) -> None:
    from .formats.common import log_line

    for line in printed.splitlines():
        print(f"archlint: rule {rule.id} printed: {log_line(line)}", file=sys.stderr)


def _origin(rule: Rule) -> str:
    return f"{type(rule).__module__}.{type(rule).__qualname__}"


def _who(rule: Rule) -> str:
    return "a built-in rule: please report this to archlint" if is_builtin(rule) else "report this to the rule's authors"


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """Whether a rule id is named by any selector: an id or a prefix ("DLQ", "DLQ00")."""
    return any(rule_id.startswith(selector) for selector in selectors)


def selected_rules(rules: Iterable[Rule], select=None, ignore=None) -> list[Rule]:
    chosen = []
    for rule in rules:
        if select and not matches(rule.id, select):
            continue
        if ignore and matches(rule.id, ignore):
            continue
        chosen.append(rule)
    return chosen


def lint_graph(graph: nx.MultiDiGraph, rules: Iterable[Rule], registered: Iterable[str] | None = None) -> LintResult:
    """Run every rule; sort what they find; set aside what `ignore:` silences.

    When the rules include ARCH001, every `ignore:` entry that silenced nothing is
    reported, unless a rule it names was not run (deselected rules may well need it).
    `registered` is every known rule id (default: the registry's).
    """
    rules = list(rules)
    result = LintResult()
    file_ignore = graph.graph.get("ignore") or {}
    isolated = None
    for rule in rules:
        if not is_builtin(rule) and isolated is None:
            isolated = isolated_copy(graph)
        found, failure = run_rule(rule, graph if is_builtin(rule) else isolated)
        if failure:
            result.failures.append(failure)
            continue
        for finding in found:
            _file_or_suppress(graph, finding, file_ignore, result)
    checked = {rule.id for rule in rules}
    if UNUSED_IGNORE in checked:
        meta_rule = next(rule for rule in rules if rule.id == UNUSED_IGNORE)
        if registered is None:
            from .registry import all_rules  # late: the registry imports every rule module

            registered = [rule.id for rule in all_rules()]
        for finding in unused_ignores(graph, meta_rule, result.suppressed, checked, set(registered)):
            _file_or_suppress(graph, finding, file_ignore, result)
    result.findings.sort()
    result.suppressed.sort(key=lambda item: item.finding)
    return result


def lint(graph: nx.MultiDiGraph, rules: Iterable[Rule]) -> list[Finding]:
    """The findings `ignore:` leaves, sorted by position. Raises RuleFailed when a
    rule raised: a command that needs the whole lint (emit) must not go on without it."""
    result = lint_graph(graph, rules)
    if result.failures:
        raise RuleFailed("; ".join(result.failures))
    return result.findings


def _file_or_suppress(graph, finding: Finding, file_ignore: dict, result: LintResult) -> None:
    reason, where, selector = _ignore_reason(graph, finding, file_ignore)
    if reason is None:
        result.findings.append(finding)
    else:
        result.suppressed.append(Suppressed(finding, reason, where, selector))


def _ignore_reason(graph, finding: Finding, file_ignore: dict):
    """(reason, where, selector) of the ignore entry that silences `finding`: the
    resource's own `ignore:` first, then the file's; (None, None, None) if none does."""
    node = graph.nodes.get(finding.resource)
    resource_ignore = (node or {}).get("ignore") or {}
    for selector, reason in resource_ignore.items():
        if finding.rule.startswith(selector):
            return reason, finding.resource, selector
    for selector, reason in file_ignore.items():
        if finding.rule.startswith(selector):
            return reason, FILE_LEVEL, selector
    return None, None, None


def unused_ignores(graph, meta_rule: Rule, suppressed: list[Suppressed], checked: set[str], registered: set[str]):
    """ARCH001 findings: one per `ignore:` entry that silenced no finding although
    every rule it names was run. Entries naming ARCH rules are not audited (an ignore
    of ARCH001 silencing nothing would otherwise report itself)."""
    used = {(item.where, item.selector) for item in suppressed}

    def audited(selector: str) -> bool:
        named = {rule_id for rule_id in registered if rule_id.startswith(selector)}
        return bool(named) and named <= checked and not selector.startswith(META_FAMILY)

    for resource, data in graph.nodes(data=True):
        for selector in data.get("ignore") or {}:
            if (resource, selector) not in used and audited(selector):
                yield meta_rule.finding(
                    graph, resource,
                    message=f"the ignore of {selector} on {resource} silences nothing: no {selector} finding names {resource}",
                    fix=f"delete `{selector}` from the `ignore:` of {resource}",
                    at=f"ignore.{selector}",
                )
    positions = graph.graph.get("positions") or {}
    for selector in graph.graph.get("ignore") or {}:
        if (FILE_LEVEL, selector) not in used and audited(selector):
            line, column = positions.get(f"ignore.{selector}", (1, 1))
            yield Finding(
                file=graph.graph.get("file", ""), line=line, column=column, rule=meta_rule.id,
                # a file-level entry belongs to no resource: the finding names the spec
                resource=graph.graph.get("name") or "",
                severity=meta_rule.severity,
                message=f"the file-level ignore of {selector} silences nothing: no {selector} finding in this spec",
                fix=f"delete `{selector}` from the file's top-level `ignore:`",
            )
