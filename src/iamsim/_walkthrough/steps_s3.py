"""Steps that use the credentials on S3: list a bucket, read an object, write one."""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._walkthrough.model import Step
from iamsim._walkthrough.narrate import cli_error, decision_paragraphs
from iamsim._walkthrough.stage import Stage

__all__ = [
    "S3Request",
    "list_bucket_step",
    "read_object_step",
    "read_other_bucket_step",
    "s3_step",
    "write_object_step",
]

#: The object key the scenarios read.
LOG_KEY = "app/2026-01-01.log"


@dataclass(frozen=True, slots=True)
class S3Request:
    """One S3 call as the CLI makes it (``command``, the API ``operation``) and as IAM checks it."""

    command: str
    operation: str
    action: str
    resource: str


def s3_step(stage: Stage, key: str, title: str, request: S3Request, what: str, *after: str) -> Step:
    """Make ``request`` with the instance's credentials and narrate the decision."""
    result, outcome = stage.decide(stage.credentials(), request.action, request.resource)
    paragraphs = [what, *decision_paragraphs(outcome, request.action, request.resource)]
    if outcome.error_code is not None:
        paragraphs.append(
            f'The CLI prints the error AWS sends back: "{cli_error(outcome.error_code, request.operation)}" '
            "followed by AWS's message, shown under Result below."
        )
    paragraphs.extend(after)
    return Step(
        key=key,
        title=title,
        explanation=tuple(paragraphs),
        aws_cli=request.command,
        inputs={
            "principal": result.request.principal.arn,
            "action": request.action,
            "resource": request.resource,
        },
        outcome=outcome,
    )


def list_bucket_step(stage: Stage, *after: str) -> Step:
    """``aws s3 ls s3://BUCKET``: s3:ListBucket on the bucket."""
    bucket = stage.bucket
    request = S3Request(f"aws s3 ls s3://{bucket}", "ListObjectsV2", "s3:ListBucket", stage.s3_arn(bucket))
    what = (
        f"Listing the bucket {bucket} (S3's top-level container of files) calls the S3 API ListObjectsV2, which "
        f"IAM checks as the action s3:ListBucket on the bucket's ARN, {request.resource}. IAM gathers every "
        "policy that applies to the caller and decides."
    )
    return s3_step(stage, "list-bucket", f"List the bucket {bucket}", request, what, *after)


def read_object_step(stage: Stage, *after: str) -> Step:
    """``aws s3 cp s3://BUCKET/KEY -``: s3:GetObject on the object."""
    bucket = stage.bucket
    resource = stage.s3_arn(bucket, LOG_KEY)
    request = S3Request(f"aws s3 cp s3://{bucket}/{LOG_KEY} -", "GetObject", "s3:GetObject", resource)
    what = (
        f"Reading a file (S3 calls it an object) is the action s3:GetObject on the object's ARN: the bucket's "
        f"ARN, a slash and the object's key, {resource}."
    )
    return s3_step(stage, "read-object", f"Read a log file from {bucket}", request, what, *after)


def read_other_bucket_step(stage: Stage, other_bucket: str, *after: str) -> Step:
    """The same read in a bucket the policy does not name."""
    resource = stage.s3_arn(other_bucket, LOG_KEY)
    request = S3Request(f"aws s3 cp s3://{other_bucket}/{LOG_KEY} -", "GetObject", "s3:GetObject", resource)
    what = f"The same read, in another bucket, {other_bucket}: s3:GetObject on {resource}."
    return s3_step(
        stage, "read-other-bucket", f"Read a file from another bucket, {other_bucket}", request, what, *after
    )


def write_object_step(stage: Stage, *after: str) -> Step:
    """``aws s3 cp report.txt s3://BUCKET/report.txt``: s3:PutObject."""
    bucket = stage.bucket
    resource = stage.s3_arn(bucket, "report.txt")
    request = S3Request(f"aws s3 cp report.txt s3://{bucket}/report.txt", "PutObject", "s3:PutObject", resource)
    what = f"Uploading a file is the action s3:PutObject, here on {resource}."
    return s3_step(stage, "write-object", f"Try to write a file to {bucket}", request, what, *after)
