"""XFER001: Snowball jobs."""

import pytest

from archlint.rules.transfer import RULES, SnowFamilyClosed

from .conftest import load


def run(rule_class, text):
    """The graph of a spec text and the findings of one rule on it."""
    graph = load(text)
    return graph, list(rule_class().check(graph))


SPEC = """\
archlint: 1
name: migration
resources:
  datacenter:
    type: external
    kind: datacenter
  first-batch:
    type: snowball.job
  second-batch:
    type: snowball.job
  sync:
    type: datasync.task
  archive:
    type: s3.bucket
flows:
  - datacenter -> first-batch -> archive
  - datacenter -> second-batch -> archive
  - datacenter -> sync -> archive
"""


def test_every_snowball_job_is_reported_at_its_key():
    graph, found = run(SnowFamilyClosed, SPEC)
    assert [(f.rule, f.resource, f.severity) for f in found] == [
        ("XFER001", "first-batch", "info"),
        ("XFER001", "second-batch", "info"),
    ]
    node = graph.nodes["first-batch"]
    assert (found[0].line, found[0].column) == (node["line"], node["column"])
    assert "datasync.task" in found[0].fix


def test_online_transfer_is_clean():
    online = SPEC.replace("  - datacenter -> first-batch -> archive\n", "").replace(
        "  - datacenter -> second-batch -> archive\n", ""
    )
    online = online.replace("  first-batch:\n    type: snowball.job\n", "").replace(
        "  second-batch:\n    type: snowball.job\n", ""
    )
    _, found = run(SnowFamilyClosed, online)
    assert found == []


@pytest.mark.parametrize("rule_class", RULES, ids=lambda cls: cls.id)
def test_examples(rule_class):
    _, bad = run(rule_class, rule_class.bad_example)
    assert bad and all(f.rule == rule_class.id for f in bad)
    _, good = run(rule_class, rule_class.good_example)
    assert good == []
