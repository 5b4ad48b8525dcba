"""Tags of an imported resource: CloudFormation's `Tags`, as the spec's `tags`."""

from __future__ import annotations

from .model import Draft, Importer
from .resolve import NO_VALUE, ResourceRef, Unknown


def read_tags(imp: Importer, draft: Draft, props: dict) -> None:
    """`Tags` is a list of {Key, Value} on most types and a plain map on a few (Batch).
    A key or value the template does not fix makes the tags unknown as a whole: a rule
    reading them must not see a partial set."""
    raw = props.get("Tags")
    if raw is None:
        return
    value = imp.value(raw)
    if value is None or value is NO_VALUE:
        return
    pairs = _pairs(imp, value)
    draft.positions["tags"] = imp.position(draft.logical_id, ["Tags"])
    if pairs is None:
        draft.unknown["tags"] = "tags the template does not fix (a parameter, condition or reference)"
        return
    # The emitter names EC2 resources after their id with a Name tag (what the console
    # shows); that tag is the emitter's, not the user's, so it does not come back.
    tags = {key: text for key, text in pairs if not (key == "Name" and text == draft.id)}
    if tags:
        draft.values["tags"] = tags


def _pairs(imp: Importer, value) -> list[tuple[str, str]] | None:
    if isinstance(value, dict) and not {"Key", "Value"} <= set(value):
        entries = list(value.items())
    elif isinstance(value, list):
        entries = []
        for item in value:
            item = imp.value(item) if not isinstance(item, dict) else item
            if not isinstance(item, dict):
                return None
            entries.append((imp.value(item.get("Key")), imp.value(item.get("Value"))))
    else:
        return None
    pairs = []
    for key, text in entries:
        key, text = imp.value(key), imp.value(text)
        if any(isinstance(part, (Unknown, ResourceRef)) or part is None or part is NO_VALUE for part in (key, text)):
            return None
        pairs.append((str(key), _text(text)))
    return pairs


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
