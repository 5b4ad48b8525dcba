"""`archlint render SPEC -o OUT`: draw the architecture, with what the rules found on it.

The format comes from OUT's extension (.png, .svg, .pdf, .dot, .mmd, .drawio, .html)
or from `--format`, which wins. `-o -` writes to standard output and needs `--format`, one
of the text formats (dot, mmd, svg, drawio, html): a PNG or PDF on a terminal helps nobody, and
guessing a format for a pipe would surprise.

Exit status: 0 when the diagram was written (findings do not fail a render; `check`
is the gate), 2 when the spec, the command line or Graphviz was the problem, with the
reason on standard error and no file written.
"""

from __future__ import annotations

import argparse
import sys

from ...render import DIRECTIONS, FORMATS, GROUP_BY, TEXT_FORMATS, RenderError, format_of_path, render_bytes
from ...render.views import ViewError, collapse, select
from .. import selection
from ..inputs import load_graph_or_report
from ..output import write_or_report

HELP = "draw the architecture (.png, .svg, .pdf, .dot, .mmd, .drawio or .html), marking what the rules find"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="the spec (or CloudFormation/SAM template) to draw")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the file to write; its extension names the format. '-' writes to standard output "
                             "(needs --format dot, mmd or svg)")
    parser.add_argument("--format", choices=sorted(set(FORMATS.values())), default=None,
                        help="the output format, instead of OUT's extension")
    parser.add_argument("--direction", choices=DIRECTIONS, default="LR",
                        help="how flows run: LR left to right, TB top to bottom [LR]")
    parser.add_argument("--no-findings", action="store_true",
                        help="draw the architecture alone, without marking what the rules find")
    selection.add_arguments(parser, "to mark")
    parser.add_argument("--focus", metavar="ID[,ID...]", type=_words, default=None,
                        help="draw only these resources and what is within --depth steps of them")
    parser.add_argument("--depth", type=_depth, default=1, metavar="N",
                        help="how many steps around --focus to draw [1]")
    parser.add_argument("--only", metavar="TYPE[,TYPE...]", type=_words, default=None,
                        help="draw only resources of these types (sqs.queue) or families (sqs, lambda)")
    parser.add_argument("--group-by", default="vpc", metavar="vpc|az|tag:KEY",
                        help="nest resources by VPC (Region, VPC, AZ, subnet), by AZ first, or in a box per "
                             "value of a tag [vpc]")
    parser.add_argument("--collapse", action="store_true",
                        help="draw repeated identical units once, marked '× N'")


def _words(text: str) -> list[str]:
    words = [word.strip() for word in text.split(",") if word.strip()]
    if not words:
        raise argparse.ArgumentTypeError("expected one or more comma-separated names")
    return words


def _depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of steps, not {text!r}") from None
    if not 0 <= value <= 50:
        raise argparse.ArgumentTypeError("--depth is between 0 and 50")
    return value


def _group_by_problem(group_by: str) -> str | None:
    """Why `--group-by` cannot be honoured, or None."""
    if group_by in GROUP_BY or (group_by.startswith("tag:") and len(group_by) > 4):
        return None
    if group_by in ("stack", "template"):
        return ("--group-by stack is not available yet: archlint does not import nested stacks "
                "(AWS::CloudFormation::Stack), so every resource comes from one template")
    return f"--group-by takes vpc, az or tag:KEY, not {group_by!r}"


def run(args: argparse.Namespace) -> int:
    output_format = _output_format(args)
    if output_format is None:
        return 2
    problem = _group_by_problem(args.group_by)
    if problem:
        print(f"archlint: {problem}", file=sys.stderr)
        return 2
    graph = load_graph_or_report(args.spec)  # prints file:line:col problems
    if graph is None:
        return 2
    findings = () if args.no_findings else selection.lint_or_report(graph, args)
    if findings is None:  # a broken rule (plugin): said which, draw nothing
        return 2
    try:
        # findings come from the whole architecture; the view only chooses what to draw
        graph, _ = select(graph, focus=args.focus, depth=args.depth, only=args.only)
        if args.collapse:
            graph, _, _ = collapse(graph)
    except ViewError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    try:
        rendered = render_bytes(graph, output_format, args.direction, findings, group_by=args.group_by)
    except RenderError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    if not write_or_report(args.output, rendered.data, inputs=[args.spec]):
        return 2
    for warning in rendered.warnings:
        print(f"archlint: warning: {args.output}: {warning}", file=sys.stderr)
    return 0


def _output_format(args: argparse.Namespace) -> str | None:
    """The format to write, or None after saying on standard error why there is none."""
    if args.output == "-":
        if args.format in TEXT_FORMATS:
            return args.format
        print(f"archlint: -o - writes to standard output and needs --format {', '.join(TEXT_FORMATS)} "
              f"(png and pdf only go to a file)", file=sys.stderr)
        return None
    output_format = args.format or format_of_path(args.output)
    if output_format is None:
        print(f"archlint: cannot tell the format of '{args.output}': name it {', '.join(FORMATS)} "
              f"or pass --format", file=sys.stderr)
    return output_format
