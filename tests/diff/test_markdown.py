"""`archlint diff --format markdown`: a pull-request comment, read back with a
CommonMark/GFM parser (markdown-it-py) and Mermaid's own parser; safe to post
whatever the input says."""

from __future__ import annotations

import html
import json

import networkx as nx
from markdown_it import MarkdownIt

from archlint.linter.changes import ChangeReport, FileChange
from archlint.linter.formats.diff_markdown import diff_markdown_report, fenced, md
from archlint.linter.rule import Finding
from archlint.render.diffview import render_change
from archlint.specs import load_text
from archlint.specs.diff import diff_graphs

from .conftest import ORDERS, archlint, edit, mermaid_parse, write
from .test_pictures import FANOUT, FANOUT_AUDIT

# as GitHub reads a comment: CommonMark with GFM tables and strikethrough, HTML allowed
GFM = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def tables(tokens) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header first)."""
    found, table, row, cell = [], None, None, None
    for token in tokens:
        if token.type == "table_open":
            table = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            cell = ""
        elif token.type == "inline" and cell is not None:
            cell = "".join(child.content for child in token.children if child.type in ("text", "code_inline"))
        elif token.type in ("th_close", "td_close"):
            row.append(cell)
            cell = None
        elif token.type == "tr_close":
            table.append(row)
        elif token.type == "table_close":
            found.append(table)
    return found


def html_tokens(tokens) -> list:
    inline = [child for token in tokens if token.type == "inline" for child in token.children]
    return [token for token in list(tokens) + inline if token.type in ("html_inline", "html_block")]


def test_the_realistic_change_as_a_comment(project):
    old, new = write(project, "sns-fanout.yaml", FANOUT), write(project, "sns-fanout-new.yaml", FANOUT_AUDIT)
    done = archlint("diff", "--format", "markdown", old, new)
    assert done.returncode == 1
    comment = done.stdout
    assert comment.splitlines()[0] == ("### archlint: 1 file changed: 2 resources added; 2 flows added · "
                                       "❌ 1 finding introduced (1 error)")
    tokens = GFM.parse(comment)
    assert html_tokens(tokens) == []
    resources, flows, introduced = tables(tokens)
    assert resources[1:] == [["🟢 added", "audit-queue", "sqs.queue", ""], ["🟢 added", "audit-fn", "lambda.function", ""]]
    assert [row[1] for row in flows[1:]] == ["audit-queue → audit-fn", "orders-topic → audit-queue"]
    assert introduced[0] == ["severity", "rule", "resource", "finding", "fix"]
    assert introduced[1][:3] == ["❌ error", "DLQ001", "audit-queue"]
    assert introduced[1][4] == "add dead_letter: <queue id> and max_receive_count: 5 to audit-queue"  # two code spans
    [diagram] = [token for token in tokens if token.type == "fence"]
    assert diagram.info == "mermaid"
    parsed = mermaid_parse(diagram.content)
    assert parsed.returncode == 0, parsed.stderr
    assert "style r_audit_fn fill:" in diagram.content and "class r_audit_queue error" in diagram.content


def test_no_change_says_so(project):
    old = write(project, "a.yaml", ORDERS)
    done = archlint("diff", "--format", "markdown", old, old)
    assert done.returncode == 0
    assert done.stdout == "### archlint: no architectural change (1 file compared)\n"


HOSTILE = "ends ``` here | and <script>alert(1)</script> *bold* [link](javascript:x) @octocat\n# heading ~~gone~~ \\"


def hostile_report(label: str) -> tuple[ChangeReport, str]:
    old_text = ORDERS
    new_text = edit(ORDERS, "  orders-topic:\n    type: sns.topic\n",
                    f"  orders-topic:\n    type: sns.topic\n    label: {json.dumps(label)}\n")
    old, new = load_text(old_text, "old.yaml"), load_text(new_text, "new.yaml")
    finding = Finding("new.yaml", 3, 3, "DLQ001", "orders-topic", "error", HOSTILE, HOSTILE)
    change = diff_graphs(old, new)
    file = FileChange("new.yaml", "old.yaml", "new.yaml", old, new, change, [finding], [finding])
    diagram = render_change(old, new, change, "mmd", introduced=[finding], resolved=[finding], context=1).data.decode()
    return ChangeReport([file]), diagram


def test_input_cannot_break_out_of_cells_fences_or_into_html():
    label = "```\n</code><img src=x onerror=alert(1)> | ~~~"
    report, diagram = hostile_report(label)
    comment = diff_markdown_report(report, {"new.yaml": diagram})
    tokens = GFM.parse(comment)
    assert html_tokens(tokens) == []
    rendered = GFM.render(comment)
    assert "<script" not in rendered and "<img" not in rendered and 'href="javascript' not in rendered
    changes, introduced, resolved = tables(tokens)
    expected = HOSTILE.replace("\n", " ").replace("@", "@\u200b")
    assert len(introduced[1]) == 5 and introduced[1][3] == expected and introduced[1][4] == expected
    assert len(resolved[1]) == 3 and resolved[1][2] == expected
    assert changes[1][3] == "label: — → " + label.replace("\n", " ")
    assert len(changes[1]) == 4
    # one fence, holding exactly the diagram, which Mermaid parses
    [fence] = [token for token in tokens if token.type == "fence"]
    assert fence.content == diagram and fence.info == "mermaid"
    assert "<img" not in diagram and "<script" not in diagram
    parsed = mermaid_parse(diagram)
    assert parsed.returncode == 0, parsed.stderr
    # the mention is defused, nothing else is lost
    assert "@octocat" not in rendered
    assert html.escape("<script>alert(1)</script>", quote=False) in rendered


def test_md_and_fenced():
    assert md("a|b") == "a\\|b" and md("<x>") == "&lt;x&gt;" and md("x\ny") == "x y"
    assert fenced("mermaid", "a ```` b\n").startswith("`````mermaid\n")
    assert fenced("mermaid", "plain\n") == "```mermaid\nplain\n```\n"


def test_code_in_messages_stays_code_and_safe():
    from archlint.linter.formats.diff_markdown import md_text

    cell = md_text("set `a|b <script>` then <b>")
    [table] = tables(GFM.parse(f"| x |\n|---|\n| {cell} |\n"))
    assert table[1] == ["set a|b <script> then <b>"]
    rendered = GFM.render(f"| x |\n|---|\n| {cell} |\n")
    assert "<code>a|b &lt;script&gt;</code>" in rendered and "<b>" not in rendered
