"""Outbound web identity federation and STS GetWebIdentityToken through boto3 (§G.11).

AWS pages: IAMAPI:API_EnableOutboundWebIdentityFederation.html, API_DisableOutboundWebIdentityFederation.html,
API_GetOutboundWebIdentityFederationInfo.html; STSAPI:API_GetWebIdentityToken.html;
UG:id_roles_providers_outbound_token_claims.html, id_roles_providers_outbound_getting_started.html.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import iamsim.boto3
from iamsim import ManualClock, Simulator
from iamsim.errors import UsageError

from .conftest import ACCOUNT, error_of

NAMESPACE = "https://sts.amazonaws.com/"


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_b64(text), "big")


def verified_claims(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of ``token`` once its signature checks out against ``jwks``, as a relying party checks it."""
    head, body, signature = token.split(".")
    header = json.loads(_b64(head))
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert jwk["alg"] == header["alg"]
    data = f"{head}.{body}".encode("ascii")
    raw = _b64(signature)
    if header["alg"] == "RS256":
        public_rsa = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        public_rsa.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        assert (header["alg"], jwk["crv"], len(raw)) == ("ES384", "P-384", 96)
        public_ec = ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), ec.SECP384R1()).public_key()
        der = encode_dss_signature(int.from_bytes(raw[:48], "big"), int.from_bytes(raw[48:], "big"))
        public_ec.verify(der, data, ec.ECDSA(hashes.SHA384()))
    claims: dict[str, Any] = json.loads(_b64(body))
    return claims


@pytest.fixture
def sts(session: boto3.Session) -> Any:
    """An STS client signed as the account's root user (a regional endpoint: the global one lacks the operation)."""
    return session.client("sts", region_name="us-east-1")


@contextmanager
def role_session_sts(iam: Any, sim: Simulator, policy: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """An STS client signed with a role session (of user ``caller``) whose role has ``policy``, and the role's ARN."""
    iam.create_user(UserName="caller")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/caller"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = iam.create_role(RoleName="minter", Path="/apps/", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="minter", PolicyName="mint", PolicyDocument=json.dumps(policy))
    key = sim.create_access_key("caller")
    credentials = sim.assume_role(key, role["Arn"], "job", duration_seconds=900).credentials
    session = boto3.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        region_name="us-east-1",
    )
    with iamsim.boto3.attach(sim, session):
        yield session.client("sts"), role["Arn"]


def test_enable_answers_the_account_issuer_and_get_reads_it_back_G11(iam: Any) -> None:
    """§G.11: Enable answers a unique issuer URL; GetOutboundWebIdentityFederationInfo reads it, vending on."""
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    assert issuer.startswith("https://")
    assert issuer.endswith(".tokens.sts.global.api.aws")
    info = iam.get_outbound_web_identity_federation_info()
    assert (info["IssuerIdentifier"], info["JwtVendingEnabled"]) == (issuer, True)


def test_enabling_twice_is_feature_enabled_409_G11(iam: Any) -> None:
    """§G.11: a second Enable is FeatureEnabled (HTTP 409), and the issuer does not change."""
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        iam.enable_outbound_web_identity_federation()
    assert caught.value.response["Error"]["Code"] == "FeatureEnabled"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert iam.get_outbound_web_identity_federation_info()["IssuerIdentifier"] == issuer


def test_disable_when_off_and_get_when_off_are_feature_disabled_G11(iam: Any) -> None:
    """§G.11: Disable of a disabled feature and Get while it is off answer FeatureDisabled (HTTP 404)."""
    assert error_of(iam.disable_outbound_web_identity_federation)["Code"] == "FeatureDisabled"
    assert error_of(iam.get_outbound_web_identity_federation_info)["Code"] == "FeatureDisabled"
    iam.enable_outbound_web_identity_federation()
    iam.disable_outbound_web_identity_federation()
    assert error_of(iam.disable_outbound_web_identity_federation)["Code"] == "FeatureDisabled"
    assert error_of(iam.get_outbound_web_identity_federation_info)["Code"] == "FeatureDisabled"


