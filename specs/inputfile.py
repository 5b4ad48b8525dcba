"""Reading an input file (a spec, a template, a configuration): regular files only,
and no larger than archlint can check in bounded memory.

A named pipe blocks a reader until something writes to it, `/dev/zero` never ends and
`/dev/stdin` is whatever the terminal is: none is a file a user means to lint. They are
opened without blocking and refused after `fstat`, so the check cannot race a rename.

Limits (docs/limits.md):

- `MAX_INPUT_BYTES`, 16 MiB: twice the 100,000-resource benchmark spec (7.7 MB, 0.7 GB
  of memory to check); a CloudFormation template is at most 1 MB (AWS CloudFormation
  quotas, "Template body size in an Amazon S3 object":
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
- `MAX_NODES`, 2,000,000: YAML's composed nodes cost about 400 bytes each, so a file of
  one-letter list items (`[a,a,a,...]`) takes 200 bytes of memory per byte (measured:
  8 MB, 1.75 GB). The count is estimated before parsing from the characters that can
  start a node (line breaks, commas, brackets): cheap, and never below the real count
  by more than a small factor on any spec a person writes.
"""

from __future__ import annotations

import os
import stat

from .errors import Problem

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class InputRefused(Exception):
    """The file cannot be read as an input; `problem` says why, at line 1, column 1."""

    def __init__(self, path: str, message: str):
        self.problem = Problem(path, 1, 1, message)
        super().__init__(str(self.problem))


def read_input(path: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or InputRefused."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise InputRefused(path, f"cannot read the file: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise InputRefused(path, f"this is {kind}, not a regular file: archlint reads only regular files")
        try:
            data = stream.read(limit + 1)  # the file may grow after fstat
        except OSError as error:
            raise InputRefused(path, f"cannot read the file: {error.strerror or error}") from None
    if len(data) > limit:
        raise InputRefused(path, f"the file is larger than {limit // (1024 * 1024)} MiB, the most archlint reads")
    return data


def estimated_nodes(text: str) -> int:
    """An estimate of how many YAML nodes `text` composes into (see MAX_NODES)."""
    return text.count("\n") + text.count(",") + text.count("[") + text.count("{")
