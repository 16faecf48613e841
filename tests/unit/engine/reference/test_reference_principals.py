"""Principal and NotPrincipal in the reference evaluator (spec §A.3, §F.2)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from reference_builders import (
    ACCOUNT,
    EVERYONE,
    FEDERATED,
    OTHER,
    ROLE,
    ROOT,
    SESSION,
    USER,
    aws,
    cond,
    decide,
    identity,
    policy,
    request,
    resource_policy,
    stmt,
)

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference.principals import Grant, not_principal_exempts, principal_grant
from iamsim._engine.request import Principal
from iamsim._engine.result import Decision
from iamsim._policy.model import PolicyKind, PrincipalSpec

USER_ID = "AIDAEXAMPLEUSER00001"
ROLE_ID = "AROAEXAMPLEROLE00001"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue"

alice = Principal.from_arn(USER, unique_id=USER_ID)
session = Principal.from_arn(ROLE, session_name="s1", unique_id=ROLE_ID)
federated = replace(Principal.from_arn(FEDERATED), source_user_arn=USER)
root = Principal.root(ACCOUNT)
ec2 = Principal.for_service("ec2.amazonaws.com")
google = Principal.for_web_identity("accounts.google.com", "subject")
anonymous = Principal.anonymous()
stranger = Principal.from_arn(f"arn:aws:iam::{OTHER}:user/alice")

NOTHING = identity(stmt(action="nothing:Nothing"), name="nothing")
EVERYTHING = identity(stmt(), name="everything")


def evaluate(spec: PrincipalSpec, caller: Principal, **extra: Any) -> tuple[Decision, PolicyKind | None]:
    """Same-account SQS request against a resource policy allowing ``spec``."""
    policies = PolicySet(resource=resource_policy(stmt(principal=spec)), **extra)
    result = decide(policies, request(caller, "sqs:SendMessage", QUEUE))
    return result.decision, result.denied_by


@pytest.mark.parametrize(
    ("spec", "caller", "grant"),
    [
        (EVERYONE, anonymous, Grant.DIRECT),
        (aws("*"), google, Grant.DIRECT),
        (aws(ACCOUNT), alice, Grant.ACCOUNT),
        (aws(ROOT), alice, Grant.ACCOUNT),
        (aws(ROOT), session, Grant.ACCOUNT),
        (aws(ACCOUNT), federated, Grant.ACCOUNT),
        (aws(ACCOUNT), root, Grant.ACCOUNT),
        (aws(USER), alice, Grant.DIRECT),
        (aws(ROLE), session, Grant.PARENT),
        (aws(SESSION), session, Grant.DIRECT),
        (aws(FEDERATED), federated, Grant.DIRECT),
        (aws(USER), federated, Grant.PARENT),
        (aws(USER_ID), alice, Grant.DIRECT),
        (aws(ROLE_ID), session, Grant.PARENT),
        (PrincipalSpec(service=("ec2.amazonaws.com",)), ec2, Grant.DIRECT),
        (PrincipalSpec(federated=("accounts.google.com",)), google, Grant.DIRECT),
        (aws(ROLE, ACCOUNT, SESSION), session, Grant.DIRECT),
    ],
)
def test_a3_principal_forms_name_the_caller(spec: PrincipalSpec, caller: Principal, grant: Grant) -> None:
    """§A.3/§F.2: each principal form names its callers, with the strength the combining rules use."""
    assert principal_grant(spec, caller) is grant


@pytest.mark.parametrize(
    ("spec", "caller"),
    [
        (aws(OTHER), alice),
        (aws(f"arn:aws:iam::{ACCOUNT}:user/Alice"), alice),
        (aws(f"arn:aws-cn:iam::{ACCOUNT}:user/alice"), alice),
        (aws(f"arn:aws-cn:iam::{ACCOUNT}:root"), alice),
        (aws(USER), session),
        (aws(ROLE), alice),
        (aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/app/other"), session),
        (aws(ACCOUNT), ec2),
        (aws(ACCOUNT), anonymous),
        (aws(USER), stranger),
        (aws(ROLE_ID), alice),
        (PrincipalSpec(service=("EC2.amazonaws.com",)), ec2),
        (PrincipalSpec(service=("ec2.amazonaws.com",)), alice),
        (PrincipalSpec(federated=("Accounts.google.com",)), google),
        (PrincipalSpec(canonical_user=("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",)), alice),
        (aws("arn:aws:iam::111111111111:user/*"), alice),
    ],
)
def test_a3_principal_forms_do_not_name_others(spec: PrincipalSpec, caller: Principal) -> None:
    """§A.3: names are case-sensitive, partial wildcards are literal, CanonicalUser never names an IAM principal."""
    assert principal_grant(spec, caller) is None


def test_f2_user_arn_grant_is_not_limited_by_identity_or_boundary() -> None:
    """§F.2 table row 1: a resource policy naming the user allows it despite identity and boundary."""
    assert evaluate(aws(USER), alice) == (Decision.ALLOWED, None)
    assert evaluate(aws(USER), alice, boundary=NOTHING) == (Decision.ALLOWED, None)


def test_f2_role_arn_grant_is_limited_by_boundary_and_session_policy() -> None:
    """§F.2 table row 2: naming the role ARN: no identity needed, but boundary and session apply."""
    assert evaluate(aws(ROLE), session) == (Decision.ALLOWED, None)
    assert evaluate(aws(ROLE), session, boundary=NOTHING) == (Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY)
    assert evaluate(aws(ROLE), session, session=(NOTHING,)) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)
    assert evaluate(aws(ROLE), session, session=(EVERYTHING,)) == (Decision.ALLOWED, None)


def test_f2_session_arn_grant_is_not_limited() -> None:
    """§F.2 table row 3: naming the session ARN is limited by neither boundary nor session policy."""
    assert evaluate(aws(SESSION), session, boundary=NOTHING, session=(NOTHING,)) == (Decision.ALLOWED, None)


def test_f2_federated_user_arn_grant_is_not_limited() -> None:
    """§F.2 table row 4: naming the federated-user ARN allows even with no session policy."""
    assert evaluate(aws(FEDERATED), federated) == (Decision.ALLOWED, None)
    assert evaluate(aws(FEDERATED), federated, session=(NOTHING,)) == (Decision.ALLOWED, None)


def test_f2_federating_user_arn_grant_is_limited_by_session_and_boundary() -> None:
    """§F.2 table row 5: naming the user who federated: boundary and session policy must allow."""
    assert evaluate(aws(USER), federated) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)
    assert evaluate(aws(USER), federated, session=(EVERYTHING,)) == (Decision.ALLOWED, None)
    assert evaluate(aws(USER), federated, session=(EVERYTHING,), boundary=NOTHING) == (
        Decision.IMPLICIT_DENY,
        PolicyKind.BOUNDARY,
    )


def test_f2_account_grant_in_same_account_needs_identity() -> None:
    """§F.2 (SHOULD, judgment): an account principal delegates; the identity side must allow too."""
    assert evaluate(aws(ACCOUNT), alice) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)
    assert evaluate(aws(ROOT), alice, identity=(EVERYTHING,)) == (Decision.ALLOWED, None)


def test_f2_account_grant_covers_the_root_user() -> None:
    """§F.1 step 0/§F.3: the root user has identity allow, so an account grant suffices."""
    assert evaluate(aws(ACCOUNT), root) == (Decision.ALLOWED, None)


def test_f2_wildcard_with_principalarn_condition_is_a_direct_grant() -> None:
    """§F.2 (MUST): ``Principal: *`` + ``aws:PrincipalArn`` is not limited by boundary or session policy."""
    statement = stmt(principal=EVERYONE, conditions=(cond("ArnEquals", "aws:PrincipalArn", ROLE),))
    policies = PolicySet(resource=resource_policy(statement), boundary=NOTHING, session=(NOTHING,))
    assert decide(policies, request(session, "sqs:SendMessage", QUEUE)).allowed


def test_a3_wildcard_principal_includes_anonymous() -> None:
    """§A.3: ``*`` means everyone, including anonymous users."""
    assert evaluate(EVERYONE, anonymous) == (Decision.ALLOWED, None)
    assert evaluate(aws(ACCOUNT), anonymous) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)


def test_a3_service_principal_has_no_identity_side() -> None:
    """§A.3/§F.4: a service is allowed only by a resource policy naming it."""
    assert evaluate(PrincipalSpec(service=("ec2.amazonaws.com",)), ec2) == (Decision.ALLOWED, None)
    assert evaluate(aws(ACCOUNT), ec2, identity=(EVERYTHING,)) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)


def deny_all_but(spec: PrincipalSpec, caller: Principal, **extra: Any) -> Decision:
    """Evaluate an allow-everyone resource policy plus Deny with NotPrincipal ``spec``."""
    deny = stmt("Deny", not_principal=spec)
    policies = PolicySet(resource=resource_policy(stmt(principal=EVERYONE), deny), **extra)
    return decide(policies, request(caller, "sqs:SendMessage", QUEUE)).decision


def test_f2_notprincipal_exempts_when_every_level_is_listed() -> None:
    """§F.2 (MUST, judgment): account, role and session ARN listed: the session is exempt."""
    assert deny_all_but(aws(ROOT, ROLE, SESSION), session) is Decision.ALLOWED
    assert deny_all_but(aws(ACCOUNT, USER), alice) is Decision.ALLOWED
    assert deny_all_but(aws(ROOT), root) is Decision.ALLOWED


@pytest.mark.parametrize("listed", [(SESSION,), (ROLE, SESSION), (ROOT, SESSION), (ROOT, ROLE)])
def test_f2_notprincipal_denies_when_a_level_is_missing(listed: tuple[str, ...]) -> None:
    """§F.2: AWS may check the account, the role and the session; each must be listed."""
    assert deny_all_but(aws(*listed), session) is Decision.EXPLICIT_DENY


def test_f2_notprincipal_always_denies_callers_with_a_boundary() -> None:
    """§F.2 (current): NotPrincipal + Deny denies any principal with a permissions boundary."""
    assert deny_all_but(aws(ACCOUNT, USER), alice, boundary=EVERYTHING) is Decision.EXPLICIT_DENY


def test_f2_notprincipal_denies_unlisted_callers() -> None:
    """§F.2: a caller not listed is denied."""
    assert deny_all_but(aws(ACCOUNT, f"arn:aws:iam::{ACCOUNT}:user/bob"), alice) is Decision.EXPLICIT_DENY
    assert deny_all_but(aws(ACCOUNT, USER), anonymous) is Decision.EXPLICIT_DENY


def test_f2_notprincipal_services_and_wildcard() -> None:
    """§F.2: a service is exempt when listed under Service; ``*`` exempts everyone."""
    assert not_principal_exempts(PrincipalSpec(service=("ec2.amazonaws.com",)), ec2, has_boundary=False)
    assert not_principal_exempts(EVERYONE, anonymous, has_boundary=False)
    assert not not_principal_exempts(EVERYONE, alice, has_boundary=True)


def test_a2_notprincipal_with_allow_never_matches() -> None:
    """§A.2 (current): NotPrincipal is supported only with Deny; an Allow with it grants nothing."""
    rcp_like = policy(PolicyKind.RESOURCE, stmt(not_principal=aws(OTHER)))
    assert not decide(PolicySet(resource=rcp_like), request(alice, "sqs:SendMessage", QUEUE)).allowed


def test_a3_identity_policies_ignore_principal_elements() -> None:
    """§A.2: principals are checked only in resource-based, trust and RC policies."""
    odd = identity(stmt(principal=aws(OTHER)))
    assert decide(PolicySet(identity=(odd,)), request(alice, "sqs:SendMessage", QUEUE)).allowed
