"""The public entry points: a file (or text) in, the graph out, or every problem."""

from __future__ import annotations

import re
from typing import Callable

import networkx as nx

from .crosscheck import check_spec
from .errors import SpecError
from .flowreader import read_flows
from .graph import build_graph
from .inputfile import InputRefused, read_input
from .reader import SpecReader
from .yamlsource import YamlProblems, read_yaml

# `archlint:` as a key: at the start of a line (after a byte-order mark), or after the
# `{` or `,` of a flow mapping (a spec written as JSON), quoted or not
SPEC_MARKER = re.compile(rb"""(?:^(?:\xef\xbb\xbf)?|[{,])\s*(?:archlint|"archlint"|'archlint')\s*:""", re.MULTILINE)


def load_spec(path: str, rule_known: Callable[[str], bool] | None = None) -> nx.MultiDiGraph:
    """Load a spec file. `rule_known(selector)` tells whether an `ignore:` key names a
    rule; without it, ignore keys are only checked for their shape."""
    try:
        data = read_input(path)
    except InputRefused as error:
        raise SpecError([error.problem]) from None
    return load_text(data, path, rule_known)


def load_text(text: str | bytes, file: str = "<spec>",
              rule_known: Callable[[str], bool] | None = None) -> nx.MultiDiGraph:
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        document, yaml_problems = read_yaml(data, file)
    except YamlProblems as error:
        raise SpecError(error.problems) from None
    reader = SpecReader(file, rule_known)
    reader.problems.extend(yaml_problems)
    top = reader.read_top(document)
    if top is None:
        raise SpecError(reader.problems)
    file_ignore, ignore_positions = reader.read_ignore(document)
    resources = reader.read_resources(document)
    check_spec(reader, resources, top["region"])
    types_by_id = {resource.id: resource.type for resource in resources}
    flows, flow_positions = read_flows(reader, document, types_by_id)
    if reader.problems:
        raise SpecError(reader.problems)
    return build_graph(file, top, file_ignore, {**ignore_positions, **flow_positions}, resources, flows)


def is_spec_text(data: bytes) -> bool:
    """Whether a YAML file found in a folder should be read as a spec: it has the key
    `archlint` (docs/spec.md), at the start of a line or in a flow mapping, quoted or
    not. Files without it are skipped without parsing."""
    return SPEC_MARKER.search(data) is not None
