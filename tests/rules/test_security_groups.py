"""SG001: deny rules in security groups."""

import pytest

from archlint.rules.security_groups import RULES, SecurityGroupDenyRule

from .conftest import load, line_of


def run(rule_class, text):
    """The graph of a spec text and the findings of one rule on it."""
    graph = load(text)
    return graph, list(rule_class().check(graph))


SPEC = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-sg:
    type: security_group
    vpc: main
    rules:
      - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {action: deny, protocol: tcp, ports: 22, cidr: 203.0.113.0/24}
      - {direction: egress, action: deny, protocol: all, cidr: 198.51.100.0/24}
  db-sg:
    type: security_group
    vpc: main
    rules:
      - {protocol: tcp, ports: 5432, group: web-sg}
"""


def test_each_deny_rule_is_reported_once_at_its_entry():
    graph, found = run(SecurityGroupDenyRule, SPEC)
    assert [(f.rule, f.resource) for f in found] == [("SG001", "web-sg"), ("SG001", "web-sg")]
    first, second = found
    assert (first.line, first.column) == graph.nodes["web-sg"]["positions"]["rules[1]"]
    assert first.line == line_of(SPEC, "ports: 22")
    assert second.line == line_of(SPEC, "198.51.100.0/24")
    assert "rules[1]" in first.message and "203.0.113.0/24" in first.message
    assert "network_acl" in first.fix
    assert first.severity == "error"


def test_allow_only_groups_are_clean():
    allow_only = SPEC.replace("action: deny, ", "")
    _, found = run(SecurityGroupDenyRule, allow_only)
    assert found == []


@pytest.mark.parametrize("rule_class", RULES, ids=lambda cls: cls.id)
def test_examples(rule_class):
    _, bad = run(rule_class, rule_class.bad_example)
    assert bad and all(f.rule == rule_class.id for f in bad)
    _, good = run(rule_class, rule_class.good_example)
    assert good == []
