"""Resource policies: what lets an AWS service deliver to a queue or a topic."""

from __future__ import annotations

from .intrinsics import ref

POLICY_VERSION = "2012-10-17"


def tls_only(action: str, resource) -> dict:
    """Deny every request that does not use TLS (AWS's advice for queues and topics;
    cdk-nag AwsSolutions-SQS4 and -SNS3)."""
    return {
        "Sid": "DenyWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def resource_policy(action: str, resource, senders: list[tuple[str, object]]) -> dict:
    """One statement per service, limited to the source ARNs that flow in.

    S3 is also limited to this account (`aws:SourceAccount`): a bucket ARN has no
    account in it, so the name alone could match a bucket elsewhere.
    """
    by_service: dict[str, list] = {}
    for service, source in senders:
        by_service.setdefault(service, [])
        if source not in by_service[service]:
            by_service[service].append(source)
    statements = []
    for service in sorted(by_service):
        sources = by_service[service]
        condition = {"ArnEquals": {"aws:SourceArn": sources if len(sources) > 1 else sources[0]}}
        if service == "s3.amazonaws.com":
            condition = {
                "ArnLike": {"aws:SourceArn": sources if len(sources) > 1 else sources[0]},
                "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
            }
        statements.append(
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": action, "Resource": resource, "Condition": condition}
        )
    return {"Version": POLICY_VERSION, "Statement": statements}
