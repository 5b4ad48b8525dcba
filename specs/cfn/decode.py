"""Reading a CloudFormation or SAM template: YAML (with the short-form tags such as
`!Ref`) or JSON, every key with its line and column.

The decoding is cfn-lint's (`cfnlint.decode`, a public module): it is what the field
already trusts for templates, it knows every short-form tag, and it keeps a mark on
every key. A SAM template is expanded offline by the SAM translator's public API
(`sam.py`). The translator drops the marks of what it generates, so the template as
written is kept beside the expanded one: positions are always looked up there (see
`origin`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem, SpecError
from ..inputfile import MAX_NODES

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

# Cheap checks on the raw bytes before decoding: is this file worth reading as a
# template at all? (A folder scan never asks; only files named explicitly.)
# CloudFormation needs neither AWSTemplateFormatVersion nor an `AWS::` type: a
# `Resources` mapping whose entries have a `Type` (`Alexa::ASK::Skill`, `Custom::X`) is
# a template; the decoder then decides.
_TEMPLATE_MARKERS = (
    re.compile(rb"AWSTemplateFormatVersion"),
    re.compile(rb"""["']?Type["']?\s*:\s*["']?AWS::"""),
    re.compile(rb"""["']?Transform["']?\s*:.*AWS::Serverless"""),
)
_RESOURCES_KEY = re.compile(rb"""(?m)(?:^|[{,])\s*["']?Resources["']?\s*:""")
_TYPE_KEY = re.compile(rb"""["']?Type["']?\s*:""")


SURROGATE_ESCAPE = "invalid Unicode character escape"
# "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template."
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
LOGICAL_ID = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Template:
    file: str
    body: dict  # what CloudFormation deploys: the SAM transform applied
    source: dict  # as written: the marks of every key
    sam: bool  # whether the SAM transform was applied
    # resources standing for a `Fn::ForEach` whose collection is known only at
    # deployment (foreach.py): logical id -> why; drawn, never read
    unexpanded: dict = field(default_factory=dict)


def looks_like_template(data: bytes) -> bool:
    if any(marker.search(data) for marker in _TEMPLATE_MARKERS):
        return True
    return bool(_RESOURCES_KEY.search(data) and _TYPE_KEY.search(data))


