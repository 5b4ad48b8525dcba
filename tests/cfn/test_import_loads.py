"""`archlint import` never writes what `archlint check` refuses: every corpus template
gives a spec that loads, or exit 2 with the reason and no file."""

from __future__ import annotations

import glob
import os

import pytest
from cli_runner import run_cli

from archlint.specs import load_spec

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpus", "cfn")
TEMPLATES = sorted(glob.glob(os.path.join(CORPUS, "*.y*ml")) + glob.glob(os.path.join(CORPUS, "*.json")))


@pytest.mark.parametrize("template", TEMPLATES, ids=os.path.basename)
def test_every_corpus_template_imports_to_a_spec_that_loads(template, tmp_path):
    spec = tmp_path / "spec.yaml"
    result = run_cli("import", template, "-o", spec)
    if result.returncode == 2:
        assert "nothing in this template is of a type the spec format models" in result.stderr
        assert not spec.exists()
        return
    assert result.returncode == 0, result.stderr
    graph = load_spec(str(spec))
    assert graph.number_of_nodes() >= 1
    assert run_cli("check", spec).returncode in (0, 1)  # findings at most, never an input problem


def test_a_template_of_unmodelled_types_is_refused_with_the_reason(tmp_path):
    template = tmp_path / "iam.yaml"
    template.write_text("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {}}\n"
                        "  Skill:\n    Type: Alexa::ASK::Skill\n")
    spec = tmp_path / "spec.yaml"
    result = run_cli("import", template, "-o", spec)
    assert result.returncode == 2
    assert f"{template}:1:1: nothing in this template is of a type the spec format models" in result.stderr
    assert "(AWS::IAM::Role, Alexa::ASK::Skill)" in result.stderr  # sorted
    assert not spec.exists()
    # the template itself is still read by check
    assert run_cli("check", template).returncode == 0
