"""Turning the paths a user names into graphs, and reporting what cannot be read.

Every command that reads specs goes through here, so they all accept the same inputs
and report problems the same way (file:line:column: message, on standard error).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import networkx as nx

from ..specs import Problem, SpecError, is_spec_text, load_text
from ..specs.inputfile import MAX_INPUT_BYTES, InputRefused, read_input
from ..specs.cfn.decode import looks_like_template
from .formats.common import log_line
from .registry import known_selector

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Inputs:
    graphs: list[nx.MultiDiGraph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # files read as specs, readable or not


def collect(paths: list[str]) -> Inputs:
    """Load every spec named or found in the folders named. A folder yields only YAML
    files that are specs; a file named explicitly must be one, or a CloudFormation or
    SAM template (YAML or JSON), which is imported."""
    inputs = Inputs()
    for path in paths:
        if os.path.isdir(path):
            for file in yaml_files_in(path, inputs.problems):
                _load_into(inputs, file, explicit=False)
        elif os.path.exists(path):
            _load_into(inputs, path, explicit=True)
        else:
            inputs.problems.append(Problem(path, 1, 1, "no such file or folder"))
    return inputs


def yaml_files_in(folder: str, problems: list[Problem]) -> list[str]:
    """The YAML files under `folder` that are regular files (a named pipe would block
    the scan, a device never end); a folder that cannot be listed is a problem."""

    def unreadable(error: OSError) -> None:
        problems.append(Problem(error.filename or folder, 1, 1, f"cannot read the folder: {error.strerror or error}"))

    found = []
    for root, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found.extend(
            path for path in (os.path.join(root, name) for name in files if name.endswith(YAML_SUFFIXES))
            if os.path.isfile(path)
        )
    return sorted(found)


def _load_into(inputs: Inputs, path: str, explicit: bool) -> None:
    try:
        data = read_input(path)
    except InputRefused as error:
        if not explicit and _too_large_non_spec(path):
            return  # a folder's large YAML file that is no spec: skipped like small ones
        inputs.problems.append(error.problem)
        inputs.files += 1
        return
    load_data_into(inputs, data, path, explicit)


def load_data_into(inputs: Inputs, data: bytes, path: str, explicit: bool) -> None:
    """Load one file's content as `collect` would the file (`archlint diff --base`
    reads an old version from git): a spec, or when `explicit`, a template too.
    `path` names it in the graph and in problems."""
    if not is_spec_text(data):
        if explicit and looks_like_template(data):
            _import_into(inputs, data, path)
        elif explicit:
            inputs.problems.append(Problem(path, 1, 1, "this is not an archlint spec: it has no 'archlint: 1' line (nor is it a CloudFormation template)"))
            inputs.files += 1
        return
    inputs.files += 1
    try:
        inputs.graphs.append(load_text(data, path, rule_known=known_selector))
    except SpecError as error:
        inputs.problems.extend(error.problems)


def _too_large_non_spec(path: str) -> bool:
    """A file over the size limit found in a folder is skipped when the part of it that
    can be read is no spec (and reported when it is, or cannot be read at all)."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as stream:
            return not is_spec_text(stream.read(MAX_INPUT_BYTES))
    except OSError:
        return False


def _import_into(inputs: Inputs, data: bytes, path: str) -> None:
    """A CloudFormation or SAM template named explicitly is imported (docs/spec.md). Folders
    yield specs only: a repository's templates are linted when named."""
    from ..specs.cfn import load_template_text  # cfn-lint loads only when a template is named

    inputs.files += 1
    try:
        inputs.graphs.append(load_template_text(data, path, rule_known=known_selector))
    except SpecError as error:
        inputs.problems.extend(error.problems)


def load_graph_or_report(path: str) -> nx.MultiDiGraph | None:
    """One spec for commands that take exactly one (render, emit): the graph, or None
    after printing its problems on standard error."""
    if os.path.isdir(path):
        report_problems([Problem(path, 1, 1, "this command takes one spec file, not a folder")])
        return None
    inputs = collect([path])
    if inputs.problems or not inputs.graphs:
        report_problems(inputs.problems or [Problem(path, 1, 1, "this is not an archlint spec")])
        return None
    return inputs.graphs[0]


def report_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(log_line(str(problem)), file=sys.stderr)
