"""`archlint schema`: a draft-07 JSON Schema of spec format 1, generated from the
loader's type table, that accepts every example and rejects what the loader rejects
(within what a schema can see)."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from archlint.linter.registry import all_rules
from archlint.specs import types as T

from .conftest import REPO, archlint

EXAMPLES = sorted((REPO / "specs" / "examples").rglob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict:
    done = archlint("schema")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.Draft7Validator.check_schema(document)
    return document


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft7Validator(schema)


def errors(validator, text: str) -> list[str]:
    return [error.message for error in validator.iter_errors(yaml.safe_load(text))]


def test_it_is_draft_07(schema):
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_example_validates(validator, path):
    assert errors(validator, path.read_text(encoding="utf-8")) == []


def test_every_rules_documentation_examples_validate(validator):
    for rule in all_rules():
        for example in (rule.bad_example, rule.good_example):
            if example.strip():
                assert errors(validator, example) == [], rule.id


SMALL = """\
archlint: 1
name: small
resources:
  jobs:
    type: sqs.queue
    visibility_timeout: 60
"""


def test_a_small_spec_validates(validator):
    assert errors(validator, SMALL) == []


def test_unknown_type_is_rejected(validator):
    found = errors(validator, SMALL.replace("type: sqs.queue", "type: sqs.queues"))
    assert any("'sqs.queues' is not one of" in message for message in found)


def test_unknown_attribute_is_rejected(validator):
    found = errors(validator, SMALL.replace("visibility_timeout: 60", "visibility_timeout: 60\n    dead_leter: dlq"))
    assert any("'dead_leter' was unexpected" in message for message in found)


def test_attributes_of_another_type_are_rejected(validator):
    # `timeout` belongs to lambda.function, not to sqs.queue: the check is per type
    assert errors(validator, SMALL.replace("visibility_timeout: 60", "timeout: 60")) != []
    assert errors(validator, SMALL.replace("type: sqs.queue\n    visibility_timeout: 60",
                                           "type: lambda.function\n    timeout: 60")) == []


@pytest.mark.parametrize("change, expected", [
    ("visibility_timeout: 43201", "43201 is greater than the maximum of 43200"),
    ("visibility_timeout: fast", "'fast' is not of type 'integer', 'null'"),
])
def test_ranges_and_kinds(validator, change, expected):
    assert expected in errors(validator, SMALL.replace("visibility_timeout: 60", change))


def test_enums_required_and_top_level(validator):
    placement = "archlint: 1\nname: p\nresources:\n  pg:\n    type: placement_group\n    strategy: {}\n"
    assert any("is not one of ['cluster', 'spread', 'partition'" in m for m in errors(validator, placement.format("clustr")))
    assert any("'strategy' is a required property" in m for m in errors(validator, placement.replace("    strategy: {}\n", "")))
    assert any("'resource' was unexpected" in m or "Additional properties" in m
               for m in errors(validator, SMALL + "resource: {}\n"))
    assert errors(validator, SMALL.replace("archlint: 1", "archlint: 2")) != []
    assert errors(validator, SMALL + "ignore:\n  DLQ001: ''\n") != []  # a reason is never empty
    assert errors(validator, SMALL + "flows:\n  - jobs\n") != []  # a flow needs an arrow
    assert errors(validator, SMALL + "flows:\n  - {from: a, to: [b, c], label: x}\n") == []


def test_generated_from_the_type_table(schema):
    definitions = schema["definitions"]
    for type_name, attributes in T.TYPES.items():
        properties = definitions[f"type:{type_name}"]["properties"]
        assert set(properties) == set(attributes) | set(T.COMMON)
        for name, attribute in attributes.items():
            if attribute.doc:
                assert attribute.doc in properties[name]["description"]
            if attribute.kind == T.CHOICE:
                assert properties[name]["enum"][:-1] == list(attribute.choices)  # plus null: left out
    assert schema["definitions"]["resource"]["properties"]["type"]["enum"] == list(T.TYPES)
    # flows.py: each type says where it may flow to
    assert definitions["type:sqs.queue"]["description"] == "sqs.queue: flows to autoscaling.group, ec2.instance, lambda.function"


def test_output_file_is_written_whole(tmp_path, schema):
    out = tmp_path / "archlint-spec.schema.json"
    assert archlint("schema", "-o", out).returncode == 0
    assert json.loads(out.read_text()) == schema
    assert archlint("schema", "-o", tmp_path / "missing" / "x.json").returncode == 2
