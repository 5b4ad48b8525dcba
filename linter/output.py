"""Writing files: whole or not at all, never over a user's file half-written.

Every command that writes (render, emit, import, schema) goes through here. Besides
writing through a temporary file renamed into place, this refuses what a plain
`open(path, "w")` would silently do: overwrite the command's own input (however the
path is spelled: relative, through `..`, a symbolic or a hard link), replace a device
such as /dev/null (as root, a rename puts a regular file in its place) or a named
pipe, or replace a symbolic link with a file. A SIGTERM or SIGHUP during the write
removes the temporary file before the process ends by that signal.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager

# the signals that end a process (SIGINT raises KeyboardInterrupt, handled the same way)
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class RefusedOutput(OSError):
    """The output path names something archlint must not replace; strerror says what."""

    def __init__(self, path: str, reason: str):
        super().__init__(errno.EPERM, reason, path)


class _Signalled(BaseException):
    def __init__(self, signum: int):
        self.signum = signum


def write_atomically(path: str, data: bytes | str, inputs=()) -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    `-` means standard output. The temporary file is renamed over `path` only once it
    is complete, so an interrupted run leaves the old file (or none) in place.
    `inputs` are the files the command read: `path` may not be one of them.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    refuse_target(path, inputs)
    folder = os.path.dirname(os.path.abspath(path))
    with _signals_raise():
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(prefix=".archlint-", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            # mkstemp makes the file private (0600); give it the mode a plain write would
            os.chmod(temporary, _mode_for(path))
            os.replace(temporary, path)
        except BaseException:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)
            raise


def refuse_target(path: str, inputs=()) -> None:
    """RefusedOutput when `path` is one of `inputs`, a link, or not a regular file."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return  # a new file cannot be an input
    except OSError:
        return  # the write itself will say why (permissions)
    if stat.S_ISLNK(status.st_mode):
        raise RefusedOutput(path, "it is a symbolic link, which archlint does not replace; name the file it points to")
    if not stat.S_ISREG(status.st_mode):
        raise RefusedOutput(path, "it is not a regular file (a device, a pipe or a folder), which archlint does not replace; '-o -' writes to standard output")
    for source in inputs:
        try:
            same = os.path.samefile(source, path)
        except OSError:
            continue
        if same:
            raise RefusedOutput(path, f"it is this command's input ({source}); write the output to another file")


@contextmanager
def _signals_raise():
    """While writing, SIGTERM and SIGHUP raise (so the temporary file is removed);
    afterwards the process ends by the same signal, as it would have."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers
        return

    def handler(signum, frame):
        raise _Signalled(signum)

    previous = {signum: signal.signal(signum, handler) for signum in ENDING_SIGNALS}
    try:
        yield
    except _Signalled as signalled:
        for signum, old in previous.items():
            signal.signal(signum, old)
        previous = {}
        os.kill(os.getpid(), signalled.signum)
        raise SystemExit(128 + signalled.signum) from None  # a handler that did not end the process
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def write_or_report(path: str, data: bytes | str, inputs=()) -> bool:
    """`write_atomically`, saying on standard error why it could not (a command then
    exits 2). True when written."""
    try:
        write_atomically(path, data, inputs)
    except OSError as error:
        print(f"archlint: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _mode_for(path: str) -> int:
    """The existing file's mode, or what the umask leaves of 0666 for a new file."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
