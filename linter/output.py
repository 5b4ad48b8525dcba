"""Writing files: whole or not at all, never over a user's file half-written."""

from __future__ import annotations

import os
import sys
import tempfile


def write_atomically(path: str, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    `-` means standard output. The temporary file is renamed over `path` only once it
    is complete, so an interrupted run leaves the old file (or none) in place.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".archlint-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain write would
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_or_report(path: str, data: bytes | str) -> bool:
    """`write_atomically`, saying on standard error why it could not (a command then
    exits 2). True when written."""
    try:
        write_atomically(path, data)
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
