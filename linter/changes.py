"""What `archlint diff` compares and finds: pairs of file versions, and for each pair
the architectural change (`archlint.specs.diff`) and the findings it introduces and
resolves (`fingerprint.py`).

A pair is the same file in two versions: OLD and NEW named on the command line (two
files, or two folders whose files pair by relative path), or each file under the
paths given to `--base REV` at that git revision and now. A side that does not exist
is an empty architecture: a new file is all added, a deleted one all removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import networkx as nx

from ..specs import Problem, is_spec_text
from ..specs.diff import GraphDiff, diff_graphs
from ..specs.inputfile import InputRefused, read_input
from .config import Config
from .engine import Suppressed, lint_graph
from .fingerprint import fingerprint, introduced_and_resolved
from .inputs import YAML_SUFFIXES, Inputs, load_data_into, yaml_files_in
from .revisions import Revision, RevisionError, files_at, read_at
from .rule import Finding, Rule
from .selection import Selection


@dataclass
class Version:
    """One side of a pair: how reports name it, and its content (None: absent)."""

    label: str
    data: bytes | None
    explicit: bool = True  # named by the user: a CloudFormation template is read too


@dataclass
class Pair:
    path: str  # the file's path now (configuration and reports name it so)
    old: Version
    new: Version


@dataclass
class FileChange:
    path: str
    old_label: str | None  # None: the file is new
    new_label: str | None  # None: the file was deleted
    old_graph: nx.MultiDiGraph
    new_graph: nx.MultiDiGraph
    change: GraphDiff
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    # findings of the old version that an `ignore:` of the new one silences: not resolved
    silenced: list[Suppressed] = field(default_factory=list)

    def has_changes(self) -> bool:
        return not self.change.is_empty() or bool(self.introduced or self.resolved or self.silenced)


@dataclass
class ChangeReport:
    files: list[FileChange] = field(default_factory=list)  # every pair compared, in path order
    problems: list[Problem] = field(default_factory=list)
    base: str | None = None  # --base REV

    def changed(self) -> list[FileChange]:
        return [file for file in self.files if file.has_changes()]

    def introduced(self) -> list[Finding]:
        return [finding for file in self.files for finding in file.introduced]

    def resolved(self) -> list[Finding]:
        return [finding for file in self.files for finding in file.resolved]


# -- which versions to compare ---------------------------------------------------------


def pairs_of_paths(old: str, new: str) -> tuple[list[Pair], list[Problem]]:
    """OLD and NEW: two files, or two folders whose YAML files pair by relative path."""
    problems = [Problem(path, 1, 1, "no such file or folder") for path in (old, new) if not os.path.exists(path)]
    if problems:
        return [], problems
    if os.path.isdir(old) != os.path.isdir(new):
        return [], [Problem(new, 1, 1, f"compare a file with a file or a folder with a folder ({old} is "
                                         f"{'a folder' if os.path.isdir(old) else 'a file'})")]
    if not os.path.isdir(old):
        return [Pair(new, _read_version(old, True, problems), _read_version(new, True, problems))], problems
    old_files = {os.path.relpath(file, old): file for file in yaml_files_in(old, problems)}
    new_files = {os.path.relpath(file, new): file for file in yaml_files_in(new, problems)}
    pairs = []
    for relative in sorted(set(old_files) | set(new_files)):
        old_version = _version_in(old, relative, old_files, problems)
        new_version = _version_in(new, relative, new_files, problems)
        pairs.append(Pair(new_version.label, old_version, new_version))
    return pairs, problems


def _version_in(folder: str, relative: str, files: dict[str, str], problems: list[Problem]) -> Version:
    if relative in files:
        return _read_version(files[relative], False, problems)
    return Version(os.path.join(folder, relative), None, explicit=False)


def pairs_at_revision(revision: Revision, paths: list[str]) -> tuple[list[Pair], list[Problem]]:
    """Each file under `paths` at `revision` and in the working tree, paired by path."""
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            then = files_at(revision, path)
        except RevisionError as error:
            problems.append(Problem(path, 1, 1, str(error)))
            continue
        was_file = [os.path.normpath(file) for file in then] == [os.path.normpath(path)]
        if os.path.isdir(path) or (then and not was_file and not os.path.exists(path)):
            # a folder: its YAML files, specs only, as `check` reads a folder
            now = [os.path.normpath(file) for file in yaml_files_in(path, problems)] if os.path.isdir(path) else []
            then = [os.path.normpath(file) for file in then if file.endswith(YAML_SUFFIXES)]
            explicit = False
        else:
            path = os.path.normpath(path)
            then = [path] if then else []
            now = [path] if os.path.exists(path) else []
            explicit = True
        if not then and not now:
            problems.append(Problem(path, 1, 1, f"no such file or folder, now or at {revision.name}"))
            continue
        for file in sorted(set(then) | set(now)):
            old = Version(f"{revision.name}:{file}", None, explicit)
            if file in then:
                try:
                    old.data = read_at(revision, file)
                except RevisionError as error:
                    problems.append(Problem(old.label, 1, 1, str(error)))
                    continue
            new = _read_version(file, explicit, problems) if file in now else Version(file, None, explicit)
            pairs.append(Pair(file, old, new))
    return pairs, problems


def _read_version(path: str, explicit: bool, problems: list[Problem]) -> Version:
    try:
        return Version(path, read_input(path), explicit)  # regular files only, size-limited
    except InputRefused as error:
        problems.append(error.problem)
        return Version(path, None, explicit)


# -- comparing them ----------------------------------------------------------------------


def compare(pairs: list[Pair], chosen: Selection, problems: list[Problem], base: str | None = None) -> ChangeReport:
    """Both versions of each pair linted as `check` would the file now (the rules of
    `chosen` for its path, severities as configured), and what changed between them."""
    report = ChangeReport(problems=list(problems), base=base)
    for pair in pairs:
        rules_here = chosen.rules_for(pair.path)
        old_graph, old_findings, _ = _load_and_lint(pair.old, rules_here, chosen.config, report.problems)
        new_graph, new_findings, new_suppressed = _load_and_lint(pair.new, rules_here, chosen.config, report.problems)
        if old_graph is None or new_graph is None:
            continue  # unreadable: reported, and the exit status is 2
        if not len(old_graph) and not len(new_graph) and not _is_spec(pair):
            continue  # a YAML file of a folder that is no spec on either side
        introduced, resolved = introduced_and_resolved(old_findings, old_graph, new_findings, new_graph)
        resolved, silenced = _set_apart_silenced(resolved, old_graph, new_suppressed, new_graph)
        report.files.append(FileChange(
            pair.path, pair.old.label if pair.old.data is not None else None,
            pair.new.label if pair.new.data is not None else None,
            old_graph, new_graph, diff_graphs(old_graph, new_graph), introduced, resolved, silenced))
    report.problems.sort()
    return report


def _set_apart_silenced(resolved: list[Finding], old_graph: nx.MultiDiGraph, suppressed: list[Suppressed],
                        new_graph: nx.MultiDiGraph) -> tuple[list[Finding], list[Suppressed]]:
    """A finding gone because the new version ignores it is silenced, not resolved: a
    reviewer must see the `ignore:` and its reason."""
    waiting: dict = {}
    for item in suppressed:
        waiting.setdefault(fingerprint(item.finding, new_graph), []).append(item)
    still_resolved, silenced = [], []
    for finding in resolved:
        matches = waiting.get(fingerprint(finding, old_graph))
        if matches:
            silenced.append(matches.pop(0))
        else:
            still_resolved.append(finding)
    return still_resolved, silenced


def _is_spec(pair: Pair) -> bool:
    return any(version.data is not None and is_spec_text(version.data) for version in (pair.old, pair.new))


def _load_and_lint(version: Version, rules: list[Rule], config: Config,
                   problems: list[Problem]) -> tuple[nx.MultiDiGraph | None, list[Finding], list[Suppressed]]:
    """The graph of one version and its findings (severities as configured); an empty
    graph for an absent file or a folder's YAML file that is not a spec; None when
    it cannot be read (its problems are added to `problems`)."""
    if version.data is None:
        return nx.MultiDiGraph(file=version.label), [], []
    inputs = Inputs()
    load_data_into(inputs, version.data, version.label, version.explicit)
    if inputs.problems:
        problems.extend(inputs.problems)
        return None, [], []
    if not inputs.graphs:
        return nx.MultiDiGraph(file=version.label), [], []
    graph = inputs.graphs[0]
    result = lint_graph(graph, rules)
    problems.extend(Problem(version.label, 1, 1, failure) for failure in result.failures)
    if result.failures:
        return None, [], []
    return graph, config.apply_severity(result.findings), result.suppressed
