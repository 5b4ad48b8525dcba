"""NACL001-NACL004, and the CIDR / port reasoning they share (rules/_network.py)."""

import ipaddress
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.rules._network import covers
from archlint.rules.network_acls import (
    RULES,
    DenyBehindLoadBalancer,
    DuplicateRuleNumber,
    MissingEphemeralReturn,
    ShadowedDenyRule,
    _lowest_covering_allows,
)
from archlint.specs.query import port_range

from .conftest import load, line_of


def run(rule_class, text):
    """The graph of a spec text and the findings of one rule on it."""
    graph = load(text)
    return graph, list(rule_class().check(graph))


def acl_spec(*rules, extra=""):
    """A VPC, one subnet and an ACL on it with the given rule lines."""
    body = "\n".join(f"      - {rule}" for rule in rules)
    return f"""\
archlint: 1
name: net
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
{body}
{extra}"""


EGRESS_OK = "{number: 100, direction: egress, action: allow, cidr: 0.0.0.0/0}"


# --- the shared helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [(None, (0, 65535)), (443, (443, 443)), ("443", (443, 443)), ("1024-65535", (1024, 65535)),
     (" 80 - 90 ", (80, 90)), ("90-80", None), ("http", None), (70000, None), (True, None)],
)
def test_port_range(value, expected):
    assert port_range(value) == expected


def rule(protocol="all", ports=None, cidr="0.0.0.0/0"):
    return {"protocol": protocol, "ports": ports, "cidr": cidr}


@pytest.mark.parametrize(
    "wide, narrow, expected",
    [
        (rule(), rule("tcp", 22, "203.0.113.0/24"), True),  # all protocols, all ports, any address
        (rule("tcp", "0-65535", "10.0.0.0/8"), rule("tcp", 443, "10.1.0.0/16"), True),
        (rule("tcp", "0-1023", "0.0.0.0/0"), rule("tcp", "443-2000", "1.2.3.0/24"), False),  # ports stick out
        (rule("udp"), rule("tcp"), False),  # other protocol
        (rule("tcp", 443), rule("all", None), False),  # a tcp rule never covers all protocols
        (rule("all", None, "10.0.0.0/16"), rule("all", None, "10.0.0.0/8"), False),  # narrower CIDR
        (rule("all", None, "0.0.0.0/0"), rule("all", None, "2001:db8::/32"), False),  # other family
        (rule("all", None, "::/0"), rule("all", None, "2001:db8::/32"), True),
        # string prefixes mislead: "10.1" starts "10.10", yet 10.1.0.0/16 does not contain 10.10.0.0/16
        (rule("all", None, "10.1.0.0/16"), rule("all", None, "10.10.0.0/16"), False),
        (rule("all", None, "10.0.0.0/8"), rule("all", None, "10.200.0.0/16"), True),
    ],
)
def test_covers(wide, narrow, expected):
    assert covers(wide, narrow) is expected


@given(
    st.integers(0, 32), st.integers(0, 32), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1),
    st.integers(0, 65535), st.integers(0, 65535), st.integers(0, 65535), st.integers(0, 65535),
)
def test_covers_matches_set_semantics(wide_len, narrow_len, wide_addr, narrow_addr, a, b, c, d):
    wide_net = ipaddress.ip_network((wide_addr, wide_len), strict=False)
    narrow_net = ipaddress.ip_network((narrow_addr, narrow_len), strict=False)
    wide_ports, narrow_ports = sorted((a, b)), sorted((c, d))
    wide = rule("tcp", f"{wide_ports[0]}-{wide_ports[1]}", str(wide_net))
    narrow = rule("tcp", f"{narrow_ports[0]}-{narrow_ports[1]}", str(narrow_net))
    expected = (
        wide_net.network_address <= narrow_net.network_address
        and narrow_net.broadcast_address <= wide_net.broadcast_address
        and wide_ports[0] <= narrow_ports[0]
        and narrow_ports[1] <= wide_ports[1]
    )
    assert covers(wide, narrow) is expected


