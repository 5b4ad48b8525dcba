"""Files as they were at a git revision, for `archlint diff --base REV PATH...`.

Only git's plumbing is used, through the `git` program: `rev-parse` to name the
repository and the commit, `ls-tree` to list what a path held at that commit (a file,
or every file under a folder) and `cat-file` to read one.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


class RevisionError(Exception):
    """Not a git repository, an unknown revision, or a path outside the repository."""


@dataclass(frozen=True)
class Revision:
    name: str  # as the user wrote it ("origin/main")
    commit: str
    top: str  # the repository's top folder


def open_revision(name: str, start: str = ".") -> Revision:
    top = _git(["rev-parse", "--show-toplevel"], start,
               f"--base {name}: {os.path.abspath(start)} is not in a git repository").strip()
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"], top,
                  f"--base {name}: no such revision in this repository").strip()
    return Revision(name, commit, top)


def files_at(revision: Revision, path: str) -> list[str]:
    """The files `path` (a file or folder, as the user names it) held at the revision,
    named as the user would name them (relative paths stay relative). Empty when the
    path did not exist then."""
    inside = _inside(revision, path)
    listing = _git(["ls-tree", "-r", "-z", "--name-only", revision.commit, "--", inside], revision.top,
                   f"cannot list {path} at {revision.name}")
    return sorted(_as_user_path(revision, name, path) for name in listing.split("\0") if name)


def read_at(revision: Revision, path: str) -> bytes:
    inside = _inside(revision, path)
    done = subprocess.run(["git", "cat-file", "blob", f"{revision.commit}:{inside}"], cwd=revision.top,
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RevisionError(f"{path}: cannot read it at {revision.name}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _inside(revision: Revision, path: str) -> str:
    """`path` relative to the repository's top, with forward slashes, as git names it."""
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(revision.top))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        raise RevisionError(f"{path}: outside the git repository at {revision.top}")
    return Path(relative).as_posix()


def _as_user_path(revision: Revision, name: str, asked: str) -> str:
    full = os.path.join(revision.top, *name.split("/"))
    if os.path.isabs(asked):
        return full
    return os.path.relpath(full, os.path.realpath(os.getcwd()))


def _git(arguments: list[str], cwd: str, failure: str) -> str:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except OSError as error:
        raise RevisionError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        raise RevisionError(failure)
    return done.stdout.decode("utf-8", errors="surrogateescape")
