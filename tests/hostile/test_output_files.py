"""Writing commands never replace their input, a device or a link, and leave no
temporary file behind when a signal ends them mid-write."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from .conftest import VALID, assert_clean_refusal, run

TEMPLATE = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})


def commands(folder):
    """(command line with OUT for the output, the input file) for each writing command."""
    spec = folder / "s.yaml"
    spec.write_text(VALID)
    template = folder / "t.json"
    template.write_text(TEMPLATE)
    return {
        "emit": (["emit", spec, "-o"], spec),
        "import": (["import", template, "-o"], template),
    }


@pytest.mark.parametrize("command", ["emit", "import"])
@pytest.mark.parametrize("spelling", ["same", "relative", "dotted", "symlink", "hardlink"])
def test_output_that_is_the_input_is_refused(tmp_path, command, spelling):
    line, source = commands(tmp_path)[command]
    before = source.read_bytes()
    if spelling == "same":
        output = source
    elif spelling == "relative":
        output = source.name
    elif spelling == "dotted":
        output = os.path.join("sub", "..", ".", source.name)
        (tmp_path / "sub").mkdir()
    elif spelling == "symlink":
        output = tmp_path / ("link" + source.suffix)
        output.symlink_to(source)
    else:
        output = tmp_path / ("hard" + source.suffix)
        os.link(source, output)
    result = run(*line, output, cwd=tmp_path)
    assert_clean_refusal(result, "cannot write")
    assert source.read_bytes() == before


def test_render_to_its_input_even_by_format_name(tmp_path):
    spec = tmp_path / "s.mmd"
    spec.write_text(VALID)
    before = spec.read_bytes()
    assert_clean_refusal(run("render", spec, "-o", spec), "cannot write", "input")
    assert spec.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can replace /dev/null")
def test_a_device_is_not_replaced(tmp_path):
    line, _ = commands(tmp_path)["emit"]
    result = run(*line, "/dev/null", "--format", "yaml")
    assert_clean_refusal(result, "/dev/null", "not a regular file")
    assert not os.path.isfile("/dev/null")


def test_a_named_pipe_output_is_refused(tmp_path):
    line, _ = commands(tmp_path)["emit"]
    fifo = tmp_path / "out.yaml"
    os.mkfifo(fifo)
    assert_clean_refusal(run(*line, fifo, timeout=30), "not a regular file")
    assert os.path.exists(fifo) and not os.path.isfile(fifo)


@pytest.mark.parametrize("command", ["emit", "import", "schema"])
def test_a_symlink_output_is_refused_and_kept(tmp_path, command):
    target = tmp_path / "elsewhere.yaml"
    target.write_text("precious\n")
    link = tmp_path / "out.yaml"
    link.symlink_to(target)
    line = ["schema", "-o"] if command == "schema" else commands(tmp_path)[command][0]
    assert_clean_refusal(run(*line, link), "symbolic link")
    assert os.path.islink(link) and target.read_text() == "precious\n"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_mid_write_leaves_no_temporary_file(tmp_path, signum):
    # The signal arrives at the last moment: the temporary file is complete and the
    # rename is next. The process is made to signal itself there.
    out = tmp_path / "out.yaml"
    out.write_text("old\n")
    script = textwrap.dedent(f"""
        import os, signal, time
        from archlint.linter import output
        def replace_after_signal(source, target):
            os.kill(os.getpid(), {int(signum)})
            time.sleep(10)
        output.os.replace = replace_after_signal
        output.write_atomically({str(out)!r}, b"x" * (2 << 20))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode in (-signum, 128 + signum, 130), (result.returncode, result.stderr)
    assert glob.glob(str(tmp_path / ".archlint-*")) == []
    assert out.read_text() == "old\n"
