"""Values AWS would refuse are refused when the spec is read, at their line and
column, instead of reaching a template that CloudFormation rejects (cfn-lint E3030,
E3031, E3628)."""

from __future__ import annotations

import datetime
import json
import re
from importlib import resources
from importlib.metadata import version

import pytest
from archlint.specs import SpecError, load_text
from archlint.specs.awsvalues import LAMBDA_RUNTIMES

HEAD = "archlint: 1\nname: x\nresources:\n"


def only_problem(body: str):
    with pytest.raises(SpecError) as caught:
        load_text(HEAD + body, "s.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


BAD = [
    # (case, resource body, line, column, words)
    ("tag key too long", "  b:\n    type: s3.bucket\n    tags: {" + "k" * 129 + ": v}\n", 6, 12, ["at most 128"]),
    ("tag value too long", "  b:\n    type: s3.bucket\n    tags: {k: " + "v" * 257 + "}\n", 6, 12, ["at most 256"]),
    ("tag key aws:", "  b:\n    type: s3.bucket\n    tags: {'aws:owner': me}\n", 6, 12, ["reserved for AWS"]),
    ("tag with a control character", '  b:\n    type: s3.bucket\n    tags: {owner: "a\\nb"}\n', 6, 12, ["'\\n'", "letters, numbers"]),
    ("tag with a quote", "  b:\n    type: s3.bucket\n    tags: {owner: 'it''s'}\n", 6, 12, ['"\'"']),
    ("empty tag key", "  b:\n    type: s3.bucket\n    tags: {'': x}\n", 6, 12, ["cannot be empty"]),
    ("too many tags", "  b:\n    type: s3.bucket\n    tags: {" + ", ".join(f"k{i}: v" for i in range(51)) + "}\n", 6, 11, ["at most 50 tags"]),
    ("runtime unknown", "  f:\n    type: lambda.function\n    runtime: cobol\n", 6, 14, ["runtime 'cobol'", "python3.12"]),
    ("runtime blocked", "  f:\n    type: lambda.function\n    runtime: python2.7\n", 6, 14, ["'python2.7'"]),
    ("instance type without size", "  h:\n    type: ec2.instance\n    instance_type: large\n", 6, 20, ["not an EC2 instance type"]),
    ("instance type with text", "  h:\n    type: ec2.instance\n    instance_type: 't3.micro; rm -rf /'\n", 6, 20, ["not an EC2 instance type"]),
    ("batch instance type", "  c:\n    type: batch.compute_environment\n    instance_types: [optimal, c5, 'c5 .large']\n", 6, 21, ["'c5 .large'"]),
    ("group description characters", "  n:\n    type: vpc\n  g:\n    type: security_group\n    vpc: n\n    description: 'caf\u00e9 <b>'\n", 9, 18, ["'\u00e9'", "a-z, A-Z"]),
    ("group description length", "  n:\n    type: vpc\n  g:\n    type: security_group\n    vpc: n\n    description: " + "d" * 256 + "\n", 9, 18, ["at most 255"]),
    ("alarm description length", "  q:\n    type: sqs.queue\n  a:\n    type: cloudwatch.alarm\n    watches: q\n    description: " + "d" * 1025 + "\n", 9, 18, ["at most 1024"]),
    ("description with an escape", '  q:\n    type: sqs.queue\n    description: "a\\e[2Jb"\n', 6, 18, ["'\\x1b'"]),
]


@pytest.mark.parametrize("case, body, line, column, words", BAD, ids=[case[0] for case in BAD])
def test_values_aws_refuses_are_refused(case, body, line, column, words):
    problem = only_problem(body)
    assert (problem.line, problem.column) == (line, column), str(problem)
    for word in words:
        assert word in problem.message, problem.message


@pytest.mark.parametrize("body", [
    "  b:\n    type: s3.bucket\n    tags: {'Cost Center': 'R+D', 'team:owner': 'caf\u00e9 @home', 'a/b=c': ''}\n",
    "  h:\n    type: ec2.instance\n    instance_type: u-6tb1.metal\n  i:\n    type: ec2.instance\n    instance_type: m7i-flex.large\n",
    "  f:\n    type: lambda.function\n    runtime: provided.al2023\n",
    "  n:\n    type: vpc\n  g:\n    type: security_group\n    vpc: n\n    description: 'web tier: 443 from the ALB (#1) [prod]'\n",
])
def test_values_aws_takes_are_read(body):
    load_text(HEAD + body, "s.yaml")


def test_the_runtime_table_matches_cfn_lint_s_lifecycle_data():
    """Lambda still creates functions with every runtime in the table today; when one
    becomes blocked this fails and names it. A runtime newer than the installed
    cfn-lint's data (the oldest allowed cfn-lint knows fewer) must at least be spelled
    like one."""
    pytest.importorskip("cfnlint")
    installed = tuple(int(part) for part in version("cfn-lint").split(".")[:2])
    if installed < CHECKED_WITH_CFN_LINT:
        # Older data predicts create-block dates AWS has since moved (java17, python3.10
        # and others are still created today): only current data says what is blocked.
        pytest.skip(f"cfn-lint {version('cfn-lint')}'s runtime data predates the table's last check")
    lifecycle = json.loads(resources.files("cfnlint.data.AdditionalSpecs").joinpath("LmbdRuntimeLifecycle.json").read_text())
    today = datetime.date.today().isoformat()
    newer = sorted(runtime for runtime in LAMBDA_RUNTIMES - set(lifecycle) if not RUNTIME_NAME.fullmatch(runtime))
    blocked = sorted(runtime for runtime in LAMBDA_RUNTIMES & set(lifecycle)
                     if (lifecycle[runtime].get("create-block") or "9999") <= today)
    assert not newer, f"not spelled like a Lambda runtime: {newer}"
    assert not blocked, f"Lambda no longer creates functions with {blocked}: remove them from specs/awsvalues.py"


# the cfn-lint release whose lifecycle data specs/awsvalues.py's table was last checked against
CHECKED_WITH_CFN_LINT = (1, 58)
RUNTIME_NAME = re.compile(r"(nodejs|python|java|dotnet|ruby|provided)[0-9.]*(\.x|\.al2|\.al2023)?")
