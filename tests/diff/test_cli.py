"""`archlint diff` as a process: formats, exit status, and --base against a git
repository made in the test."""

from __future__ import annotations

import json

import pytest

from .conftest import ORDERS, archlint, archlint_process, edit, git, write

NO_DLQ = edit(ORDERS, "    dead_letter: billing-dlq\n    max_receive_count: 5\n", "")
SLOWER = edit(ORDERS, "    timeout: 30\n", "    timeout: 20\n")


@pytest.fixture
def versions(project):
    return write(project, "old.yaml", ORDERS), write(project, "new.yaml", NO_DLQ)


def test_text_lists_changes_and_findings(versions):
    old, new = versions
    done = archlint_process("diff", old, new)
    assert done.returncode == 1  # DLQ001 (error) introduced
    lines = done.stdout.splitlines()
    # the DLQ is an attribute of the queue, not a flow
    assert lines[0] == f"{new}: 1 resource changed; 1 finding introduced"
    assert "  ~ billing-queue (sqs.queue): dead_letter billing-dlq → —; max_receive_count 5 → —" in lines
    assert any(line.startswith(f"  introduced: {new}:") and "DLQ001 error billing-queue" in line for line in lines)
    assert "1 file compared, 1 changed" in done.stderr


def test_exit_status(project, versions):
    old, new = versions
    assert archlint_process("diff", old, old).returncode == 0
    assert archlint_process("diff", new, old).returncode == 0  # resolving findings never fails
    assert archlint_process("diff", old, write(project, "slower.yaml", SLOWER)).returncode == 0
    broken = write(project, "broken.yaml", "archlint: 1\nname: x\nresources:\n  q:\n    type: sqs.queue\n    fifo: maybe\n")
    done = archlint_process("diff", old, broken)
    assert done.returncode == 2 and f"{broken}:6:11:" in done.stderr
    assert archlint_process("diff", old, project / "missing.yaml").returncode == 2
    assert archlint_process("diff", old).returncode == 2  # OLD without NEW
    assert archlint_process("diff", old, project).returncode == 2  # a file with a folder


def test_fail_on(project):
    # HPC004, an info finding, on an instance with the legacy Intel 82599 interface
    info = "archlint: 1\nname: legacy\nresources:\n  old-node:\n    type: ec2.instance\n    az: us-east-1a\n    networking: intel-82599\n"
    old, new = write(project, "a.yaml", info.replace("intel-82599", "standard")), write(project, "b.yaml", info)
    assert archlint("diff", old, new).returncode == 0
    assert archlint("diff", "--fail-on", "info", old, new).returncode == 1


def test_json_shape(versions):
    old, new = versions
    done = archlint("diff", "--format", "json", old, new)
    document = json.loads(done.stdout)
    assert document["base"] is None and document["errors"] == []
    [file] = document["files"]
    assert file["path"] == str(new) and file["old"] == str(old) and file["new"] == str(new)
    assert file["resources"]["changed"] == [{"id": "billing-queue", "type": "sqs.queue", "changes": [
        {"attribute": "dead_letter", "old": "billing-dlq", "new": None},
        {"attribute": "max_receive_count", "old": 5, "new": None}]}]
    assert file["flows"] == {"added": [], "removed": [], "changed": []}
    [introduced] = file["findings"]["introduced"]
    assert (introduced["rule"], introduced["resource"], introduced["file"]) == ("DLQ001", "billing-queue", str(new))
    assert file["findings"]["resolved"] == []
    assert document["summary"]["files"] == 1 and document["summary"]["findings_introduced"] == 1


def test_folders_pair_files_by_path(project):
    write(project, "a/orders.yaml", ORDERS)
    write(project, "a/gone.yaml", ORDERS.replace("name: orders", "name: gone"))
    write(project, "b/orders.yaml", SLOWER)
    write(project, "b/fresh.yaml", ORDERS.replace("name: orders", "name: fresh"))
    document = json.loads(archlint("diff", "--format", "json", project / "a", project / "b").stdout)
    files = {entry["path"].split("/")[-1]: entry for entry in document["files"]}
    assert set(files) == {"orders.yaml", "gone.yaml", "fresh.yaml"}
    assert files["gone.yaml"]["new"] is None and len(files["gone.yaml"]["resources"]["removed"]) == 5
    assert files["fresh.yaml"]["old"] is None and len(files["fresh.yaml"]["resources"]["added"]) == 5
    assert files["orders.yaml"]["resources"]["changed"][0]["changes"] == [{"attribute": "timeout", "old": 30, "new": 20}]


