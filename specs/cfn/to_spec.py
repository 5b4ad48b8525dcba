"""Writing an imported graph as a spec file (`archlint import`).

The spec format has no "unknown": a value the template does not fix is left out, and a
YAML comment on the resource says what and why. Left out, an optional attribute takes
its default, which a rule could then read as a fact; so the command lints the written
spec against the template and silences, on the resource a finding names, each rule
that fires only because of that (a resource-level `ignore:` whose reason starts with
"unknown in the template"). The spec then lints the same way as the template, and the
reader sees exactly which conclusions the template could not support.

Where a required attribute is unknown, the spec needs a stand-in: a placeholder VPC or
subnet (`unknown-vpc`, `unknown-subnet-a`), an Availability Zone letter per subnet, a
`spread` strategy, an empty event pattern. Each is marked with a comment.
Resources of types the spec format does not have (opaque nodes) are listed in a
comment at the end: the spec cannot carry them.
"""

from __future__ import annotations

import re

import yaml

from .. import types as T

PLACEHOLDER_VPC = "unknown-vpc"


def spec_text(graph, ignores: dict | None = None) -> str:
    """The spec of an imported graph; `ignores`: resource id -> {rule id: reason} to add."""
    writer = _Writer(graph, ignores or {})
    return writer.text()


