"""Data transfer rules (XFER): how data gets into AWS."""

from __future__ import annotations

from ..linter.rule import Rule, nodes_of_type


class SnowFamilyClosed(Rule):
    id = "XFER001"
    severity = "info"
    summary = "A Snowball job: the Snow family is closed to new customers"
    docs = """
## What it does
Reports every `snowball.job`.

## Why is this bad?
The Snow family of devices is being wound down: AWS retired Snowmobile in 2024 and
the previous-generation Snowball and Snowcone devices in November 2024, and effective
November 7, 2025, AWS Snowball Edge is available to existing customers only. A design
that depends on ordering a device may not be buildable by a new account. AWS points
new customers to AWS DataSync for online transfers (over AWS Direct Connect for
sustained volume) and to AWS Data Transfer Terminal for physical transfers. See
[AWS: What is Snowball Edge?](https://docs.aws.amazon.com/snowball/latest/developer-guide/whatisedge.html)
and [AWS DataSync](https://docs.aws.amazon.com/datasync/latest/userguide/what-is-datasync.html).

## Fix
Replace the job with a `datasync.task` (and a `directconnect.connection` for
sustained volume), or `ignore:` this rule with the reason if the account is an
existing Snowball Edge customer.
"""
    bad_example = """\
archlint: 1
name: migration
resources:
  datacenter:
    type: external
    kind: datacenter
  ship-it:
    type: snowball.job
  archive:
    type: s3.bucket
flows:
  - datacenter -> ship-it -> archive
"""
    good_example = """\
archlint: 1
name: migration
resources:
  datacenter:
    type: external
    kind: datacenter
  link:
    type: directconnect.connection
    bandwidth: 10Gbps
  sync:
    type: datasync.task
  archive:
    type: s3.bucket
flows:
  - datacenter -> link -> sync -> archive
"""

    def check(self, graph):
        for job, _ in nodes_of_type(graph, "snowball.job"):
            yield self.finding(
                graph,
                job,
                message=(
                    f"Snowball job {job}: the Snow family is closed to new customers (Snowmobile retired in 2024, "
                    "Snowball Edge for existing customers only since November 2025)"
                ),
                fix=f"replace {job} with a datasync.task (over a directconnect.connection for sustained volume)",
            )


RULES = [SnowFamilyClosed]
