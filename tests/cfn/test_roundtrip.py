"""Round trip: spec -> `archlint emit` -> template -> import gives back the same
resources, types, attributes and flows (what CloudFormation carries; externals and
other types that are not emitted excepted). Real emitter, real importer."""

from __future__ import annotations

import glob
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.specs import load_spec, load_text

emitter = pytest.importorskip("archlint.render.cloudformation", reason="the emitter (archlint emit) is not in the tree yet")
from .roundtrip import differences  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# every example spec, and the emitter's own test specs (every type and flow pair)
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "specs", "examples", "**", "*.yaml"), recursive=True)) + sorted(
    glob.glob(os.path.join(ROOT, "tests", "emit", "specs", "*.yaml")))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: os.path.relpath(path, ROOT))
def test_every_example_spec_survives_emit_and_import(path):
    graph = load_spec(path)
    try:
        emitter.build(graph)
    except emitter.EmitError as error:
        if error.status == 1 and "deny rule" in str(error):
            pytest.skip("the emitter refuses this spec on purpose (a security-group deny rule, SG001)")
        raise
    assert differences(graph) == []


def test_the_round_trip_notices_what_the_import_loses():
    """The comparison itself can fail: a changed attribute and a lost flow show up."""
    from .roundtrip import round_trip

    graph = load_spec(os.path.join(ROOT, "specs", "examples", "sqs-lambda.yaml"))
    imported, ids = round_trip(graph)
    queue = next(node for node, data in graph.nodes(data=True) if data["type"] == "sqs.queue" and data.get("dead_letter"))
    imported.nodes[ids[queue]]["visibility_timeout"] = 1
    imported.remove_edges_from([(s, t, k) for s, t, k, d in imported.edges(keys=True, data=True) if d["kind"] == "flow"])
    found = differences(graph, imported)
    assert any(line.startswith(f"{queue}.visibility_timeout") for line in found)
    assert any(line.startswith("flows differ: lost") for line in found)


# -- generated specs ------------------------------------------------------------------

NAMES = st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])


@st.composite
def messaging_specs(draw):
    """Small architectures of queues, topics, buckets, functions and the flows between them."""
    kinds = draw(st.lists(st.sampled_from(["sqs.queue", "sns.topic", "s3.bucket", "lambda.function"]), min_size=2, max_size=6))
    resources, lines = {}, []
    for index, kind in enumerate(kinds):
        name = f"{kind.split('.')[0]}-{index}"
        body = [f"  {name}:", f"    type: {kind}"]
        if kind == "sqs.queue":
            body.append(f"    visibility_timeout: {draw(st.integers(0, 43200))}")
            body.append(f"    fifo: {str(draw(st.booleans())).lower()}")
        if kind == "lambda.function":
            body.append(f"    timeout: {draw(st.integers(1, 900))}")
            body.append(f"    memory: {draw(st.sampled_from([128, 256, 1024]))}")
        resources[name] = kind
        lines.extend(body)
    queues = [name for name, kind in resources.items() if kind == "sqs.queue"]
    for queue in queues:  # a dead-letter queue of the same type (the emitter refuses others)
        others = [q for q in queues if q != queue]
        if others and draw(st.booleans()):
            target = draw(st.sampled_from(others))
            at = lines.index(f"  {queue}:")
            lines.insert(at + 2, f"    dead_letter: {target}")
            lines.insert(at + 3, f"    max_receive_count: {draw(st.integers(1, 1000))}")
    pairs = {
        ("sns.topic", "sqs.queue"), ("sns.topic", "lambda.function"), ("sqs.queue", "lambda.function"),
        ("s3.bucket", "lambda.function"), ("s3.bucket", "sqs.queue"), ("s3.bucket", "sns.topic"),
    }
    flows = []
    for source, source_kind in resources.items():
        for target, target_kind in resources.items():
            if (source_kind, target_kind) in pairs and draw(st.booleans()):
                flows.append(f"  - {source} -> {target}")
    text = "archlint: 1\nname: generated\nresources:\n" + "\n".join(lines) + "\n"
    if flows:
        text += "flows:\n" + "\n".join(flows) + "\n"
    return text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messaging_specs())
def test_generated_specs_survive_emit_and_import(text):
    from archlint.specs import SpecError

    try:
        graph = load_text(text, "generated.yaml")
    except SpecError:
        return  # a combination the format refuses (e.g. FIFO mismatches are lint, not load errors)
    try:
        emitter.build(graph)
    except emitter.EmitError:
        return  # the emitter refuses some combinations (FIFO notifications, ...): nothing to import
    assert differences(graph) == []
