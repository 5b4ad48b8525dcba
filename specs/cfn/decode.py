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
from dataclasses import dataclass

from ..errors import Problem, SpecError

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

# Cheap checks on the raw bytes before decoding: is this file worth reading as a
# template at all? (A folder scan never asks; only files named explicitly.)
_TEMPLATE_MARKERS = (
    re.compile(rb"AWSTemplateFormatVersion"),
    re.compile(rb"""["']?Type["']?\s*:\s*["']?AWS::"""),
    re.compile(rb"""["']?Transform["']?\s*:.*AWS::Serverless"""),
)


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


def looks_like_template(data: bytes) -> bool:
    return any(marker.search(data) for marker in _TEMPLATE_MARKERS)


def read_template(data: bytes, file: str) -> Template:
    """Decode and (for SAM) expand a template; SpecError with file:line:column otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError([Problem(file, 1, 1, f"the template is not UTF-8 text ({error.reason} at byte {error.start})")]) from None
    source = _decode(text, file)
    if not isinstance(source, dict):
        raise SpecError([Problem(file, 1, 1, "a CloudFormation template is a mapping with a 'Resources' section")])
    resources = source.get("Resources")
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
        return Template(file, source, source, sam=False)
    return Template(file, _expand_sam(source, file), source, sam=True)


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
    if matches:
        problems = [Problem(file, max(m.linenumber, 1), max(m.columnnumber, 1), f"cannot read the template: {m.message}") for m in matches]
        raise SpecError(problems)
    return template


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
