"""A team's own rules, published through the entry-point group `archlint.rules`.

The example plugin in tests/plugin_example/ (the one docs/custom-rules.md walks
through) is installed with pip into a throwaway virtualenv that sees this
environment's archlint, and that virtualenv's archlint is run as a process: the rule
must be listed, checked, explained and ignorable like a built-in one.

Broken plugins are installed the quicker way: a `*.dist-info` folder with an
`entry_points.txt` on PYTHONPATH, which is what pip leaves in site-packages and all
that `importlib.metadata` reads, so the registry meets them exactly as it would meet
an installed package.
"""

import importlib.util
import json
import re
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from cli_runner import archlint_command

HERE = Path(__file__).resolve().parent
PLUGIN_SOURCE = HERE / "plugin_example"

UNTAGGED = """\
archlint: 1
name: photos
resources:
  uploads:
    type: s3.bucket
  archive:
    type: s3.bucket
    tags: {owner: photo-team}
"""
IGNORED = """\
archlint: 1
name: photos
resources:
  uploads:
    type: s3.bucket
    ignore:
      TEAM001: scratch space, deleted nightly
"""


def _setuptools_builds_wheels_alone() -> bool:
    """setuptools builds wheels by itself from 70.1 on; before, it needs `wheel`."""
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="session")
def venv_archlint(tmp_path_factory):
    """A command line running archlint in a virtualenv where the example plugin is
    installed. One virtualenv for the whole session: making it takes seconds."""
    root = tmp_path_factory.mktemp("plugin-venv")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    _see_this_environment(python)
    pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--no-deps"]
    if not _setuptools_builds_wheels_alone():
        # This setuptools needs the `wheel` package to build the plugin; put it in
        # the throwaway venv only (`wheel` in the test extras avoids the download).
        subprocess.run([*pip, "wheel"], check=True, timeout=300)
    # Build from a copy: building writes build/ and *.egg-info next to the sources.
    source = root / "plugin_example"
    shutil.copytree(PLUGIN_SOURCE, source)
    subprocess.run([*pip, "--no-build-isolation", "--no-index", str(source)], check=True, timeout=300)
    # The venv has no `archlint` script of its own (archlint is installed outside
    # it); this is the same entry point, run by the venv's interpreter.
    return [python, "-m", "archlint.linter.cli"]


def _see_this_environment(python: str) -> None:
    """Let the throwaway venv import what this interpreter imports (archlint, editable
    or not, and its dependencies): a .pth line that adds this environment's
    site-packages as a site folder, so the .pth files in it (an editable install's
    finder) are read too. `--system-site-packages` would not do: from inside a venv
    it shows the base interpreter's packages, not this venv's."""
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    ours = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    line = "import site; " + "; ".join(f"site.addsitedir({folder!r})" for folder in ours)
    Path(site_packages, "archlint-test-parent.pth").write_text(line + "\n")


def run(command, *args, cwd=None, env=None):
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return str(path)


# -- a working plugin ----------------------------------------------------------------


def test_rules_lists_the_plugin_rule_beside_the_built_ins(venv_archlint):
    result = run(venv_archlint, "rules")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "TEAM001  error    An S3 bucket has no `owner` tag" in lines
    assert any(line.startswith("DLQ001 ") for line in lines)
    assert lines == sorted(lines), "rules are listed by id"


def test_check_reports_the_plugin_rule(venv_archlint, tmp_path):
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    result = run(venv_archlint, "check", spec)
    assert result.returncode == 1, result.stderr
    assert f"{spec}:4:3: TEAM001 error uploads: S3 bucket uploads has no `owner` tag" in result.stdout
    assert "archive" not in result.stdout  # the tagged bucket passes

    report = json.loads(run(venv_archlint, "check", "--format", "json", spec).stdout)
    [finding] = report["findings"]
    assert finding["rule"] == "TEAM001"
    assert finding["resource"] == "uploads"
    assert finding["fix"] == "add `tags: {owner: <team>}` to uploads"


def test_select_and_ignore_options_know_the_plugin_family(venv_archlint, tmp_path):
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    assert run(venv_archlint, "check", "--select", "TEAM", spec).returncode == 1
    assert run(venv_archlint, "check", "--ignore", "TEAM001", spec).returncode == 0


