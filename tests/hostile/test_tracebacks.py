"""Inputs that used to end in a traceback: each now gets a message and exit 2."""

from __future__ import annotations

import os
import subprocess

import pytest

from archlint.linter.config import ConfigError, config_from_text
from archlint.specs import SpecError, load_text

from .conftest import ARCHLINT, VALID, assert_clean_refusal, run

HEAD = "archlint: 1\nname: x\nresources:\n  q:\n"


@pytest.mark.parametrize("written", ["[x]", "{x: 1}", "[sqs.queue]"])
def test_a_type_that_is_a_list_or_mapping(written):
    with pytest.raises(SpecError) as caught:
        load_text(HEAD + f"    type: {written}\n", "t.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (5, 11)
    assert "type" in problem.message


def test_an_integer_of_more_digits_than_python_converts():
    with pytest.raises(SpecError) as caught:
        load_text(HEAD + "    type: lambda.function\n    timeout: " + "9" * 5000 + "\n", "t.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (6, 14)
    assert "digits" in problem.message


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[tool.archlint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n"),
    ("pyproject.toml", "[tool.archlint]\nseverity = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"),
    (".archlint.yaml", "select: " + "[" * 5000 + "]" * 5000 + "\n"),
    (".archlint.yaml", "".join(" " * i + "a:\n" for i in range(2000))),
])
def test_deeply_nested_configuration(name, text):
    with pytest.raises(ConfigError) as caught:
        config_from_text(text, name)
    assert caught.value.file == name
    assert "nest" in caught.value.message or "deep" in caught.value.message, caught.value.message


def test_deeply_nested_configuration_by_process(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.archlint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "s.yaml").write_text(VALID)
    assert_clean_refusal(run("check", "s.yaml", cwd=tmp_path), "pyproject.toml")


def test_configuration_alias_bomb_is_refused():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(ConfigError) as caught:
        config_from_text("\n".join(lines) + "\nselect: *a8\n", ".archlint.yaml")
    assert "aliases" in caught.value.message


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["check", "--format", "json"], ["check"], ["rules"], ["explain", "DLQ001"]])
def test_standard_output_on_a_full_disk(tmp_path, command):
    spec = tmp_path / "s.yaml"
    # a spec with a finding, so that the text report has something to write
    spec.write_text("archlint: 1\nname: x\nresources:\n  q:\n    type: sqs.queue\n  f:\n    type: lambda.function\nflows:\n  - q -> f\n")
    args = [*command, spec] if command[0] == "check" else command
    with open("/dev/full", "w") as full:
        result = subprocess.run([*ARCHLINT, *map(str, args)], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr

