"""`archlint import TEMPLATE -o SPEC`: turn a CloudFormation or SAM template into a spec.

The spec is written whole or not at all (`-o -` writes it to standard output). It
lints the same way as the template: see `archlint.specs.cfn.to_spec` for how values
the template does not fix are written, and `spec_for` below for how that is checked.
"""

from __future__ import annotations

import argparse
import os
import sys

from ...specs import SpecError, load_text
from ..engine import lint_graph
from ..formats.common import log_line
from ..inputs import report_problems
from ..output import write_or_report
from ..registry import RegistryError, all_rules, known_selector

HELP = "turn a CloudFormation or SAM template into a spec"

UNKNOWN_REASON = "unknown in the template: "
DOES_NOT_LOAD = "the written spec does not load: "
OPAQUE = "cfn.resource"  # a resource of a type the spec format does not model


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help="a CloudFormation or SAM template (.yaml, .yml or .json)")
    parser.add_argument("-o", "--output", required=True, metavar="SPEC", help="the spec to write ('-' for standard output)")


def run(args: argparse.Namespace) -> int:
    from ...specs.cfn import load_template

    if os.path.isdir(args.template):
        report_problems([_problem(args.template, "this command takes one template file, not a folder")])
        return 2
    try:
        rules = all_rules()
        graph = load_template(args.template, rule_known=known_selector)
    except SpecError as error:
        report_problems(error.problems)
        return 2
    except RegistryError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    if not any(data["type"] != OPAQUE for _, data in graph.nodes(data=True)):
        # A spec needs at least one resource of a type it models; `check` and `render`
        # read the template itself.
        kinds = sorted({str(data.get("cfn_type")) for _, data in graph.nodes(data=True)})
        report_problems([_problem(args.template, "nothing in this template is of a type the spec format models "
                                  f"({', '.join(kinds)}), so there is no spec to write; "
                                  "`archlint check` and `archlint render` read the template as it is")])
        return 2
    text, differences = spec_for(graph, rules, args.output)
    for difference in differences:
        print(f"archlint: {log_line(difference)}", file=sys.stderr)
    if any(difference.startswith(DOES_NOT_LOAD) for difference in differences):
        # values the template holds that a spec cannot (a memory of 114 MB, a port range
        # written backwards): a spec that does not load is not written
        print(f"archlint: {args.output} was not written: the template holds values a spec refuses (see above)", file=sys.stderr)
        return 2
    if not write_or_report(args.output, text, inputs=[args.template]):
        return 2
    return 0


def spec_for(graph, rules, file: str = "<spec>") -> tuple[str, list[str]]:
    """The spec text of an imported graph, with the ignores that make it lint like the
    template, and what still differs (nothing, unless a bug: said on standard error)."""
    from ...specs.cfn.to_spec import spec_text

    expected = _findings(graph, rules)
    ignores: dict[str, dict[str, str]] = {}
    for _ in range(3):  # an ignore can only remove findings: this settles at once
        text = spec_text(graph, ignores)
        try:
            spec = load_text(text, file, rule_known=known_selector)
        except SpecError as error:
            return text, [f"{DOES_NOT_LOAD}{problem}" for problem in error.problems]
        got = _findings(spec, rules)
        extra = got - expected
        if not extra:
            missing = expected - got
            return text, [f"{rule} on {resource} fires on the template but not on the spec" for rule, resource in sorted(missing)]
        for rule, resource in sorted(extra):
            ignores.setdefault(resource, {})[rule] = UNKNOWN_REASON + _unknown_near(graph, resource)
    return text, ["the spec still lints differently from the template"]


def _findings(graph, rules) -> set[tuple[str, str]]:
    return {(finding.rule, finding.resource) for finding in lint_graph(graph, rules).findings}


def _unknown_near(graph, resource: str) -> str:
    """The unknown values of a resource and of those next to it: what the rule could not read."""
    names = []
    if resource in graph:
        around = [resource] + sorted(set(graph.successors(resource)) | set(graph.predecessors(resource)))
        for node in around:
            for attribute in graph.nodes[node].get("unknown") or ():
                names.append(f"{node}.{attribute}")
    return ", ".join(names) or "a value a placeholder stands for"


def _problem(path: str, message: str):
    from ...specs import Problem

    return Problem(path, 1, 1, message)