def test_explain_shows_the_plugin_rule_docs(venv_archlint):
    result = run(venv_archlint, "explain", "team001")
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith("# TEAM001: An S3 bucket has no `owner` tag\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix"):
        assert f"\n{section}\n" in page
    assert "https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html" in page
    assert "```yaml\narchlint: 1\nname: photos\nresources:\n  uploads:\n    type: s3.bucket\n```" in page
    assert "tags: {owner: photo-team}" in page


def test_the_catalog_includes_the_plugin_rule(venv_archlint):
    result = run(venv_archlint, "rules", "--markdown")
    assert result.returncode == 0
    assert "| [TEAM001](#team001) | error | An S3 bucket has no `owner` tag |" in result.stdout
    assert '<a id="team001"></a>\n\n## TEAM001: ' in result.stdout


def test_a_spec_may_ignore_the_plugin_rule(venv_archlint, tmp_path):
    spec = write(tmp_path, "photos.yaml", IGNORED)
    result = run(venv_archlint, "check", spec)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TEAM001" not in result.stdout


def test_without_the_plugin_that_ignore_names_no_rule(tmp_path):
    """The loader checks `ignore:` keys against the installed rules: the same spec
    is an error where the plugin is not installed (so the test above proves the
    plugin's id was accepted, not that ignore keys go unchecked)."""
    spec = write(tmp_path, "photos.yaml", IGNORED)
    result = run(archlint_command(), "check", spec)
    assert result.returncode == 2
    assert f"{spec}:7:7:" in result.stderr
    assert "TEAM001" in result.stderr
    assert "Traceback" not in result.stderr


# -- broken plugins -------------------------------------------------------------------

BROKEN_PLUGINS = {
    # name: (module source, entry point value, what the message must say)
    "raises-on-import": (
        "raise RuntimeError('ACME_TOKEN is not set')\n",
        "acme_broken",
        ["rule plugin 'acme' (acme_broken) failed to load", "ACME_TOKEN is not set"],
    ),
    "missing-dependency": (
        "import acme_internal_sdk\n",
        "acme_broken",
        ["rule plugin 'acme' (acme_broken) failed to load", "No module named 'acme_internal_sdk'"],
    ),
    "names-a-missing-class": (
        "RULES = []\n",
        "acme_broken:NoSuchRule",
        ["rule plugin 'acme' (acme_broken:NoSuchRule) failed to load", "NoSuchRule"],
    ),
    "class-without-id": (
        "from archlint.linter.rule import Rule\n"
        "class Nameless(Rule):\n"
        "    severity = 'error'\n"
        "    summary = 'no id'\n"
        "RULES = [Nameless]\n",
        "acme_broken",
        ["acme_broken.Nameless has id None", "e.g. ABC001"],
    ),
    "not-a-rule": (
        "def check(graph):\n"
        "    return []\n"
        "RULES = [check]\n",
        "acme_broken",
        ["the rule plugin 'acme'", "lists acme_broken.check", "not a subclass of archlint's Rule"],
    ),
    "bad-severity": (
        "from archlint.linter.rule import Rule\n"
        "class Loud(Rule):\n"
        "    id = 'TEAM002'\n"
        "    severity = 'critical'\n"
        "    summary = 'loud'\n"
        "RULES = [Loud]\n",
        "acme_broken",
        ["acme_broken.Loud (TEAM002) has severity 'critical'", "info, warning, error"],
    ),
    "takes-a-built-in-id": (
        "from archlint.linter.rule import Rule\n"
        "class Impostor(Rule):\n"
        "    id = 'DLQ001'\n"
        "    severity = 'info'\n"
        "    summary = 'mine now'\n"
        "RULES = [Impostor]\n",
        "acme_broken",
        ["two rules claim the id DLQ001", "acme_broken.Impostor"],
    ),
}


def install_by_hand(site: Path, source: str, entry_point: str) -> dict:
    """What pip would leave in site-packages for a package `acme-broken` publishing
    `acme = <entry_point>`; returns the environment that puts it on the path."""
    site.mkdir()
    (site / "acme_broken.py").write_text(source)
    info = site / "acme_broken-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-broken\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[archlint.rules]\nacme = {entry_point}\n")
    return {**os.environ, "PYTHONPATH": str(site)}


def assert_stopped_with(result, expected) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("archlint: ") and "\n" not in message, message
    for part in expected:
        assert part in message, message


@pytest.mark.parametrize("name", sorted(BROKEN_PLUGINS))
def test_a_broken_plugin_is_named_and_stops_the_run(name, tmp_path):
    source, entry_point, expected = BROKEN_PLUGINS[name]
    env = install_by_hand(tmp_path / "site", source, entry_point)
    assert_stopped_with(run(archlint_command(), "rules", env=env), expected)


