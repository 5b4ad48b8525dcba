"""docs/ci.md: every snippet is a file under docs/ci/ included verbatim, and each is
run here as the CI system would run it, so the page cannot drift from archlint."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import BROKEN, FAILING, INFO_ONLY, REPO, SARIF_SCHEMA, archlint, json_findings, write

DOC = REPO / "docs" / "ci.md"
SNIPPETS = REPO / "docs" / "ci"


def snippet(name: str) -> str:
    return (SNIPPETS / name).read_text(encoding="utf-8")


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """One `run:`/`script:` line, in bash with the options GitHub's runner uses
    (`bash -eo pipefail`), with archlint on PATH."""
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(path.name for path in SNIPPETS.iterdir()))
def test_every_snippet_is_in_the_page_verbatim(name):
    page = DOC.read_text(encoding="utf-8")
    assert re.search(r"```\w*\n" + re.escape(snippet(name)) + "```", page), f"docs/ci.md lacks docs/ci/{name}"


# -- GitHub Actions -----------------------------------------------------------------


def github_steps() -> list[dict]:
    workflow = yaml.safe_load(snippet("github-workflow.yml"))
    assert workflow["permissions"]["security-events"] == "write"
    [job] = workflow["jobs"].values()
    return job["steps"]


def test_github_workflow_runs_and_uploads_valid_sarif(project):
    write(project, "specs/orders.yaml", FAILING)
    steps = github_steps()
    lint_steps = [step for step in steps if step.get("run", "").startswith("archlint ")]
    assert len(lint_steps) == 2
    annotations, sarif_step = lint_steps

    done = run_shell(annotations["run"], project)
    assert done.returncode == 1  # findings fail the job
    assert done.stdout.startswith("::error file=specs/orders.yaml,line=5,col=3,title=DLQ001 orders-queue::")

    assert sarif_step.get("if") == "always()"
    done = run_shell(sarif_step["run"], project)
    assert done.returncode == 0, done.stderr  # exit 1 is left to the annotations step
    [upload] = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload.get("if") == "always()"
    sarif = json.loads((project / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert {result["ruleId"] for result in sarif["runs"][0]["results"]} == {"DLQ001", "DLQ002", "SQS001"}

    write(project, "specs/broken.yaml", BROKEN)  # an unreadable spec still fails the SARIF step
    assert run_shell(sarif_step["run"], project).returncode != 0


# -- GitLab CI ----------------------------------------------------------------------


def test_gitlab_job_writes_the_junit_report_it_declares(project):
    write(project, "specs/orders.yaml", FAILING)
    [job] = yaml.safe_load(snippet("gitlab-ci.yml")).values()
    statuses = [run_shell(line, project).returncode for line in job["script"]]
    assert statuses == [1]  # the job fails on findings...
    assert job["artifacts"]["when"] == "always"  # ...and the report is still uploaded
    report = ET.parse(project / job["artifacts"]["reports"]["junit"]).getroot()
    assert len(report.findall(".//testcase/failure")) == 3


# -- configuration ------------------------------------------------------------------


@pytest.mark.parametrize("name, target", [("pyproject.toml", "pyproject.toml"), ("archlint.yaml", ".archlint.yaml")])
def test_configuration_examples_do_what_the_page_says(project, name, target):
    write(project, target, snippet(name))
    write(project, "specs/legacy.yaml", INFO_ONLY)
    write(project, "specs/legacy/orders.yaml", FAILING)
    status, report = json_findings("specs", cwd=project)
    found = {(f["file"], f["rule"], f["severity"]) for f in report["findings"]}
    assert found == {
        ("specs/legacy.yaml", "HPC004", "warning"),  # severity = {HPC004 = "warning"}
        ("specs/legacy/orders.yaml", "SQS001", "error"),  # DLQ ignored under specs/legacy/
    }
    assert status == 1


# -- editors ------------------------------------------------------------------------


def test_modeline_points_editors_at_the_generated_schema(project):
    header = snippet("spec-header.yaml")
    match = re.match(r"# yaml-language-server: \$schema=(\S+)\n", header)
    assert match, "the spec must start with the YAML language server's modeline"
    spec = write(project, "specs/orders.yaml", header)
    assert archlint("schema", "-o", "archlint-spec.schema.json", cwd=project).returncode == 0
    schema_path = (spec.parent / match[1]).resolve()
    assert schema_path == (project / "archlint-spec.schema.json").resolve()
    jsonschema.Draft7Validator(json.loads(schema_path.read_text())).validate(yaml.safe_load(header))
    assert archlint("check", "specs", cwd=project).returncode == 0
    # the README line the page proposes uses the same modeline
    assert f"`# yaml-language-server: $schema={match[1]}`" in DOC.read_text(encoding="utf-8")
