"""Properties of the loader: every valid spec loads into the graph it describes, and
no input whatever gets anything but a graph or a SpecError (never a traceback)."""

import glob
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.specs import SpecError, load_text
from archlint.specs import types as T
from archlint.specs.awsvalues import LAMBDA_RUNTIMES
from archlint.specs.flows import FLOW_PAIRS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_TEXTS = [open(path, encoding="utf-8").read() for path in sorted(glob.glob(os.path.join(ROOT, "specs/examples/**/*.yaml"), recursive=True))]

# Resources every generated spec has, so that required references always resolve.
BASE = {
    "net": {"type": "vpc", "cidr": "10.0.0.0/16"},
    "sub-a": {"type": "subnet", "vpc": "net", "az": "us-east-1a", "cidr": "10.0.1.0/24"},
    "sub-b": {"type": "subnet", "vpc": "net", "az": "us-east-1b", "cidr": "10.0.2.0/24"},
    "lb": {"type": "alb", "subnets": ["sub-a", "sub-b"]},
    "host": {"type": "ec2.instance", "subnet": "sub-a"},
}
# attributes generated separately, because their validity depends on other attributes
HANDLED_APART = {"max_receive_count", "az", "subnet", "min", "max", "desired", "rules", "lifecycle_hooks", "subnets", "volumes"}

ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(lambda text: text not in BASE)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
# what AWS takes in a tag (specs/awsvalues.py): letters, numbers, spaces, _ . : / = + - @
tag_text = st.text(st.characters(categories=("L", "N", "Zs"), include_characters="_.:/=+-@"), max_size=12)
# values AWS constrains beyond "text" (specs/awsvalues.py)
CONSTRAINED_TEXT = {
    "runtime": st.sampled_from(sorted(LAMBDA_RUNTIMES)),
    "instance_type": st.sampled_from(["t3.micro", "c5n.18xlarge", "u-6tb1.metal", "m7i-flex.large"]),
    "instance_types": st.lists(st.sampled_from(["optimal", "c5", "p4d.24xlarge"]), max_size=3),
    "description": st.from_regex(r"[a-zA-Z0-9 ._:/()#,@+=&;{}!$*-]{0,40}", fullmatch=True),
}


def value_for(attribute: T.Attribute, draw, resources, type_name, name=""):
    kind = attribute.kind
    if name in CONSTRAINED_TEXT:
        return draw(CONSTRAINED_TEXT[name])
    if kind == T.TEXT:
        return draw(text)
    if kind == T.BOOL:
        return draw(st.booleans())
    if kind == T.INT:
        return draw(st.integers(attribute.minimum, attribute.maximum))
    if kind == T.CHOICE:
        return draw(st.sampled_from(attribute.choices))
    if kind == T.CIDR:
        return draw(st.sampled_from(["10.0.0.0/16", "192.168.0.0/24", "0.0.0.0/0", "2001:db8::/32"]))
    if kind == T.CIDR_LIST:
        return draw(st.lists(st.sampled_from(["203.0.113.0/24", "198.51.100.7/32"]), max_size=2))
    if kind == T.TEXT_LIST:
        return draw(st.lists(text, max_size=3))
    if kind == T.SCHEDULE:
        return draw(st.sampled_from(["rate(1 minute)", "rate(5 minutes)", "cron(0 12 * * ? *)"]))
    if kind == T.MAPPING:
        return draw(st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), tag_text, max_size=2))
    if kind == T.WEIGHTS:
        return draw(st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.integers(0, 999), max_size=2))
    candidates = [rid for rid, body in resources.items() if body["type"] in attribute.refs]
    if not candidates:
        return None
    if kind == T.REF:
        return draw(st.sampled_from(candidates))
    return draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3))


@st.composite
def valid_specs(draw):
    resources = {name: dict(body) for name, body in BASE.items()}
    for rid in draw(st.lists(ids, unique=True, max_size=12)):
        type_name = draw(st.sampled_from(sorted(T.TYPES)))
        body = {"type": type_name}
        if draw(st.booleans()):
            body["label"] = draw(text)
        for name, attribute in T.TYPES[type_name].items():
            if name in HANDLED_APART or not (attribute.required or draw(st.booleans())):
                continue
            value = value_for(attribute, draw, resources, type_name, name)
            if value is not None and (value != [] or not attribute.required):
                body[name] = value
        _dependent_attributes(draw, type_name, body)
        if type_name == "events.rule" and "schedule" not in body and "pattern" not in body:
            body["schedule"] = "rate(1 hour)"
        if type_name in ("subnet",):
            body.pop("cidr", None)  # overlap and containment are checked elsewhere
        resources[rid] = body
    flows = _flows(draw, resources)
    spec = {"archlint": 1, "name": "generated", "resources": resources}
    if flows:
        spec["flows"] = flows
    return spec