# -- --base REV ---------------------------------------------------------------------------


def test_base_compares_the_working_file_with_the_revision(repo):
    write(repo, "specs/orders.yaml", NO_DLQ)
    done = archlint("diff", "--base", "base", "--format", "json", "specs/orders.yaml", cwd=repo)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["base"] == "base"
    [file] = document["files"]
    assert (file["path"], file["old"], file["new"]) == ("specs/orders.yaml", "base:specs/orders.yaml", "specs/orders.yaml")
    assert [f["rule"] for f in file["findings"]["introduced"]] == ["DLQ001"]


def test_base_with_a_folder_new_and_deleted_files(repo):
    write(repo, "specs/new/audit.yaml", ORDERS.replace("name: orders", "name: audit"))
    git(repo, "rm", "-q", "specs/orders.yaml")
    done = archlint("diff", "--base", "base", "--format", "json", "specs", cwd=repo)
    document = json.loads(done.stdout)
    files = {entry["path"]: entry for entry in document["files"]}
    assert set(files) == {"specs/orders.yaml", "specs/new/audit.yaml"}  # notes.yaml is no spec
    assert files["specs/new/audit.yaml"]["old"] is None  # absent at base: all added
    assert len(files["specs/new/audit.yaml"]["resources"]["added"]) == 5
    assert files["specs/orders.yaml"]["new"] is None and len(files["specs/orders.yaml"]["resources"]["removed"]) == 5


def test_base_in_a_subfolder_and_after_later_commits(repo):
    write(repo, "specs/orders.yaml", SLOWER)
    git(repo, "commit", "-q", "-am", "faster")
    # HEAD is the change now; the working tree equals HEAD: no change against HEAD
    assert "1 file compared, 0 changed" in archlint("diff", "--base", "HEAD", "orders.yaml", cwd=repo / "specs").stderr
    done = archlint("diff", "--base", "HEAD~1", "orders.yaml", cwd=repo / "specs")
    assert done.returncode == 0
    assert "  ~ billing-fn (lambda.function): timeout 30 → 20" in done.stdout.splitlines()


def test_base_problems_exit_2(repo, tmp_path):
    done = archlint_process("diff", "--base", "no-such-rev", "specs", cwd=repo)
    assert done.returncode == 2 and "no such revision" in done.stderr
    assert archlint_process("diff", "--base", "base", "nowhere.yaml", cwd=repo).returncode == 2
    outside = tmp_path / "outside"
    outside.mkdir()
    assert "not in a git repository" in archlint_process("diff", "--base", "HEAD", ".", cwd=outside).stderr
    # the old version is unreadable: it is named REV:path, with its position
    write(repo, "specs/orders.yaml", "archlint: 1\nname: x\nresources:\n  q:\n    type: sqs.queue\n    fifo: maybe\n")
    git(repo, "commit", "-q", "-am", "broken")
    write(repo, "specs/orders.yaml", ORDERS)
    done = archlint_process("diff", "--base", "HEAD", "specs/orders.yaml", cwd=repo)
    assert done.returncode == 2 and "HEAD:specs/orders.yaml:6:11:" in done.stderr


def test_an_ignore_added_silences_rather_than_resolves(project):
    old = write(project, "old.yaml", NO_DLQ)
    ignored = edit(NO_DLQ, "    visibility_timeout: 180\n",
                   "    visibility_timeout: 180\n    ignore:\n      DLQ001: replayed from the source\n")
    new = write(project, "new.yaml", ignored)
    done = archlint("diff", "--format", "json", old, new)
    assert done.returncode == 0
    findings = json.loads(done.stdout)["files"][0]["findings"]
    assert findings["resolved"] == []
    [silenced] = findings["silenced"]
    assert (silenced["rule"], silenced["resource"], silenced["reason"]) == ("DLQ001", "billing-queue", "replayed from the source")
    text = archlint("diff", old, new).stdout
    assert "  silenced: " in text and "[ignore of DLQ001: replayed from the source]" in text
    markdown = archlint("diff", "--format", "markdown", old, new).stdout
    assert "🔇 1 finding silenced by `ignore:`" in markdown.splitlines()[0]
    assert "| 🔇 DLQ001 | billing-queue |" in markdown