# --- NACL001 --------------------------------------------------------------------


def test_nacl001_deny_shadowed_by_a_lower_allow():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}",
        "{number: 200, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}",
        EGRESS_OK,
    )
    graph, found = run(ShadowedDenyRule, spec)
    assert [(f.rule, f.resource) for f in found] == [("NACL001", "web-acl")]
    assert (found[0].line, found[0].column) == graph.nodes["web-acl"]["positions"]["rules[1]"]
    assert found[0].line == line_of(spec, "number: 200")
    assert "200" in found[0].message and "100" in found[0].message
    assert "number: 99" in found[0].fix


@pytest.mark.parametrize(
    "allow",
    [
        # a higher number: the deny rule comes first and fires
        "{number: 300, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}",
        # the other direction
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}",
        # ports that do not contain 443
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 80, cidr: 0.0.0.0/0}",
        # another protocol
        "{number: 100, direction: ingress, action: allow, protocol: udp, ports: 0-65535, cidr: 0.0.0.0/0}",
        # a CIDR that overlaps but does not contain the denied one
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 203.0.113.0/25}",
    ],
)
def test_nacl001_not_when_no_single_lower_allow_covers(allow):
    spec = acl_spec(
        allow,
        "{number: 200, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}",
    )
    _, found = run(ShadowedDenyRule, spec)
    assert found == []


def test_nacl001_two_allows_that_together_cover_do_not_count():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, cidr: 203.0.113.0/25}",
        "{number: 110, direction: ingress, action: allow, cidr: 203.0.113.128/25}",
        "{number: 200, direction: ingress, action: deny, cidr: 203.0.113.0/24}",
    )
    _, found = run(ShadowedDenyRule, spec)
    assert found == []


def test_nacl001_once_per_deny_rule():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, cidr: 0.0.0.0/0}",
        "{number: 110, direction: ingress, action: allow, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0}",
        "{number: 200, direction: ingress, action: deny, protocol: tcp, ports: 22, cidr: 203.0.113.0/24}",
        "{number: 210, direction: ingress, action: deny, cidr: 198.51.100.7/32}",
    )
    _, found = run(ShadowedDenyRule, spec)
    assert [f.line for f in found] == [line_of(spec, "number: 200"), line_of(spec, "number: 210")]


def _shadows_pair_by_pair(entries):
    """NACL001's definition, read literally: every allow rule against every deny rule."""
    found = {}
    for index, deny in entries:
        if deny["action"] != "deny":
            continue
        candidates = [
            (allow_index, allow) for allow_index, allow in entries
            if allow["action"] == "allow" and allow["direction"] == deny["direction"]
            and allow["number"] < deny["number"] and covers(allow, deny)
        ]
        if candidates:
            found[index] = min(candidates, key=lambda item: item[1]["number"])
    return found


NACL_ENTRY = st.fixed_dictionaries({
    "number": st.integers(1, 12),
    "direction": st.sampled_from(["ingress", "egress"]),
    "action": st.sampled_from(["allow", "deny"]),
    "protocol": st.sampled_from(["tcp", "udp", "all"]),
    "ports": st.one_of(st.none(), st.integers(0, 8), st.tuples(st.integers(0, 8), st.integers(0, 8)).map(
        lambda pair: f"{min(pair)}-{max(pair)}"), st.just("http")),
    "cidr": st.sampled_from([
        "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "10.2.0.0/16",
        "192.168.0.0/16", "::/0", "2001:db8::/32", "2001:db8:1::/48", "not-a-cidr",
    ]),
})


@settings(max_examples=500)
@given(st.lists(NACL_ENTRY, max_size=14))
def test_nacl001_sweep_finds_what_comparing_every_pair_finds(rules):
    entries = list(enumerate(rules))
    assert _lowest_covering_allows(entries) == _shadows_pair_by_pair(entries)


