"""Every rule's documentation: `archlint explain` for each rule, the examples
each rule ships (the failing one fires it, the fixed one is clean), and docs/rules.md,
which must be what `archlint rules --markdown` prints today."""

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from archlint.linter.docs import catalog_markdown, rule_markdown
from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.linter.rule import Rule
from archlint.specs import load_text
from cli_runner import run_cli

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "docs" / "rules.md"
REGENERATE = "archlint rules --markdown > docs/rules.md"

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix")

# The ids and default severities of the published catalog. CI configurations select,
# ignore and re-grade rules by id, so an id never disappears or changes its default
# severity unannounced; new rules are added freely (and belong here once released).
PUBLISHED = {
    "DLQ001": "error",
    "DLQ002": "error",
    "DLQ003": "warning",
    "DLQ004": "error",
    "DLQ005": "error",
    "DLQ006": "warning",
    "DLQ007": "error",
    "SQS001": "error",
    "SQS002": "warning",
    "FAN001": "error",
    "FAN002": "error",
    "FAN003": "error",
    "FAN004": "error",
    "FAN005": "error",
    "SG001": "error",
    "NACL001": "error",
    "NACL002": "warning",
    "NACL003": "warning",
    "EBS001": "error",
    "EBS002": "error",
    "EBS003": "warning",
    "HA001": "warning",
    "HPC001": "warning",
    "HPC002": "error",
    "HPC003": "error",
    "HPC004": "info",
    "HPC005": "warning",
    "HPC006": "warning",
    "XFER001": "info",
    "LOOP001": "error",
    "ARCH001": "warning",
}
RULES = {rule.id: rule for rule in all_rules()}


def archlint(*args):
    return run_cli(*args)


def spec(text: str) -> str:
    return textwrap.dedent(text).strip()


@pytest.mark.parametrize("rule_id", sorted(PUBLISHED))
def test_every_published_rule_is_registered_with_its_severity(rule_id):
    assert rule_id in RULES, f"{rule_id} was published but no rule class has that id"
    assert RULES[rule_id].severity == PUBLISHED[rule_id]


def test_the_catalog_users_read_lists_every_rule_with_its_severity():
    """docs/rules.md's table: one row per registered rule, with its severity."""
    rows = re.findall(r"^\| \[([A-Z]+[0-9]{3})\]\(#[a-z0-9]+\) \| (error|warning|info) \|", CATALOG.read_text(), re.M)
    assert dict(rows) == {rule_id: rule.severity for rule_id, rule in RULES.items()}
    assert len(rows) == len(RULES)


# -- archlint explain ------------------------------------------------------------


@pytest.fixture(scope="module")
def explained() -> dict[str, subprocess.CompletedProcess]:
    """`archlint explain ID` for every registered rule."""
    return {rule_id: run_cli("explain", rule_id) for rule_id in sorted(RULES)}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_explain_documents_the_rule(explained, rule_id):
    result = explained[rule_id]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    page = result.stdout
    assert page.startswith(f"# {rule_id}: {RULES[rule_id].summary}\n")
    assert f"Severity: **{RULES[rule_id].severity}**" in page
    # the ruff sections, each once, in the order a reader needs them
    positions = [page.find(f"\n{section}\n") for section in SECTIONS]
    assert -1 not in positions, f"{rule_id} lacks {[s for s, p in zip(SECTIONS, positions) if p == -1]}"
    assert positions == sorted(positions)
    assert all(page.count(f"\n{section}\n") == 1 for section in SECTIONS)
    if RULES[rule_id].family != "ARCH":  # ARCH rules judge the spec itself, not an AWS behaviour
        assert re.search(r"\]\(https://docs\.aws\.amazon\.com/[^)\s]+\)", page), f"{rule_id} links to no AWS documentation"
    # both example specs, whole: the failing one under Example, the fixed one under Fix
    example, fix = page.split("\n## Example\n")[1].split("\n## Fix\n")
    assert "```yaml\n" + spec(RULES[rule_id].bad_example) + "\n```" in example
    assert "```yaml\n" + spec(RULES[rule_id].good_example) + "\n```" in fix


def test_explain_takes_an_id_in_any_case():
    result = archlint("explain", "dlq001")
    assert result.returncode == 0
    assert result.stdout.startswith("# DLQ001: ")


def test_explain_an_unknown_rule_exits_2_and_points_to_the_list():
    result = archlint("explain", "NOPE")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no rule 'NOPE'" in result.stderr
    assert "`archlint rules` lists them" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_a_mistyped_id_suggests_the_nearest():
    result = archlint("explain", "DLQ01")
    assert result.returncode == 2
    assert 'did you mean "DLQ001"?' in result.stderr


