"""docs/spec.md, the format reference: it must be what `archlint schema --markdown`
prints today, and what it prints must state the loader's own tables. The second half
reads the committed page back, independently of the code that wrote it, and compares
every type, attribute, default, range, choice and flow pair with specs/types.py and
specs/flows.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from archlint import specs
from archlint.render.cloudformation import BUILDERS, NOT_EMITTED
from archlint.specs import types as T
from archlint.specs.cfn.mapping import NODES
from archlint.specs.flows import FLOW_PAIRS
from archlint.specs.reference import CLOUDFORMATION, DERIVED_DEFAULTS, REGENERATE, spec_markdown

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "spec.md"


def archlint(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "archlint.linter.cli", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def page() -> str:
    assert PAGE.exists(), f"docs/spec.md is missing: run `{REGENERATE}`"
    return PAGE.read_text(encoding="utf-8")


def test_committed_page_is_current(page):
    result = archlint("schema", "--markdown")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert page == result.stdout, f"docs/spec.md is stale: run `{REGENERATE}`"


def test_markdown_goes_to_a_file_with_dash_o(tmp_path):
    result = archlint("schema", "--markdown", "-o", str(tmp_path / "spec.md"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "spec.md").read_text(encoding="utf-8") == spec_markdown()


# -- reading the page back ---------------------------------------------------------------


def _section(page: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = page.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(rf"^#{{1,{len(level)}}} ", page[start:], re.M)
    return page[start:start + following.start()] if following else page[start:]


def _rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `text`, cells stripped."""
    lines = []
    for line in text.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]*)`", cell)


def _expected_default(attribute: T.Attribute) -> str:
    if attribute.default is T.DERIVED:
        return "derived"
    if attribute.default is None:
        return "–"
    return str(attribute.default).lower() if isinstance(attribute.default, bool) else str(attribute.default)


def _check_table(rows: list[list[str]], attributes: dict, where: str) -> None:
    assert [_code(row[0])[0] for row in rows] == list(attributes), f"{where}: attributes differ"
    for row in rows:
        name, value, default, required = _code(row[0])[0], row[1], row[2], row[3]
        attribute = attributes[name]
        shown_default = "derived" if "derived" in default else (_code(default) or ["–"])[0]
        assert shown_default == _expected_default(attribute), f"{where} {name}: default"
        assert (required == "yes") == attribute.required, f"{where} {name}: required"
        if attribute.kind == T.INT:
            assert f"{attribute.minimum}–{attribute.maximum}" in value, f"{where} {name}: range"
        if attribute.kind == T.CHOICE:
            assert _code(value) == list(attribute.choices), f"{where} {name}: choices"
        if attribute.refs:
            assert _code(value) == list(attribute.refs), f"{where} {name}: referenced types"


def test_every_type_has_its_section_with_every_attribute(page):
    types_section = _section(page, "## Types and their attributes")
    assert re.findall(r"^### (\S+)$", types_section, re.M) == list(T.TYPES)
    for type_name, attributes in T.TYPES.items():
        text = _section(page, f"### {type_name}")
        rows = _rows(text)
        if attributes:
            _check_table(rows, attributes, type_name)
        else:
            assert rows == [] and "No attributes of its own" in text


def test_the_summary_table_lists_every_type_once(page):
    rows = _rows(_section(page, "## Types and their attributes"))
    assert [_code(row[0])[0] for row in rows] == list(T.TYPES)
    for row in rows:
        assert _code(row[1]) == list(T.TYPES[_code(row[0])[0]])


def test_common_attributes_and_top_level_keys(page):
    _check_table(_rows(_section(page, "## Attributes of every resource")), T.COMMON, "common")
    keys = _rows(_section(page, "## A file"))
    assert [_code(row[0])[0] for row in keys] == list(T.SPEC_KEYS)
    assert {_code(row[0])[0] for row in keys if row[1] == "yes"} == set(T.SPEC_REQUIRED)


@pytest.mark.parametrize("kind", list(T.RECORD_FIELDS))
def test_structured_entries_have_their_fields(page, kind):
    sections = {"sg_rules": "### Security group rule", "nacl_rules": "### Network ACL rule",
                "lifecycle_hooks": "### Lifecycle hook"}
    _check_table(_rows(_section(page, sections[kind])), T.RECORD_FIELDS[kind], kind)


def test_the_flow_table_is_the_loaders(page):
    rows = _rows(_section(page, "## Flows").split("What a flow means")[1])
    pairs = {}
    for sources, targets, relation, invocation in rows:
        for source in _code(sources):
            for target in _code(targets):
                assert (source, target) not in pairs, f"{source} -> {target} twice"
                shown = _code(invocation)
                pairs[(source, target)] = (_code(relation)[0], "async|sync" if len(shown) > 1 else (shown or [None])[0])
    assert pairs == FLOW_PAIRS


def test_the_flow_options_are_the_loaders(page):
    rows = _rows(_section(page, "## Flows"))
    assert [_code(row[0])[0] for row in rows] == list(T.FLOW_KEYS)


def test_every_derived_default_is_explained(page):
    derived = {(type_name, name) for type_name, attributes in T.TYPES.items()
               for name, attribute in attributes.items() if attribute.default is T.DERIVED}
    assert set(DERIVED_DEFAULTS) == derived
    text = _section(page, "## Derived defaults")
    for type_name, name in derived:
        assert f"- `{type_name}` `{name}`: " in text
    assert {tuple(_code(row[0]) + _code(row[1])) for row in _rows(text)} == set(T.DEFAULT_METRIC.items())


def test_reference_relations_are_listed(page):
    text = _section(page, "## The graph")
    for attributes in T.TYPES.values():
        for name, attribute in attributes.items():
            if attribute.kind in T.REFERENCE_KINDS:
                assert f"`{name}`" in text


def test_the_public_api_is_documented(page):
    text = _section(page, "## Python API")
    for name in specs.__all__:
        assert f"`{name}" in text, f"{name} of archlint.specs is not documented"


# -- what `emit` writes, as the page says -------------------------------------------------


@pytest.mark.parametrize("type_name", list(T.TYPES))
def test_cloudformation_column_matches_the_importer_and_the_emitter(type_name):
    said = CLOUDFORMATION[type_name]
    imported_as = {cfn_type for cfn_type, (spec_type, _) in NODES.items() if spec_type == type_name}
    if type_name in NOT_EMITTED:
        assert said.startswith("not emitted"), f"{type_name} is not emitted: {NOT_EMITTED[type_name]}"
        return
    assert type_name in BUILDERS
    assert said.split(" ")[0] in imported_as, f"{type_name} is imported from {imported_as}, the page says {said}"


def test_cloudformation_column_has_no_stale_type():
    assert set(CLOUDFORMATION) == set(T.TYPES)
