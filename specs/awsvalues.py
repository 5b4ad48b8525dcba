"""Values AWS itself would refuse: checked when a spec is read, so that `emit` never
writes a template CloudFormation rejects (cfn-lint E3030, E3031, E3628) and the message
points at the line and column of the spec rather than at a failed stack.

Each constraint cites the AWS page it comes from. Each check returns the sentence that
says what is wrong, or None.
"""

from __future__ import annotations

import re
import unicodedata

# -- tags ----------------------------------------------------------------------------
# "Tag naming limits and requirements", Tagging AWS resources:
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
# keys 1-128 Unicode characters, values 0-256; letters, numbers and spaces
# representable in UTF-8 and _ . : / = + - @; the prefix aws: (any case) is AWS's own;
# at most 50 tags a resource. The API pattern: ^(?![aA][wW][sS]:)([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
TAG_SYMBOLS = set("_.:/=+-@")


def tag_problem(key: str, value: str) -> str | None:
    if not key:
        return "a tag key cannot be empty"
    if len(key) > MAX_TAG_KEY:
        return f"a tag key is at most {MAX_TAG_KEY} characters (this one has {len(key)})"
    if len(value) > MAX_TAG_VALUE:
        return f"a tag value is at most {MAX_TAG_VALUE} characters (this one has {len(value)})"
    if key.lower().startswith("aws:"):
        return "tag keys starting with 'aws:' are reserved for AWS"
    for text, what in ((key, "key"), (value, "value")):
        bad = next((char for char in text if not _tag_char(char)), None)
        if bad is not None:
            return (f"the tag {what} holds {_show(bad)}; AWS allows letters, numbers, spaces and "
                    f"{' '.join(sorted(TAG_SYMBOLS))}")
    return None


def _tag_char(char: str) -> bool:
    return char in TAG_SYMBOLS or unicodedata.category(char)[0] in "LNZ"


# -- descriptions -------------------------------------------------------------------
# (The spec's own description becomes the template's Description, which the emitter
# cuts to CloudFormation's 1024 bytes: render/cloudformation.)
# An alarm's AlarmDescription: 0-1024 characters (CloudWatch PutMetricAlarm).
# A security group's GroupDescription: "Up to 255 characters in length. Valid
# characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" (EC2
# CreateSecurityGroup: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html).
MAX_DESCRIPTION = 1024
MAX_GROUP_DESCRIPTION = 255
GROUP_DESCRIPTION = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def description_problem(type_name: str, text: str) -> str | None:
    if type_name == "security_group":
        if len(text) > MAX_GROUP_DESCRIPTION:
            return f"a security group's description is at most {MAX_GROUP_DESCRIPTION} characters (this one has {len(text):,})"
        if not GROUP_DESCRIPTION.fullmatch(text):
            bad = next(char for char in text if not GROUP_DESCRIPTION.fullmatch(char))
            return f"a security group's description holds {_show(bad)}; EC2 allows a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{{}}!$*"
        return None
    if len(text) > MAX_DESCRIPTION:
        return f"a description is at most {MAX_DESCRIPTION} characters (this one has {len(text):,})"
    return _control_problem(text)


def _control_problem(text: str) -> str | None:
    bad = _CONTROL.search(text)
    return f"a description cannot hold {_show(bad.group())}" if bad else None


# -- Lambda runtimes ------------------------------------------------------------------
# The runtimes Lambda still creates functions with ("Supported runtimes" and
# "Deprecated runtimes", until their "Block function create" date):
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
# tests/hostile/test_aws_values.py checks this table against cfn-lint's copy of that
# lifecycle (cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json): a runtime that
# becomes blocked fails the test, which says what to remove.
LAMBDA_RUNTIMES = frozenset({
    "dotnet10", "dotnet8",
    "java11", "java17", "java21", "java25", "java8.al2",
    "nodejs20.x", "nodejs22.x", "nodejs24.x",
    "provided.al2", "provided.al2023",
    "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
    "ruby3.2", "ruby3.3", "ruby3.4",
})


def runtime_problem(runtime: str) -> str | None:
    if runtime in LAMBDA_RUNTIMES:
        return None
    return f"Lambda does not create functions with the runtime '{runtime}'; use one of {', '.join(sorted(LAMBDA_RUNTIMES))}"


# -- instance types ---------------------------------------------------------------------
# "Instance type names combine the instance family, generation, and attributes, and the
# instance size", separated by a period: c7gn.xlarge, u-6tb1.metal, m7i-flex.large
# (Amazon EC2 instance type naming conventions:
# https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html).
INSTANCE_TYPE = re.compile(r"[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9-]+")
# AWS Batch also takes a family (c5) or "optimal" and the default_* sets
# (https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html)
BATCH_INSTANCE_TYPE = re.compile(r"optimal|default_x86_64|default_arm64|[a-z][a-z0-9-]*[0-9][a-z0-9-]*(\.[a-z0-9-]+)?")


def instance_type_problem(text: str, batch: bool = False) -> str | None:
    pattern = BATCH_INSTANCE_TYPE if batch else INSTANCE_TYPE
    if pattern.fullmatch(text):
        return None
    also = ", a family such as c5, or optimal" if batch else ""
    return f"'{text}' is not an EC2 instance type; expected family.size such as t3.micro or c5n.18xlarge{also}"


def _show(char: str) -> str:
    return repr(char)  # quoted, and a control character escaped
