"""A caller in account A, a bucket or key owned by account B: both accounts must allow (§F.3, §F.6; issue 13).

moto serves one account; iamsim is told who owns the resource (``sim.resources.set_owner``
for a bucket, whose ARN names no account; the key ARN's own account for KMS), and the
resource-based policy is the one account B attached (``sim.resources.put_policy``).
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, document, moto_world

OTHER = "210987654321"
BUCKET = "arn:aws:s3:::b-shared-data"


def _code(call: object) -> str:
    with pytest.raises(ClientError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["Error"]["Code"])


def _grant(principal: str, action: str, resource: str) -> str:
    return document({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": action, "Resource": resource})


def test_bucket_of_another_account_needs_its_bucket_policy_too_F3() -> None:
    """§F.3: A's identity policy alone is AccessDenied on B's bucket; with B's bucket policy granting A, allowed."""
    with moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="b-shared-data")
        world.root.client("s3").put_object(Bucket="b-shared-data", Key="report.csv", Body=b"a,b\n")
        world.sim.resources.set_owner(BUCKET, OTHER)
        s3 = world.role("Reader", allow("s3:GetObject", f"{BUCKET}/*")).client("s3")

        assert _code(lambda: s3.get_object(Bucket="b-shared-data", Key="report.csv")) == "AccessDenied"
        denial = world.sim.resources.denials[-1]
        assert (denial.action, denial.resource) == ("s3:GetObject", f"{BUCKET}/report.csv")

        world.sim.resources.put_policy(BUCKET, _grant(f"arn:aws:iam::{ACCOUNT}:root", "s3:GetObject", f"{BUCKET}/*"))
        assert s3.get_object(Bucket="b-shared-data", Key="report.csv")["Body"].read() == b"a,b\n"


def test_bucket_policy_of_another_account_is_not_enough_alone_F3() -> None:
    """§F.3: B's bucket policy granting A does not stand in for A's own identity policy."""
    with moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="b-shared-data")
        world.root.client("s3").put_object(Bucket="b-shared-data", Key="report.csv", Body=b"a,b\n")
        world.sim.resources.set_owner(BUCKET, OTHER)
        world.sim.resources.put_policy(BUCKET, _grant(f"arn:aws:iam::{ACCOUNT}:root", "s3:GetObject", f"{BUCKET}/*"))
        s3 = world.role("Lister", allow("s3:ListAllMyBuckets")).client("s3")
        assert _code(lambda: s3.get_object(Bucket="b-shared-data", Key="report.csv")) == "AccessDenied"


def test_bucket_created_by_another_accounts_principal_is_owned_by_it_F3() -> None:
    """§F.3: an observed CreateBucket by B's user makes B the owner; A's reader then needs B's bucket policy."""
    with moto_world() as world:
        world.sim.add_account(OTHER)
        world.sim.create_user("owner", account_id=OTHER)
        world.sim.put_user_policy("owner", "s3", document(allow("s3:*")), account_id=OTHER)
        key = world.sim.create_access_key("owner", account_id=OTHER)
        owner = boto3.Session(
            aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name=REGION
        ).client("s3")
        owner.create_bucket(Bucket="b-shared-data")
        owner.put_object(Bucket="b-shared-data", Key="report.csv", Body=b"a,b\n")
        assert world.sim.resources.owner(BUCKET) == OTHER

        s3 = world.role("Reader", allow("s3:GetObject", f"{BUCKET}/*")).client("s3")
        assert _code(lambda: s3.get_object(Bucket="b-shared-data", Key="report.csv")) == "AccessDenied"
        owner.put_bucket_policy(
            Bucket="b-shared-data", Policy=_grant(f"arn:aws:iam::{ACCOUNT}:root", "s3:GetObject", f"{BUCKET}/*")
        )
        assert s3.get_object(Bucket="b-shared-data", Key="report.csv")["Body"].read() == b"a,b\n"


def test_key_of_another_account_needs_its_key_policy_to_name_the_caller_F6() -> None:
    """§F.6 with §F.3: a key in B is usable from A only when B's key policy and A's IAM policy both allow."""
    with moto_world() as world:
        kms_root = world.root.client("kms")
        key_id = kms_root.create_key()["KeyMetadata"]["KeyId"]
        key_arn = f"arn:aws:kms:{REGION}:{OTHER}:key/{key_id}"
        world.sim.resources.put_policy(key_arn, _grant(f"arn:aws:iam::{OTHER}:root", "kms:*", "*"))
        kms = world.role("Encrypter", allow("kms:Encrypt", key_arn)).client("kms")

        # B's key policy enables only B's own IAM policies: A's allow does not count.
        assert _code(lambda: kms.encrypt(KeyId=key_arn, Plaintext=b"secret")) == "AccessDeniedException"
        assert world.sim.resources.denials[-1].resource == key_arn

        # B's key policy names A: now A's identity policy must allow as well, and does for Encrypt only.
        both = document(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "kms:*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": ["kms:Encrypt", "kms:Decrypt"],
                "Resource": "*",
            },
        )
        world.sim.resources.put_policy(key_arn, both)
        assert kms.encrypt(KeyId=key_arn, Plaintext=b"secret")["KeyId"].endswith(key_id)
        # The key policy grants Decrypt to A, but A's identity policy does not: still denied.
        assert _code(lambda: kms.decrypt(CiphertextBlob=b"x" * 32, KeyId=key_arn)) == "AccessDeniedException"
        assert world.sim.resources.denials[-1].action == "kms:Decrypt"
