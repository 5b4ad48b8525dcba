"""`archlint diff OLD NEW` / `archlint diff --base REV PATH...`: what a change does to
an architecture (resources and flows added, removed, changed) and which findings it
introduces and resolves, as text, JSON or a pull-request comment in Markdown, and
with `-o OUT` as a picture in any `render` format.

Exit status, like `check`: 2 when an input cannot be read (or the command line or git
is wrong), 1 when the change introduces a finding at or above --fail-on, else 0.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import selection
from ..changes import ChangeReport, compare, pairs_at_revision, pairs_of_paths
from ..formats.diff_text import diff_summary, diff_text_report
from ..inputs import report_problems
from ..output import write_or_report
from ..revisions import RevisionError, open_revision
from ..rule import SEVERITIES, severity_rank

HELP = "what a change does to the architecture: resources, flows and findings, old -> new"
FORMATS = ("text", "json", "markdown")
MARKDOWN_CONTEXT = 1  # the Mermaid diagram of a comment: the change and its neighbours


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="OLD NEW (two files, or two folders), or with --base the files or folders to compare")
    parser.add_argument("--base", metavar="REV", default=None,
                        help="compare each PATH with its content at this git revision (origin/main, HEAD~1, a tag)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format [text]")
    parser.add_argument("-o", "--output", metavar="OUT", default=None,
                        help="also draw the change: .png, .svg, .pdf, .dot or .mmd (several changed files: "
                             "one picture each, OUT's name followed by the spec's)")
    parser.add_argument("--context", type=_distance, default=None, metavar="N",
                        help="draw only the changed resources and those N edges away (default: the whole "
                             f"architecture; the Markdown diagram always uses {MARKDOWN_CONTEXT})")
    parser.add_argument("--direction", choices=("LR", "TB"), default="LR", help="how flows run in the picture [LR]")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when the change introduces a finding at least this severe [error, or the configuration's]")
    selection.add_arguments(parser, "to run on both versions")


def _distance(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("a distance is 0 or more")
    return value


def run(args: argparse.Namespace) -> int:
    try:
        chosen = selection.from_args(args)
        pairs, problems = _pairs(args)
    except (selection.SelectionError, RevisionError, ValueError) as error:
        print(f"archlint: {error}", file=sys.stderr)
        return 2
    report = compare(pairs, chosen, problems, base=args.base)
    if report.problems:
        report_problems(report.problems)
    if args.output and not report.problems:
        if not _draw(report, args):
            return 2
    sys.stdout.write(_formatted(report, args))
    print(diff_summary(report), file=sys.stderr)
    return exit_status(report, chosen.fail_on)


def _pairs(args: argparse.Namespace):
    if args.base is not None:
        return pairs_at_revision(open_revision(args.base), args.paths)
    if len(args.paths) != 2:
        raise ValueError(f"diff takes OLD and NEW ({len(args.paths)} paths given), or --base REV with paths")
    return pairs_of_paths(*args.paths)


def _formatted(report: ChangeReport, args: argparse.Namespace) -> str:
    if args.format == "json":
        from ..formats.diff_json import diff_json_report

        return diff_json_report(report)
    if args.format == "markdown":
        from ..formats.diff_markdown import diff_markdown_report

        return diff_markdown_report(report, _mermaid_diagrams(report, args.direction))
    return diff_text_report(report)


def _mermaid_diagrams(report: ChangeReport, direction: str) -> dict[str, str]:
    from ...render.diffview import render_change

    return {
        file.path: render_change(file.old_graph, file.new_graph, file.change, "mmd", direction, file.introduced,
                                 file.resolved, context=MARKDOWN_CONTEXT).data.decode("utf-8")
        for file in report.changed() if not file.change.is_empty()
    }


def _draw(report: ChangeReport, args: argparse.Namespace) -> bool:
    """Write the picture(s) of the change; False after saying why not (exit 2)."""
    from ...render import RenderError, format_of_path
    from ...render.diffview import render_change

    output_format = format_of_path(args.output)
    if output_format is None:
        print(f"archlint: cannot tell the format of '{args.output}': name it .png, .svg, .pdf, .dot or .mmd",
              file=sys.stderr)
        return False
    drawn = [file for file in report.changed() if not file.change.is_empty()]
    if not drawn:
        print(f"archlint: no architectural change: {args.output} not written", file=sys.stderr)
        return True
    for file in drawn:
        target = args.output if len(drawn) == 1 else _one_of_several(args.output, file.path)
        try:
            rendered = render_change(file.old_graph, file.new_graph, file.change, output_format, args.direction,
                                     file.introduced, file.resolved, context=args.context)
        except RenderError as error:
            print(f"archlint: {error}", file=sys.stderr)
            return False
        if _is_an_input(target, report) or not write_or_report(target, rendered.data):
            return False
        if len(drawn) > 1:
            print(f"archlint: wrote {target}", file=sys.stderr)
        for warning in rendered.warnings:
            print(f"archlint: warning: {target}: {warning}", file=sys.stderr)
    return True


def _one_of_several(output: str, path: str) -> str:
    """change.svg and specs/orders.yaml -> change-orders.svg (a folder's path joined by '-')."""
    stem, extension = os.path.splitext(output)
    name = os.path.splitext(os.path.normpath(path))[0].replace(os.sep, "-").lstrip(".-")
    return f"{stem}-{name}{extension}"


def _is_an_input(target: str, report: ChangeReport) -> bool:
    real = os.path.realpath(target)
    compared = {label for file in report.files for label in (file.path, file.old_label, file.new_label) if label}
    if any(os.path.realpath(label) == real for label in compared):
        print(f"archlint: {target} is one of the files compared: not overwriting it", file=sys.stderr)
        return True
    return False


def exit_status(report: ChangeReport, fail_on: str) -> int:
    if report.problems:
        return 2
    threshold = severity_rank(fail_on)
    return 1 if any(severity_rank(finding.severity) >= threshold for finding in report.introduced()) else 0
