"""Configuration of `archlint check`: `[tool.archlint]` in pyproject.toml, or .archlint.yaml.

    [tool.archlint]
    select = ["DLQ", "SQS"]                 # only these rules (ids or prefixes)
    ignore = ["XFER001"]                    # never these
    fail-on = "warning"                     # exit 1 from this severity up
    severity = {HPC004 = "warning"}         # a rule's (or family's) severity, changed
    per-path-ignores = {"specs/legacy/*" = ["DLQ"]}   # rules skipped for some files

`.archlint.yaml` holds the same keys at its top level. Without `--config FILE`, the
nearest folder at or above the current one that has either wins; a pyproject.toml
without `[tool.archlint]` does not count, as ruff does with `[tool.ruff]`. In each
folder pyproject.toml is preferred (docs/cli.md). Patterns of `per-path-ignores` are
matched (fnmatch: `*` also crosses `/`) against spec paths relative to the folder of
the configuration file. Options given on the command line replace the file's.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..specs.inputfile import InputRefused, read_input
from ..specs.values import suggestion
from ..specs.yamlsource import Mapping, Sequence, YamlProblems, read_yaml
from .registry import all_rules, known_selector
from .rule import SEVERITIES, Finding, Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
YAML_NAMES = (".archlint.yaml", ".archlint.yml")
KEYS = ("select", "ignore", "fail-on", "severity", "per-path-ignores")
TOOL_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*archlint\s*(\]|\.)", re.MULTILINE)


class ConfigError(Exception):
    """A configuration file is wrong; str() is `file:line: what is wrong`."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


@dataclass
class Config:
    path: str | None = None  # None: no configuration file was found
    root: str = "."  # the folder per-path-ignores patterns are relative to
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None
    severity: dict[str, str] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)

    def rules_for(self, file: str, rules: list[Rule]) -> list[Rule]:
        """The rules to run on one spec: `rules` less the per-path ignores matching it."""
        skipped = self.ignored_for(file)
        return [rule for rule in rules if not any(rule.id.startswith(s) for s in skipped)]

    def ignored_for(self, file: str) -> list[str]:
        relative = Path(os.path.relpath(os.path.abspath(file), os.path.abspath(self.root))).as_posix()
        skipped = []
        for pattern, selectors in self.per_path_ignores.items():
            if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(Path(file).as_posix(), pattern):
                skipped.extend(selectors)
        return skipped

    def severity_of(self, rule_id: str, default: str) -> str:
        """The configured severity of a rule: the longest matching id or prefix wins."""
        named = [selector for selector in self.severity if rule_id.startswith(selector)]
        return self.severity[max(named, key=len)] if named else default

    def apply_severity(self, findings: list[Finding]) -> list[Finding]:
        return [
            dataclasses.replace(finding, severity=self.severity_of(finding.rule, finding.severity))
            for finding in findings
        ]


# -- finding the file ------------------------------------------------------------------


def discover(explicit: str | None = None, start: str | None = None) -> Config:
    """The configuration `check` uses: `explicit` (from --config), else the nearest."""
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(explicit, None, "no such configuration file")
        return load_config(explicit)
    found = find_config(Path(start or os.getcwd()))
    return load_config(str(found)) if found else Config()


def find_config(start: Path) -> Path | None:
    for folder in [start.resolve(), *start.resolve().parents]:
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_archlint_table(str(pyproject)):
            return pyproject
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def _has_archlint_table(path: str) -> bool:
    """Whether a pyproject.toml configures archlint. One that does not parse counts
    when it mentions archlint, so that its error is reported rather than skipped."""
    text = _read(path)
    if "archlint" not in text:
        return False
    try:
        tool = _parse_toml(path, text).get("tool", {})
    except ConfigError:
        return True
    return isinstance(tool, dict) and "archlint" in tool


def _read(path: str) -> str:
    try:
        return read_input(path).decode("utf-8")
    except InputRefused as error:
        raise ConfigError(path, None, error.problem.message) from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, f"cannot read the file: {error}") from None


# -- reading it ------------------------------------------------------------------------


def load_config(path: str) -> Config:
    """Read and check one configuration file (TOML or YAML, by its name)."""
    return config_from_text(_read(path), path)


def config_from_text(text: str, path: str) -> Config:
    """Check the text of a configuration file; `path` tells TOML from YAML and is
    where the messages point."""
    if path.endswith((".yaml", ".yml")):
        table, locate = _yaml_table(path, text)
    else:
        table, locate = _toml_table(path, text)
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    _fill(config, table, locate, path)
    return config


