"""Every CloudFormation property the importer reads exists: checked against the
resource schemas of the CloudFormation registry that cfn-lint ships (the same data
CloudFormation validates templates with), not against memory."""

from __future__ import annotations

import pytest

from archlint.specs.cfn.mapping import FOLDED, NODES, READS


def _schema(resource_type: str) -> dict:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    return PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema


def _resolve(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["definitions"][node["$ref"].split("/")[-1]]
    if isinstance(node, dict) and node.get("type") == "array" or (isinstance(node, dict) and "items" in node and "properties" not in node):
        return _resolve(schema, node.get("items", {}))
    return node


def _has_path(schema: dict, path: str) -> bool:
    node = schema
    for name in path.split("/"):
        node = _resolve(schema, node)
        properties = node.get("properties") if isinstance(node, dict) else None
        if not properties or name not in properties:
            return False
        node = properties[name]
    return True


@pytest.mark.parametrize("resource_type, path", [(t, p) for t, paths in sorted(READS.items()) for p in paths])
def test_property_exists(resource_type, path):
    assert _has_path(_schema(resource_type), path), f"{resource_type} has no property {path}"


def test_every_mapped_type_lists_what_it_reads():
    assert set(NODES) | set(FOLDED) <= set(READS) | {"AWS::ElasticLoadBalancingV2::TargetGroup"}


def test_the_check_itself_notices_a_wrong_name():
    assert not _has_path(_schema("AWS::SQS::Queue"), "VisibilityTimeOut")
    assert not _has_path(_schema("AWS::S3::Bucket"), "NotificationConfiguration/LambdaConfigurations/Functions")
