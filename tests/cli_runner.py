"""Running `archlint` from the tests: in this process, or as a process of its own.

`run_cli` calls the command line's `main()` here, with standard output, standard error,
the working folder and the environment swapped for the call: the same code path as the
console script less the interpreter start-up and imports (a second or more a call).
Most tests use it. `run_process` runs the installed console script beside this
interpreter (never whatever `archlint` comes first on PATH); the tests of what only a
process shows (the exit status through `os._exit`, pipes, signals, plugins found
through a changed environment) use it.

Both return a `subprocess.CompletedProcess` with text stdout and stderr.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys

from archlint.linter.cli import main


def run_cli(*args, cwd=None, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    argv = [str(arg) for arg in args]
    out, err = _capture(), _capture()
    collecting = gc.isenabled()  # main() turns the collector off for a run's lifetime
    with _working_folder(cwd), _environment(env), _swapped_streams(out, err, stdin):
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse: --help, --version, a wrong command line
            status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    if collecting:
        gc.enable()
    return subprocess.CompletedProcess(["archlint", *argv], status, _text(out), _text(err))


def run_process(*args, cwd=None, env: dict | None = None, stdin: str | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*archlint_command(), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, input=stdin, timeout=timeout, check=False)


def archlint_command() -> list[str]:
    """The console script installed with this interpreter's archlint."""
    script = os.path.join(os.path.dirname(sys.executable), "archlint")
    if os.path.exists(script):
        return [script]
    return [sys.executable, "-m", "archlint.linter.cli"]


def _capture() -> io.TextIOWrapper:
    # A text stream over bytes, as a real stdout is: commands write text and,
    # for binary formats, to .buffer.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", errors="replace")


@contextlib.contextmanager
def _swapped_streams(out, err, stdin):
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved


@contextlib.contextmanager
def _working_folder(folder):
    if folder is None:
        yield
        return
    saved = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _environment(env: dict | None):
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
