"""Principal / NotPrincipal matching (spec §A.3, §F.2) and the naming strength it reports."""

from __future__ import annotations

import pytest
from compiled_builders import ACCOUNT, FEDERATED, OTHER, ROLE, ROOT, SESSION, USER

from iamsim._engine.principals import Naming, compile_principal
from iamsim._engine.request import Principal, PrincipalType
from iamsim._policy.model import PrincipalSpec

USER_PRINCIPAL = Principal.from_arn(USER, unique_id="AIDAEXAMPLEUSER00001")
SESSION_PRINCIPAL = Principal.from_arn(SESSION, unique_id="AROAEXAMPLEROLE00001")
FEDERATED_PRINCIPAL = Principal(
    FEDERATED, PrincipalType.FEDERATED_USER, ACCOUNT, source_user_arn=USER, session_name="fed"
)
ROOT_PRINCIPAL = Principal.root(ACCOUNT)


def naming(principal: Principal, *aws: str, **keys: tuple[str, ...]) -> Naming:
    return compile_principal(PrincipalSpec(aws=aws, **keys)).naming(principal)


def test_wildcard_names_everyone_directly() -> None:
    """§A.3: `*` and {"AWS": "*"} are everyone, anonymous included; a direct grant (§F.2 judgment)."""
    for principal in (USER_PRINCIPAL, Principal.anonymous(), Principal.for_service("ec2.amazonaws.com")):
        assert compile_principal(PrincipalSpec(wildcard=True)).naming(principal) is Naming.DIRECT
        assert naming(principal, "*") is Naming.DIRECT


@pytest.mark.parametrize("account", [ACCOUNT, ROOT])
def test_account_forms_name_every_principal_of_the_account(account: str) -> None:
    """§A.3: `123456789012` and `arn:aws:iam::123456789012:root` are the whole account."""
    for principal in (USER_PRINCIPAL, SESSION_PRINCIPAL, FEDERATED_PRINCIPAL, ROOT_PRINCIPAL):
        assert naming(principal, account) is Naming.ACCOUNT
    assert naming(Principal.root(OTHER), account) is Naming.NONE


def test_account_root_arn_checks_the_partition() -> None:
    """§F.3: principals do not cross partitions."""
    assert naming(USER_PRINCIPAL, f"arn:aws-cn:iam::{ACCOUNT}:root") is Naming.NONE


def test_user_arn_and_unique_id_name_the_user_directly() -> None:
    """§A.3, §F.2: a user ARN (or its AIDA id) names that user; the name is case sensitive."""
    assert naming(USER_PRINCIPAL, USER) is Naming.DIRECT
    assert naming(USER_PRINCIPAL, "AIDAEXAMPLEUSER00001") is Naming.DIRECT
    assert naming(USER_PRINCIPAL, USER.replace("alice", "Alice")) is Naming.NONE
    assert naming(USER_PRINCIPAL, USER + "*") is Naming.NONE  # no partial wildcards


def test_role_arn_names_its_sessions_through_the_role() -> None:
    """§F.2: a role ARN names a session of the role, which boundary and session policy still limit."""
    assert naming(SESSION_PRINCIPAL, ROLE) is Naming.ROLE_OR_SOURCE_USER
    assert naming(SESSION_PRINCIPAL, "AROAEXAMPLEROLE00001") is Naming.ROLE_OR_SOURCE_USER
    assert naming(SESSION_PRINCIPAL, SESSION) is Naming.DIRECT
    assert naming(SESSION_PRINCIPAL, f"arn:aws:sts::{ACCOUNT}:assumed-role/app/other") is Naming.NONE


def test_federated_user_forms() -> None:
    """§F.2: the federated-user ARN names the session; the user who federated names it through that user."""
    assert naming(FEDERATED_PRINCIPAL, FEDERATED) is Naming.DIRECT
    assert naming(FEDERATED_PRINCIPAL, USER) is Naming.ROLE_OR_SOURCE_USER


def test_service_and_federated_keys() -> None:
    """§A.3: Service and Federated match that service / identity provider, case-sensitively."""
    service = Principal.for_service("ec2.amazonaws.com")
    assert naming(service, service=("ec2.amazonaws.com",)) is Naming.DIRECT
    assert naming(service, service=("EC2.amazonaws.com",)) is Naming.NONE
    assert naming(service, ACCOUNT) is Naming.NONE
    web = Principal.for_web_identity("accounts.google.com")
    assert naming(web, federated=("accounts.google.com",)) is Naming.DIRECT
    assert naming(web, service=("accounts.google.com",)) is Naming.NONE
    assert naming(Principal.anonymous(), ACCOUNT) is Naming.NONE


def test_not_principal_exempts_only_a_fully_listed_chain() -> None:
    """§F.2 MUST (judgment): account, role and session must all be listed to be spared."""
    full = compile_principal(PrincipalSpec(aws=(ROOT, ROLE, SESSION)))
    assert full.exempts(SESSION_PRINCIPAL, has_boundary=False)
    for partial in ((ROLE, SESSION), (ROOT, SESSION), (ROOT, ROLE), (ACCOUNT, ROLE)):
        assert not compile_principal(PrincipalSpec(aws=partial)).exempts(SESSION_PRINCIPAL, has_boundary=False)
    user_chain = compile_principal(PrincipalSpec(aws=(ACCOUNT, USER)))
    assert user_chain.exempts(USER_PRINCIPAL, has_boundary=False)
    assert compile_principal(PrincipalSpec(aws=(ACCOUNT,))).exempts(ROOT_PRINCIPAL, has_boundary=False)


def test_not_principal_never_exempts_a_caller_with_a_boundary() -> None:
    """§F.2 (current): NotPrincipal+Deny always denies a user or role with a permissions boundary."""
    full = compile_principal(PrincipalSpec(aws=(ROOT, ROLE, SESSION)))
    assert not full.exempts(SESSION_PRINCIPAL, has_boundary=True)
    assert not compile_principal(PrincipalSpec(wildcard=True)).exempts(USER_PRINCIPAL, has_boundary=True)
