"""What the report formats share: how a spec's path is written for a CI system, and
how text from a spec is made safe to print."""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path


def display_path(file: str) -> str:
    """A spec path as CI systems want it: relative to the current folder (the
    checkout, where CI runs) with forward slashes. A path outside it stays absolute."""
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute, os.getcwd()) if os.path.isabs(file) else os.path.normpath(file)
    if relative.startswith(os.pardir + os.sep) and os.path.isabs(file):
        return Path(absolute).as_posix()
    return Path(relative).as_posix()


def artifact_uri(file: str) -> str:
    """SARIF's artifactLocation.uri: a relative reference (resolved against the
    checkout by GitHub) or, for a spec outside the current folder, a file:// URI."""
    shown = display_path(file)
    # RFC 3986: a space, %, # or non-ASCII character in a path is percent-encoded
    # (UTF-8); as_uri() does it for absolute paths
    return Path(shown).as_uri() if os.path.isabs(shown) else urllib.parse.quote(shown, safe="/")


# C0 and C1 control characters, DEL, and the line and paragraph separators: in a
# terminal they move the cursor, recolour or retitle it (ESC sequences), in a CI log
# they start a new line that the runner reads as a command
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`, `\\n`)."""
    return _CONTROL.sub(_escape_control, text)


def _escape_control(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def log_line(text: str) -> str:
    """One line of a human-readable report as it may safely reach a terminal or a CI
    log: control characters made visible, and nothing GitHub Actions' runner reads as a
    workflow command. The runner takes a line that starts with `::` after leading
    whitespace (`::add-mask::`, `::stop-commands::`) and, in the older syntax, a line
    holding `##[` anywhere (actions/runner, src/Runner.Common/ActionCommand.cs,
    TryParseV2 and TryParse); one character of each is escaped."""
    line = visible(text).replace("##[", "\\x23#[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]
    return line
