"""Shared helpers: small specs, and the structure of a DOT as real Graphviz reads it."""

from __future__ import annotations

import json
import subprocess

import pytest

from archlint.render.icon_map import icon_dirs
from archlint.specs import load_text

# A spec touching every placement rule: two AZs, a subnet per AZ, an instance in a
# subnet, an Auto Scaling group and an ALB across both, a cluster placement group,
# security groups and a network ACL, serverless flows of every invocation kind, a
# dead-letter queue and an on-failure destination.
NETWORK_SPEC = """\
archlint: 1
name: shop
region: eu-west-1
resources:
  shoppers:
    type: external
    kind: users
  main:
    type: vpc
    cidr: 10.0.0.0/16
  web-a:
    type: subnet
    vpc: main
    az: eu-west-1a
    cidr: 10.0.1.0/24
    public: true
  web-b:
    type: subnet
    vpc: main
    az: eu-west-1b
    cidr: 10.0.2.0/24
    public: true
  edge-acl:
    type: network_acl
    vpc: main
    subnets: [web-a, web-b]
  web-sg:
    type: security_group
    vpc: main
  front:
    type: alb
    subnets: [web-a, web-b]
    security_groups: [web-sg]
  fleet:
    type: autoscaling.group
    subnets: [web-a, web-b]
    security_groups: [web-sg]
  tight:
    type: placement_group
    strategy: cluster
  bastion:
    type: ec2.instance
    subnet: web-a
    placement_group: tight
  orders:
    type: sqs.queue
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
  worker:
    type: lambda.function
  notify:
    type: sns.topic
  mailer:
    type: lambda.function
    on_failure: failed
  failed:
    type: sqs.queue
  lookup:
    type: lambda.function
flows:
  - shoppers -> front -> fleet
  - from: fleet
    to: orders
    label: order placed
  - orders -> worker
  - worker -> notify -> mailer
  - worker -> lookup
"""


@pytest.fixture
def network_graph():
    return load_text(NETWORK_SPEC, "shop.yaml")


def label_text(label: str) -> str:
    """The words of a Graphviz label: HTML-like markup removed, entities decoded."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]*>", "", label))


def imagepath() -> str:
    import os

    return os.pathsep.join(icon_dirs())


class DotStructure:
    """Clusters, nodes and edges of a DOT source, as `dot -Tjson0` parses it."""

    def __init__(self, source: str):
        done = subprocess.run(["dot", "-Tjson0", f"-Gimagepath={imagepath()}"], input=source.encode(),
                              capture_output=True, check=True)
        assert b"Error" not in done.stderr, done.stderr.decode()
        data = json.loads(done.stdout)
        objects = data["objects"]
        self.graph = data
        self.clusters = {obj["name"]: obj for obj in objects if obj["name"].startswith("cluster_")}
        self.nodes = {obj["name"]: obj for obj in objects if not obj["name"].startswith("cluster_")}
        self.parent: dict[str, str | None] = {}  # cluster or node -> innermost cluster holding it
        for name in self.clusters:
            self.parent.setdefault(name, None)
        # Clusters are listed parents first, so the last one holding a node is innermost.
        for cluster in objects:
            if not cluster["name"].startswith("cluster_"):
                continue
            for child in cluster.get("subgraphs") or ():
                self.parent[objects[child]["name"]] = cluster["name"]
            for node in cluster.get("nodes") or ():
                self.parent[objects[node]["name"]] = cluster["name"]
        self.edges = [(objects[edge["tail"]]["name"], objects[edge["head"]]["name"], edge)
                      for edge in data.get("edges", ())]

    def chain(self, name: str) -> list[str]:
        """The clusters around `name`, innermost first."""
        chain = []
        parent = self.parent.get(name)
        while parent:
            chain.append(parent)
            parent = self.parent.get(parent)
        return chain

    def edge(self, tail: str, head: str) -> dict:
        found = [attrs for source, target, attrs in self.edges if (source, target) == (tail, head)]
        assert len(found) == 1, f"expected one edge {tail} -> {head}, found {len(found)}"
        return found[0]
