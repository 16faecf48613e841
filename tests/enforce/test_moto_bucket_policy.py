"""A bucket policy that denies some callers: moto's own check versus iamsim's (docs/enforcement.md, §F.1).

moto applies the ``Deny`` statements of the bucket policies it stores to object calls without
reading their ``Principal``; the page says so, and says to give such a policy to iamsim alone
(``sim.resources.put_policy``). These tests keep both statements true.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, deny, document, error_of, moto_world

BUCKET_ARN = "arn:aws:s3:::company1-logs"
DENY_NOBODY = deny("s3:GetObject", f"{BUCKET_ARN}/*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/Nobody"})


def test_moto_denies_an_object_call_iamsim_allowed_F1() -> None:
    """§F.1: a Deny naming another principal does not apply, so iamsim allows; moto's bare 403 follows."""
    with moto_world() as world:
        s3 = world.root.client("s3")
        s3.create_bucket(Bucket="company1-logs")
        s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"line 1\n")
        s3.put_bucket_policy(Bucket="company1-logs", Policy=document(DENY_NOBODY))
        with pytest.raises(ClientError) as caught:
            s3.get_object(Bucket="company1-logs", Key="app.log")
        assert error_of(caught) == ("403", "Forbidden", 403)
        assert world.sim.events()[-1].outcome == "allowed"
        assert world.sim.resources.denials == ()


def test_a_policy_given_to_iamsim_alone_denies_only_its_principal_F1() -> None:
    """§F.1: the same kind of policy through ``sim.resources``: the named role is refused, the admin reads."""
    with moto_world() as world:
        s3 = world.root.client("s3")
        s3.create_bucket(Bucket="company1-logs")
        s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"line 1\n")
        reader = world.role("Reader", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{BUCKET_ARN}/*"})
        deny_reader = deny("s3:GetObject", f"{BUCKET_ARN}/*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/Reader"})
        world.sim.resources.put_policy(BUCKET_ARN, document(deny_reader))
        with pytest.raises(ClientError) as caught:
            reader.client("s3").get_object(Bucket="company1-logs", Key="app.log")
        code, message, status = error_of(caught)
        assert (code, status) == ("AccessDenied", 403)
        assert message.endswith("with an explicit deny in a resource-based policy")
        assert s3.get_object(Bucket="company1-logs", Key="app.log")["Body"].read() == b"line 1\n"