def _dependent_attributes(draw, type_name, body):
    if type_name == "sqs.queue" and "dead_letter" in body and draw(st.booleans()):
        body["max_receive_count"] = draw(st.integers(1, 1000))
    if type_name in ("subnet", "ebs.volume"):
        body["az"] = draw(st.sampled_from(["us-east-1a", "us-east-1b"]))
    if type_name == "subnet":
        body["vpc"] = "net"
    if type_name == "ec2.instance" and draw(st.booleans()):
        body["subnet"] = draw(st.sampled_from(["sub-a", "sub-b"]))
    if type_name == "alb":
        body["subnets"] = ["sub-a", "sub-b"]
    if type_name in ("autoscaling.group",):
        body["subnets"] = draw(st.lists(st.sampled_from(["sub-a", "sub-b"]), unique=True, min_size=1))
        low = draw(st.integers(0, 5))
        desired = draw(st.integers(low, low + 3))
        body.update({"min": low, "desired": desired, "max": draw(st.integers(max(desired, 1), desired + 3))})
    if type_name == "security_group":
        body["rules"] = [{"protocol": "tcp", "ports": draw(st.integers(0, 65535)), "cidr": "0.0.0.0/0"},
                         {"direction": "egress", "protocol": "all", "cidr": "0.0.0.0/0"}]
    if type_name == "network_acl":
        numbers = draw(st.lists(st.integers(1, 32766), unique=True, max_size=3))
        body["rules"] = [{"number": n, "direction": "ingress", "action": draw(st.sampled_from(["allow", "deny"])),
                          "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"} for n in numbers]


def _flows(draw, resources):
    ids_by_type = {}
    for rid, body in resources.items():
        ids_by_type.setdefault(body["type"], []).append(rid)
    possible = [(s, t) for (st_, tt) in FLOW_PAIRS for s in ids_by_type.get(st_, []) for t in ids_by_type.get(tt, [])]
    if not possible:
        return []
    chosen = draw(st.lists(st.sampled_from(sorted(possible)), unique=True, max_size=8))
    flows = []
    for source, target in chosen:
        pair = (resources[source]["type"], resources[target]["type"])
        if pair == ("lambda.function", "lambda.function") and draw(st.booleans()):
            flows.append({"from": source, "to": target, "async": True})
        elif pair[0] == "s3.bucket" and draw(st.booleans()):
            flows.append({"from": source, "to": [target], "prefix": "in/", "events": ["s3:ObjectCreated:Put"]})
        else:
            flows.append(f"{source} -> {target}")
    return flows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_specs())
def test_every_valid_spec_loads_into_the_graph_it_describes(spec):
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    graph = load_text(text, "generated.yaml")
    assert list(graph.nodes) == list(spec["resources"])
    for rid, body in spec["resources"].items():
        node = graph.nodes[rid]
        assert node["type"] == body["type"]
        for name in T.TYPES[body["type"]]:
            assert name in node
    # networkx lists edges by source node; the `entry` index keeps the file's order
    flows = sorted((d["entry"], s, t) for s, t, d in graph.edges(data=True) if d["kind"] == "flow")
    expected = []
    for entry, flow in enumerate(spec.get("flows", [])):
        if isinstance(flow, str):
            expected.append((entry, *(part.strip() for part in flow.split("->"))))
        else:
            targets = flow["to"] if isinstance(flow["to"], list) else [flow["to"]]
            expected.extend((entry, flow["from"], target) for target in targets)
    assert flows == sorted(expected)
    for source, target, data in graph.edges(data=True):
        if data["kind"] == "flow":
            pair = (graph.nodes[source]["type"], graph.nodes[target]["type"])
            assert data["relation"] == FLOW_PAIRS[pair][0]


def _graph_or_spec_error(data):
    try:
        return load_text(data, "fuzz.yaml")
    except SpecError as error:
        assert error.problems and all(p.line >= 1 and p.column >= 1 for p in error.problems)
        return None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_graph_or_a_spec_error(data):
    _graph_or_spec_error(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EXAMPLE_TEXTS), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.text(max_size=4)), min_size=1, max_size=4))
def test_mutated_examples_give_a_graph_or_a_spec_error(text, edits):
    for offset, length, replacement in edits:
        offset %= len(text) + 1
        text = text[:offset] + replacement + text[offset + length:]
    _graph_or_spec_error(text)


# -- every kind of YAML value for every key --------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(10**30, 10**40),
    st.floats(allow_nan=True, allow_infinity=True), text, st.sampled_from(["", "on", "no", "1.0", "0x1f", "~", "<<", "*", "&a"]),
)
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(text, st.integers(), st.booleans()), inner, max_size=3)), max_leaves=8)
EVERY_KEY = sorted({(type_name, name) for type_name, attributes in T.TYPES.items() for name in attributes} |
                   {(type_name, name) for type_name in T.TYPES for name in T.COMMON})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EVERY_KEY), YAML_VALUES)
def test_every_kind_of_value_for_every_key_gives_a_graph_or_a_spec_error(key, value):
    type_name, name = key
    body = {"type": type_name, name: value} if name != "type" else {"type": value}
    spec = {"archlint": 1, "name": "generated", "resources": {**BASE, "it": body}}
    _graph_or_spec_error(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(T.SPEC_KEYS)), YAML_VALUES)
def test_every_kind_of_value_for_every_top_level_key(name, value):
    spec = {"archlint": 1, "name": "generated", "resources": dict(BASE), name: value}
    _graph_or_spec_error(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(T.FLOW_KEYS), YAML_VALUES)
def test_every_kind_of_value_for_every_flow_key(name, value):
    flow = {"from": "host", "to": "lb", name: value}
    spec = {"archlint": 1, "name": "generated", "resources": dict(BASE), "flows": [flow]}
    _graph_or_spec_error(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
