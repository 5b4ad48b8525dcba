"""One module per `archlint` subcommand.

Each module defines `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`
(the exit status of docs/cli.md: 0 clean, 1 findings at or above --fail-on, 2 bad input).
`linter.cli` imports a module only when its subcommand runs, so `archlint check`
never pays for importing the renderer.
"""

# subcommand -> (module in this package, one line for `archlint --help`), in the
# order the help lists them
COMMANDS = {
    "check": ("check", "lint specs and CloudFormation templates"),
    "render": ("render", "draw the architecture (.png, .svg, .pdf, .dot, .mmd)"),
    "diff": ("diff", "what a change does to the architecture, and the findings it brings or removes"),
    "emit": ("emit", "write a deployable CloudFormation template"),
    "import": ("import_template", "turn a CloudFormation or SAM template into a spec"),
    "rules": ("rules", "list every rule: id, severity, summary"),
    "explain": ("explain", "print a rule's full documentation"),
    "schema": ("schema", "print the spec format: its JSON Schema for editors, or its reference (--markdown)"),
}
