"""The `archlint` command: parses the command line and hands over to a subcommand."""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import os
import sys
import traceback

from .commands import COMMANDS
from .version import VERSION


# What writing to a full, broken or vanished standard output raises.
OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG)
DEBUG_HELP = "show the traceback of an unexpected error (to report it)"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archlint",
        description="Lint, draw and deploy AWS architectures written as YAML specs.",
    )
    parser.add_argument("--version", action="version", version=f"archlint {VERSION}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        # also after the subcommand; SUPPRESS keeps `archlint --debug check` working
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
        if name == command:
            _command_module(module_name).add_arguments(sub)
    return parser


def _command_module(module_name: str):
    return importlib.import_module(f"{__package__}.commands.{module_name}")


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status. Exit 1 means findings and nothing else: an
    unexpected error is exit 2 with one line on standard error."""
    # A run is short and its objects live until it ends: the cyclic collector would
    # only re-scan them (about a third of a large check's time, measured).
    gc.disable()
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `archlint check ... | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except OSError as error:
        # Files are written by output.py and read by specs/inputfile.py, which report
        # their own errors; a full or failing standard output is what is left.
        if error.errno in OUTPUT_ERRNOS:
            return _output_failed(error)
        return _unexpected(error, argv)
    except Exception as error:  # noqa: BLE001 - a crash must never look like findings
        return _unexpected(error, argv)


def _run(argv: list[str]) -> int:
    # Build only the subcommand being run: `check` never imports the renderer.
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return _command_module(COMMANDS[args.command][0]).run(args)


def _unexpected(error: Exception, argv: list[str]) -> int:
    """One plain line for an error nobody planned for, the traceback only on request."""
    debug = "--debug" in argv
    if debug:
        traceback.print_exc(file=sys.stderr)
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    hint = "" if debug else "; run again with --debug to see the traceback"
    print(f"archlint: internal error: {what} (archlint {VERSION}){hint}. "
          "Please report it with the input that caused it.", file=sys.stderr)
    return 2


def _output_failed(error: OSError) -> int:
    """Standard output could not take the report (a full disk: `> /dev/full`)."""
    print(f"archlint: cannot write to standard output: {error.strerror or error}", file=sys.stderr)
    return 2


def entry() -> None:
    """The console script. Exits without tearing down the interpreter's objects:
    freeing a large spec's millions of objects one by one costs over a second at
    100k resources (measured) and does nothing a process exit doesn't."""
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as error:
        status = _output_failed(error)
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    entry()
