"""`archlint emit` as a user runs it: a separate process, real files, real cfn-lint."""

from __future__ import annotations

import json
import os

import yaml

from .conftest import SPECS, run_emit

CLEAN = """
    archlint: 1
    name: orders
    resources:
      orders:
        type: sqs.queue
        dead_letter: orders-dlq
        visibility_timeout: 60
      orders-dlq:
        type: sqs.queue
      worker:
        type: lambda.function
        timeout: 10
      shop:
        type: external
    flows:
      - shop -> orders -> worker
"""

# DLQ001: a polled queue without a dead-letter queue.
FLAWED = """
    archlint: 1
    name: flawed
    resources:
      orders:
        type: sqs.queue
        visibility_timeout: 60
      worker:
        type: lambda.function
        timeout: 10
    flows:
      - orders -> worker
"""

DENY = """
    archlint: 1
    name: deny
    resources:
      vpc:
        type: vpc
      web-a:
        type: subnet
        vpc: vpc
        az: us-east-1a
        cidr: 10.0.0.0/24
      edge-acl:
        type: network_acl
        vpc: vpc
        subnets: [web-a]
        rules:
          - {number: 100, direction: ingress, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
          - {number: 100, direction: egress, action: allow, protocol: tcp, ports: "1024-65535", cidr: 0.0.0.0/0}
      web-sg:
        type: security_group
        vpc: vpc
        rules:
          - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
          - {action: deny, protocol: tcp, ports: 443, cidr: 203.0.113.7/32}
      web:
        type: ec2.instance
        subnet: web-a
        security_groups: [web-sg]
"""


