"""Tags come back from templates: known ones as `tags`, unresolvable ones as unknown."""

from __future__ import annotations

from archlint.specs import load_text
from cli_runner import run_cli

from .helpers import load

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Owner: {Type: String}
Resources:
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - {Key: team, Value: media}
        - {Key: cost-center, Value: 42}
  Host:
    Type: AWS::EC2::Instance
    Properties:
      Tags:
        - {Key: Name, Value: host}
        - {Key: Name2, Value: host}
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - {Key: owner, Value: !Ref Owner}
  Batch:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      Tags: {team: hpc}
"""


def test_known_tags_are_read_in_both_shapes():
    graph = load(TEMPLATE)
    assert graph.nodes["photos"]["tags"] == {"team": "media", "cost-center": "42"}
    assert graph.nodes["batch"]["tags"] == {"team": "hpc"}
    assert graph.nodes["photos"]["positions"]["tags"][0] == 8


def test_the_emitters_own_name_tag_does_not_come_back():
    assert load(TEMPLATE).nodes["host"]["tags"] == {"Name2": "host"}


def test_a_tag_the_template_does_not_fix_makes_the_tags_unknown():
    logs = load(TEMPLATE).nodes["logs"]
    assert logs["tags"] is None
    assert "tags" in logs["unknown"]


def test_imported_spec_carries_the_tags(tmp_path):
    template = tmp_path / "tagged.yaml"
    template.write_text(TEMPLATE)
    done = run_cli("import", str(template), "-o", "-")
    assert done.returncode == 0, done.stderr
    spec = done.stdout
    graph = load_text(spec, "spec.yaml")
    assert graph.nodes["photos"]["tags"] == {"team": "media", "cost-center": "42"}
    assert "# unknown in the template: tags" in spec
