"""ACME's house rules for archlint: written exactly like the built-in ones."""

from __future__ import annotations

from archlint.linter.rule import Rule, known, nodes_of_type

TAGGING_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html"


class BucketWithoutOwner(Rule):
    id = "TEAM001"
    severity = "error"
    summary = "An S3 bucket has no `owner` tag"
    docs = f"""
## What it does
Finds an `s3.bucket` whose `tags` have no `owner`.

## Why is this bad?
At ACME every bucket has an owning team: the cost allocation report groups spending
by the `owner` tag (activated as a cost allocation tag in the Billing console), and
the on-call rota finds who to page from it. A bucket without one is billed to nobody
and paged to nobody.
See [AWS: Using cost allocation S3 bucket tags]({TAGGING_DOCS}).

## Example
`uploads` says nothing about who owns it.

## Fix
Add `tags: {{owner: <team>}}` to the bucket.
"""
    bad_example = """\
archlint: 1
name: photos
resources:
  uploads:
    type: s3.bucket
"""
    good_example = """\
archlint: 1
name: photos
resources:
  uploads:
    type: s3.bucket
    tags: {owner: photo-team}
"""

    def check(self, graph):
        for bucket, data in nodes_of_type(graph, "s3.bucket"):
            # Tags an imported CloudFormation template leaves to a parameter are
            # unknown: say nothing rather than guess.
            if not known(data, "tags") or (data.get("tags") or {}).get("owner"):
                continue
            yield self.finding(
                graph,
                bucket,
                message=f"S3 bucket {bucket} has no `owner` tag: its cost and its pages go to nobody",
                fix=f"add `tags: {{owner: <team>}}` to {bucket}",
                at="tags",
            )


RULES = [BucketWithoutOwner]
