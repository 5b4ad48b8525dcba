"""Reading YAML safely, keeping the line and column of everything.

PyYAML's loaders lose positions, silently keep the last of two duplicate keys, and
construct whatever a tag asks for. So we only *compose* the document (libyaml's C
composer when present: the parser is the slow part) and build plain Python values
from the node tree ourselves: `Mapping` and `Sequence` remember where each key, value
and item stands. Guards run before anything is expanded: nesting deep enough to
crash the C composer, and aliases that would blow a small file up into a huge one.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager

import yaml

from .errors import Problem
from .inputfile import MAX_NODES, estimated_nodes

try:  # libyaml's C loader, 3-6x faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

# libyaml's composer recurses in C: about 100k nested flow brackets crash the process
# (measured), 10k do not. No spec needs more than a handful of levels.
MAX_BRACKET_DEPTH = 1000
MAX_NESTING = 200
# An alias-expanded document may be at most this many times larger than its nodes
# as written (and always at least this many nodes): enough for any real reuse of
# anchors, far below what a "billion laughs" file expands to.
EXPANSION_FACTOR = 10
EXPANSION_FLOOR = 100_000

CORE = "tag:yaml.org,2002:"
SCALAR_TAGS = {CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
ALLOWED_TAGS = SCALAR_TAGS | {CORE + "seq", CORE + "map", CORE + "merge", CORE + "value"}

Position = tuple  # (line, column), both 1-based
CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)


class Invalid:
    """Stands for a value already reported as a problem (a forbidden tag), so that
    later checks stay silent about it instead of piling up follow-on errors."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


class Mapping(dict):
    """A YAML mapping with the position of itself, of each key and of each value,
    and the source text of values that are not strings (`raw`)."""

    __slots__ = ("position", "key_positions", "value_positions", "raw")

    def __init__(self, position: Position):
        super().__init__()
        self.position = position
        self.key_positions: dict = {}
        self.value_positions: dict = {}
        self.raw: dict = {}