def _plain(value):
    """Plain Python data: the decoder's string and mapping subclasses do not dump."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _scalar(value) -> str:
    text = yaml.safe_dump(_plain(value), default_flow_style=True, width=1 << 30, allow_unicode=True)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text.removesuffix("...").strip()


class _Writer:
    def __init__(self, graph, ignores: dict):
        self.graph = graph
        self.ignores = ignores
        self.region = graph.graph.get("region") or "us-east-1"
        self.lines: list[str] = []
        self.placeholders: dict[str, dict] = {}  # id -> resource body, added at the end
        self.zone_letters = iter("abcdefghijklmnopqrstuvwxyz")

    def text(self) -> str:
        graph = self.graph
        source = graph.graph.get("file", "the template")
        body = ["resources:"]
        opaque = []
        for node, data in graph.nodes(data=True):
            if data["type"] == "cfn.resource":
                opaque.append(_one_line(f"{data.get('logical_id', node)} ({data.get('cfn_type')}, line {data['line']})"))
                continue
            body.extend(self._resource(node, data))
        for node, resource in self.placeholders.items():
            body.append(f"  {node}:  # placeholder: {_one_line(resource.pop('why'))}")
            for key, value in resource.items():
                body.append(f"    {key}: {_scalar(value)}")
        flows = self._flows()
        head = [
            f"# Imported by archlint from {_one_line(source)}.",
            "# Values the template does not fix are left out (see the comments); rules that would",
            "# read them are ignored on that resource, so the spec lints like the template.",
            "archlint: 1",
            f"name: {_scalar(graph.graph.get('name') or 'template')}",
        ]
        if graph.graph.get("description"):
            head.append(f"description: {_scalar(graph.graph['description'])}")
        head.append(f"region: {_scalar(self.region)}")
        if graph.graph.get("ignore"):
            head.append("ignore:")
            head.extend(f"  {rule}: {_scalar(reason)}" for rule, reason in sorted(graph.graph["ignore"].items()))
        lines = head + [""] + body + ([""] + flows if flows else [])
        if opaque:
            lines += ["", "# Not in the spec (CloudFormation types the spec format does not model):"]
            lines += [f"#   {item}" for item in opaque]
        return "\n".join(lines) + "\n"

    # -- resources ------------------------------------------------------------------

    def _resource(self, node: str, data: dict) -> list[str]:
        kind = data["type"]
        where = _one_line(f"{data.get('logical_id', node)} ({data.get('cfn_type')}), line {data['line']}")
        lines = [f"  {node}:  # {where}", f"    type: {kind}"]
        reasons = data.get("unknown_reasons") or {}
        written = self._attributes(node, data, reasons)
        for key, value, comment in written:
            suffix = f"  # {_one_line(comment)}" if comment else ""
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                # rules and hooks: one per line, without the fields left at their default
                lines.append(f"    {key}:{suffix}")
                lines.extend(f"      - {_scalar({k: v for k, v in item.items() if v is not None})}" for item in value)
                continue
            lines.append(f"    {key}: {_scalar(value)}{suffix}")
        for name, reason in reasons.items():
            lines.append(f"    # unknown in the template: {_one_line(name)} ({_one_line(reason)})")
        ignore = {**(data.get("ignore") or {}), **self.ignores.get(node, {})}  # the template's own, then ours
        if ignore:
            lines.append("    ignore:")
            for rule, reason in sorted(ignore.items()):
                lines.append(f"      {rule}: {_scalar(reason)}")
        return lines

    def _attributes(self, node: str, data: dict, reasons: dict) -> list[tuple]:
        kind = data["type"]
        positions = data.get("positions") or {}
        written = []
        for name, attribute in T.TYPES[kind].items():
            value = data.get(name)
            if name in reasons:
                if attribute.required or self._needs_zone(node, kind, name):
                    written.append((name, self._placeholder(node, kind, name), "placeholder"))
                continue
            spelled_out = name in positions or (attribute.default is not T.DERIVED and value != attribute.default)
            if not spelled_out or value is None:
                continue
            if kind == "sqs.queue" and name == "max_receive_count" and data.get("dead_letter") is None:
                continue  # the dead-letter queue is unknown: the count has nothing to count for
            written.append((name, value, None))
        if kind == "ebs.volume" and data.get("az") is None and "az" not in reasons and self._needs_zone(node, kind, "az"):
            # the template names no zone and no instance takes the volume (found by fuzzing)
            written.append(("az", self._placeholder(node, kind, "az"), "placeholder: the template gives no Availability Zone"))
        if kind == "events.rule" and data.get("schedule") is None and data.get("pattern") is None:
            written.append(("pattern", {}, "placeholder: the template does not fix the schedule or the pattern"))
        for name in ("label", "description"):  # kept in Metadata by archlint emit
            if data.get(name) is not None:
                written.append((name, data[name], None))
        if data.get("tags"):  # the common attribute a template carries
            written.append(("tags", dict(sorted(data["tags"].items())), None))
        return written

    def _needs_zone(self, node: str, kind: str, name: str) -> bool:
        """A volume no instance lists needs its own AZ (the loader derives it otherwise)."""
        if kind == "vpc" and name == "cidr":
            return True  # the default range might not hold the subnets' ranges
        if kind != "ebs.volume" or name != "az":
            return False
        return not any(data.get("relation") == "volumes" for _, _, data in self.graph.in_edges(node, data=True))

    def _placeholder(self, node: str, kind: str, name: str):
        if name == "vpc":
            self.placeholders.setdefault(PLACEHOLDER_VPC, {"why": "a VPC outside the template", "type": "vpc", "cidr": "0.0.0.0/0"})
            return PLACEHOLDER_VPC
        if name == "az":
            return f"{self.region}{next(self.zone_letters, 'a')}"
        if name == "cidr":
            return "0.0.0.0/0"
        if name == "subnets":
            wanted = ["a", "b"] if kind == "alb" else ["a"]
            ids = []
            for letter in wanted:
                subnet = f"unknown-subnet-{letter}"
                self._placeholder(node, "subnet", "vpc")
                self.placeholders.setdefault(subnet, {"why": "subnets outside the template", "type": "subnet",
                                                      "vpc": PLACEHOLDER_VPC, "az": f"{self.region}{letter}"})
                ids.append(subnet)
            return ids
        if name == "strategy":
            return "spread"
        raise AssertionError(f"no placeholder for the required {kind} attribute {name}")

    # -- flows ------------------------------------------------------------------------

    def _flows(self) -> list[str]:
        lines = []
        for source, target, data in self.graph.edges(data=True):
            if data.get("kind") != "flow":
                continue
            entry = {"from": source, "to": target}
            if data["relation"] == "notification" and data.get("events") and data["events"] != ["s3:ObjectCreated:*"]:
                entry["events"] = data["events"]
            for key in ("prefix", "suffix", "label"):
                if data.get(key) is not None:
                    entry[key] = data[key]
            if data["relation"] == "invoke" and data.get("invocation") == "async":
                entry["async"] = True
            text = f"{source} -> {target}" if len(entry) == 2 else _scalar(entry)
            lines.append(f"  - {text}  # line {data['line']}")
        return ["flows:"] + lines if lines else []


def _one_line(text) -> str:
    """Text for a YAML comment: one line. YAML ends a comment at any of its line breaks
    (LF, CR, NEL, LS, PS), so they and every other control character are written as
    visible escapes; a file name or a value from the template cannot add YAML lines."""
    return _COMMENT_BREAKERS.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}",
                                 " ".join(str(text).split()))


_COMMENT_BREAKERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