def test_emits_yaml_that_is_plain_cloudformation(write_spec, tmp_path):
    out = tmp_path / "orders.yaml"
    result = run_emit(write_spec(CLEAN), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "!" not in text.replace("'!", "")  # no YAML tags (!Ref, !!python/...)
    template = yaml.safe_load(text)
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert template["Resources"]["Orders"]["Type"] == "AWS::SQS::Queue"
    assert "Traceback" not in result.stderr


def test_json_from_the_extension(write_spec, tmp_path):
    out = tmp_path / "orders.json"
    assert run_emit(write_spec(CLEAN), "-o", str(out)).returncode == 0
    template = json.loads(out.read_text())
    assert template["Resources"]["OrdersToWorkerMapping"]["Type"] == "AWS::Lambda::EventSourceMapping"


def test_same_spec_gives_byte_identical_output(write_spec, tmp_path):
    spec_path = os.path.join(SPECS, "everything.yaml")
    for suffix in ("yaml", "json"):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        assert run_emit(spec_path, "--force", "-o", str(first)).returncode == 0
        # from another working directory, with the spec named by a relative path
        relative = os.path.relpath(spec_path, str(tmp_path))
        assert run_emit(relative, "--force", "-o", str(second), cwd=str(tmp_path)).returncode == 0
        assert first.read_bytes() == second.read_bytes()


def test_stdout_output(write_spec):
    result = run_emit(write_spec(CLEAN), "-o", "-")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["Resources"]["Worker"]["Type"] == "AWS::Lambda::Function"


def test_refuses_a_spec_with_lint_errors(write_spec, tmp_path):
    out = tmp_path / "flawed.yaml"
    result = run_emit(write_spec(FLAWED), "-o", str(out))
    assert result.returncode == 1
    assert "DLQ001 error orders" in result.stderr
    assert "--force" in result.stderr
    assert not out.exists()


def test_force_emits_despite_lint_errors(write_spec, tmp_path):
    out = tmp_path / "flawed.yaml"
    result = run_emit(write_spec(FLAWED), "--force", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "DLQ001" in result.stderr
    assert yaml.safe_load(out.read_text())["Resources"]["Orders"]["Type"] == "AWS::SQS::Queue"


def test_deny_rule_refused_even_with_force(write_spec, tmp_path):
    out = tmp_path / "deny.yaml"
    out.write_text("previous template\n")
    result = run_emit(write_spec(DENY), "--force", "-o", str(out))
    assert result.returncode == 1
    assert "security group 'web-sg' rules[1] is a deny rule" in result.stderr
    assert "network ACL 'edge-acl'" in result.stderr  # the ACL to use instead
    assert "action: deny" in result.stderr and "cidr: 203.0.113.7/32" in result.stderr
    assert "number: 90" in result.stderr  # below the ACL's allow rule 100
    assert out.read_text() == "previous template\n"  # untouched


def test_bad_spec_exit_2_with_position_and_no_traceback(write_spec, tmp_path):
    bad = write_spec(
        """
        archlint: 1
        name: bad
        resources:
          q:
            type: sqs.queue
            dead_letter: nowhere
        """
    )
    out = tmp_path / "bad.yaml"
    out.write_text("previous template\n")
    result = run_emit(bad, "-o", str(out))
    assert result.returncode == 2
    assert f"{bad}:7:5:" in result.stderr  # file:line:column of the reference (the text starts with a blank line)
    assert "Traceback" not in result.stderr
    assert out.read_text() == "previous template\n"


def test_missing_spec_and_unknown_extension_exit_2(write_spec, tmp_path):
    missing = run_emit(str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "x.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    unknown = run_emit(write_spec(CLEAN), "-o", str(tmp_path / "template.txt"))
    assert unknown.returncode == 2
    assert ".yaml, .yml or .json" in unknown.stderr
    assert not (tmp_path / "template.txt").exists()


def test_logical_id_collision_exit_2_naming_both(write_spec, tmp_path):
    result = run_emit(
        write_spec(
            """
            archlint: 1
            name: clash
            resources:
              a-1-b:
                type: sqs.queue
              a1-b:
                type: sqs.queue
            """
        ),
        "-o",
        str(tmp_path / "clash.yaml"),
    )
    assert result.returncode == 2
    assert "'a-1-b'" in result.stderr and "'a1-b'" in result.stderr and "A1B" in result.stderr
    assert not (tmp_path / "clash.yaml").exists()


def test_not_emitted_listed_on_stderr_and_in_metadata(write_spec, tmp_path):
    out = tmp_path / "orders.yaml"
    result = run_emit(write_spec(CLEAN), "-o", str(out))
    assert "not emitted: shop (external)" in result.stderr
    metadata = yaml.safe_load(out.read_text())["Metadata"]["archlint"]
    assert metadata["NotEmitted"] == [{"Resource": "shop", "Type": "external", "Reason": "outside AWS", "At": 3}]


def test_validate_runs_cfn_lint(write_spec, tmp_path):
    out = tmp_path / "orders.yaml"
    result = run_emit(write_spec(CLEAN), "--validate", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "cfn-lint found no error" in result.stderr


def test_what_lambda_refuses_is_not_written_even_with_force(write_spec, tmp_path):
    # The linter's SQS001 (function timeout above the visibility timeout) is also
    # cfn-lint's E3505, and Lambda refuses the mapping: --force cannot help.
    spec_path = write_spec(
        """
        archlint: 1
        name: slow
        resources:
          jobs:
            type: sqs.queue
            dead_letter: jobs-dlq
          jobs-dlq:
            type: sqs.queue
          worker:
            type: lambda.function
            timeout: 120
        flows:
          - jobs -> worker
        """
    )
    out = tmp_path / "slow.yaml"
    result = run_emit(spec_path, "--force", "--validate", "-o", str(out))
    assert result.returncode == 1
    assert "SQS001" in result.stderr and "E3505" in result.stderr and "visibility_timeout: 720" in result.stderr
    assert "refused even with --force" in result.stderr
    assert not out.exists()


def test_deny_rule_without_force_gets_the_acl_advice_and_no_force_hint(write_spec, tmp_path):
    result = run_emit(write_spec(DENY), "-o", str(tmp_path / "deny.yaml"))
    assert result.returncode == 1
    assert "SG001 error web-sg" in result.stderr  # the linter's finding
    assert "network ACL 'edge-acl'" in result.stderr  # and what to write instead
    assert "pass --force" not in result.stderr  # which would not help


OVERLAP = """
    archlint: 1
    name: overlap
    resources:
      uploads:
        type: s3.bucket
      a:
        type: sqs.queue
      b:
        type: sqs.queue
    flows:
      - from: uploads
        to: [a, b]
"""


def test_overlapping_notifications_refused_even_when_forced(write_spec, tmp_path):
    out = tmp_path / "overlap.yaml"
    refused = run_emit(write_spec(OVERLAP), "-o", str(out))
    assert refused.returncode == 1
    assert "FAN005 uploads: S3 bucket uploads notifies a and b of the same event" in refused.stderr
    assert not out.exists()
    forced = run_emit(write_spec(OVERLAP), "--force", "-o", str(out))  # S3 refuses it: so does emit
    assert forced.returncode == 1 and not out.exists()
    assert "Configurations overlap" in forced.stderr