class Sequence(list):
    """A YAML sequence with the position of itself and of each item, and the source
    text of items that are not strings (`raw`, by index)."""

    __slots__ = ("position", "item_positions", "raw")

    def __init__(self, position: Position):
        super().__init__()
        self.position = position
        self.item_positions: list = []
        self.raw: dict = {}


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def position_of(node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def decode(data: bytes, file: str) -> str:
    """Bytes to text, or a clear problem for binary, non-UTF-8 and empty files."""
    if b"\x00" in data[:8192]:
        raise YamlProblems([Problem(file, 1, 1, "this is a binary file, not a YAML spec")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblems(
            [Problem(file, line, column, "the file is not valid UTF-8 text (specs must be UTF-8)")]
        ) from None
    if not CONTENT_LINE.search(text):  # blank or comments only (no list of lines: files may be large)
        raise YamlProblems([Problem(file, 1, 1, "the file is empty; a spec starts with 'archlint: 1'")])
    return text


@contextmanager
def _collector_paused():
    """Composing allocates many small objects; the collector's passes over them are
    pure overhead here (about 3x on large files, measured) since they form no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compose(text: str, file: str):
    """The single document's root node, or YamlProblems with where YAML broke."""
    _refuse_deep_brackets(text, file)
    _refuse_too_many_nodes(text, file)
    try:
        try:
            return _compose(text)
        except yaml.MarkedYAMLError as error:
            # JSON writes a character outside the BMP as a surrogate pair ("\ud83d\ude00"),
            # which YAML's double-quoted escapes do not accept: write it as YAML's \U
            if "invalid Unicode character escape" not in str(error.problem) or not SURROGATE_PAIR.search(text):
                raise
            return _compose(SURROGATE_PAIR.sub(_astral_escape, text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or "the YAML is malformed"
        if error.context:
            what = f"{error.context}, {what}"
        if "expected a single document" in what:
            what = "a spec holds one YAML document; found a second one ('---')"
        raise YamlProblems([Problem(file, line, column, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        mark = getattr(error, "problem_mark", None) or getattr(error, "mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblems([Problem(file, line, column, f"YAML error: {error}")]) from None


def _compose(text: str):
    with _collector_paused():
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()


# a high surrogate escape then a low one, not preceded by an escaped backslash
SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _astral_escape(match: re.Match) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def _refuse_too_many_nodes(text: str, file: str) -> None:
    """Composing costs about 400 bytes of memory a node: refuse before it, not after."""
    if len(text) < MAX_NODES:
        return  # cannot hold that many
    estimate = estimated_nodes(text)
    if estimate > MAX_NODES:
        raise YamlProblems([Problem(file, 1, 1, f"the file holds too many YAML values (about {estimate:,}; the most archlint reads is {MAX_NODES:,})")])


def _refuse_deep_brackets(text: str, file: str) -> None:
    if text.count("[") + text.count("{") <= MAX_BRACKET_DEPTH:
        return  # cannot be that deep: skip the scan on ordinary files
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_BRACKET_DEPTH:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            raise YamlProblems([Problem(file, line, column, f"the YAML is nested more than {MAX_BRACKET_DEPTH} levels deep")])


def refuse_alias_bombs(root, file: str) -> None:
    """Refuse a document whose aliases would expand it far past its written size.

    Sizes are computed once per distinct node (aliases share node objects), so this
    is linear in the file however large the expansion would be.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the path from the root: an alias to one is a cycle
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
        elif children_done:
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            open_nodes.discard(key)
        else:
            if key in open_nodes:
                continue  # already being expanded further down the stack
            open_nodes.add(key)
            stack.append((node, True))
            for child in _children(node):
                if id(child) in open_nodes:
                    line, column = position_of(child)
                    raise YamlProblems([Problem(
                        file, line, column,
                        "this anchor's value refers to itself through an alias (a recursive structure); "
                        "a spec is a tree: write the inner part out",
                    )])
                if id(child) not in sizes:
                    stack.append((child, False))
    written = len(sizes)
    limit = max(EXPANSION_FLOOR, EXPANSION_FACTOR * written)
    if sizes[id(root)] > limit:
        line, column = position_of(root)
        raise YamlProblems([Problem(
            file, line, column,
            f"aliases would expand this document to {sizes[id(root)]:,} nodes from {written:,} "
            f"written (the limit is {limit:,}); write the repeated parts out or reuse less",
        )])


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return ()


class Builder:
    """Turns a composed node tree into Mapping/Sequence/scalars, collecting problems
    (duplicate keys, tags, non-scalar keys) instead of stopping at the first."""

    _constructor = yaml.constructor.SafeConstructor()

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def build(self, node, depth: int = 0):
        if depth > MAX_NESTING:
            self._problem(node, f"the YAML is nested more than {MAX_NESTING} levels deep")
            return INVALID
        if node.tag not in ALLOWED_TAGS:
            written = "!!" + node.tag[len(CORE):] if node.tag.startswith(CORE) else node.tag
            self._problem(node, f"the tag '{written}' is not allowed in a spec; only the YAML core schema's (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map)")
            return INVALID
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            sequence = Sequence(position_of(node))
            for index, item in enumerate(node.value):
                sequence.append(self.build(item, depth + 1))
                sequence.item_positions.append(position_of(item))
                if _is_non_string_scalar(item):
                    sequence.raw[index] = item.value
            return sequence
        return self._mapping(node, depth)

    def _scalar(self, node):
        tag = node.tag
        if tag == CORE + "str" or tag == CORE + "timestamp":
            return node.value  # a date-like value is text in a spec
        if tag == CORE + "null":
            return None
        if tag == CORE + "bool":
            return self._constructor.construct_yaml_bool(node)
        if tag == CORE + "int":
            try:
                return self._constructor.construct_yaml_int(node)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                self._problem(node, f"this number has {len(node.value):,} digits; no value in a spec needs more than a few")
                return INVALID
        if tag == CORE + "float":
            return self._constructor.construct_yaml_float(node)
        return node.value  # '=' (tag:yaml.org,2002:value): plain text

    def _mapping(self, node, depth: int) -> Mapping:
        mapping = Mapping(position_of(node))
        merged: list = []
        for key_node, value_node in node.value:
            if key_node.tag == CORE + "merge":
                merged.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a mapping key must be a plain value, not a list or mapping")
                continue
            key = self._scalar(key_node) if key_node.tag in SCALAR_TAGS else key_node.value
            if isinstance(key, bool) and not key_node.style:  # plain: None or "" by loader
                # Every key in a spec is a name (an id, an attribute, a tag). YAML 1.1
                # reads a plain on/off/yes/no/true/false as a boolean; a name is meant.
                key = key_node.value
            if key in mapping:
                line, column = mapping.key_positions[key]
                self._problem(key_node, f"duplicate key '{key}' (first given at line {line}, column {column}); YAML would silently keep only the last")
                continue
            mapping[key] = self.build(value_node, depth + 1)
            mapping.key_positions[key] = position_of(key_node)
            mapping.value_positions[key] = position_of(value_node)
            if _is_non_string_scalar(value_node):
                mapping.raw[key] = value_node.value
        for value_node in merged:
            self._merge(mapping, value_node, depth)
        return mapping

    def _merge(self, mapping: Mapping, value_node, depth: int) -> None:
        """`<<: *base` (or a list of them): keys written in the mapping itself win,
        and among merged mappings the first listed wins, as YAML's merge key says."""
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self._problem(source, "a merge key ('<<') takes a mapping or a list of mappings")
                continue
            built = self._mapping(source, depth + 1)
            for key, value in built.items():
                if key not in mapping:
                    mapping[key] = value
                    # a merged key stands where the merge was written
                    mapping.key_positions[key] = position_of(value_node)
                    mapping.value_positions[key] = built.value_positions[key]
                    if key in built.raw:
                        mapping.raw[key] = built.raw[key]

    def _problem(self, node, message: str) -> None:
        line, column = position_of(node)
        self.problems.append(Problem(self.file, line, column, message))


def _is_non_string_scalar(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag != CORE + "str"


def read_yaml(data: bytes, file: str):
    """Parse bytes into positioned values and the problems found while building them
    (the document is still returned, with INVALID where a value was refused, so
    that the spec's other problems are reported together with these).
    Raises YamlProblems when the text cannot be parsed at all."""
    text = decode(data, file)
    root = compose(text, file)
    if root is None:
        raise YamlProblems([Problem(file, 1, 1, "the file is empty; a spec starts with 'archlint: 1'")])
    if "&" in text:  # without an anchor there can be no alias to expand
        refuse_alias_bombs(root, file)
    builder = Builder(file)
    with _collector_paused():
        value = builder.build(root)
    return value, builder.problems