# --- NACL002 --------------------------------------------------------------------

ALB_SPEC = """\
archlint: 1
name: shop
resources:
  main:
    type: vpc
  pub-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.0.0/24
  pub-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.1.0/24
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.10.0/24
  app-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.11.0/24
  web-alb:
    type: alb
    subnets: [pub-a, pub-b]
  app:
    type: autoscaling.group
    subnets: [app-a, app-b]
  app-acl:
    type: network_acl
    vpc: main
    subnets: [APP_ACL_SUBNETS]
    rules:
      - {number: 90, direction: ingress, action: deny, cidr: 198.51.100.0/24}
      - {number: 95, direction: ingress, action: deny, cidr: 10.0.200.0/24}
      - {number: 96, direction: egress, action: deny, cidr: 192.0.2.0/24}
      - {number: 97, direction: ingress, action: deny, cidr: 10.1.0.0/16}
      - {number: 98, direction: ingress, action: deny, cidr: 10.0.0.0/8}
      - {number: 99, direction: ingress, action: deny, cidr: 2001:db8::/32}
      - {number: 100, direction: ingress, action: allow, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, cidr: 0.0.0.0/0}
flows:
  - web-alb -> app
"""


def test_nacl002_client_deny_on_target_subnets():
    spec = ALB_SPEC.replace("APP_ACL_SUBNETS", "app-b")
    graph, found = run(DenyBehindLoadBalancer, spec)
    # the ingress denies for addresses outside the VPC's 10.0.0.0/16 (10.1.0.0/16 shares the first
    # octet but not an address; an IPv6 range never overlaps an IPv4 VPC); not 10.0.200.0/24 or
    # 10.0.0.0/8, which overlap the VPC, and not the egress rule
    assert [(f.rule, f.resource) for f in found] == [("NACL002", "app-acl")] * 3
    positions = graph.nodes["app-acl"]["positions"]
    assert [(f.line, f.column) for f in found] == [positions[f"rules[{i}]"] for i in (0, 3, 5)]
    assert found[0].line == line_of(spec, "198.51.100.0/24")
    for name in ("app-acl", "app-b", "app", "web-alb", "198.51.100.0/24"):
        assert name in found[0].message
    assert "waf.web_acl" in found[0].fix


def test_nacl002_every_acl_behind_the_alb_is_checked():
    """Two ACLs, each on one target subnet: the second is checked like the first (the
    rule once reused a variable of its first ACL's loop and failed on the second)."""
    spec = ALB_SPEC.replace("APP_ACL_SUBNETS", "app-a").replace("flows:", """\
  other-acl:
    type: network_acl
    vpc: main
    subnets: [app-b]
    rules:
      - {number: 90, direction: ingress, action: deny, cidr: 198.51.100.0/24}
flows:""")
    _, found = run(DenyBehindLoadBalancer, spec)
    assert [f.resource for f in found] == ["app-acl"] * 3 + ["other-acl"]


def test_nacl002_not_when_the_acl_is_also_on_the_alb_subnets():
    spec = ALB_SPEC.replace("APP_ACL_SUBNETS", "app-a, pub-a")
    _, found = run(DenyBehindLoadBalancer, spec)
    assert found == []


def test_nacl002_not_on_subnets_that_hold_no_route_target():
    spec = ALB_SPEC.replace("APP_ACL_SUBNETS", "app-a").replace("  - web-alb -> app\n", "").replace(
        "flows:\n", ""
    )
    _, found = run(DenyBehindLoadBalancer, spec)
    assert found == []


def test_nacl002_instance_target_counts_through_its_subnet():
    spec = ALB_SPEC.replace("APP_ACL_SUBNETS", "app-b").replace(
        "  app:\n    type: autoscaling.group\n    subnets: [app-a, app-b]\n",
        "  app:\n    type: ec2.instance\n    subnet: app-b\n",
    )
    _, found = run(DenyBehindLoadBalancer, spec)
    assert [f.resource for f in found] == ["app-acl"] * 3