def test_token_verifies_with_the_published_keys_in_both_algorithms_G11(
    iam: Any, sts: Any, sim: Simulator, clock: ManualClock
) -> None:
    """§G.11: the JWT's signature verifies with the issuer's JWKS; iss, aud, sub, exp as documented."""
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    for algorithm in ("RS256", "ES384"):
        answer = sts.get_web_identity_token(Audience=["https://api.example.com"], SigningAlgorithm=algorithm)
        claims = verified_claims(answer["WebIdentityToken"], sim.outbound_web_identity_jwks())
        assert claims["iss"] == issuer
        assert claims["aud"] == "https://api.example.com"
        assert claims["sub"] == f"arn:aws:iam::{ACCOUNT}:root"
        assert claims[NAMESPACE] == {"aws_account": ACCOUNT, "principal_id": f"arn:aws:iam::{ACCOUNT}:root"}
        # Default lifetime: 300 seconds after issue.
        assert claims["exp"] - claims["iat"] == 300
        assert int(answer["Expiration"].timestamp()) == claims["exp"]
        assert claims["iat"] == int(clock.now().timestamp())


def test_tampered_token_fails_verification_G11(iam: Any, sts: Any, sim: Simulator) -> None:
    """§G.11: the signature covers the claims: a changed subject no longer verifies."""
    iam.enable_outbound_web_identity_federation()
    token = sts.get_web_identity_token(Audience=["aud"], SigningAlgorithm="RS256")["WebIdentityToken"]
    head, body, signature = token.split(".")
    claims = json.loads(_b64(body))
    claims["sub"] = "arn:aws:iam::999999999999:root"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        verified_claims(f"{head}.{forged}.{signature}", sim.outbound_web_identity_jwks())


def test_role_session_subject_is_the_role_arn_and_tags_scope_audiences_are_claims_G11(iam: Any, sim: Simulator) -> None:
    """§G.11: for a role session, sub/principal_id are the role's ARN; Tags, Scope and several audiences appear."""
    iam.enable_outbound_web_identity_federation()
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}],
    }
    with role_session_sts(iam, sim, allow) as (sts, role_arn):
        answer = sts.get_web_identity_token(
            Audience=["a1", "a2"],
            SigningAlgorithm="ES384",
            DurationSeconds=60,
            Scope="read write",
            Tags=[{"Key": "team", "Value": "data"}],
        )
    claims = verified_claims(answer["WebIdentityToken"], sim.outbound_web_identity_jwks())
    assert role_arn == f"arn:aws:iam::{ACCOUNT}:role/apps/minter"
    assert claims["sub"] == role_arn
    assert claims["aud"] == ["a1", "a2"]
    assert claims["scope"] == "read write"
    assert claims[NAMESPACE] == {"aws_account": ACCOUNT, "principal_id": role_arn, "request_tags": {"team": "data"}}
    assert claims["exp"] - claims["iat"] == 60


def test_permission_is_needed_and_conditions_on_audience_and_duration_apply_G11(iam: Any, sim: Simulator) -> None:
    """§G.11: sts:GetWebIdentityToken is required; sts:IdentityTokenAudience and sts:DurationSeconds narrow it."""
    iam.enable_outbound_web_identity_federation()
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:GetWebIdentityToken",
                "Resource": "*",
                "Condition": {
                    "ForAllValues:StringEquals": {"sts:IdentityTokenAudience": "https://api.openai.com/v1"},
                    "NumericLessThanEquals": {"sts:DurationSeconds": "300"},
                },
            }
        ],
    }
    audience = ["https://api.openai.com/v1"]
    with role_session_sts(iam, sim, policy) as (sts, _):
        sts.get_web_identity_token(Audience=audience, SigningAlgorithm="RS256")
        other = error_of(sts.get_web_identity_token, Audience=["https://other"], SigningAlgorithm="RS256")
        longer = error_of(sts.get_web_identity_token, Audience=audience, SigningAlgorithm="RS256", DurationSeconds=900)
    assert (other["Code"], longer["Code"]) == ("AccessDenied", "AccessDenied")


