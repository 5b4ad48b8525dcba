"""`archlint emit SPEC -o OUT`: write a deployable CloudFormation template.

The spec is linted first, with the rules and severities the configuration and
`--select/--ignore` choose (as `check` does): when a rule finds an error, nothing is
written and the findings are listed on standard error (exit 1), unless `--force`. What
CloudFormation cannot express at all (a security-group deny rule) is refused even
with `--force` (exit 1), with the network ACL rule to write instead; so is a finding
whose condition AWS refuses at deploy time (refusals.DEPLOY_REFUSES: the stack would
roll back), even when the spec ignores it, and a template over CloudFormation's
limits. Resources of types CloudFormation cannot create are listed on standard error
and in the template's Metadata. See docs/emit.md.

The format comes from OUT's extension (.yaml, .yml, .json) or `--format`; `-o -`
writes YAML (or `--format json`) to standard output. The file is written whole or
not at all, and the same spec always gives the same bytes. `--validate` runs
cfn-lint over the result: its errors make the exit status 1.

Exit status: 0 written; 1 refused (lint errors, a deny rule) or cfn-lint found
errors; 2 the spec or the command line was the problem (nothing written).
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import selection
from ..inputs import load_graph_or_report
from ..output import write_or_report

HELP = "write a deployable CloudFormation template (.yaml or .json)"

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="the spec to emit")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the template to write (.yaml, .yml or .json); '-' writes to standard output")
    parser.add_argument("--format", choices=("yaml", "json"), default=None,
                        help="the template's format, instead of OUT's extension")
    parser.add_argument("--force", action="store_true",
                        help="emit even when the linter finds errors (a security-group deny rule is still refused)")
    parser.add_argument("--validate", action="store_true",
                        help="run cfn-lint over the template written")
    selection.add_arguments(parser, "to run before emitting (their errors refuse the emit)")


def run(args: argparse.Namespace) -> int:
    output_format = _output_format(args)
    if output_format is None:
        return 2
    graph = load_graph_or_report(args.spec)  # prints file:line:col problems
    if graph is None:
        return 2
    linted = selection.lint_for_emit(graph, args)
    if linted is None:
        return 2
    findings, everything = linted
    from ...render.cloudformation import EmitError, build, refuse_deny_rules  # only `emit` imports it
    from ...render.cloudformation.refusals import check_limits, refusal_lines, undeployable

    refused = refusal_lines(everything)
    refused_findings = undeployable(findings)
    errors = [
        f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} {finding.severity} "
        f"{finding.resource}: {finding.message}"
        for finding in findings
        if finding.severity == "error" and finding not in refused_findings
    ]
    for error in errors:
        print(error, file=sys.stderr)
    if refused:
        for line in refused:
            print(line, file=sys.stderr)
        print(f"archlint: emit refused: {_count(len(refused), 'finding')} AWS would refuse at deploy time "
              "(--force cannot help); fix them", file=sys.stderr)
        return 1
    if errors and not args.force:
        try:
            refuse_deny_rules(graph)
            hint = ", or pass --force to emit anyway"
        except EmitError as error:  # --force would not help: say what to write instead
            print(f"{error}", file=sys.stderr)
            hint = ""
        print(f"archlint: emit refused: the linter found {_count(len(errors), 'error')}; fix "
              f"{'it' if len(errors) == 1 else 'them'}{hint}", file=sys.stderr)
        return 1

    try:
        template = build(graph)
    except EmitError as error:
        print(f"{error}", file=sys.stderr)
        print(f"archlint: no template written ({args.output})", file=sys.stderr)
        return error.status
    if errors:
        print(f"archlint: emitting despite {_count(len(errors), 'error')} (--force)", file=sys.stderr)
    for item in template.not_emitted:
        print(f"archlint: not emitted: {item['Resource']} ({item['Type']}): {item['Reason']}", file=sys.stderr)
    for note in template.notes:
        print(f"archlint: note: {note}", file=sys.stderr)
    files = _files(template, output_format, args.output)
    if files is None:
        return 2
    try:
        size_notes = [note for path, text in files  # nested stacks go through S3 anyway: notes on the main file only
                      for note in check_limits(len(template.parameters), len(text.encode("utf-8")), path)
                      if path == args.output]
    except EmitError as error:
        print(f"{error}", file=sys.stderr)
        print(f"archlint: no template written ({args.output})", file=sys.stderr)
        return error.status
    for note in size_notes:
        print(f"archlint: note: {note}", file=sys.stderr)
    for path, text in files:  # the children first: the parent names them
        if not write_or_report(path, text, inputs=[args.spec]):
            return 2
    text = files[-1][1]
    if args.validate:
        return _validate(text, args.output, graph.graph.get("region") or "us-east-1")
    return 0


def _files(template, output_format: str, output: str) -> list[tuple[str, str]] | None:
    """(path, text) of each file to write, the main template last: one file, or, over
    CloudFormation's resources per stack, nested stacks (split.py)."""
    from ...render.cloudformation.refusals import MAX_RESOURCES
    from ...render.cloudformation.split import needs_split, split
    from ...render.cloudformation.template import dump

    data = template.as_data()
    if not needs_split(data, MAX_RESOURCES):
        return [(output, dump(data, output_format))]
    if output == "-":
        print(f"archlint: the template has {len(data['Resources'])} resources, over the {MAX_RESOURCES} of one stack: "
              "it is split into nested stacks, which need files; name one with -o", file=sys.stderr)
        return None
    stem, extension = os.path.splitext(output)
    parent, children = split(data, os.path.basename(stem) + "-{n}" + extension)
    files = [(f"{stem}-{n}{extension}", dump(child, output_format)) for n, child in enumerate(children, 1)]
    print(f"archlint: note: {len(data['Resources'])} resources, over the {MAX_RESOURCES} of one stack: {output} deploys "
          f"them as {len(children)} nested stacks ({', '.join(path for path, _ in files)}). Deploy with "
          f"`aws cloudformation package --template-file {output} --s3-bucket BUCKET --output-template-file packaged{extension}` "
          f"then `aws cloudformation deploy --template-file packaged{extension} --stack-name NAME --capabilities CAPABILITY_IAM`",
          file=sys.stderr)
    return files + [(output, dump(parent, output_format))]


def _validate(text: str, output: str, region: str) -> int:
    """cfn-lint over the template: 1 when it finds errors."""
    from cfnlint.api import lint as cfn_lint  # a dependency, imported only when asked for
    name = "<stdout>" if output == "-" else output
    matches = cfn_lint(text, regions=[region])
    failed = 0
    for match in matches:
        severity = getattr(match.rule, "severity", "error")
        failed += severity == "error"
        print(f"{name}:{match.linenumber}:{match.columnnumber}: cfn-lint {match.rule.id} {severity}: {match.message}",
              file=sys.stderr)
    if failed:
        print(f"archlint: cfn-lint found {_count(failed, 'error')} in {name}", file=sys.stderr)
        return 1
    print(f"archlint: cfn-lint found no error in {name}", file=sys.stderr)
    return 0


def _output_format(args: argparse.Namespace) -> str | None:
    if args.format:
        return args.format
    if args.output == "-":
        return "yaml"
    for suffix, name in FORMATS.items():
        if args.output.lower().endswith(suffix):
            return name
    print(f"archlint: cannot tell the format of '{args.output}': name it .yaml, .yml or .json, "
          f"or pass --format", file=sys.stderr)
    return None


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
