"""One self-contained interactive HTML page: `render -o arch.html`.

The page holds the diagram as inline SVG (icons embedded by `svg_embed`), the facts
of every resource as JSON, and its own CSS and JavaScript; it loads nothing, so it
opens offline, from a ticket or a mail attachment. A Content-Security-Policy forbids
any request besides the page's own inline script and style and data: images.

What it does: pan (drag) and zoom (wheel, buttons); a click on a resource shows its
attributes, its flows in and out, and its findings with their fixes; findings can be
filtered by severity and rule (resources whose findings are all filtered out lose
their highlight); a search box finds resources by id and brings the first into view; `page.html#resource=ID`
opens with ID's details shown and ID in view.

Safety: the JSON is written with `<`, `>` and `&` as \\u escapes, so no input can close
the script element; the script puts every input string into the page with
`textContent`, never as HTML; the SVG is Graphviz's, whose labels we built from
escaped text (render/text.py). XML prolog, DOCTYPE, comments and namespace
declarations are dropped from the SVG: inline SVG in HTML needs none of them.
"""

from __future__ import annotations

import json
import re

from .dot_source import dot_name
from .scene import Scene
from .text import html_text, plain

# Attributes of a graph node that are bookkeeping, not facts about the resource.
HIDDEN_ATTRIBUTES = ("positions", "line", "column", "file")


