"""The one ARN builder (``iamsim._arn``) and the partition knowledge next to it.

Spec §B.2: ``arn:partition:service:region:account-id:resource``; partitions ``aws``,
``aws-cn`` and ``aws-us-gov``; IAM and STS ARNs have an empty region, S3 ARNs neither
region nor account (AWS: reference-arns.html, reference_identifiers.html).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from iamsim._arn import (
    PARTITIONS,
    Arn,
    account_root_arn,
    aws_managed_policy_arn,
    build_arn,
    check_partition,
    dns_suffix,
    ec2_instance_arn,
    home_region,
    iam_arn,
    iam_entity_arn,
    in_partition,
    s3_arn,
    sts_arn,
)
from iamsim.errors import InvalidArnError

SRC = Path(__file__).resolve().parents[2] / "src" / "iamsim"
A = "111122223333"


@pytest.mark.parametrize("partition", sorted(PARTITIONS))
def test_every_shape_carries_the_partition_B2(partition: str) -> None:
    """§B.2 / reference_identifiers.html: each shape iamsim builds, in each partition."""
    assert iam_entity_arn(partition, A, "role", "/app/", "Reader") == f"arn:{partition}:iam::{A}:role/app/Reader"
    assert iam_arn(partition, A, "oidc-provider/example.com") == f"arn:{partition}:iam::{A}:oidc-provider/example.com"
    assert account_root_arn(A, partition) == f"arn:{partition}:iam::{A}:root"
    assert sts_arn(partition, A, "assumed-role/R/s") == f"arn:{partition}:sts::{A}:assumed-role/R/s"
    assert aws_managed_policy_arn(partition, "/service-role/", "X") == f"arn:{partition}:iam::aws:policy/service-role/X"
    assert s3_arn(partition, "b") == f"arn:{partition}:s3:::b"
    assert s3_arn(partition, "b", "k/e/y") == f"arn:{partition}:s3:::b/k/e/y"
    assert ec2_instance_arn(partition, "r-1", A, "i-0") == f"arn:{partition}:ec2:r-1:{A}:instance/i-0"


def test_build_arn_round_trips_through_parse_B2() -> None:
    """§B.2: the resource part keeps its colons; parse and build are inverses."""
    text = build_arn("aws-cn", "lambda", "function:f:1", region="cn-north-1", account=A)
    assert text == f"arn:aws-cn:lambda:cn-north-1:{A}:function:f:1"
    assert str(Arn.parse(text)) == text


def test_in_partition_moves_an_arn_and_refuses_non_arns_B2() -> None:
    """§B.2: the same resource named in another partition; a non-ARN is InvalidArnError, not a traceback."""
    assert in_partition("arn:aws:iam::aws:policy/X", "aws-us-gov") == "arn:aws-us-gov:iam::aws:policy/X"
    with pytest.raises(InvalidArnError, match="ARN not-an-arn is not valid"):
        in_partition("not-an-arn", "aws")


def test_partition_facts_are_botocores() -> None:
    """Home regions and DNS suffixes as botocore's endpoints.json gives them (IAM's credentialScope, dnsSuffix)."""
    assert [home_region(p) for p in ("aws", "aws-cn", "aws-us-gov")] == ["us-east-1", "cn-north-1", "us-gov-west-1"]
    assert [dns_suffix(p) for p in ("aws", "aws-cn", "aws-us-gov")] == [
        "amazonaws.com",
        "amazonaws.com.cn",
        "amazonaws.com",
    ]


@pytest.mark.parametrize("bad", ["", "AWS", "aws-iso", None, 3])
def test_check_partition_refuses_what_is_not_a_partition_B2(bad: object) -> None:
    """§B.2 lists three partitions; anything else is a ValueError naming them."""
    with pytest.raises(ValueError, match="use one of aws, aws-cn, aws-us-gov"):
        check_partition(bad)


def test_no_module_assembles_an_arn_itself() -> None:
    """Issue 11: ARNs are built from parts only in ``_arn.py``, so none can miss the world's partition.

    Any f-string that starts ``arn:`` elsewhere in ``src/iamsim`` is a second builder.
    """
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "_arn.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith("arn:"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
