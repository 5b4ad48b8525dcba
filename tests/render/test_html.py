"""The interactive HTML page: self-contained, and working in a real (headless) browser."""

from __future__ import annotations

import os
import re

import pytest

from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.render import render_bytes
from archlint.render.styles import SEVERITY_COLORS
from archlint.specs import load_spec, load_text

from . import browser
from .test_formats import EXAMPLES, ROOT

FLAWED_FIFO = os.path.join(ROOT, "specs", "examples", "flawed", "sqs-fifo-lambda.yaml")


def page(graph, findings=()) -> str:
    return render_bytes(graph, "html", findings=findings).data.decode("utf-8")


def write_page(tmp_path, path=FLAWED_FIFO) -> str:
    graph = load_spec(path)
    out = tmp_path / "arch.html"
    out.write_text(page(graph, lint(graph, all_rules())), encoding="utf-8")
    return out.as_uri()


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: os.path.relpath(path, ROOT))
def test_the_page_references_nothing_outside_itself(path):
    graph = load_spec(path)
    html = page(graph, lint(graph, all_rules()))
    assert not re.search(r"(?i)https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html)
    for value in re.findall(r'(?i)(?:src|href|xlink:href)\s*=\s*"([^"]*)"', html):
        assert value.startswith(("#", "data:")), value
    for value in re.findall(r"(?i)url\(([^)]*)\)", html):
        assert value.strip("'\"").startswith(("#", "data:")), value
    assert html.count("<script") == 2  # our data and our code, nothing loaded
    assert "default-src 'none'" in html  # and the browser is told to load nothing


def test_hostile_text_stays_text_in_the_page():
    graph = load_text("""\
archlint: 1
name: hostile
description: "</title><script>alert(1)</script>"
resources:
  app:
    type: external
    label: "</script><script>alert('label')</script><img src=x onerror=alert(2)>"
  q: {type: sqs.queue}
flows:
  - {from: app, to: q, label: "<IMG SRC=\\"/etc/passwd\\"> \\\\"}
""", "hostile.yaml")
    # the loader refuses tag values AWS refuses; an imported template may still carry them
    graph.nodes["q"]["tags"] = {"owner": "<b>&amp;</b>"}
    html = page(graph)
    assert html.count("<script") == 2 and html.count("</script") == 2
    assert "<img src=x" not in html.lower() and '<img src="/etc/passwd"' not in html.lower()
    assert "<b>&amp;</b>" not in html


def test_opens_in_chromium_with_the_diagram_and_a_detail_panel_on_request(tmp_path):
    url = write_page(tmp_path)
    plain = browser.screenshot(url, str(tmp_path / "plain.png"))
    shown = browser.screenshot(url + "#resource=events-topic", str(tmp_path / "shown.png"))
    panel_x = plain.width - 390  # the panel is 360 px wide and padded, on the right
    # the diagram is drawn: the canvas is far from blank, in both
    assert plain.share_not_white(0, 60, panel_x - 30, plain.height - 10) > 0.03
    # the panel shows the finding with its severity's colour only once a resource is chosen
    red = rgb(SEVERITY_COLORS["error"])
    def red_in_panel(pixels):
        return sum(1 for y in range(60, pixels.height, 2) for x in range(panel_x, pixels.width, 2)
                   if all(abs(a - b) <= 30 for a, b in zip(pixels.pixel(x, y), red)))
    assert red_in_panel(plain) == 0
    assert red_in_panel(shown) > 20


def test_the_detail_panel_lists_attributes_flows_and_findings_with_fixes(tmp_path):
    dom = browser.dump_dom(write_page(tmp_path) + "#resource=events-topic")
    panel = dom.split('id="panel"', 1)[1].split("</aside>", 1)[0]
    assert "events-topic" in panel and "sns.topic" in panel
    assert "FAN004" in panel and "Fix: set `fifo: true` on events-topic" in panel
    assert "events-topic → audit-queue" in panel  # its flows
    assert "<td>fifo</td><td>false</td>" in panel  # its attributes
    assert "<td>description</td>" not in panel  # unset attributes are left out
    # filters: one box per severity found, one option per rule
    assert 'class="severity"' in dom and '<option value="FAN004">FAN004</option>' in dom


def test_hostile_labels_are_shown_as_text_in_the_browser(tmp_path):
    graph = load_text("""\
archlint: 1
name: hostile
resources:
  app:
    type: external
    label: "<img src=x onerror=document.title='pwned'>"
  q: {type: sqs.queue}
flows:
  - app -> q
""", "hostile.yaml")
    out = tmp_path / "hostile.html"
    out.write_text(page(graph), encoding="utf-8")
    dom = browser.dump_dom(out.as_uri() + "#resource=app")
    assert "pwned" not in dom.split("<title>")[1].split("</title>")[0]
    panel = dom.split('id="panel"', 1)[1].split("</aside>", 1)[0]
    assert "&lt;img src=x onerror" in panel and "<img" not in panel


def test_a_linked_resource_of_a_large_picture_is_brought_into_view(tmp_path):
    from .test_views import bench_spec

    graph = load_text(bench_spec(300), "bench-300.yaml")
    out = tmp_path / "big.html"
    out.write_text(page(graph), encoding="utf-8")
    whole = browser.screenshot(out.as_uri(), str(tmp_path / "whole.png"))
    linked = browser.screenshot(out.as_uri() + "#resource=queue-7", str(tmp_path / "linked.png"))
    # fitted, 300 resources leave the canvas mostly white; zoomed on the queue, its
    # icon fills a good part of the middle of the canvas (SQS pink, #E7157B family)
    def pink_in_middle(pixels):
        canvas = pixels.width - 390
        box = (canvas // 2 - 150, pixels.height // 2 - 150, canvas // 2 + 150, pixels.height // 2 + 150)
        return sum(1 for y in range(box[1], box[3], 2) for x in range(box[0], box[2], 2)
                   if (lambda r, g, b: r > 170 and g < 90 and 70 < b < 170)(*pixels.pixel(x, y)))
    assert pink_in_middle(linked) > 300 > pink_in_middle(whole)
