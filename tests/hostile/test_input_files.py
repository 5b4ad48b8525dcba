"""Inputs that used to hang archlint, blow up its memory or be skipped silently:
only regular files are read, up to a documented size, and every spec is recognised."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from archlint.specs import SpecError, is_spec_text, load_text
from archlint.specs.inputfile import MAX_INPUT_BYTES, MAX_NODES

from .conftest import ARCHLINT, VALID, assert_clean_refusal, run


def test_cyclic_alias_is_refused_not_looped():
    # the alias guard walked the cycle forever, memory growing
    text = "archlint: 1\nname: x\nresources:\n  q: &q {type: s3.bucket, tags: *q}\n"
    with pytest.raises(SpecError) as caught:
        load_text(text, "cyclic.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (4, 6)
    assert "refers to itself" in problem.message


def test_cyclic_alias_by_process(write):
    path = write("cyclic.yaml", "archlint: 1\nname: x\nresources:\n  q: &q {type: s3.bucket, tags: *q}\n")
    assert_clean_refusal(run("check", path, timeout=30), "cyclic.yaml:4:6:", "refers to itself")


def test_named_pipe_on_the_command_line_is_refused(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for command in (["check", fifo], ["emit", fifo, "-o", tmp_path / "t.yaml"], ["import", fifo, "-o", tmp_path / "s.yaml"]):
        result = run(*command, timeout=30)
        assert_clean_refusal(result, "pipe.yaml", "not a regular file")


def test_named_pipe_in_a_folder_is_skipped(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "ok.yaml").write_text(VALID)
    result = run("check", tmp_path, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "1 file checked" in result.stderr


def test_dev_zero_is_refused():
    assert_clean_refusal(run("check", "/dev/zero", timeout=30), "/dev/zero", "not a regular file")


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as stream:
        stream.write(VALID.encode() + b"#" * MAX_INPUT_BYTES)
    assert_clean_refusal(run("check", path, timeout=30), "big.yaml:1:1:", "larger than", "MiB")


def test_junk_with_too_many_nodes_is_refused_before_parsing():
    # a flow list of millions of one-letter items: about 200 bytes of memory per byte
    text = "archlint: 1\nx: [" + "a," * MAX_NODES + "a]\n"
    with pytest.raises(SpecError) as caught:
        load_text(text, "junk.yaml")
    [problem] = caught.value.problems
    assert "too many" in problem.message and "junk.yaml" == problem.file


def test_unreadable_folder_named_is_an_input_problem(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "s.yaml").write_text(VALID)
    locked.chmod(0o000)
    try:
        # root reads every folder: drop the capabilities that let it (it stays root)
        prefix = []
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("needs setpriv (util-linux) to run without root's read-any-file capability")
            caps = "-dac_override,-dac_read_search"
            prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
        result = subprocess.run([*prefix, *ARCHLINT, "check", str(locked)], capture_output=True, text=True, timeout=60)
        assert_clean_refusal(result, "locked", "cannot read the folder")
    finally:
        locked.chmod(0o755)


SPELLINGS = {
    "bom": b"\xef\xbb\xbf" + VALID.encode(),
    "quoted": VALID.replace("archlint:", '"archlint":').encode(),
    "single-quoted": VALID.replace("archlint:", "'archlint':").encode(),
    "flow": b"{archlint: 1, name: ok, resources: {b: {type: s3.bucket}}}\n",
    "json": b'{\n  "name": "ok",\n  "archlint": 1,\n  "resources": {"b": {"type": "s3.bucket"}}\n}\n',
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_spelling_of_the_marker_is_a_spec(tmp_path, spelling):
    assert is_spec_text(SPELLINGS[spelling])
    (tmp_path / "folder").mkdir()
    path = tmp_path / "folder" / "s.yaml"
    path.write_bytes(SPELLINGS[spelling])
    named = run("check", path)
    assert named.returncode == 0 and "1 file checked" in named.stderr, named.stderr
    found = run("check", tmp_path / "folder")
    assert found.returncode == 0 and "1 file checked" in found.stderr, found.stderr


def test_json_spec_with_surrogate_pair_escapes_is_read():
    # "\ud83d\ude00" is valid JSON for U+1F600; libyaml refuses lone surrogate escapes
    text = '{"archlint": 1, "name": "ok", "description": "smile \\ud83d\\ude00", "resources": {"b": {"type": "s3.bucket"}}}'
    graph = load_text(text, "s.json")
    assert graph.graph["description"] == "smile \U0001F600"


def test_json_template_with_surrogate_pair_escapes_is_read(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"AWSTemplateFormatVersion": "2010-09-09", "Description": "smile \\ud83d\\ude00",'
                    ' "Resources": {"Q": {"Type": "AWS::SNS::Topic"}}}')
    result = run("check", path)
    assert result.returncode == 0, result.stderr
