"""Generated architectures of about 50 and 400 resources (the benchmark's generator,
with a VPC range AWS accepts): `archlint emit` writes templates cfn-lint passes, one
template at 50, nested stacks at 400 (1,082 CloudFormation resources, over the 500 of
a stack), and each deploys in moto with what the spec says.

moto's CloudFormation cannot read a nested stack's outputs (`Fn::GetAtt` of
`Outputs.X` fails), so the parent is played by the test as CloudFormation plays it:
each child is created in the parent's order with the parameters the parent would pass
(the parent's parameters, the earlier children's outputs).
"""

from __future__ import annotations

import importlib.util
import json
import os

import pytest
import yaml

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

from .conftest import cfn_lint, run_emit  # noqa: E402
from .test_deploy import _code_archive, _deployable  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Warnings that stay: AZs the spec names (see test_cfn_lint.py); a TemplateURL naming a
# local file, which `aws cloudformation package` uploads (W3002).
EXPLAINED = {"W3010", "W3002"}


def _generated(size: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generator", os.path.join(ROOT, "bench", "bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_spec(size).replace("cidr: 10.0.0.0/8", "cidr: 10.0.0.0/16")  # a VPC is /16 to /28


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with moto.mock_aws():
        yield lambda service: boto3.client(service, region_name="us-east-1")


def _stack(aws, name: str, template: dict, parameters: dict) -> dict:
    deployable, _ = _deployable(template)
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName=name, TemplateBody=json.dumps(deployable), Capabilities=["CAPABILITY_IAM"],
                                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}


def _as_parent_passes(value, parent: dict, outputs: dict, aws) -> str:
    if "Ref" in value:  # a parameter of the parent: its default, resolved as CloudFormation would
        body = parent["Parameters"][value["Ref"]]
        if body["Type"].startswith("AWS::SSM::Parameter::Value"):
            return aws("ssm").get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
        return body.get("Default", "")
    if "Fn::GetAtt" in value:
        stack, output = value["Fn::GetAtt"]
        return outputs[stack][output.removeprefix("Outputs.")]
    return "0a1b2c3d"  # the parent's stack suffix


@pytest.mark.parametrize("size", [50, 400])
def test_generated_spec_emits_lints_and_deploys(aws, tmp_path, size):
    spec = tmp_path / f"generated-{size}.yaml"
    spec.write_text(_generated(size))
    out = tmp_path / "out" / "generated.yaml"
    out.parent.mkdir()
    result = run_emit(str(spec), "-o", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.parent.iterdir())
    assert len(files) == (1 if size == 50 else 4), [f.name for f in files]  # 400: a parent and three children
    for path in files:
        problems = [m for m in cfn_lint(path.read_text()) if m.rule.id not in EXPLAINED and m.rule.id[0] in "EW"]
        assert not problems, (path.name, [(m.rule.id, m.message) for m in problems][:5])

    _code_archive(aws)
    parent = yaml.safe_load(out.read_text())
    if size == 50:
        _stack(aws, "generated", parent, {})
    else:
        outputs: dict = {}
        for name, body in parent["Resources"].items():  # in the parent's order: each after what it takes
            child = yaml.safe_load((out.parent / body["Properties"]["TemplateURL"]).read_text())
            assert len(child["Resources"]) <= 500
            given = {key: _as_parent_passes(value, parent, outputs, aws) for key, value in body["Properties"].get("Parameters", {}).items()}
            outputs[name] = _stack(aws, name, child, given)

    groups = max(1, size // 10)  # the generator's units: two queues, two functions, an instance... each
    assert len(aws("sqs").list_queues()["QueueUrls"]) == 2 * groups
    functions = aws("lambda").list_functions(MaxItems=1000)["Functions"]
    assert len(functions) == 2 * groups
    mappings = aws("lambda").list_event_source_mappings(MaxItems=1000)["EventSourceMappings"]
    assert len(mappings) == groups and all(m["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for m in mappings)
    reservations = aws("ec2").describe_instances()["Reservations"]
    assert sum(len(r["Instances"]) for r in reservations) == groups
