"""AssumeRoleWithSAML end to end through boto3, with assertions the simulator's test IdP signs (spec §G.3).

AWS sources: STS API Reference "AssumeRoleWithSAML"; IAM User Guide "Configure SAML assertions
for the authentication response" and "Troubleshoot SAML federation with IAM".
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim import ManualClock, TestSamlIdentityProvider
from iamsim._simulator import Simulator

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/federated"
START = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def trust(provider: str, *, conditions: dict[str, Any] | None = None, tag_session: bool = False) -> str:
    """A trust policy letting ``provider``'s users assume the role (and tag the session)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": ["sts:AssumeRoleWithSAML", *(["sts:TagSession"] if tag_session else [])],
        "Condition": conditions or {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when told to."""
    return ManualClock(START)


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """A fresh simulator on the manual clock, in this module's account (conftest's ``session`` serves it)."""
    return Simulator(clock=clock, account_id=ACCOUNT)


@pytest.fixture
def sts(session: boto3.Session) -> Any:
    """An STS client served by the simulator (AssumeRoleWithSAML is unsigned: its credentials are not used)."""
    return session.client("sts")


@pytest.fixture
def idp(sim: Simulator) -> tuple[TestSamlIdentityProvider, str]:
    """The test IdP, registered as the IAM SAML provider ``corp``, and a role that trusts it."""
    idp, provider = sim.create_test_saml_provider("corp", entity_id="https://idp.example.com/saml")
    sim.create_role("federated", trust(provider, tag_session=True), max_session_duration=7200)
    return idp, provider


def mint(idp: TestSamlIdentityProvider, provider: str, **overrides: Any) -> str:
    """An assertion for alice naming the role/provider pair, with ``overrides``."""
    claims: dict[str, Any] = {
        "roles": [(ROLE, provider)],
        "session_name": "alice",
        "subject": "alice@example.com",
        "issued_at": START,
    }
    return idp.mint(**{**claims, **overrides})


def error_of(call: Any) -> tuple[str, str]:
    """The (code, message) a boto3 call fails with."""
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_signed_assertion_gives_a_role_session_G3(
    session: boto3.Session, sts: Any, idp: tuple[TestSamlIdentityProvider, str]
) -> None:
    """§G.3: a session of the role; Subject, SubjectType, Issuer, Audience and AWS's NameQualifier formula."""
    issuer, provider = idp
    response = sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=mint(issuer, provider))
    assert response["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/federated/alice"
    assert response["Subject"] == "alice@example.com"
    assert response["SubjectType"] == "persistent"
    assert response["Issuer"] == "https://idp.example.com/saml"
    assert response["Audience"] == "https://signin.aws.amazon.com/saml"
    expected = base64.b64encode(hashlib.sha1(f"https://idp.example.com/saml{ACCOUNT}/corp".encode()).digest())
    assert response["NameQualifier"] == expected.decode()
    credentials = response["Credentials"]
    assert credentials["Expiration"] == START + datetime.timedelta(hours=1)
    client = session.client(
        "sts",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    assert client.get_caller_identity()["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/federated/alice"


def test_role_attribute_pair_in_either_order_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3 (UG "Configure SAML assertions"): each Role value is "role,provider" in either order."""
    issuer, provider = idp
    assertion = mint(issuer, provider, roles=[(provider, ROLE)])
    response = sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=assertion)
    assert response["AssumedRoleUser"]["Arn"].endswith("/federated/alice")


def test_tampered_assertion_is_refused_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3 (UG "Troubleshoot SAML"): a changed signed assertion is "Response signature invalid"."""
    issuer, provider = idp
    text = base64.b64decode(mint(issuer, provider)).replace(b"alice@example.com", b"admin@example.com")
    code, message = error_of(
        lambda: sts.assume_role_with_saml(
            RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=base64.b64encode(text).decode()
        )
    )
    assert (code, message) == ("InvalidIdentityToken", "Response signature invalid")


def test_assertion_of_another_idp_is_refused_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3: an assertion signed with a key the provider's metadata does not hold is refused."""
    _, provider = idp
    stranger = TestSamlIdentityProvider("https://idp.example.com/saml")
    code, message = error_of(
        lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=mint(stranger, provider))
    )
    assert (code, message) == ("InvalidIdentityToken", "Response signature invalid")


def test_expired_assertion_is_refused_G3(
    sts: Any, clock: ManualClock, idp: tuple[TestSamlIdentityProvider, str]
) -> None:
    """§G.3: from NotOnOrAfter on (the simulator's clock), the assertion is ExpiredTokenException."""
    issuer, provider = idp
    assertion = mint(issuer, provider, expires_in=300)
    clock.advance(datetime.timedelta(seconds=300))
    code, _ = error_of(lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=assertion))
    assert code == "ExpiredTokenException"


def test_wrong_audience_is_refused_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3 (UG "Troubleshoot SAML"): an Audience or Recipient that is not AWS sign-in is refused."""
    issuer, provider = idp
    for override in ({"audience": "https://app.example.com/saml"}, {"recipient": "https://app.example.com/acs"}):
        assertion = mint(issuer, provider, **override)
        code, message = error_of(
            lambda a=assertion: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=a)
        )
        assert (code, message) == ("InvalidIdentityToken", "Response does not contain the required audience.")


def test_role_not_named_by_the_assertion_is_denied_G3(
    sim: Simulator, sts: Any, idp: tuple[TestSamlIdentityProvider, str]
) -> None:
    """§G.3: the Role attribute must name the requested role with the requested provider."""
    issuer, provider = idp
    other = sim.create_role("other", trust(provider)).arn
    assertion = mint(issuer, provider)
    code, message = error_of(
        lambda: sts.assume_role_with_saml(RoleArn=other, PrincipalArn=provider, SAMLAssertion=assertion)
    )
    assert (code, message) == ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")


def test_untrusted_provider_is_denied_G3(sim: Simulator, sts: Any) -> None:
    """§G.3, §F: a provider the role's trust policy does not name cannot assume it, though the pair matches."""
    _, trusted = sim.create_test_saml_provider("trusted")
    rogue_idp, rogue = sim.create_test_saml_provider("rogue")
    sim.create_role("federated", trust(trusted))
    assertion = mint(rogue_idp, rogue, roles=[(ROLE, rogue)])
    code, message = error_of(
        lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=rogue, SAMLAssertion=assertion)
    )
    assert (code, message) == ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")


