"""Finding the rules: the built-in families and those installed plugins publish.

A plugin package declares, in its own pyproject.toml,

    [project.entry-points."archlint.rules"]
    my-team = "my_team_rules"          # a module with a RULES list
    # or: my-rule = "my_team_rules:NoPublicBuckets"   (one Rule class)

and its rules are then checked, listed and explained like the built-in ones.
"""

from __future__ import annotations

import functools
import re
from importlib.metadata import entry_points

from ..rules import builtin_rule_classes
from .rule import SEVERITIES, Rule

RULE_ID = re.compile(r"^[A-Z]+[0-9]{3}$")
ENTRY_POINT_GROUP = "archlint.rules"


class RegistryError(Exception):
    """A rule (usually a plugin's) is malformed; the message says which and why."""


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """One instance of every rule, sorted by id. Raises RegistryError on a bad rule."""
    classes = builtin_rule_classes() + _plugin_rule_classes()
    rules: dict[str, Rule] = {}
    for cls in classes:
        _check_rule_class(cls)
        if cls.id in rules and type(rules[cls.id]) is not cls:
            raise RegistryError(
                f"two rules claim the id {cls.id}: {_origin(type(rules[cls.id]))} and {_origin(cls)}"
            )
        rules[cls.id] = cls()
    return tuple(rules[rule_id] for rule_id in sorted(rules))


def rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


SELECTOR = re.compile(r"^[A-Z]+[0-9]{0,3}$")


def known_selector(selector: str) -> bool:
    """True when `selector` is a rule id or the prefix of at least one (e.g. "DLQ").
    The empty string is a prefix of every id, and no selector: `ignore = [""]`
    must not silently switch every rule off."""
    return isinstance(selector, str) and bool(SELECTOR.match(selector)) and any(rule.id.startswith(selector) for rule in all_rules())


def _plugin_rule_classes() -> list[type]:
    classes = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        origin = f"the rule plugin '{entry_point.name}' ({entry_point.value})"
        try:
            loaded = entry_point.load()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - a broken plugin (even one calling sys.exit) must not take the linter down
            raise RegistryError(f"{origin} failed to load: {type(error).__name__}: {error}") from error
        listed = [loaded] if isinstance(loaded, type) else list(getattr(loaded, "RULES", ()))
        for cls in listed:
            if not (isinstance(cls, type) and issubclass(cls, Rule)):
                raise RegistryError(f"{origin} lists {_describe(cls)}, which is not a subclass of archlint's Rule")
        classes.extend(listed)
    return classes


def _describe(thing) -> str:
    name = getattr(thing, "__qualname__", None) or type(thing).__name__
    return f"{getattr(thing, '__module__', '?')}.{name}"


def _check_rule_class(cls) -> None:
    if not (isinstance(cls, type) and issubclass(cls, Rule)):
        raise RegistryError(f"{_describe(cls)} is listed as a rule but is not a subclass of archlint's Rule")
    rule_id = getattr(cls, "id", None)
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise RegistryError(f"{_origin(cls)} has id {rule_id!r}; ids are capital letters and three digits, e.g. ABC001")
    if getattr(cls, "severity", None) not in SEVERITIES:
        raise RegistryError(f"{_origin(cls)} ({rule_id}) has severity {getattr(cls, 'severity', None)!r}; use one of {', '.join(SEVERITIES)}")
    if not getattr(cls, "summary", ""):
        raise RegistryError(f"{_origin(cls)} ({rule_id}) has no summary")


def _origin(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