def test_feature_off_is_outbound_federation_disabled_403_G11(iam: Any, sts: Any) -> None:
    """§G.11: the feature never enabled, or disabled: OutboundWebIdentityFederationDisabledException (403)."""
    from botocore.exceptions import ClientError

    for step in ("never", "disabled"):
        if step == "disabled":
            iam.enable_outbound_web_identity_federation()
            iam.disable_outbound_web_identity_federation()
        with pytest.raises(ClientError) as caught:
            sts.get_web_identity_token(Audience=["aud"], SigningAlgorithm="RS256")
        assert caught.value.response["Error"]["Code"] == "OutboundWebIdentityFederationDisabledException"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_tokens_issued_before_a_disable_still_verify_G11(iam: Any, sts: Any, sim: Simulator) -> None:
    """§G.11: disabling does not affect tokens issued before: the keys stay published; re-enabling keeps the issuer."""
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    token = sts.get_web_identity_token(Audience=["aud"], SigningAlgorithm="ES384")["WebIdentityToken"]
    iam.disable_outbound_web_identity_federation()
    assert verified_claims(token, sim.outbound_web_identity_jwks())["iss"] == issuer
    assert iam.enable_outbound_web_identity_federation()["IssuerIdentifier"] == issuer


def test_token_may_not_outlive_the_calling_session_G11(iam: Any, sim: Simulator, clock: ManualClock) -> None:
    """§G.11: a token lasting past the session's expiry is SessionDurationEscalationException (403)."""
    iam.enable_outbound_web_identity_federation()
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}],
    }
    with role_session_sts(iam, sim, allow) as (sts, _):
        clock.advance(800)  # the 900-second session has 100 seconds left
        sts.get_web_identity_token(Audience=["aud"], SigningAlgorithm="RS256", DurationSeconds=100)
        error = error_of(sts.get_web_identity_token, Audience=["aud"], SigningAlgorithm="RS256", DurationSeconds=101)
    assert error["Code"] == "SessionDurationEscalationException"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"SigningAlgorithm": "HS256"}, "Member must satisfy enum value set: [RS256, ES384]"),
        ({"DurationSeconds": 3601}, "Member must have value less than or equal to 3600"),
        ({"Audience": [f"a{n}" for n in range(11)]}, "'audience' failed to satisfy constraint"),
        ({"Scope": "two  spaces"}, "'scope' failed to satisfy constraint"),
        ({"TokenType": "AWSIdentity", "SubjectMode": "AWSIdentity"}, "TokenType can't be specified together"),
        ({"TokenType": "JWT_SVID"}, "workload identity"),
        ({"Tags": [{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}]}, "Duplicate tag keys found"),
    ],
)
def test_invalid_requests_are_validation_errors_G11(iam: Any, sts: Any, params: dict[str, Any], fragment: str) -> None:
    """§G.11: the model's constraints and the operation's rules, each a ValidationError naming the member."""
    iam.enable_outbound_web_identity_federation()
    request = {"Audience": ["aud"], "SigningAlgorithm": "RS256", **params}
    error = error_of(sts.get_web_identity_token, **request)
    assert error["Code"] == "ValidationError"
    assert fragment in error["Message"]


def test_iam_operations_need_their_permission_G11(iam: Any, sim: Simulator) -> None:
    """§G.11: EnableOutboundWebIdentityFederation is authorized as iam:EnableOutboundWebIdentityFederation."""
    from .conftest import user_client

    with user_client(
        iam,
        sim,
        "bob",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]},
    ) as bob:
        assert error_of(bob.enable_outbound_web_identity_federation)["Code"] == "AccessDenied"
    assert error_of(iam.get_outbound_web_identity_federation_info)["Code"] == "FeatureDisabled"


def test_issuer_and_keys_survive_a_snapshot_G11(iam: Any, sts: Any, sim: Simulator) -> None:
    """§G.11: the world's snapshot carries issuer and keys: a token minted before still verifies after a restore."""
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    token = sts.get_web_identity_token(Audience=["aud"], SigningAlgorithm="RS256")["WebIdentityToken"]
    restored = Simulator.from_json(sim.to_json())
    assert verified_claims(token, restored.outbound_web_identity_jwks())["iss"] == issuer
    assert restored.iam.get_outbound_web_identity_federation_info().issuer_identifier == issuer


def test_jwks_of_an_account_that_never_enabled_is_a_usage_error_G11(sim: Simulator) -> None:
    """§G.11: there is no issuer to publish keys for before the first Enable."""
    with pytest.raises(UsageError, match="never enabled"):
        sim.outbound_web_identity_jwks()
