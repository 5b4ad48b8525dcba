"""`archlint render SPEC -o OUT`: draw the architecture, with what the rules found on it.

The format comes from OUT's extension (.png, .svg, .pdf, .dot, .mmd) or from
`--format`, which wins. `-o -` writes to standard output and needs `--format`, one
of the text formats (dot, mmd, svg): a PNG or PDF on a terminal helps nobody, and
guessing a format for a pipe would surprise.

Exit status: 0 when the diagram was written (findings do not fail a render; `check`
is the gate), 2 when the spec, the command line or Graphviz was the problem, with the
reason on standard error and no file written.
"""

from __future__ import annotations

import argparse
import sys

from ...render import DIRECTIONS, FORMATS, TEXT_FORMATS, RenderError, format_of_path, render_bytes
from ..engine import lint_or_report
from ..inputs import load_graph_or_report
from ..output import write_or_report

HELP = "draw the architecture (.png, .svg, .pdf, .dot or .mmd), marking what the rules find"


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


def run(args: argparse.Namespace) -> int:
    output_format = _output_format(args)
    if output_format is None:
        return 2
    graph = load_graph_or_report(args.spec)  # prints file:line:col problems
    if graph is None:
        return 2
    findings = () if args.no_findings else lint_or_report(graph)
    if findings is None:  # a broken rule (plugin): said which, draw nothing
        return 2
    try:
        rendered = render_bytes(graph, output_format, args.direction, findings)
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
