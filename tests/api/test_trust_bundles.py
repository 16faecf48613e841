"""STS GetTrustBundles through boto3: the SPIFFE trust bundle of a workload identity provider (§G.13).

AWS pages: STSAPI:API_GetTrustBundles.html; IAMAPI:API_CreateWorkloadIdentityProvider.html;
https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE_Trust_Domain_and_Bundle.md (the bundle's format).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

import iamsim.boto3
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of

from .conftest import ACCOUNT, error_of
from .test_workload_outbound_federation import verified_claims

OTHER = "222222222222"


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def signed_by_provider(sim: Simulator, provider_arn: str, claims: dict[str, Any]) -> str:
    """A JWT-SVID signed with the provider's own JWT signer key (as the provider would sign one)."""
    (signer,) = core_of(sim).store(ACCOUNT).workload_providers.get_workload_identity_provider(provider_arn).jwt_signers
    key = serialization.load_pem_private_key(signer.key_pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    head = _segment({"alg": "ES384", "kid": signer.key_id, "typ": "JWT"})
    data = f"{head}.{_segment(claims)}"
    r, s = decode_dss_signature(key.sign(data.encode(), ec.ECDSA(hashes.SHA384())))
    signature = base64.urlsafe_b64encode(r.to_bytes(48, "big") + s.to_bytes(48, "big")).rstrip(b"=").decode()
    return f"{data}.{signature}"


@pytest.fixture
def sts(session: boto3.Session) -> Any:
    """An STS client signed as the account's root user."""
    return session.client("sts")


@pytest.fixture
def provider(iam: Any) -> dict[str, Any]:
    """A SPIFFE provider of the account, with its one JWT signer."""
    answer: dict[str, Any] = iam.create_workload_identity_provider(
        ProviderName="workloads", Scheme="SPIFFE", WorkloadIdentityDomain="example.org"
    )
    return answer


def test_bundle_verifies_a_jwt_svid_the_provider_signed_g13(sim: Simulator, sts: Any, provider: dict[str, Any]) -> None:
    """§G.13: the bundle is a JWK Set whose jwt-svid key (kid matching) verifies the provider's tokens."""
    arn = provider["Arn"]
    (entry,) = sts.get_trust_bundles(ProviderArn=arn)["TrustBundles"]
    assert entry["TrustDomain"] == "example.org"
    document = json.loads(entry["Bundle"])
    assert document["spiffe_refresh_hint"] > 0
    (key,) = document["keys"]
    assert (key["use"], key["kty"], key["crv"]) == ("jwt-svid", "EC", "P-384")
    claims = {"sub": "spiffe://example.org/payments", "aud": ["relying-party"], "exp": 2_000_000_000}
    token = signed_by_provider(sim, arn, claims)
    assert verified_claims(token, document) == claims


def test_a_scheme_none_provider_is_its_issuers_trust_domain_g13(iam: Any, sts: Any) -> None:
    """§G.13 (judgment): a provider without a SPIFFE domain publishes under its issuer's host."""
    created = iam.create_workload_identity_provider(ProviderName="plain", Scheme="NONE")
    arn = created["Arn"]
    (entry,) = sts.get_trust_bundles(ProviderArn=arn)["TrustBundles"]
    assert entry["TrustDomain"].endswith(".workload-identity.iam.global.api.aws")


def test_missing_provider_is_resource_not_found_g13(sts: Any) -> None:
    """§G.13: a provider that does not exist is ResourceNotFoundException (404)."""
    arn = f"arn:aws:iam::{ACCOUNT}:workload-identity-provider/absent"
    error = error_of(sts.get_trust_bundles, ProviderArn=arn)
    assert error["Code"] == "ResourceNotFoundException"
    assert arn in error["Message"]


def test_another_accounts_provider_is_out_of_scope_g13(sim: Simulator, provider: dict[str, Any]) -> None:
    """§G.13: a provider another account owns is outside the caller's scope: ResourceNotFoundException."""
    sim.add_account(OTHER)
    root = sim.root_credentials(OTHER)
    other = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, other):
        error = error_of(other.client("sts").get_trust_bundles, ProviderArn=provider["Arn"])
    assert error["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "arn", ["arn:aws:iam::111111111111:role/not-a-provider", "not-an-arn-at-all-but-long", "arn:aws:s3:::bucket-x/y"]
)
def test_not_a_provider_arn_is_a_validation_error_g13(sts: Any, arn: str) -> None:
    """§G.13: a value that is not a workload identity provider ARN fails with a validation error."""
    assert error_of(sts.get_trust_bundles, ProviderArn=arn)["Code"] == "ValidationError"


def test_needs_sts_get_trust_bundles_g13(sim: Simulator, iam: Any, provider: dict[str, Any]) -> None:
    """§G.13: the caller needs sts:GetTrustBundles."""
    sim.create_user("reader", account_id=ACCOUNT)
    key = sim.create_access_key("reader", account_id=ACCOUNT)
    reader = boto3.Session(
        aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, reader):
        client = reader.client("sts")
        arn = provider["Arn"]
        assert error_of(client.get_trust_bundles, ProviderArn=arn)["Code"] == "AccessDenied"
        allow = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:GetTrustBundles", "Resource": "*"}],
        }
        sim.put_user_policy("reader", "bundles", json.dumps(allow), account_id=ACCOUNT)
        assert len(client.get_trust_bundles(ProviderArn=arn)["TrustBundles"]) == 1