@pytest.mark.parametrize("command", ["check", "explain"])
def test_every_command_stops_on_a_broken_plugin(command, tmp_path):
    """Not only `rules`: a check that silently skipped a team's rules would pass
    specs the team means to fail."""
    source, entry_point, expected = BROKEN_PLUGINS["raises-on-import"]
    env = install_by_hand(tmp_path / "site", source, entry_point)
    argument = write(tmp_path, "photos.yaml", UNTAGGED) if command == "check" else "DLQ001"
    assert_stopped_with(run(archlint_command(), command, argument, env=env), expected)


def test_a_plugin_rule_that_crashes_in_check_is_named(tmp_path):
    source = (
        "from archlint.linter.rule import Rule\n"
        "class Crash(Rule):\n"
        "    id = 'TEAM009'\n"
        "    severity = 'error'\n"
        "    summary = 'crashes'\n"
        "    def check(self, graph):\n"
        "        raise KeyError('tags')\n"
        "RULES = [Crash]\n"
    )
    env = install_by_hand(tmp_path / "site", source, "acme_broken")
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    result = run(archlint_command(), "check", spec, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "rule TEAM009 (acme_broken.Crash) failed on this spec with KeyError" in result.stderr
    assert "photos.yaml:1:1:" in result.stderr


# -- docs/custom-rules.md tells what really happens ----------------------------------

GUIDE = HERE.parent / "docs" / "custom-rules.md"


def code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, re.M | re.S)


def test_the_guide_shows_the_example_package_as_it_is():
    guide = GUIDE.read_text()
    assert (PLUGIN_SOURCE / "pyproject.toml").read_text() in code_blocks(guide, "toml")
    module = PLUGIN_SOURCE / "src" / "acme_archlint_rules" / "__init__.py"
    assert module.read_text() in code_blocks(guide, "python")


def test_the_guide_shows_real_output(venv_archlint, tmp_path):
    guide = GUIDE.read_text()
    flagged, ignored = [block for block in code_blocks(guide, "yaml") if block.startswith("archlint: 1\nname: photos")]
    assert flagged == UNTAGGED and ignored == IGNORED  # the specs the tests above check

    (tmp_path / "photos.yaml").write_text(flagged)
    result = run(venv_archlint, "check", "photos.yaml", cwd=tmp_path)
    assert f"$ archlint check photos.yaml\n{result.stdout}{result.stderr}$ echo $?\n{result.returncode}\n" in guide

    (tmp_path / "photos.yaml").write_text(ignored)
    result = run(venv_archlint, "check", "photos.yaml", cwd=tmp_path)
    assert f"$ archlint check photos.yaml\n{result.stdout}{result.stderr}```" in guide

    listed = run(venv_archlint, "rules").stdout.splitlines()
    shown = guide.split("$ archlint rules\n")[1].split("```")[0].splitlines()
    assert [line for line in shown if line != "..."] == [line for line in listed if line in shown]
    assert shown[-2:] == listed[-2:]

    explained = run(venv_archlint, "explain", "TEAM001").stdout
    shown = guide.split("$ archlint explain TEAM001\n")[1].split("\n...\n")[0]
    assert explained.startswith(shown + "\n")


def test_the_guide_s_tests_pass_against_the_installed_plugin(venv_archlint, tmp_path):
    guide = GUIDE.read_text()
    [tests] = [block for block in code_blocks(guide, "python") if "def test_" in block]
    (tmp_path / "test_acme_rules.py").write_text(tests)
    python = venv_archlint[0]
    result = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_acme_rules.py"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


# -- a plugin cannot take over the run ------------------------------------------------

