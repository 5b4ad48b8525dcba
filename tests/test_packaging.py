"""What `pip install .` ships: every package, its data, a working console script."""

import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from archlint.linter.output import write_atomically

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOP_FOLDERS = {"specs": "archlint.specs", "linter": "archlint.linter", "rules": "archlint.rules", "render": "archlint.render"}


def source_packages():
    found = set()
    for folder, package in TOP_FOLDERS.items():
        for root, _, files in os.walk(os.path.join(ROOT, folder)):
            if "__init__.py" in files:
                relative = os.path.relpath(root, os.path.join(ROOT, folder))
                found.add(package if relative == "." else package + "." + relative.replace(os.sep, "."))
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # build from a clean copy: setuptools would reuse a stale build/ folder in the tree
    source = tmp_path_factory.mktemp("source") / "archlint"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "out", "__pycache__", ".hypothesis"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=300)
    [name] = [name for name in os.listdir(out) if name.endswith(".whl")]
    with zipfile.ZipFile(out / name) as archive:
        return archive.namelist()


def test_the_wheel_holds_every_package(wheel):
    shipped = {os.path.dirname(name).replace("/", ".") for name in wheel if name.endswith("/__init__.py")}
    assert source_packages() <= shipped, sorted(source_packages() - shipped)


def test_the_wheel_holds_icons_and_examples(wheel):
    assert any(name.startswith("archlint/render/icons/") and name.endswith(".png") for name in wheel)
    assert any(name.startswith("archlint/specs/examples/flawed/") for name in wheel)


def test_written_files_get_the_usual_mode_not_a_private_one(tmp_path):
    target = tmp_path / "out.yaml"
    write_atomically(str(target), "a: 1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask
    os.chmod(target, 0o640)
    write_atomically(str(target), "a: 2\n")  # rewriting keeps the file's mode
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert target.read_text() == "a: 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary left behind
