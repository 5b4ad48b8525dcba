"""Logical ids: derived from resource ids, stable, and never silently renamed."""

from __future__ import annotations

import pytest

from archlint.render.cloudformation import EmitError, build
from archlint.render.cloudformation.names import bucket_name_prefix, logical_id

from .conftest import spec, template_of


@pytest.mark.parametrize(
    "resource, expected",
    [("billing-queue", "BillingQueue"), ("web-1", "Web1"), ("q", "Q"), ("a-1-b", "A1B"), ("dlq", "Dlq")],
)
def test_logical_id_is_the_id_in_pascal_case(resource, expected):
    assert logical_id(resource) == expected


def test_derived_ids_carry_the_owner_and_a_suffix():
    template = template_of(
        """
        archlint: 1
        name: t
        resources:
          billing-fn:
            type: lambda.function
        """
    )
    assert list(template["Resources"]) == ["BillingFn", "BillingFnRole", "BillingFnLogGroup"]


def _error(text: str) -> EmitError:
    with pytest.raises(EmitError) as caught:
        build(spec(text))
    return caught.value


def test_two_ids_with_one_logical_id_are_an_error_naming_both():
    error = _error(
        """
        archlint: 1
        name: t
        resources:
          a-1-b:
            type: sqs.queue
          a1-b:
            type: sqs.queue
        """
    )
    assert error.status == 2
    assert "resource 'a1-b'" in str(error) and "resource 'a-1-b'" in str(error) and "'A1B'" in str(error)
    assert str(error).startswith("test.yaml:7:3:")  # where the second one is (text starts with a blank line)
    assert "(line 5)" in str(error)  # and where the first one is


def test_ids_differing_only_in_case_after_conversion_collide():
    error = _error(
        """
        archlint: 1
        name: t
        resources:
          ab:
            type: sns.topic
          a-b:
            type: sns.topic
        """
    )
    assert "ignoring case" in str(error)


def test_a_resource_named_like_a_derived_resource_collides():
    error = _error(
        """
        archlint: 1
        name: t
        resources:
          billing-fn:
            type: lambda.function
          billing-fn-role:
            type: sqs.queue
        """
    )
    assert "the execution role of 'billing-fn'" in str(error)
    assert "resource 'billing-fn-role'" in str(error)


def test_a_resource_named_like_a_parameter_collides():
    error = _error(
        """
        archlint: 1
        name: t
        resources:
          linux-ami:
            type: sqs.queue
          server:
            type: ec2.instance
        """
    )
    assert "LinuxAmi" in str(error) and "'linux-ami'" in str(error)


def test_ids_are_stable_when_resources_are_added():
    small = template_of(
        """
        archlint: 1
        name: t
        resources:
          orders:
            type: sqs.queue
          worker:
            type: lambda.function
        flows:
          - orders -> worker
        """
    )
    bigger = template_of(
        """
        archlint: 1
        name: t
        resources:
          audit:
            type: sqs.queue
          orders:
            type: sqs.queue
          worker:
            type: lambda.function
        flows:
          - audit -> worker
          - orders -> worker
        """
    )
    assert set(small["Resources"]) <= set(bigger["Resources"])
    for logical in small["Resources"]:
        if logical != "WorkerRole":  # its policy grows with the new queue
            assert small["Resources"][logical] == bigger["Resources"][logical]


def test_bucket_names_avoid_reserved_prefixes_and_fit():
    assert bucket_name_prefix("xn--thing") == "b-xn--thing"
    assert bucket_name_prefix("sthree-data") == "b-sthree-data"
    assert len(bucket_name_prefix("a" * 63)) + 9 <= 63
    assert not bucket_name_prefix("a" * 53 + "-b").endswith("-")
    # two long ids that start alike still name different buckets
    assert bucket_name_prefix("a" * 60 + "-x") != bucket_name_prefix("a" * 60 + "-y")
    assert bucket_name_prefix("uploads") == "uploads"


def test_a_node_of_a_type_without_builder_is_listed_not_crashed_on():
    graph = spec(
        """
        archlint: 1
        name: t
        resources:
          q:
            type: sqs.queue
        """
    )
    graph.add_node("legacy", type="AWS::Glue::Job", line=9, column=3)  # as an imported template keeps it
    template = build(graph)
    assert template.not_emitted == [
        {"Resource": "legacy", "Type": "AWS::Glue::Job", "Reason": "archlint has no CloudFormation emitter for the type AWS::Glue::Job",
         "At": 1}
    ]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

RESOURCE_IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(RESOURCE_IDS, min_size=1, max_size=6, unique=True))
def test_logical_ids_are_unique_or_the_clash_is_named(ids):
    """For any set of ids: every resource gets its own logical id, or the emitter
    stops naming two ids whose logical ids are the same (ignoring case)."""
    text = "archlint: 1\nname: t\nresources:\n" + "".join(f"  {i}:\n    type: sns.topic\n" for i in ids)
    from archlint.specs import load_text

    graph = load_text(text.encode(), "t.yaml")
    try:
        template = build(graph)
    except EmitError as error:
        named = [i for i in ids if f"'{i}'" in str(error)]
        assert len(named) == 2 and logical_id(named[0]).lower() == logical_id(named[1]).lower()
        return
    logical = [name for name, body in template.as_data()["Resources"].items() if body["Type"] == "AWS::SNS::Topic"]
    assert sorted(logical) == sorted(logical_id(i) for i in ids)
    assert len({name.lower() for name in logical}) == len(logical)
