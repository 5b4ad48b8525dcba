"""A clone alone is the whole project: no tracked file points outside the repository
(the first contracts lived in a folder beside the checkout, `../shared`), so a fresh
clone runs the suite and a reader finds every page the repository links to."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
THIS = Path(__file__).resolve()

# What a reference to the folder beside the checkout, or to the first contracts kept
# there, looks like. The contracts' names were upper case; the repository's own pages
# are docs/spec.md, docs/cli.md and docs/rules.md.
OUTSIDE = [
    re.compile(r"\.\./shared\b"),
    re.compile(r"\bshared/(SPEC|CLI|RULES)\.md|\bshared/(schemas|corpus|notes|hooks)\b"),
    re.compile(r"\b(SPEC|CLI|RULES)\.md\b"),
    re.compile(r"""(REPO|ROOT)\.parent\s*/\s*["']shared["']"""),
]


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing tells which files are the repository's")
    return [REPO / name for name in listed.stdout.decode("utf-8").split("\0") if name]


def test_no_tracked_file_points_outside_the_repository():
    files = tracked_files()
    assert len(files) > 100  # guards the listing itself
    offenders = []
    for path in files:
        if path.resolve() == THIS or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and other binary files
        for number, line in enumerate(text.splitlines(), 1):
            if any(pattern.search(line) for pattern in OUTSIDE):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "files pointing outside the repository:\n" + "\n".join(offenders)


@pytest.mark.parametrize("line", [
    "see ../shared/SPEC.md",
    "SARIF_SCHEMA = REPO.parent / 'shared' / 'schemas'",
    "the contract (CLI.md) says",
    "copied from shared/corpus/cfn",
])
def test_the_patterns_catch_what_they_are_for(line):
    assert any(pattern.search(line) for pattern in OUTSIDE)


@pytest.mark.parametrize("line", ["docs/spec.md", "[rules](rules.md)", "a shared DLQ", "shared-vol"])
def test_the_patterns_leave_ordinary_text_alone(line):
    assert not any(pattern.search(line) for pattern in OUTSIDE)


def test_every_relative_link_in_the_docs_lands_on_a_file():
    """Markdown links from the README and docs/ to files of the repository exist."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "specs" / "examples" / "README.md"]
    broken = []
    for page in pages:
        prose = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)  # not code
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (page.parent / target.split("#")[0]).resolve().exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
    assert not broken, broken
