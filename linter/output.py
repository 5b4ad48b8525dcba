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
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
