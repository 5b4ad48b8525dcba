"""docs/diff.md: every recipe is a file under docs/diff/ included verbatim, run here as
the CI system would run it; the JSON shapes the page shows are the ones archlint writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ORDERS, REPO, archlint, edit, git, mermaid_parse, write

DOC = REPO / "docs" / "diff.md"
SNIPPETS = REPO / "docs" / "diff"
NO_DLQ = edit(ORDERS, "    dead_letter: billing-dlq\n    max_receive_count: 5\n", "")


def snippet(name: str) -> str:
    return (SNIPPETS / name).read_text(encoding="utf-8")


def run_shell(command: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    """One `run:`/`script:` line, in bash as GitHub's runner runs it, with archlint on PATH."""
    environment = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""), **env)
    return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("name", sorted(path.name for path in SNIPPETS.iterdir()))
def test_every_snippet_is_in_the_page_verbatim(name):
    page = DOC.read_text(encoding="utf-8")
    assert re.search(r"```\w*\n" + re.escape(snippet(name)) + "```", page), f"docs/diff.md lacks docs/diff/{name}"


@pytest.fixture
def pull_request(repo):
    """The repository of a pull request: the base branch as `origin/main`, and a change
    that adds a queue without a dead-letter queue."""
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    write(repo, "specs/orders.yaml", NO_DLQ)
    git(repo, "commit", "-q", "-am", "drop the DLQ")
    return repo


def test_github_workflow_comments_and_attaches_the_picture(pull_request):
    workflow = yaml.safe_load(snippet("github-workflow.yml"))
    assert workflow["permissions"]["pull-requests"] == "write"
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # --base needs the base branch
    [diff_step] = [step for step in steps if step.get("run", "").startswith("archlint diff")]
    done = run_shell(diff_step["run"], pull_request, GITHUB_BASE_REF="main")
    assert done.returncode == 1, done.stderr  # DLQ001 introduced: the job fails...
    comment = (pull_request / "archlint-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### archlint: 1 file changed: 1 resource changed · ❌ 1 finding introduced")
    [diagram] = re.findall(r"```mermaid\n(.*?)```", comment, re.S)
    assert mermaid_parse(diagram).returncode == 0
    # ...and the later steps still run, upload the picture and post the comment
    [upload] = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    [post] = [step for step in steps if "gh pr comment" in step.get("run", "")]
    assert upload["if"].startswith("always()") and post["if"].startswith("always()")
    pictures = sorted(path.name for path in pull_request.glob(upload["with"]["path"]))
    assert pictures == ["archlint-change.svg"]
    assert (pull_request / "archlint-change.svg").read_bytes().startswith(b"<?xml")
    append, comment_line = post["run"].strip().splitlines()
    assert run_shell(append, pull_request, RUN_URL="https://example.invalid/run/1").returncode == 0
    assert (pull_request / "archlint-comment.md").read_text().endswith("[this run](https://example.invalid/run/1).\n")
    assert "--body-file archlint-comment.md" in comment_line and "--edit-last --create-if-none" in comment_line


def test_gitlab_job_keeps_the_comment_and_picture(pull_request):
    [job] = yaml.safe_load(snippet("gitlab-ci.yml")).values()
    base = git(pull_request, "rev-parse", "origin/main").strip()
    statuses = [run_shell(line, pull_request, CI_MERGE_REQUEST_DIFF_BASE_SHA=base).returncode for line in job["script"]]
    assert statuses == [1]
    assert job["artifacts"]["when"] == "always"
    kept = {path.name for pattern in job["artifacts"]["paths"] for path in pull_request.glob(pattern)}
    assert kept == {"archlint-change.md", "archlint-change.svg"}
    assert "DLQ001" in (pull_request / "archlint-change.md").read_text(encoding="utf-8")
    # without a token the note is not posted, and after_script succeeds
    assert all(run_shell(line, pull_request, ARCHLINT_NOTE_TOKEN="").returncode == 0 for line in job["after_script"])


def test_baseline_workflow_fails_only_on_new_findings(project):
    [job] = yaml.safe_load(snippet("github-baseline.yml"))["jobs"].values()
    [lint] = [step for step in job["steps"] if step.get("run", "").startswith("archlint check")]
    write(project, "specs/orders.yaml", NO_DLQ)
    assert archlint("check", "--write-baseline", "archlint-baseline.json", "specs/", cwd=project).returncode == 0
    done = run_shell(lint["run"], project)
    assert done.returncode == 0 and done.stdout == ""
    write(project, "specs/orders.yaml", edit(NO_DLQ, "visibility_timeout: 180", "visibility_timeout: 20"))
    done = run_shell(lint["run"], project)
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=specs/orders.yaml,") and "SQS001" in done.stdout
    assert "DLQ001" not in done.stdout


def shape(value):
    """A JSON value's keys, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def test_the_json_shapes_on_the_page_are_what_archlint_writes(pull_request):
    page = DOC.read_text(encoding="utf-8")
    diff_doc, baseline_doc = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", page, re.S)]
    write(pull_request, "specs/orders.yaml", edit(edit(NO_DLQ, "timeout: 30", "timeout: 60"),
                                                  "flows:\n", "  audit-queue:\n    type: sqs.queue\nflows:\n")
          + "  - from: orders-topic\n    to: audit-queue\n    label: order placed\n")
    real = json.loads(archlint("diff", "--base", "origin/main", "--format", "json", "specs", cwd=pull_request).stdout)
    for document in (diff_doc, real):  # the page shows one finding, not every one
        document["files"][0]["findings"]["introduced"] = document["files"][0]["findings"]["introduced"][:1]
    assert shape(real) == shape(diff_doc)
    archlint("check", "--write-baseline", "baseline.json", "specs", cwd=pull_request)
    assert shape(json.loads((pull_request / "baseline.json").read_text())) == shape(baseline_doc)