def test_explain_a_family_prefix_lists_its_rules():
    result = archlint("explain", "fan")
    assert result.returncode == 2
    assert "FAN001, FAN002, FAN003, FAN004" in result.stderr


# -- the examples each rule ships -------------------------------------------------

@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_bad_example_fires_the_rule(rule_id):
    rule = RULES[rule_id]
    assert rule.bad_example.strip(), f"{rule_id} has no bad_example"
    graph = load_text(spec(rule.bad_example), f"{rule_id}-bad.yaml")
    fired = [finding for finding in lint(graph, all_rules()) if finding.rule == rule_id]
    assert fired, f"{rule_id}'s bad_example does not fire it"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_good_example_is_clean(rule_id):
    """The fixed spec passes the rule and every error rule: a fix a reader copies
    must not trade one deployment failure for another."""
    rule = RULES[rule_id]
    assert rule.good_example.strip(), f"{rule_id} has no good_example"
    graph = load_text(spec(rule.good_example), f"{rule_id}-good.yaml")
    findings = lint(graph, all_rules())
    left = [f"{f.rule} on {f.resource}: {f.message}" for f in findings if f.rule == rule_id or f.severity == "error"]
    assert not left, f"{rule_id}'s good_example is not clean:\n" + "\n".join(left)


# -- docs/rules.md -----------------------------------------------------------------


def test_committed_catalog_is_current():
    result = archlint("rules", "--markdown")
    assert result.returncode == 0, result.stderr
    assert CATALOG.exists(), f"docs/rules.md is missing: run `{REGENERATE}`"
    assert CATALOG.read_text() == result.stdout, f"docs/rules.md is stale: run `{REGENERATE}`"


def _outside_code(markdown: str) -> list[str]:
    lines, in_fence = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence:
            lines.append(line)
    return lines


def test_catalog_links_land_on_their_rule():
    """Every table link has an explicit anchor right before the rule's heading:
    GitHub's own heading anchors carry the whole summary, never just the id."""
    markdown = catalog_markdown(all_rules())
    lines = _outside_code(markdown)
    links = re.findall(r"\]\(#([a-z0-9-]+)\)", markdown)
    assert sorted(links) == sorted(rule.id.lower() for rule in all_rules())
    for rule in all_rules():
        anchor_line = lines.index(f'<a id="{rule.id.lower()}"></a>')
        following = [line for line in lines[anchor_line + 1:] if line.strip()]
        assert following[0] == f"## {rule.id}: {rule.summary}"


def test_catalog_headings_nest():
    """One page title; each rule a level-2 section; its parts level 3 beneath it."""
    headings = [line for line in _outside_code(catalog_markdown(all_rules())) if line.startswith("#")]
    assert [h for h in headings if h.startswith("# ")] == ["# archlint rules"]
    assert [h for h in headings if h.startswith("## ")] == [
        f"## {rule.id}: {rule.summary}" for rule in all_rules()
    ]
    assert {h for h in headings if h.startswith("### ")} >= {"### What it does", "### Why is this bad?", "### Example", "### Fix"}
    assert all(re.match(r"#{1,3} ", h) for h in headings)


def test_catalog_escapes_a_pipe_in_a_summary():
    class Piped(Rule):
        id = "ZZZ001"
        severity = "info"
        summary = "a | b"

    row = next(line for line in catalog_markdown([Piped()]).splitlines() if "ZZZ001" in line)
    assert row == "| [ZZZ001](#zzz001) | info | a \\| b |"


def test_examples_get_their_sections_when_the_docs_have_none():
    """A plugin rule with bare docs still shows its examples under Example and Fix."""

    class Bare(Rule):
        id = "ZZZ002"
        severity = "warning"
        summary = "bare"
        docs = "Just one paragraph."
        bad_example = "archlint: 1\nname: bad\n"
        good_example = "archlint: 1\nname: good\n"

    page = rule_markdown(Bare())
    assert "\n\nJust one paragraph.\n\n## Example\n\nThis spec triggers ZZZ002:\n\n```yaml\narchlint: 1\nname: bad\n```" in page
    assert "## Fix\n\nThe example, fixed:\n\n```yaml\narchlint: 1\nname: good\n```" in page


def test_docs_headings_inside_a_code_block_are_not_sections():
    class Fenced(Rule):
        id = "ZZZ003"
        severity = "info"
        summary = "fenced"
        docs = "## What it does\n```yaml\n## not a heading\n```\n## Fix\nDo it."

    page = rule_markdown(Fenced(), level=2)
    assert "### What it does\n\n```yaml\n## not a heading\n```\n\n### Fix\n\nDo it." in page