# --- NACL003 --------------------------------------------------------------------


def test_nacl003_tcp_in_without_ephemeral_out():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
        "{number: 110, direction: egress, action: allow, protocol: udp, ports: 1024-65535, cidr: 0.0.0.0/0}",
    )
    graph, found = run(MissingEphemeralReturn, spec)
    assert [(f.rule, f.resource) for f in found] == [("NACL003", "web-acl")]
    assert (found[0].line, found[0].column) == graph.nodes["web-acl"]["positions"]["rules[0]"]
    assert "tcp" in found[0].message and "udp" not in found[0].message
    assert "1024-65535" in found[0].fix


def test_nacl003_all_protocols_in_needs_both_once():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, cidr: 0.0.0.0/0}",
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 2000-65535, cidr: 0.0.0.0/0}",
    )
    _, found = run(MissingEphemeralReturn, spec)
    assert len(found) == 1
    assert "tcp and udp" in found[0].message


@pytest.mark.parametrize(
    "egress",
    [
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}",
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 0-65535, cidr: 10.0.0.0/8}",
        "{number: 100, direction: egress, action: allow, protocol: all, cidr: 0.0.0.0/0}",
    ],
)
def test_nacl003_not_when_an_egress_rule_opens_the_ephemeral_ports(egress):
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
        egress,
    )
    _, found = run(MissingEphemeralReturn, spec)
    assert found == []


def test_nacl003_ignores_deny_and_icmp_ingress():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: deny, protocol: tcp, ports: 22, cidr: 0.0.0.0/0}",
        "{number: 110, direction: ingress, action: allow, protocol: icmp, cidr: 0.0.0.0/0}",
    )
    _, found = run(MissingEphemeralReturn, spec)
    assert found == []


@pytest.mark.parametrize("rule_class", RULES, ids=lambda cls: cls.id)
def test_examples(rule_class):
    _, bad = run(rule_class, rule_class.bad_example)
    assert bad and all(f.rule == rule_class.id for f in bad)
    _, good = run(rule_class, rule_class.good_example)
    assert good == []


# --- NACL004 --------------------------------------------------------------------


def test_nacl004_two_rules_of_one_direction_with_one_number_load_and_are_found():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}",
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}",
    )
    graph, found = run(DuplicateRuleNumber, spec)
    assert len(graph.nodes["web-acl"]["rules"]) == 3  # the loader keeps both
    assert [(f.rule, f.resource) for f in found] == [("NACL004", "web-acl")]
    assert (found[0].line, found[0].column) == graph.nodes["web-acl"]["positions"]["rules[1]"]
    assert "rules[0] and rules[1]" in found[0].message and "ingress" in found[0].message


def test_nacl004_one_number_in_each_direction_is_fine():
    spec = acl_spec(
        "{number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
        "{number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}",
    )
    assert run(DuplicateRuleNumber, spec)[1] == []


def test_nacl004_import_keeps_every_entry_and_the_rule_finds_the_repeat(tmp_path):
    import os

    from cli_runner import run_cli

    fixture = os.path.join(os.path.dirname(__file__), "..", "corpus", "cfn", "nacl-deny-overlapping-ports.yml")
    spec = tmp_path / "nacl.yaml"
    assert run_cli("import", fixture, "-o", spec).returncode == 0
    rules = load(spec.read_text()).nodes["my-network-acl"]["rules"]
    # the template's four entries, both deny rules numbered 300 among them
    assert [(rule["number"], rule["action"], rule["ports"]) for rule in rules] == [
        (100, "allow", "400-500"), (200, "deny", "450-475"), (300, "deny", 200), (300, "deny", "300-400")]
    checked = run_cli("check", spec, "--format", "json")
    assert checked.returncode == 1 and '"NACL004"' in checked.stdout