def read_template(data: bytes, file: str) -> Template:
    """Decode and (for SAM) expand a template; SpecError with file:line:column otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError([Problem(file, 1, 1, f"the template is not UTF-8 text ({error.reason} at byte {error.start})")]) from None
    source = _decode(text, file)
    if not isinstance(source, dict):
        raise SpecError([Problem(file, 1, 1, "a CloudFormation template is a mapping with a 'Resources' section")])
    unexpanded = _expand_loops(source, file)
    resources = source.get("Resources")
    # "the only required section is the Resources section, which must declare at least
    # one resource": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-guide.html
    if not isinstance(resources, dict) or not resources:
        raise SpecError([Problem(file, 1, 1, "a CloudFormation template needs a 'Resources' mapping with at least one resource")])
    for logical_id, resource in resources.items():
        if not isinstance(logical_id, str) or not LOGICAL_ID.fullmatch(logical_id):
            line, column = key_position(resources, logical_id) or (1, 1)
            raise SpecError([Problem(file, line, column, f"the logical id {logical_id!r} is not alphanumeric (A-Za-z0-9), which CloudFormation requires")])
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            line, column = key_position(resources, logical_id) or (1, 1)
            raise SpecError([Problem(file, line, column, f"the resource '{logical_id}' needs a 'Type' such as AWS::SQS::Queue")])
    if not _is_sam(source):
        return Template(file, source, source, sam=False, unexpanded=unexpanded)
    return Template(file, _expand_sam(source, file), source, sam=True, unexpanded=unexpanded)


def _expand_loops(source: dict, file: str) -> dict:
    """`Fn::ForEach` is expanded first, as CloudFormation (and `sam build`) do: the
    SAM transform and the importer see the resources the loops make."""
    from .foreach import ForEachError, expand_resources, uses_language_extensions

    if not uses_language_extensions(source):
        return {}
    try:
        return expand_resources(source)
    except ForEachError as error:
        line, column = key_position(source.get("Resources"), error.key) or (1, 1)
        raise SpecError([Problem(file, line, column, str(error))]) from None


def _decode(text: str, file: str):
    # Imported here: cfn-lint takes a moment to import, and `archlint check` on specs
    # alone never needs it.
    from cfnlint.decode import decode_str

    try:
        template, matches = decode_str(text)
        if matches and any(SURROGATE_ESCAPE in m.message for m in matches):
            # YAML refuses the surrogate pairs ("\ud83d\ude00") JSON writes for characters
            # outside the BMP; cfn-lint falls back to JSON only for other errors
            from cfnlint.decode import cfn_json

            template, matches = cfn_json.loads(text), []
    except Exception as error:  # noqa: BLE001 - a decoder bug must not become a traceback
        raise SpecError([Problem(file, 1, 1, f"cannot read the template: {error}")]) from None
    if matches and all(m.message.startswith(_DUPLICATE) for m in matches):
        return _decode_last_key_wins(text, file)
    if matches:
        raise SpecError(_problems(file, matches))
    return template


# cfn-lint refuses a mapping with a key twice ("Duplicate found", E0000), but
# CloudFormation accepts it and deploys the last occurrence: `validate-template` and
# deploys shown in go-to-k/cdk-real-drift#1074 (YAML and JSON alike), and cfn-lint's own
# aws-cloudformation/cfn-lint#35 ("the last occurrence is used"). A template that
# deploys is read the same way: the last key wins.
_DUPLICATE = "Duplicate found"


def _decode_last_key_wins(text: str, file: str):
    from cfnlint.decode import cfn_yaml
    from yaml import YAMLError

    class LastKeyWins(cfn_yaml.CfnFullLoader):
        def construct_yaml_map(self, node):
            self.flatten_mapping(node)
            last = {}
            for index, (key_node, _) in enumerate(node.value):
                last[(key_node.tag, key_node.value) if isinstance(key_node.value, str) else index] = index
            node.value = [pair for index, pair in enumerate(node.value) if index in last.values()]
            return cfn_yaml.NodeConstructor.construct_yaml_map(self, node)

    LastKeyWins.add_constructor("tag:yaml.org,2002:map", LastKeyWins.construct_yaml_map)
    LastKeyWins.add_multi_constructor("!", cfn_yaml.multi_constructor)
    try:
        template = LastKeyWins(text, file).get_single_data()
    except cfn_yaml.CfnParseError as error:
        raise SpecError(_problems(file, error.matches)) from None
    except (YAMLError, ValueError, TypeError) as error:
        raise SpecError([Problem(file, 1, 1, f"cannot read the template: {error}")]) from None
    _refuse_alias_bombs(template, file)
    return template


def _refuse_alias_bombs(template, file: str, limit: int = MAX_NODES) -> None:
    """YAML aliases share one object many times over; a template that expands past
    `limit` values (a "billion laughs") is refused, as cfn-lint's own loader does. The
    limit is the one on the values of any input (specs/inputfile.py)."""
    stack, seen = [template], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > limit:
            raise SpecError([Problem(file, 1, 1, f"cannot read the template: its YAML aliases expand past {limit:,} values")])
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _problems(file: str, matches) -> list[Problem]:
    return [Problem(file, max(m.linenumber, 1), max(m.columnnumber, 1), f"cannot read the template: {m.message}") for m in matches]


def _is_sam(source: dict) -> bool:
    transform = source.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return SAM_TRANSFORM in transforms


def _expand_sam(source: dict, file: str) -> dict:
    from .sam import SamError, expand

    try:
        return expand(source)
    except SamError as error:
        line, column = key_position(source, "Transform") or (1, 1)
        raise SpecError([Problem(file, line, column, f"the SAM transform failed: {error}")]) from None


def key_position(mapping, key) -> tuple[int, int] | None:
    """(line, column), 1-based, of `key` in a decoded mapping; None when not there or unmarked."""
    if not isinstance(mapping, dict):
        return None
    for candidate in mapping:
        if candidate == key:
            mark = getattr(candidate, "start_mark", None)
            if mark is None:
                return None
            return mark.line + 1, mark.column + 1
    return None


def path_position(node, path) -> tuple[int, int] | None:
    """The position of the deepest key of `path` (keys and list indexes) found in `node`."""
    found = None
    for step in path:
        if isinstance(node, dict) and step in node:
            found = key_position(node, step) or found
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            item = node[step]
            mark = getattr(item, "start_mark", None)
            if mark is not None:
                found = (mark.line + 1, mark.column + 1)
            node = item
        else:
            break
    return found