def _toml_table(path: str, text: str):
    document = _parse_toml(path, text)
    if os.path.basename(path) == PYPROJECT or "tool" in document:
        table = document.get("tool", {}).get("archlint")
        if table is None:
            raise ConfigError(path, None, "has no [tool.archlint] table")
        if not isinstance(table, dict):
            raise ConfigError(path, None, "tool.archlint must be a table of settings (select, ignore, ...)")
    else:  # a dedicated TOML file named with --config: the keys at its top level
        table = document
    header = TOOL_HEADER.search(text)
    start_line = text.count("\n", 0, header.start()) + 1 if header else 1

    def locate(*keys: str) -> int | None:
        """The line of the last of `keys`, found as a word after its parents'
        (tomllib keeps no positions; a plain search is right for ordinary files)."""
        lines = text.splitlines()
        line = start_line
        for key in keys:
            word = re.compile(r"(?<![\w-])[\"']?" + re.escape(key) + r"[\"']?(?![\w-])")
            for number in range(line, len(lines) + 1):
                if word.search(lines[number - 1]):
                    line = number
                    break
            else:
                return line
        return line

    return table, locate


def _parse_toml(path: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        raise ConfigError(path, int(line.group(1)) if line else None, f"not valid TOML: {error}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError(path, None, "the TOML is nested too deeply (thousands of levels); a configuration needs two") from None


def _yaml_table(path: str, text: str):
    """The table of a YAML configuration, read by the spec reader: the same guards
    against deep nesting, alias bombs and odd tags, and a position for every key."""
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return {}, lambda *keys: None
    try:
        table, problems = read_yaml(text.encode("utf-8"), path)
    except YamlProblems as error:
        problems, table = error.problems, None
    if problems:
        first = min(problems)
        raise ConfigError(path, first.line, f"not valid YAML: {first.message}")
    if not isinstance(table, dict):
        raise ConfigError(path, 1, "the configuration is a mapping of " + ", ".join(KEYS))

    def locate(*keys: str) -> int | None:
        current, line = table, None
        for key in keys:
            if isinstance(current, Sequence):  # a list item, such as a rule id
                lines = [position[0] for item, position in zip(current, current.item_positions) if str(item) == str(key)]
                return lines[0] if lines else line
            if not isinstance(current, Mapping):
                break
            found = next((written for written in current if str(written) == str(key)), None)
            if found is None:
                break
            current, line = current[found], current.key_positions[found][0]
        return line

    return table, locate


def _fill(config: Config, table: dict, locate, path: str) -> None:
    def fail(message: str, *keys: str):
        raise ConfigError(path, locate(*keys) if keys else None, message)

    for key in table:
        if key not in KEYS:
            fail(f"unknown key '{key}'{suggestion(key, KEYS)}; the keys are {', '.join(KEYS)}", key)
    for key in ("select", "ignore"):
        if key in table:
            setattr(config, key, _selectors(table[key], key, fail))
    if "fail-on" in table:
        config.fail_on = _severity(table["fail-on"], fail, "fail-on")
    if "severity" in table:
        mapping = _mapping(table["severity"], "severity", "rule id -> severity", fail)
        for selector, severity in mapping.items():
            _check_selector(selector, fail, "severity", selector)
            config.severity[selector] = _severity(severity, fail, "severity", selector)
    if "per-path-ignores" in table:
        mapping = _mapping(table["per-path-ignores"], "per-path-ignores", "path pattern -> list of rule ids", fail)
        for pattern, selectors in mapping.items():
            config.per_path_ignores[str(pattern)] = _selectors(selectors, "per-path-ignores", fail, str(pattern))


def _mapping(value, key: str, shape: str, fail) -> dict:
    if not isinstance(value, dict):
        fail(f"'{key}' is a table ({shape}), got {type(value).__name__}", key)
    return value


def _selectors(value, key: str, fail, *more_keys: str) -> list[str]:
    """A list of rule ids or prefixes (a comma-separated string is accepted too)."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        fail(f"'{key}' is a list of rule ids or prefixes such as [\"DLQ\", \"SQS001\"]", key, *more_keys)
    for selector in value:
        _check_selector(selector, fail, key, *more_keys, selector)
    return list(value)


def _check_selector(selector, fail, *keys: str) -> None:
    if isinstance(selector, str) and not selector.strip():
        fail("an empty rule id is a prefix of every rule's and would select them all; name ids or prefixes such as DLQ", *keys)
    if not isinstance(selector, str) or not known_selector(selector):
        ids = [rule.id for rule in all_rules()]
        fail(f"unknown rule id '{selector}'{suggestion(selector, ids)}; `archlint rules` lists them", *keys)


def _severity(value, fail, *keys: str) -> str:
    if value not in SEVERITIES:
        fail(f"bad severity {value!r}{suggestion(str(value), SEVERITIES)}; use one of {', '.join(SEVERITIES)}", *keys)
    return value