def html_page(scene: Scene, svg: str, graph) -> str:
    data = {
        "title": plain(scene.title),
        "resources": _resources(scene, graph),
        "names": {dot_name(node.id): (node.of or node.id) for node in scene.nodes()},
    }
    payload = json.dumps(data, ensure_ascii=True, sort_keys=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return PAGE.replace("@TITLE@", html_text(scene.title or "architecture")).replace(
        "@SVG@", _inline_svg(svg)).replace("@DATA@", payload).replace("@SCRIPT@", SCRIPT).replace("@STYLE@", STYLE)


def _resources(scene: Scene, graph) -> dict:
    resources = {}
    for node in scene.resource_nodes():
        attributes = {}
        if node.id in graph:
            for key, value in graph.nodes[node.id].items():
                if key not in HIDDEN_ATTRIBUTES and value not in (None, "", [], {}):
                    attributes[plain(key)] = plain(json.dumps(value, default=str, ensure_ascii=False)
                                                   if not isinstance(value, str) else value)
        flows = []
        for edge in scene.edges:
            if node.id in (edge.source, edge.target):
                flows.append({"from": plain(edge.source), "to": plain(edge.target), "style": edge.style,
                              "label": plain(edge.label), "rules": list(edge.marks.rules)})
        findings = [
            {"rule": plain(f.rule), "severity": plain(f.severity), "message": plain(f.message), "fix": plain(f.fix),
             "line": f.line, "column": f.column}
            for f in node.marks.findings
        ] + [
            {"rule": plain(f.rule), "severity": plain(f.severity), "message": plain(f.message), "fix": plain(f.fix),
             "line": f.line, "column": f.column}
            for edge in scene.edges if node.id == edge.source for f in edge.marks.findings
        ]
        resources[plain(node.id)] = {"title": plain(node.title), "type": plain(node.type),
                                     "attributes": attributes, "flows": flows, "findings": findings,
                                     "count": node.count}
    return resources


def _inline_svg(svg: str) -> str:
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    return svg.strip()


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>@TITLE@</title>
<style>@STYLE@</style>
</head>
<body>
<header>
  <strong>@TITLE@</strong>
  <input id="search" type="search" placeholder="find a resource by id" aria-label="find a resource by id">
  <span id="filters"></span>
  <select id="rule" aria-label="rule"><option value="">every rule</option></select>
  <button id="zoom-in" type="button">+</button><button id="zoom-out" type="button">&#8722;</button>
  <button id="fit" type="button">fit</button>
</header>
<main>
  <div id="canvas">@SVG@</div>
  <aside id="panel"><p class="hint">Click a resource to see its attributes, flows and findings.</p></aside>
</main>
<script type="application/json" id="archlint-data">@DATA@</script>
<script>@SCRIPT@</script>
</body>
</html>
"""

STYLE = """
body{margin:0;font:14px sans-serif;color:#232F3E;display:flex;flex-direction:column;height:100vh}
header{display:flex;gap:8px;align-items:center;padding:6px 10px;border-bottom:1px solid #AAB7B8;flex-wrap:wrap}
main{flex:1;display:flex;min-height:0}
#canvas{flex:1;overflow:hidden;cursor:grab;background:#fff}
#canvas svg{width:100%;height:100%}
#panel{width:360px;overflow:auto;border-left:1px solid #AAB7B8;padding:8px 12px;background:#F8F9FA}
#panel h2{font-size:16px;margin:4px 0}
#panel table{border-collapse:collapse;font-size:12px}
#panel td{border-bottom:1px solid #E0E4E8;padding:2px 4px;vertical-align:top;word-break:break-word}
.finding{border-left:4px solid;padding:2px 6px;margin:6px 0;background:#fff}
.sev-error{border-color:#D13212}.sev-warning{border-color:#B86E00}.sev-info{border-color:#3F6E9E}
g.node{cursor:pointer}
g.node.selected{filter:drop-shadow(0 0 5px #1A73E8) drop-shadow(0 0 2px #1A73E8)}
g.node.match text{fill:#1A73E8;font-weight:bold}
g.node.filtered-out{opacity:.35}
"""

SCRIPT = r"""
(function(){
  var data = JSON.parse(document.getElementById('archlint-data').textContent);
  var svg = document.querySelector('#canvas svg');
  var panel = document.getElementById('panel');
  var vb = svg.viewBox.baseVal, home = [vb.x, vb.y, vb.width, vb.height];
  var view = home.slice();
  function apply(){ svg.setAttribute('viewBox', view.join(' ')); }
  function zoom(f, cx, cy){
    cx = cx === undefined ? view[0] + view[2]/2 : cx; cy = cy === undefined ? view[1] + view[3]/2 : cy;
    view = [cx - (cx - view[0]) * f, cy - (cy - view[1]) * f, view[2] * f, view[3] * f]; apply();
  }
  function user(x, y){  // a point on the screen in the SVG's own coordinates
    var p = svg.createSVGPoint(); p.x = x; p.y = y; p = p.matrixTransform(svg.getScreenCTM().inverse()); return [p.x, p.y]; }
  svg.addEventListener('wheel', function(e){ e.preventDefault(); var p = user(e.clientX, e.clientY); zoom(e.deltaY > 0 ? 1.2 : 1/1.2, p[0], p[1]); });
  var drag = null;
  svg.addEventListener('mousedown', function(e){ drag = [e.clientX, e.clientY, view[0], view[1]]; });
  window.addEventListener('mouseup', function(){ drag = null; });
  window.addEventListener('mousemove', function(e){ if(!drag) return; var r = svg.getBoundingClientRect();
    view[0] = drag[2] - (e.clientX - drag[0]) / r.width * view[2]; view[1] = drag[3] - (e.clientY - drag[1]) / r.height * view[3]; apply(); });
  document.getElementById('zoom-in').onclick = function(){ zoom(1/1.25); };
  document.getElementById('zoom-out').onclick = function(){ zoom(1.25); };
  document.getElementById('fit').onclick = function(){ view = home.slice(); apply(); };

  function el(tag, text, cls){ var e = document.createElement(tag); if(text !== undefined) e.textContent = text; if(cls) e.className = cls; return e; }
  var nodes = {};
  Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function(g){
    var id = data.names[g.id]; if(!id || !data.resources[id]) return;
    (nodes[id] = nodes[id] || []).push(g);
    g.addEventListener('click', function(e){ e.stopPropagation(); show(id); });
  });
  var severities = {}, rules = {};
  Object.keys(data.resources).forEach(function(id){ data.resources[id].findings.forEach(function(f){ severities[f.severity] = 1; rules[f.rule] = 1; }); });
  var filters = document.getElementById('filters');
  ['error','warning','info'].filter(function(s){ return severities[s]; }).forEach(function(s){
    var label = el('label'); var box = el('input'); box.type = 'checkbox'; box.checked = true; box.value = s; box.className = 'severity';
    box.onchange = refilter; label.appendChild(box); label.appendChild(document.createTextNode(' ' + s + ' ')); filters.appendChild(label);
  });
  var ruleSelect = document.getElementById('rule');
  Object.keys(rules).sort().forEach(function(r){ var o = el('option', r); o.value = r; ruleSelect.appendChild(o); });
  ruleSelect.onchange = refilter;
  function visible(f){
    var on = Array.prototype.some.call(document.querySelectorAll('input.severity'), function(b){ return b.checked && b.value === f.severity; });
    return on && (!ruleSelect.value || ruleSelect.value === f.rule);
  }
  var selected = null;
  function refilter(){
    Object.keys(data.resources).forEach(function(id){ var r = data.resources[id];
      var hidden = r.findings.length > 0 && !r.findings.some(visible);
      (nodes[id] || []).forEach(function(g){ g.classList.toggle('filtered-out', hidden); }); });
    if(selected) show(selected);
  }
  function centre(id){
    // bring a resource into view: centred, at a zoom where its label can be read
    var g = (nodes[id] || [])[0]; if(!g) return; var r = g.getBoundingClientRect();
    var a = user(r.left, r.top), b = user(r.right, r.bottom), cx = (a[0] + b[0]) / 2, cy = (a[1] + b[1]) / 2;
    var width = Math.min(home[2], Math.max((b[0] - a[0]) * 8, 600)), height = width * home[3] / home[2];
    view = [cx - width/2, cy - height/2, width, height]; apply();
  }
  function show(id){
    selected = id; var r = data.resources[id];
    Object.keys(nodes).forEach(function(k){ nodes[k].forEach(function(g){ g.classList.toggle('selected', k === id); }); });
    panel.textContent = '';
    panel.appendChild(el('h2', r.title + (r.count > 1 ? ' \u00d7 ' + r.count : '')));
    panel.appendChild(el('div', id + ' \u00b7 ' + r.type, 'subtitle'));
    var shown = r.findings.filter(visible);
    panel.appendChild(el('h3', 'Findings (' + shown.length + ')'));
    shown.forEach(function(f){ var box = el('div', undefined, 'finding sev-' + f.severity);
      box.appendChild(el('strong', f.rule + ' ' + f.severity)); box.appendChild(el('div', f.message));
      box.appendChild(el('div', 'Fix: ' + f.fix)); box.appendChild(el('small', 'line ' + f.line + ', column ' + f.column)); panel.appendChild(box); });
    panel.appendChild(el('h3', 'Flows'));
    var list = el('ul'); r.flows.forEach(function(f){ list.appendChild(el('li', f.from + ' \u2192 ' + f.to + ' (' + f.style + (f.label ? ': ' + f.label : '') + ')' + (f.rules.length ? ' ' + f.rules.join(' ') : ''))); });
    panel.appendChild(list);
    panel.appendChild(el('h3', 'Attributes'));
    var table = el('table'); Object.keys(r.attributes).sort().forEach(function(k){ var tr = el('tr'); tr.appendChild(el('td', k)); tr.appendChild(el('td', r.attributes[k])); table.appendChild(tr); });
    panel.appendChild(table);
  }
  document.getElementById('search').addEventListener('input', function(e){
    var q = e.target.value.trim().toLowerCase(); var first = null;
    Object.keys(nodes).forEach(function(id){ var hit = q !== '' && id.toLowerCase().indexOf(q) >= 0;
      if(hit && first === null) first = id; nodes[id].forEach(function(g){ g.classList.toggle('match', hit); }); });
    if(first !== null){ show(first); centre(first); }
  });
  // a link to one resource: page.html#resource=ID opens with its details shown
  var wanted = decodeURIComponent((location.hash.match(/^#resource=(.*)$/) || [])[1] || '');
  if(data.resources[wanted]){ show(wanted); centre(wanted); }
  window.archlint = {show: show, data: data};
})();
"""
