"""GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message`.

Printed in a workflow step, each line becomes an annotation on that line of the pull
request's diff. archlint's info is GitHub's `notice`. Input problems are `::error`
lines too (title "archlint: spec error"). With --show-ignored, silenced findings are
`::notice` lines giving the reason.

Escaping follows the runner's rules as implemented by actions/toolkit
(packages/core/src/command.ts): in the message `%`, CR and LF become %25, %0D, %0A;
in a property value `:` and `,` also become %3A and %2C (they separate properties).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import display_path, visible

if TYPE_CHECKING:
    from ..reports import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The runner splits lines at CR and LF only, so those are %-escaped as the toolkit
    does (a message cannot start a line, hence no command); other control characters
    would reach the log and the terminal as they are: they are made visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(text)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, file: str, line: int, column: int, title: str, message: str) -> str:
    properties = {"file": display_path(file), "line": str(line), "col": str(column), "title": title}
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name} {joined}::{escape_data(message)}\n"


def github_report(report: "Report") -> str:
    lines = [
        command("error", problem.file, problem.line, problem.column, "archlint: spec error", problem.message)
        for problem in sorted(report.problems)
    ]
    lines += [
        command(COMMANDS[f.severity], f.file, f.line, f.column, f"{f.rule} {f.resource}",
                f"{f.message} (fix: {f.fix})" if f.fix else f.message)
        for f in report.findings
    ]
    if report.show_ignored:
        lines += [
            command("notice", item.finding.file, item.finding.line, item.finding.column,
                    f"{item.finding.rule} {item.finding.resource} (ignored)",
                    f"ignored by `{item.selector}`: {item.reason}")
            for item in report.suppressed
        ]
    return "".join(lines)