PLUGIN_RULE = (
    "import sys\n"
    "from archlint.linter.rule import Finding, Rule\n"
    "class Rogue(Rule):\n"
    "    id = 'TEAM009'\n"
    "    severity = 'error'\n"
    "    summary = 'rogue'\n"
    "    def check(self, graph):\n"
    "{body}"
    "RULES = [Rogue]\n"
)
ROGUE_BODIES = {
    # what the rule does: (its body, what the message must say)
    "exits 0": ("        sys.exit(0)\n", ["rule TEAM009", "SystemExit"]),
    "exits 1 after a finding": ("        yield self.finding(graph, 'uploads', 'm', 'f')\n        raise SystemExit(1)\n", ["rule TEAM009", "SystemExit"]),
    "yields a dict": ("        yield {'rule': 'TEAM009', 'line': 1}\n", ["rule TEAM009", "malformed finding", "dict"]),
    "yields a string line": ("        yield Finding('f', 'one', 1, 'TEAM009', 'uploads', 'error', 'm', 'x')\n", ["rule TEAM009", "malformed finding", "line"]),
    "yields another rule's id": ("        yield Finding('f', 1, 1, 'DLQ999', 'uploads', 'error', 'm', 'x')\n", ["rule TEAM009", "malformed finding", "DLQ999"]),
    # the graph a plugin rule gets is frozen: its structure cannot change
    "adds a node": ("        graph.add_node('extra', type='sns.topic')\n        return []\n", ["rule TEAM009", "Frozen graph"]),
    "yields a bad severity": ("        yield Finding('f', 1, 1, 'TEAM009', 'uploads', 'fatal', 'm', 'x')\n", ["rule TEAM009", "malformed finding", "fatal"]),
}


@pytest.mark.parametrize("behaviour", sorted(ROGUE_BODIES))
@pytest.mark.parametrize("report", ["text", "json"])
def test_a_rogue_plugin_rule_is_a_plugin_error_exit_2(behaviour, report, tmp_path):
    body, expected = ROGUE_BODIES[behaviour]
    env = install_by_hand(tmp_path / "site", PLUGIN_RULE.format(body=body), "acme_broken")
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    result = run(archlint_command(), "check", "--format", report, spec, env=env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    where = result.stdout if report == "json" else result.stderr
    for part in expected:
        assert part in where, where


def test_a_plugin_rule_exiting_at_import_stops_the_run(tmp_path):
    env = install_by_hand(tmp_path / "site", "import sys\nsys.exit(0)\n", "acme_broken")
    assert_stopped_with(run(archlint_command(), "rules", env=env), ["rule plugin 'acme' (acme_broken) failed to load", "SystemExit"])


def test_what_a_plugin_rule_prints_stays_out_of_the_report(tmp_path):
    body = ("        print('{\"findings\": []} \\x1b[31m::error::injected')\n"
            "        print('to stderr', file=sys.stderr)\n"
            "        return []\n")
    env = install_by_hand(tmp_path / "site", PLUGIN_RULE.format(body=body), "acme_broken")
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    result = run(archlint_command(), "check", "--format", "json", spec, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # the whole of standard output is the report
    assert report["findings"] == []
    assert "injected" not in result.stdout
    # relayed on standard error, named, and harmless in a terminal or a CI log
    assert "archlint: rule TEAM009 printed: to stderr" in result.stderr
    assert "\x1b" not in result.stderr and "\n::" not in result.stderr and "injected" in result.stderr


MUTATING_BODY = (
    "        graph.nodes['archive']['tags']['owner'] = 'mallory'\n"
    "        graph.nodes['uploads']['versioning'] = False\n"
    "        graph.graph['name'] = 'hijacked'\n"
    "        return []\n"
)


def test_a_plugin_rule_cannot_change_what_emit_writes(tmp_path):
    spec = write(tmp_path, "photos.yaml", UNTAGGED)
    clean = tmp_path / "clean.yaml"
    assert run(archlint_command(), "emit", spec, "-o", str(clean)).returncode == 0
    env = install_by_hand(tmp_path / "site", PLUGIN_RULE.format(body=MUTATING_BODY), "acme_broken")
    tampered = tmp_path / "tampered.yaml"
    result = run(archlint_command(), "emit", spec, "-o", str(tampered), env=env)
    assert result.returncode == 0, result.stderr
    assert tampered.read_text() == clean.read_text()


def test_a_plugin_rule_cannot_change_what_built_in_rules_see(tmp_path):
    # a later built-in rule must not see the plugin's edits either: the plugin runs on a copy
    from archlint.linter.engine import lint_graph
    from archlint.linter.registry import all_rules
    from archlint.specs import load_text

    namespace: dict = {}
    exec(PLUGIN_RULE.format(body=MUTATING_BODY), namespace)
    rogue = namespace["Rogue"]()
    rogue.__class__.__module__ = "acme_broken"
    graph = load_text(UNTAGGED, "photos.yaml")
    before = {node: repr(data) for node, data in graph.nodes(data=True)}, dict(graph.graph)
    result = lint_graph(graph, [rogue, *all_rules()])
    assert not result.failures, result.failures
    assert ({node: repr(data) for node, data in graph.nodes(data=True)}, dict(graph.graph)) == before
