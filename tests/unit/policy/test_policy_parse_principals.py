"""Principal forms and which values are valid (§A.3)."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._policy.model import PolicyKind, PrincipalSpec
from iamsim._policy.parse import parse_policy
from iamsim.errors import MalformedPolicyDocumentError


def _principal(principal: Any, kind: PolicyKind = PolicyKind.RESOURCE) -> PrincipalSpec | None:
    action = "sts:AssumeRole" if kind is PolicyKind.TRUST else "s3:GetObject"
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    return parse_policy({"Version": "2012-10-17", "Statement": statement}, kind).statements[0].principal


def _reject(principal: Any, kind: PolicyKind = PolicyKind.RESOURCE) -> MalformedPolicyDocumentError:
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        _principal(principal, kind)
    return caught.value


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}])
def test_star_and_aws_star_are_the_same_a3(principal: Any) -> None:
    """§A.3: ``"*"`` and ``{"AWS": "*"}`` both mean everyone."""
    assert _principal(principal) == PrincipalSpec(wildcard=True)


def test_principal_values_keep_their_keys_and_order_a3() -> None:
    """§A.3: each key's values are kept as written, single values as 1-tuples."""
    principal = {
        "AWS": ["arn:aws:iam::111122223333:role/b", "111122223333"],
        "Service": "ec2.amazonaws.com",
        "Federated": "arn:aws:iam::111122223333:saml-provider/Okta",
        "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
    }
    assert _principal(principal) == PrincipalSpec(
        aws=("arn:aws:iam::111122223333:role/b", "111122223333"),
        service=("ec2.amazonaws.com",),
        federated=("arn:aws:iam::111122223333:saml-provider/Okta",),
        canonical_user=("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",),
    )


def test_star_among_other_aws_values_sets_wildcard_a3() -> None:
    """§A.3: ``*`` as one whole value among others still means everyone."""
    assert _principal({"AWS": ["*", "111122223333"]}) == PrincipalSpec(wildcard=True, aws=("111122223333",))


@pytest.mark.parametrize(
    "value",
    [
        "111122223333",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/division/team/alice",
        "arn:aws:iam::111122223333:role/service-role/Deploy",
        "arn:aws:sts::111122223333:assumed-role/Deploy/session-1",
        "arn:aws:sts::111122223333:federated-user/bob",
        "arn:aws-cn:iam::111122223333:root",
        "AIDAJQABLZS4A3QDU576Q",
        "AROADBQP57FF2AEXAMPLE",
    ],
)
def test_valid_aws_principals_a3(value: str) -> None:
    """§A.3: accounts, root/user/role ARNs, role sessions, federated users, unique ids."""
    assert _principal({"AWS": value}) == PrincipalSpec(aws=(value,))


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:sts::111122223333:assumed-role/Deploy/*",
        "arn:aws:iam::*:root",
        "arn:aws:iam::11112222333:root",
        "arn:aws:iam::111122223333:group/devs",
        "arn:aws:iam:us-east-1:111122223333:root",
        "arn:aws:s3:::bucket",
        "arn:aws:sts::111122223333:assumed-role/Deploy",
        "arn:aws:iam::111122223333:user/",
        "arn:aws:iam::111122223333:role//x",
        "arn:aws-mars:iam::111122223333:root",
        "alice",
        "",
        "AIDA",
        "*foo",
    ],
)
def test_invalid_aws_principals_use_aws_message_a3(value: str) -> None:
    """§A.3 (observed): ``Invalid principal in policy: "AWS":"…"``; no partial wildcards, no groups."""
    error = _reject({"AWS": ["111122223333", value]})
    assert error.message == f'Invalid principal in policy: "AWS":"{value}"'
    assert error.pointer == "/Statement/Principal/AWS/1"


@pytest.mark.parametrize("value", ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com.cn"])
def test_service_principals_a3(value: str) -> None:
    """§A.3: service principals are host names."""
    assert _principal({"Service": [value]}, PolicyKind.TRUST) == PrincipalSpec(service=(value,))


@pytest.mark.parametrize("value", ["*", "ec2", "ec2 .amazonaws.com", "*.amazonaws.com", ""])
def test_invalid_service_principals_a3(value: str) -> None:
    """§A.3: ``*`` only as a whole AWS value; a service principal is a host name."""
    assert _reject({"Service": value}, PolicyKind.TRUST).message == f'Invalid principal in policy: "Service":"{value}"'


@pytest.mark.parametrize(
    "value",
    [
        "cognito-identity.amazonaws.com",
        "www.amazon.com",
        "graph.facebook.com",
        "accounts.google.com",
        "arn:aws:iam::111122223333:saml-provider/Okta",
        "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
    ],
)
def test_federated_principals_a3(value: str) -> None:
    """§A.3: web identity providers and SAML/OIDC provider ARNs."""
    assert _principal({"Federated": value}, PolicyKind.TRUST) == PrincipalSpec(federated=(value,))


@pytest.mark.parametrize("value", ["*", "arn:aws:iam::111122223333:role/x", "arn:aws:iam::111122223333:saml-provider/"])
def test_invalid_federated_principals_a3(value: str) -> None:
    """§A.3: Federated names an identity provider."""
    assert _reject({"Federated": value}, PolicyKind.TRUST).message.startswith("Invalid principal in policy:")


def test_canonical_user_is_64_hex_digits_a3() -> None:
    """§A.3: CanonicalUser is an S3 canonical id."""
    assert _reject({"CanonicalUser": "abc"}).message == 'Invalid principal in policy: "CanonicalUser":"abc"'


@pytest.mark.parametrize("key", ["aws", "IAM", "Services", "Canonicaluser"])
def test_principal_keys_are_exactly_the_four_a3(key: str) -> None:
    """§A.3: the keys are exactly AWS, Federated, Service, CanonicalUser (case matters)."""
    error = _reject({key: "111122223333"})
    assert error.message == f'Invalid principal in policy: "{key}":"111122223333"'


@pytest.mark.parametrize("principal", [{}, {"AWS": []}, {"AWS": 111122223333}, {"AWS": ["x", None]}, 5, ["*"]])
def test_malformed_principal_elements_are_syntax_errors_a3(principal: Any) -> None:
    """§A.3: a principal is ``*`` or a non-empty map of strings or string lists."""
    assert _reject(principal).message == "Syntax errors in policy."


def test_bare_arn_principal_is_invalid_a3() -> None:
    """§A.3: only ``*`` may stand alone; an ARN goes under a key."""
    error = _reject("arn:aws:iam::111122223333:root")
    assert error.message == 'Invalid principal in policy: "arn:aws:iam::111122223333:root"'
