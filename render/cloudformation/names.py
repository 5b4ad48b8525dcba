"""Names: logical ids derived from resource ids, and the names AWS needs up front.

Logical ids
-----------
A resource id becomes a logical id by capitalising each hyphen-separated part and
dropping the hyphens: `billing-queue` -> `BillingQueue`, `web-1` -> `Web1`. The
resources emitted *for* a resource (its role, its policy, its event source mapping)
get that logical id plus a suffix: `BillingFn` -> `BillingFnRole`.

Two different ids can give the same logical id (`a-1-b` and `a1-b` both give `A1B`;
a resource `billing-fn-role` gives the logical id of the role of `billing-fn`).
Logical ids are compared ignoring case too (`ab` -> `Ab`, `a-b` -> `AB`), because
a logical id that differs only in case from another is a trap for the reader.
archlint does not rename anything silently: the emitter stops with an error that
names both resources (exit 2), and the user renames one of them. A silent suffix
(`AB2`) would change when resources are added or removed and break the stability
that stacks depend on (a changed logical id replaces the resource).

Names chosen in advance
-----------------------
Most resources are left for CloudFormation to name. Three kinds are named here:
S3 buckets (the permission and policies that must exist before a bucket notifies
anything name the bucket's ARN, so it has to be known without a `Ref` to the bucket,
which would be a circular dependency) and FIFO queues and topics (AWS requires their
names to end in `.fifo`). These names are the resource id plus the stack suffix of
`intrinsics.stack_suffix()`, so two stacks of one template never clash.
"""

from __future__ import annotations

import hashlib

from .intrinsics import stack_suffix, sub


class EmitError(Exception):
    """The spec cannot be emitted as it is; the message says why and what to change.

    `status` is the exit status the command returns: 2 for a spec the emitter cannot
    turn into a template (a logical-id collision), 1 for a refusal (a security-group
    deny rule), as for lint findings.
    """

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def logical_id(resource_id: str, suffix: str = "") -> str:
    """`billing-queue` -> `BillingQueue`; with suffix "Policy" -> `BillingQueuePolicy`."""
    return "".join(part[:1].upper() + part[1:] for part in resource_id.split("-") if part) + suffix


# S3 bucket names: 3-63 characters; the suffix takes 9 ("-" and 8 hex digits).
_BUCKET_PREFIX_LIMIT = 63 - 9
# Prefixes AWS reserves for bucket names.
_RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")


def bucket_name_prefix(resource_id: str) -> str:
    """The resource id, made a valid start of a bucket name.

    An id too long to fit is cut and ends with a hash of the whole id, so that two
    long ids that start alike still name different buckets.
    """
    prefix = resource_id
    if prefix.startswith(_RESERVED_BUCKET_PREFIXES):
        prefix = "b-" + prefix
    if len(prefix) > _BUCKET_PREFIX_LIMIT:
        digest = hashlib.sha256(resource_id.encode()).hexdigest()[:8]
        prefix = f"{prefix[: _BUCKET_PREFIX_LIMIT - 9].rstrip('-')}-{digest}"
    return prefix.rstrip("-")


def bucket_name(resource_id: str) -> dict:
    """The bucket's name, e.g. `uploads-1a2b3c4d`: the same expression wherever used."""
    return sub(f"{bucket_name_prefix(resource_id)}-${{StackSuffix}}", {"StackSuffix": stack_suffix()})


def literal(text: str) -> str:
    """`text` as a literal part of an Fn::Sub string: `${` would start a variable that
    CloudFormation evaluates (`${AWS::AccountId}`, `${SomeResource.Arn}`); `${!` is
    Fn::Sub's escape for a literal `${`."""
    return str(text).replace("${", "${!")


def bucket_arn(resource_id: str, objects: str = "") -> dict:
    """The bucket's ARN built from its name, never from a Ref to the bucket.

    `objects` adds a key pattern: "*" for every object, "in/*" for a prefix. It comes
    from a flow's prefix and suffix, so it is escaped (`literal`).
    """
    key = f"/{literal(objects)}" if objects else ""
    return sub(
        f"arn:${{AWS::Partition}}:s3:::{bucket_name_prefix(resource_id)}-${{StackSuffix}}{key}",
        {"StackSuffix": stack_suffix()},
    )


# SQS queue names: at most 80 characters, ".fifo" included.
_FIFO_QUEUE_PREFIX_LIMIT = 80 - 9 - len(".fifo")


def fifo_name(resource_id: str) -> dict:
    """`orders` -> `orders-1a2b3c4d.fifo`, for a FIFO queue or topic."""
    prefix = resource_id[:_FIFO_QUEUE_PREFIX_LIMIT].rstrip("-")
    return sub(f"{prefix}-${{StackSuffix}}.fifo", {"StackSuffix": stack_suffix()})
