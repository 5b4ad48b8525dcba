"""CloudFormation intrinsic functions, always in their long form.

The template is one plain data model (dicts, lists, strings, numbers) that is
serialised as either JSON or YAML. Short forms such as `!Ref` are YAML tags, which
JSON cannot express and PyYAML's safe dumper would not write; the long forms
(`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`) mean the same in both.
"""

from __future__ import annotations


class Inline(list):
    """A short list written on one line in YAML: `Fn::GetAtt: [Queue, Arn]`."""


class InlineMap(dict):
    """A nested expression written on one line in YAML (the stack suffix)."""


def ref(logical_id: str) -> dict:
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str) -> dict:
    return {"Fn::GetAtt": Inline([logical_id, attribute])}


def sub(text: str, variables: dict | None = None) -> dict:
    if variables:
        return {"Fn::Sub": [text, variables]}
    return {"Fn::Sub": text}


def stack_suffix() -> dict:
    """Eight hex digits unique to the stack: the first group of the stack id's UUID.

    Used where AWS needs a name chosen in advance (S3 buckets, FIFO queues and
    topics): lowercase, short enough to fit every name limit, and different in each
    stack made from the same template.
    """
    return InlineMap(
        {"Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", ref("AWS::StackId")]}]}]}]}
    )


def arn(service: str, resource: str, region: bool = True, account: bool = True) -> dict:
    """An ARN of this stack's partition (and region and account, unless the service's
    ARNs leave them empty, as S3's do). `resource` may use `${Var}` placeholders."""
    region_part = "${AWS::Region}" if region else ""
    account_part = "${AWS::AccountId}" if account else ""
    return sub(f"arn:${{AWS::Partition}}:{service}:{region_part}:{account_part}:{resource}")
