"""`archlint check|render|import` on templates, as a user runs them: processes, their
output and exit status. Every corpus template goes through all three."""

from __future__ import annotations

import glob
import json
import os

import pytest
from archlint.specs.cfn import load_template
from cli_runner import run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "corpus", "cfn")
TEMPLATES = sorted(glob.glob(os.path.join(CORPUS, "*.y*ml")) + glob.glob(os.path.join(CORPUS, "*.json")))

SAM = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def archlint(*args, cwd=None):
    return run_cli(*args, cwd=cwd)


def test_check_a_sam_template_points_into_it(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(SAM)
    result = archlint("check", str(template))
    assert result.returncode == 1  # DLQ001 is an error
    # the queue's logical id is on line 4, column 3
    assert result.stdout.startswith(f"{template}:4:3: DLQ001 error jobs: ")
    assert "Traceback" not in result.stderr


def test_check_json_report_names_the_template(tmp_path):
    template = tmp_path / "template.json"
    template.write_text(json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 5}}}}, indent=2))
    result = archlint("check", str(template), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["errors"] == [] and report["summary"]["files"] == 1


@pytest.mark.parametrize("text, line, column, words", [
    ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: [\n", 5, 1, "cannot read the template"),
    ("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", 1, 1, "needs a 'Resources' mapping"),
    ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Properties: {}\n", 3, 3, "needs a 'Type'"),
])
def test_a_broken_template_is_exit_2_with_a_position(tmp_path, text, line, column, words):
    template = tmp_path / "broken.yaml"
    template.write_text(text)
    for command in (["check", str(template)], ["import", str(template), "-o", str(tmp_path / "out.yaml")]):
        result = archlint(*command)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{template}:"), first
        assert words in first
    assert not (tmp_path / "out.yaml").exists()


def test_a_json_syntax_error_names_its_line(tmp_path):
    template = tmp_path / "broken.json"
    template.write_text('{\n  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue"\n  }\n')
    result = archlint("check", str(template))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{template}:") and "cannot read the template" in result.stderr


def test_a_failing_sam_transform_is_exit_2(tmp_path):
    template = tmp_path / "sam.yaml"
    template.write_text(SAM.replace("Type: SQS", "Type: NotAnEvent"))
    result = archlint("check", str(template))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the SAM transform failed" in result.stderr and result.stderr.startswith(f"{template}:2:1:")


def test_folders_yield_specs_only(tmp_path):
    (tmp_path / "template.yaml").write_text(SAM)
    result = archlint("check", str(tmp_path))
    assert result.returncode == 0 and "DLQ001" not in result.stdout


def test_import_writes_a_spec_that_loads_and_lints_the_same(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(SAM)
    spec = tmp_path / "spec.yaml"
    spec.write_text("old content")
    result = archlint("import", str(template), "-o", str(spec))
    assert result.returncode == 0 and result.stderr == ""
    text = spec.read_text()
    assert text.startswith("# Imported by archlint") and "archlint: 1" in text
    assert "jobs -> worker" in text
    checked = archlint("check", str(spec), "--format", "json")
    assert {(f["rule"], f["resource"]) for f in json.loads(checked.stdout)["findings"]} == {("DLQ001", "jobs")}


def test_import_to_standard_output(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(SAM)
    result = archlint("import", str(template), "-o", "-")
    assert result.returncode == 0 and "  jobs:" in result.stdout


def test_import_keeps_the_old_file_when_the_template_is_broken(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  Q: [\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("precious")
    result = archlint("import", str(template), "-o", str(spec))
    assert result.returncode == 2 and spec.read_text() == "precious"


def test_import_refuses_a_folder(tmp_path):
    result = archlint("import", str(tmp_path), "-o", "-")
    assert result.returncode == 2 and "not a folder" in result.stderr


@pytest.mark.parametrize("path", TEMPLATES, ids=os.path.basename)
def test_every_corpus_template_checks_renders_and_imports(path, tmp_path):
    spec = tmp_path / "spec.yaml"
    imported = archlint("import", path, "-o", str(spec))
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == ""  # no difference between the spec and the template reported
    checked = archlint("check", path, str(spec), "--format", "json")
    assert checked.returncode in (0, 1) and "Traceback" not in checked.stderr
    report = json.loads(checked.stdout)
    assert report["errors"] == []
    by_file = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["file"], set()).add((finding["rule"], finding["resource"]))
    assert by_file.get(path, set()) == by_file.get(str(spec), set())
    drawn = tmp_path / "drawing.dot"
    rendered = archlint("render", path, "-o", str(drawn))
    assert rendered.returncode in (0, 1) and "Traceback" not in rendered.stderr
    dot = drawn.read_text()
    assert "digraph" in dot
    for node in load_template(path).nodes:  # every resource is drawn, opaque ones too
        assert node in dot
