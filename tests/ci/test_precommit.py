"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit.

pre-commit installs a `language: python` hook by pip-installing the hook repository
into its own virtualenv, which needs the package index for archlint's dependencies
(about 25 s here with network; impossible offline). So the test that always runs
uses `repo: local` with `language: system`: the same id, entry and file pattern,
read from the published hooks file, run by the archlint already installed. The
published file itself is exercised by `pre-commit try-repo` when
ARCHLINT_NETWORK_TESTS=1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import CLEAN, FAILING, REPO, write

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
DOCS_CONFIG = REPO / "docs" / "ci" / "pre-commit-config.yaml"

# the real pre-commit, a test dependency: it runs in every environment the suite runs in
pytestmark = pytest.mark.slow


def published_hook() -> dict:
    [hook] = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return hook


def environment(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")  # no shared cache, no user state
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    return env


def git(*args, cwd, env):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def pre_commit(*args, cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def user_repository(folder: Path, env) -> Path:
    """A project using archlint: a failing spec, and YAML files that are no specs."""
    write(folder, "specs/orders.yaml", FAILING)
    write(folder, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    write(folder, "docs/notes.yaml", "just: data\n")
    git("init", "-q", cwd=folder, env=env)
    return folder


def test_published_hook_definition():
    hook = published_hook()
    assert hook["id"] == "archlint"
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["archlint", "check"]
    assert hook["files"] == r"\.ya?ml$"
    pattern = re.compile(hook["files"])
    assert pattern.search("specs/a.yaml") and pattern.search("b.yml") and not pattern.search("c.json")


def test_docs_configuration_names_the_published_hook():
    config = yaml.safe_load(DOCS_CONFIG.read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == [published_hook()["id"]]


def test_hook_runs_under_pre_commit(tmp_path):
    env = environment(tmp_path)
    project = user_repository(tmp_path / "project", env)
    hook = published_hook()
    # docs/ci/pre-commit-config.yaml, with the remote repository replaced by a local
    # hook of the same definition run by the installed archlint (see the module doc)
    local = {key: hook[key] for key in ("id", "name", "entry", "files")}
    local["language"] = "system"
    write(project, ".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    git("add", "-A", cwd=project, env=env)

    failed = pre_commit("run", "--all-files", cwd=project, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "specs/orders.yaml:5:3: DLQ001 error orders-queue" in failed.stdout
    assert "not an archlint spec" not in failed.stdout  # the other YAML files were skipped
    assert "1 file checked: 3 errors" in failed.stdout

    write(project, "specs/orders.yaml", CLEAN)
    git("add", "-A", cwd=project, env=env)
    passed = pre_commit("run", "--all-files", cwd=project, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"archlint\.+Passed", passed.stdout)


def snapshot_of_this_repository(folder: Path, env) -> Path:
    """This working tree (committed and not yet committed files, minus ignored ones)
    as a fresh git repository: what a user's pre-commit would clone."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file() and not name.startswith(("bench/", ".benchmarks/")):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=folder, env=env)
    git("add", "-A", cwd=folder, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=folder, env=env)
    return folder


@pytest.mark.skipif(os.environ.get("ARCHLINT_NETWORK_TESTS") != "1",
                    reason="pip-installs archlint's dependencies from the package index (set ARCHLINT_NETWORK_TESTS=1)")
def test_published_hooks_file_with_try_repo(tmp_path):
    env = environment(tmp_path)
    hook_repo = snapshot_of_this_repository(tmp_path / "hook-repo", env)
    project = user_repository(tmp_path / "project", env)
    git("add", "-A", cwd=project, env=env)
    done = pre_commit("try-repo", str(hook_repo), "archlint", "--all-files", cwd=project, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "specs/orders.yaml:5:3: DLQ001 error orders-queue" in output
    assert "not an archlint spec" not in output


# -- --specs-only, which the hook's entry uses ----------------------------------------

CFN_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
"""


def test_specs_only_skips_yaml_that_is_no_spec_but_keeps_specs_and_templates(project):
    from .conftest import archlint

    write(project, "specs/orders.yaml", FAILING)
    write(project, "notes.yaml", "just: data\n")
    write(project, "template.yaml", CFN_TEMPLATE)
    named = ["specs/orders.yaml", "notes.yaml", "template.yaml"]
    strict = archlint("check", *named, cwd=project)
    assert strict.returncode == 2
    assert "notes.yaml:1:1: this is not an archlint spec" in strict.stderr
    lenient = archlint("check", "--specs-only", *named, cwd=project)
    assert lenient.returncode == 1
    assert "notes.yaml" not in lenient.stderr
    assert "2 files checked" in lenient.stderr  # the spec and the template
