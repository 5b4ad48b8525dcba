"""Heavy dependencies are imported only by the inputs and outputs that need them:
`check` of a spec never pays for cfn-lint (0.7 s), the SAM translator or the
renderer, and no template loads the renderer."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SPEC = "archlint: 1\nname: shop\nresources:\n  jobs: {type: sqs.queue}\n"
TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n'
SAM = textwrap.dedent("""\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src/}
""")
HEAVY = ("cfnlint", "samtranslator", "boto3", "diagrams")


def modules_loaded_by_check(path) -> dict[str, bool]:
    """Which heavy packages a fresh interpreter has loaded after `archlint check PATH`."""
    script = (
        "import json, sys\n"
        "from archlint.linter.cli import main\n"
        f"status = main(['check', {str(path)!r}])\n"
        f"print(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("text, needed, never", [
    (SPEC, set(), set(HEAVY)),
    # older cfn-lint releases import the SAM translator themselves: not ours to forbid
    (TEMPLATE, {"cfnlint"}, {"diagrams"}),
    (SAM, {"cfnlint", "samtranslator", "boto3"}, {"diagrams"}),
], ids=["spec", "template", "sam"])
def test_check_imports_only_what_its_input_needs(tmp_path, text, needed, never):
    path = tmp_path / "input.yaml"
    path.write_text(text)
    loaded = {name for name, is_loaded in modules_loaded_by_check(path).items() if is_loaded}
    assert needed <= loaded
    assert not loaded & never
