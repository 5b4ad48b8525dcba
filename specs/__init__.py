"""The spec language: load a spec file into the graph that rules and renderers read.

Public API:

    graph = load_spec("orders.yaml")        # raises SpecError listing every problem
    graph = load_text(text, "orders.yaml")  # the same from a string or bytes

The result is the `networkx.MultiDiGraph` of docs/spec.md ("The graph"), with these
additions that rules and renderers may rely on:

- `graph.graph`: `file` (the path as given), `name`, `description`, `region`,
  `ignore` (file-level rule id or prefix -> reason) and `positions` (same shape as a
  node's, with keys such as "ignore.SQS002" and "flows[3]").
- every node has `positions`: attribute name -> (line, column) for each attribute the
  file spells out, plus "attr[i]" for the i-th item of a list attribute ("rules[2]",
  "subnets[0]", "lifecycle_hooks[1]") and "ignore.ID" for a resource-level ignore.
- nodes are inserted in file order, so iterating the graph is deterministic.
- an `ec2.instance` with a `subnet` has `az` set to that subnet's AZ; an
  `ebs.volume` without `az` takes it from the one instance that lists it (docs/spec.md).
- every node has `unknown`: the attributes whose value could not be known (always
  empty for a spec; for an imported template, what a parameter, condition or
  outside resource decides, plus the pseudo-attribute "flows" when a flow's other
  end is unknown). Rules skip those (`archlint.linter.rule.known`). Every flow edge
  has `unknown` too: its own attributes (`events`, `prefix`, `suffix`) that an
  imported template does not fix, while the flow itself is known.
- a graph imported from a CloudFormation or SAM template (`archlint.specs.cfn`) also
  has `graph.graph["cfn"]`, and its nodes `logical_id`, `cfn_type` and
  `unknown_reasons` (flow edges `unknown_reasons` as well); resources of types
  outside docs/spec.md are `cfn.resource` nodes, which rules ignore and diagrams draw (one
  standing for the resources of a `Fn::ForEach` whose collection only a deployment
  fixes has `unknown: ["count"]`). Lambda aliases and versions are read as their
  function and have no node.
"""

from .errors import Problem, SpecError
from .loader import is_spec_text, load_spec, load_text

__all__ = ["Problem", "SpecError", "is_spec_text", "load_spec", "load_text"]
