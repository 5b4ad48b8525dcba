"""`archlint diff --format markdown`: a pull-request comment.

A summary line, then per changed file a table of resource and flow changes, tables of
the findings the change introduces (with their fixes) and resolves, and a Mermaid
diagram of the changed part, which GitHub and GitLab draw in place.

Everything that comes from the input (ids, types, values, labels, messages, paths) is
escaped: HTML's special characters become entities (no raw HTML reaches the page),
Markdown's inline markers are backslash-escaped (no emphasis, link, code span or
table cell boundary can be opened from an input), line breaks become spaces, and an
`@` cannot mention anyone. The Mermaid block's labels are escaped by the renderer
(`render/mermaid.py`), and its fence is longer than any run of backticks inside it,
so nothing can close it early.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..rule import SEVERITIES, severity_rank
from .diff_text import counts, counts_in_words, flow_facts, show_value

if TYPE_CHECKING:
    from ..changes import ChangeReport, FileChange

# characters that open or close inline Markdown (CommonMark, GFM tables and strikethrough)
INLINE_MARKERS = set("\\`*_[]()|~#!")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "@": "@&#8203;"}
SEVERITY_ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
MARKS = {"added": "🟢 added", "changed": "🟡 changed", "removed": "🔴 removed"}


def md(value) -> str:
    """Text from the input, safe anywhere in Markdown's inline content (a table cell)."""
    out = []
    for char in str(value):
        if char in "\r\n\t\v\f\u2028\u2029":
            out.append(" ")
        elif char in ENTITIES:
            out.append(ENTITIES[char])
        elif char in INLINE_MARKERS:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


# `code` as rules write it in messages and fixes: one backtick each side, no line break
CODE_SPAN = re.compile(r"(?<!`)`([^`\r\n]+)`(?!`)")


def md_text(value) -> str:
    """`md`, except that `code` stays a code span: inside one, Markdown and HTML are not
    read (a table's `|` excepted, which is escaped)."""
    out, start = [], 0
    text = str(value)
    for match in CODE_SPAN.finditer(text):
        out.append(md(text[start:match.start()]))
        out.append("`" + match[1].replace("|", "\\|") + "`")
        start = match.end()
    out.append(md(text[start:]))
    return "".join(out)


def fenced(language: str, body: str) -> str:
    """A fenced code block that no backtick run in `body` can close."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip(chr(10))}\n{fence}\n"


def diff_markdown_report(report: "ChangeReport", diagrams: dict[str, str] | None = None) -> str:
    """`diagrams`: the Mermaid source of each changed file's picture, by path."""
    diagrams = diagrams or {}
    changed = report.changed()
    parts = [f"### archlint: {_headline(report)}\n"]
    for file in changed:
        parts.append(_file_section(file, diagrams.get(file.path), counted=len(changed) > 1))
    if report.problems:
        parts.append("**Could not read:**\n\n" + "".join(
            f"- {md(problem.file)}:{problem.line}:{problem.column}: {md(problem.message)}\n" for problem in report.problems))
    return "\n".join(parts)


def _headline(report: "ChangeReport") -> str:
    changed = report.changed()
    if not changed:
        return f"no architectural change ({len(report.files)} file{'s' if len(report.files) != 1 else ''} compared)"
    total: dict[str, int] = {}
    for file in changed:
        for key, value in counts(file).items():
            total[key] = total.get(key, 0) + value
    introduced = total.pop("findings_introduced")
    resolved = total.pop("findings_resolved")
    silenced = total.pop("findings_silenced")
    words = [counts_in_words(total)] if any(total.values()) else []
    if introduced:
        severities = [finding.severity for file in changed for finding in file.introduced]
        worst = max(severities, key=severity_rank)
        by_severity = ", ".join(f"{severities.count(severity)} {severity}{'s' if severities.count(severity) != 1 else ''}"
                                for severity in reversed(SEVERITIES) if severity in severities)
        words.append(f"{SEVERITY_ICONS[worst]} {introduced} finding{'s' if introduced != 1 else ''} introduced ({by_severity})")
    if resolved:
        words.append(f"✅ {resolved} finding{'s' if resolved != 1 else ''} resolved")
    if silenced:
        words.append(f"🔇 {silenced} finding{'s' if silenced != 1 else ''} silenced by `ignore:`")
    return f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed: {' · '.join(words)}"


def _file_section(file: "FileChange", diagram: str | None, counted: bool) -> str:
    title = md(file.path)
    if file.old_label is None:
        title += " (new file)"
    elif file.new_label is None:
        title += " (deleted)"
    out = [f"#### {title}\n"]
    if counted:  # with one file, the headline has said it
        out.append(f"{counts_in_words(counts(file))}\n")
    change = file.change
    resource_rows = [(MARKS["added"], item.key, item.type, "") for item in change.added]
    resource_rows += [(MARKS["changed"], item.key, item.new.type, _attribute_changes(item.attributes))
                      for item in change.changed]
    resource_rows += [(MARKS["removed"], item.key, item.type, "") for item in change.removed]
    if resource_rows:
        out.append(_table(("", "resource", "type", "what changed"),
                          [(mark, md(key), md(kind), details) for mark, key, kind, details in resource_rows]))
    flow_rows = [(MARKS["added"], flow, md(flow_facts(flow))) for flow in change.flows_added]
    flow_rows += [(MARKS["changed"], item.new, _attribute_changes(item.attributes)) for item in change.flows_changed]
    flow_rows += [(MARKS["removed"], flow, md(flow_facts(flow))) for flow in change.flows_removed]
    if flow_rows:
        out.append(_table(("", "flow", "details"),
                          [(mark, f"{md(flow.source)} → {md(flow.target)}", details) for mark, flow, details in flow_rows]))
    if change.spec:
        out.append(_table(("", "spec", "what changed"),
                          [(MARKS["changed"], md(item.name), f"{md(show_value(item.old))} → {md(show_value(item.new))}")
                           for item in change.spec]))
    if file.introduced:
        out.append("**Findings introduced**\n")
        out.append(_table(("severity", "rule", "resource", "finding", "fix"), [
            (f"{SEVERITY_ICONS.get(finding.severity, '')} {md(finding.severity)}", md(finding.rule),
             md(finding.resource), md_text(finding.message), md_text(finding.fix))
            for finding in file.introduced]))
    if file.resolved:
        out.append("**Findings resolved**\n")
        out.append(_table(("rule", "resource", "finding"), [
            (f"✅ {md(finding.rule)}", md(finding.resource), md_text(finding.message)) for finding in file.resolved]))
    if file.silenced:
        out.append("**Findings silenced by `ignore:`** (not fixed: the spec now ignores them)\n")
        out.append(_table(("rule", "resource", "finding", "reason given"), [
            (f"🔇 {md(item.finding.rule)}", md(item.finding.resource), md_text(item.finding.message), md(item.reason))
            for item in file.silenced]))
    if diagram:
        out.append(fenced("mermaid", diagram))
    return "\n".join(out)


def _attribute_changes(changes) -> str:
    return "; ".join(f"{md(item.name)}: {md(show_value(item.old))} → {md(show_value(item.new))}" for item in changes)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
