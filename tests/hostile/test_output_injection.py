"""Text from a spec (values, ignore reasons, file names) cannot become a command in a
CI log, an escape sequence in a terminal, broken XML, a wrong URI or YAML of its own."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from archlint.linter.formats.common import log_line

from .conftest import run

# a flawed spec (DLQ001 on q), its ignore reason and its description hostile
HOSTILE_REASON = "fine\\n::add-mask::hunter2\\n\\e]0;pwned\\a ##[add-mask]x \\x01"
FLAWED = (
    "archlint: 1\nname: x\n"
    'description: "\\n::stop-commands::tok\\n\\e[31m"\n'
    "resources:\n  q:\n    type: sqs.queue\n"
    f'    ignore:\n      SQS: "{HOSTILE_REASON}"\n'
    "  f:\n    type: lambda.function\n    timeout: 10\nflows:\n  - q -> f\n"
)
# an unknown type whose text carries a workflow command and a control character
BAD_VALUE = 'archlint: 1\nname: x\nresources:\n  q:\n    type: "s3\\n::add-mask::hunter2\\x01\\e[2J"\n'


def assert_log_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x01" not in text, text
    for line in text.splitlines():
        assert not line.lstrip().startswith("::") or line.startswith(("::error ", "::warning ", "::notice ")), line
        assert "##[" not in line, line


def test_log_line_neutralises_commands_and_escapes():
    assert log_line("::add-mask::x") == "\\x3a:add-mask::x"
    assert log_line("  ::stop-commands::t") == "  \\x3a:stop-commands::t"
    assert log_line("a\nb\x1b[31m ##[add-mask]s") == "a\\nb\\x1b[31m \\x23#[add-mask]s"
    assert log_line("line\u2028sep\x85") == "line\\u2028sep\\x85"


@pytest.mark.parametrize("name", ["::add-mask::hunter2.yaml", "\x1b[31mred.yaml", "##[add-mask]x.yaml"])
def test_text_report_with_hostile_file_names_and_reasons(tmp_path, name):
    (tmp_path / name).write_text(FLAWED)
    result = run("check", "--show-ignored", name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "DLQ001" in result.stdout and "ignored SQS002" in result.stderr
    assert_log_safe(result.stdout)
    assert_log_safe(result.stderr)


def test_problems_on_standard_error_are_log_safe(tmp_path):
    (tmp_path / "s.yaml").write_text(BAD_VALUE)
    result = run("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "s.yaml:5:11: unknown type" in result.stderr
    assert_log_safe(result.stderr)


def test_github_format_escapes_completely(tmp_path):
    (tmp_path / "a,b:c.yaml").write_text(FLAWED)
    (tmp_path / "bad.yaml").write_text(BAD_VALUE)
    result = run("check", "--format", "github", "--show-ignored", "a,b:c.yaml", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines and all(re.match(r"::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,title=[^:,]*::", line) for line in lines), lines
    assert "file=a%2Cb%3Ac.yaml" in result.stdout
    assert "%0A::add-mask::hunter2" in result.stdout  # the message's line break is data, not a new line
    assert "\x1b" not in result.stdout and "\x01" not in result.stdout


def test_junit_is_well_formed_with_control_characters(tmp_path):
    (tmp_path / "s.yaml").write_text(FLAWED)
    (tmp_path / "bad.yaml").write_text(BAD_VALUE)
    result = run("check", "--format", "junit", "--show-ignored", "s.yaml", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    root = ET.fromstring(result.stdout)  # not well-formed XML raises
    errors = [error.get("message") for error in root.iter("error")]
    assert any("\\x01" in message for message in errors), errors


@pytest.mark.parametrize("name, encoded", [
    ("my specs/a b.yaml", "my%20specs/a%20b.yaml"),
    ("100%.yaml", "100%25.yaml"),
    ("a#b.yaml", "a%23b.yaml"),
    ("caf\u00e9.yaml", "caf%C3%A9.yaml"),
])
def test_sarif_uris_are_percent_encoded(tmp_path, name, encoded):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FLAWED)
    result = run("check", "--format", "sarif", name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    uris = {location["physicalLocation"]["artifactLocation"]["uri"]
            for result_ in json.loads(result.stdout)["runs"][0]["results"] for location in result_["locations"]}
    assert uris == {encoded}


EVIL_ID = "Queue\n    ignore:\n      DLQ001: hidden"
EVIL_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        EVIL_ID: {"Type": "AWS::SQS::Queue"},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "x", "Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::1:role/x"}},
        "Map": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "EventSourceArn": {"Fn::GetAtt": [EVIL_ID, "Arn"]}, "FunctionName": {"Ref": "Fn"}}},
    },
}


def test_import_refuses_logical_ids_cloudformation_refuses(tmp_path):
    # the logical id used to end the YAML comment it was written in and add an ignore: of DLQ001
    template = tmp_path / "evil.json"
    template.write_text(json.dumps(EVIL_TEMPLATE))
    result = run("import", template, "-o", tmp_path / "spec.yaml")
    assert result.returncode == 2
    assert "evil.json:" in result.stderr and "alphanumeric" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()


def test_import_writes_hostile_text_as_data(tmp_path):
    # a file name and a description with YAML line breaks: comments and values stay theirs
    name = "t\u2028ignore: {DLQ: x}\x85#.json"
    template = dict(EVIL_TEMPLATE, Description="d\n  ignore:\n    DLQ001: hidden\u2028x")
    template["Resources"] = {("Queue" if key == EVIL_ID else key): value for key, value in EVIL_TEMPLATE["Resources"].items()}
    template["Resources"]["Map"]["Properties"]["EventSourceArn"] = {"Fn::GetAtt": ["Queue", "Arn"]}
    (tmp_path / name).write_text(json.dumps(template))
    result = run("import", name, "-o", "spec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "spec.yaml").read_text()
    spec = yaml.safe_load(written)
    assert "ignore" not in spec and not spec["resources"]["queue"].get("ignore"), written
    assert spec["description"] == template["Description"]
    check = run("check", "spec.yaml", cwd=tmp_path)
    assert check.returncode == 1 and "DLQ001" in check.stdout, check.stdout + check.stderr