def test_trust_conditions_on_saml_keys_G3(sim: Simulator, sts: Any) -> None:
    """§E, §G.3: trust conditions read SAML:sub and SAML:iss from the verified assertion."""
    issuer, provider = sim.create_test_saml_provider("corp", entity_id="https://idp.example.com/saml")
    only_alice = {"StringEquals": {"SAML:sub": "alice@example.com", "SAML:iss": "https://idp.example.com/saml"}}
    sim.create_role("federated", trust(provider, conditions=only_alice))
    assert sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=mint(issuer, provider))
    bob = mint(issuer, provider, subject="bob@example.com", session_name="bob")
    code, _ = error_of(lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=bob))
    assert code == "AccessDenied"


def test_session_name_attribute_is_required_and_checked_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3 (UG "Troubleshoot SAML"): RoleSessionName must be present and match its pattern."""
    issuer, provider = idp
    cases = [
        (None, "RoleSessionName is required in AuthnResponse"),
        ("a b", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"),
    ]
    for name, expected in cases:
        assertion = mint(issuer, provider, session_name=name)
        code, message = error_of(
            lambda a=assertion: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=a)
        )
        assert (code, message) == ("InvalidIdentityToken", expected)


def test_duration_and_session_not_on_or_after_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3: DurationSeconds up to the role's maximum; the session ends at SessionNotOnOrAfter if sooner."""
    issuer, provider = idp
    call = sts.assume_role_with_saml
    code, message = error_of(
        lambda: call(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=mint(issuer, provider), DurationSeconds=7201)
    )
    assert (code, message) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )
    soon = START + datetime.timedelta(minutes=20)
    assertion = mint(issuer, provider, session_not_on_or_after=soon)
    response = call(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=assertion, DurationSeconds=7200)
    assert response["Credentials"]["Expiration"] == soon


def test_principal_tags_become_session_tags_G3(
    session: boto3.Session, sim: Simulator, sts: Any, idp: tuple[TestSamlIdentityProvider, str]
) -> None:
    """§G.3 (UG "Passing session tags using AssumeRoleWithSAML"): PrincipalTag attributes tag the session."""
    issuer, provider = idp
    assertion = mint(issuer, provider, tags={"team": "blue"})
    response = sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=assertion)
    credentials = response["Credentials"]
    caller = sim.authenticate(
        iamsim.Credentials(credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    )
    assert caller.session_tags == (("team", "blue"),)


def test_tags_need_tag_session_in_the_trust_policy_G3(sim: Simulator, sts: Any) -> None:
    """§G.3: session tags from the assertion need sts:TagSession in the trust policy."""
    issuer, provider = sim.create_test_saml_provider("corp", entity_id="https://idp.example.com/saml")
    sim.create_role("federated", trust(provider))
    assertion = mint(issuer, provider, tags={"team": "blue"})
    code, _ = error_of(lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=assertion))
    assert code == "AccessDenied"


def test_missing_provider_and_garbage_assertion_G3(sts: Any, idp: tuple[TestSamlIdentityProvider, str]) -> None:
    """§G.3: a provider that does not exist, and an assertion that is not a SAML response, are refused."""
    issuer, provider = idp
    missing = provider.replace("/corp", "/nope")
    code, message = error_of(
        lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=missing, SAMLAssertion=mint(issuer, provider))
    )
    assert (code, message) == ("InvalidIdentityToken", "Specified provider doesn't exist.")
    code, _ = error_of(lambda: sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion="bm9wZQ=="))
    assert code == "InvalidIdentityToken"


def test_metadata_without_a_signing_certificate_is_refused_H5(session: boto3.Session) -> None:
    """CreateSAMLProvider refuses metadata without a usable signing certificate ("Could not parse metadata")."""
    metadata = (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">'
        + "<!-- padding -->" * 70
        + "</md:EntityDescriptor>"
    )
    iam = session.client("iam")
    code, _ = error_of(lambda: iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata))
    assert code == "InvalidInput"
