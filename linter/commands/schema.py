"""`archlint schema`: print the JSON Schema of the spec format, for editors.

    archlint schema -o archlint-spec.schema.json

and put `# yaml-language-server: $schema=./archlint-spec.schema.json` at the top of a
spec (see docs/ci.md): editors with the YAML language server then complete types and
attributes and flag unknown ones as you type.

`archlint schema --markdown` prints the format's reference for people instead, the
page committed as docs/spec.md: both come from the loader's own tables.
"""

from __future__ import annotations

import json

from ...specs.jsonschema import spec_schema
from ...specs.reference import spec_markdown
from ..output import write_or_report

HELP = "print the JSON Schema of the spec format (draft-07), for editors"


def add_arguments(parser) -> None:
    parser.add_argument("-o", "--output", default="-", metavar="OUT", help="where to write it [-: standard output]")
    parser.add_argument("--markdown", action="store_true",
                        help="the format's reference as Markdown (docs/spec.md) instead of the JSON Schema")


def run(args) -> int:
    if args.markdown:
        text = spec_markdown()
    else:
        text = json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
    if not write_or_report(args.output, text):
        return 2
    return 0
