"""Security group rules (SG): what a security group cannot do."""

from __future__ import annotations

from ..linter.rule import Rule, nodes_of_type
from ._network import describe_rule, rule_entries


class SecurityGroupDenyRule(Rule):
    id = "SG001"
    severity = "error"
    summary = "A security group rule with `action: deny`: security groups hold allow rules only"
    docs = """
## What it does
Finds security group rules written with `action: deny`, once per rule.

## Why is this bad?
Security groups are allow lists: every rule allows traffic, and whatever no rule
allows is dropped. There is no deny rule, so a rule meant to block an address cannot
be created (the emitter refuses it) and the address stays reachable if another rule
allows it. To block an address, use a network ACL deny rule on the subnet (the first
line of defence, evaluated before traffic reaches the instance), a host firewall, or
AWS WAF in front of an Application Load Balancer.
See [AWS: Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
("You can specify allow rules, but not deny rules") and
[AWS: Control subnet traffic with network access control lists](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).

## Fix
Remove the deny rule from the security group; add a `network_acl` deny rule on the
subnets of the instances (or a `waf.web_acl` with `block:` in front of the ALB).
"""
    bad_example = """\
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
      - {action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.0/24}
"""
    good_example = """\
archlint: 1
name: web
resources:
  main:
    type: vpc
  web-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  web-sg:
    type: security_group
    vpc: main
    rules:
      - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
  web-acl:
    type: network_acl
    vpc: main
    subnets: [web-a]
    rules:
      - {number: 100, direction: ingress, action: deny, cidr: 203.0.113.0/24}
      - {number: 200, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
      - {number: 100, direction: egress, action: allow, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0}
"""

    def check(self, graph):
        for group, data in nodes_of_type(graph, "security_group"):
            for index, rule in rule_entries(data):
                if rule.get("action") != "deny":
                    continue
                yield self.finding(
                    graph,
                    group,
                    message=(
                        f"security group {group} has a deny rule (rules[{index}]: {describe_rule(rule)}); "
                        "security groups hold allow rules only, so it cannot block anything"
                    ),
                    fix=(
                        f"remove rules[{index}] from {group} and put the deny rule in the network_acl "
                        "of the subnets (or a waf.web_acl `block` in front of the ALB)"
                    ),
                    at=f"rules[{index}]",
                )


RULES = [SecurityGroupDenyRule]
