"""Input strings made plain text for each output: labels are words, never markup.

Every string that reaches a picture (ids, labels, descriptions, tags, finding
messages) comes from a spec or a template someone else may have written. Each writer
passes it through the function for its own output's rules, so that `<IMG SRC=…>` is
drawn as those characters, a trailing backslash cannot end a DOT string early, and a
newline cannot start a Mermaid statement.

- `plain`: the common first step. Control characters (newlines included) become
  spaces: a label is one line, and XML-based outputs (Graphviz's HTML labels, SVG,
  draw.io) cannot carry most control characters at all.
- `html_text`: for SVG and HTML (entities for & < > " ').
- `graphviz_html`: for Graphviz HTML-like labels: entities, and each backslash doubled,
  because Graphviz still expands `\\G`, `\\N`, `\\E` in them after decoding entities
  (seen with Graphviz 2.43: `a\\Gb` is drawn with the graph's name in it).
- `dot_string`: for Graphviz attributes that are escString (tooltips, ids): a
  backslash is doubled so that `\\G`, `\\E`, `\\l` or a trailing `\\` stay characters.
"""

from __future__ import annotations

import html
import re

# C0 and C1 controls, DEL, and the line/paragraph separators some parsers treat as newlines
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def plain(value: object) -> str:
    """`value` as one line of text: control characters become spaces."""
    return _CONTROL.sub(" ", str(value))


def html_text(value: object) -> str:
    """Text for Graphviz HTML-like labels, SVG or HTML: no markup survives."""
    return html.escape(plain(value), quote=True)


def dot_string(value: object) -> str:
    """Text for a quoted Graphviz escString attribute (tooltip, id); the graphviz
    package adds the quotes and escapes the double quotes."""
    return plain(value).replace("\\", "\\\\")


def graphviz_html(value: object) -> str:
    """Text for a Graphviz HTML-like label: no markup, no escString expansion."""
    return html_text(value).replace("\\", "\\\\")
