"""`--format github`: workflow commands that annotate the pull request's lines."""

from __future__ import annotations

import re

from archlint.linter.formats.github import command, escape_data, escape_property

from .conftest import BROKEN, FAILING, INFO_ONLY, archlint, write

COMMAND = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),title=([^:]*)::(.*)$")


def test_every_finding_is_an_annotation_with_file_line_and_column(project):
    write(project, "specs/orders.yaml", FAILING)
    done = archlint("check", "--format", "github", "specs", cwd=project)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), lines
    assert {(m[1], m[2], int(m[3]), int(m[4]), m[5]) for m in parsed} == {
        ("error", "specs/orders.yaml", 5, 3, "DLQ001 orders-queue"),
        ("error", "specs/orders.yaml", 10, 3, "DLQ002 notify-fn"),
        ("error", "specs/orders.yaml", 15, 5, "SQS001 orders-queue"),
    }
    assert "3 errors" in done.stderr  # the summary goes to the log, not to the commands


def test_info_findings_are_notices(project):
    write(project, "legacy.yaml", INFO_ONLY)
    done = archlint("check", "--format", "github", "legacy.yaml", cwd=project)
    assert done.returncode == 0
    assert done.stdout.startswith("::notice file=legacy.yaml,line=8,col=5,title=HPC004 old-node::")


def test_spec_errors_are_error_lines(project):
    write(project, "specs/broken.yaml", BROKEN)
    done = archlint("check", "--format", "github", "specs", cwd=project)
    assert done.returncode == 2
    [line] = done.stdout.splitlines()
    match = COMMAND.match(line)
    assert match and match[1] == "error" and (match[2], match[3], match[4]) == ("specs/broken.yaml", "6", "11")
    assert "expected true or false" in match[6]


def test_escaping_follows_the_runner():
    # actions/toolkit command.ts: data escapes % CR LF; properties also : and ,
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = command("error", "specs/a,b:c.yaml", 3, 4, "DLQ001 q", "line one\nline two: 50%, really")
    assert line == ("::error file=specs/a%2Cb%3Ac.yaml,line=3,col=4,title=DLQ001 q::"
                    "line one%0Aline two: 50%25, really\n")
    assert line.count("\n") == 1  # one annotation is one line


def test_show_ignored_gives_notices_with_the_reason(project):
    spec = FAILING.replace(
        "  notify-fn:\n    type: lambda.function\n",
        "  notify-fn:\n    type: lambda.function\n    ignore:\n      DLQ002: alerts are re-sent every minute\n",
    )
    write(project, "specs/orders.yaml", spec)
    done = archlint("check", "--format", "github", "--show-ignored", "specs", cwd=project)
    notices = [line for line in done.stdout.splitlines() if line.startswith("::notice")]
    assert len(notices) == 1
    assert "title=DLQ002 notify-fn (ignored)" in notices[0]
    assert notices[0].endswith("alerts are re-sent every minute")
