"""The records and token text of an issued session are what the plain constructors and encoder give (§G.1, §G.9).

AssumeRole builds its ``Principal`` and ``Caller`` through their slots and writes
the token's claims with the runs a role's sessions share remembered: each is
held equal here to the dataclass constructor and to ``encode_claims(to_claims())``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim._engine.request import Principal, PrincipalType
from iamsim._store.records import Role
from iamsim._sts.caller import Caller, CallerKind, role_session_caller, role_session_principal
from iamsim._sts.credentials import (
    AssumedRoleUser,
    AssumeRoleResult,
    Credentials,
    assume_role_result,
    session_credentials,
)
from iamsim._sts.tokens import TokenSealer, encode_claims

_TEXT = st.text(max_size=12)
_MAYBE = st.none() | _TEXT
_PAIRS = st.lists(st.tuples(_TEXT, _TEXT), max_size=3).map(tuple)


def _role(path: str = "/") -> Role:
    return Role(
        name="R",
        role_id="AROAEXAMPLEEXAMPLE123",
        arn=f"arn:aws:iam::123456789012:role{path}R",
        path=path,
        create_date="2026-01-01T00:00:00Z",
        trust_policy="{}",
    )


@st.composite
def _callers(draw: st.DrawFn) -> Caller:
    principal = Principal(
        draw(_TEXT),
        draw(st.sampled_from(PrincipalType)),
        draw(_MAYBE),
        draw(st.sampled_from(["aws", "aws-cn"])),
        role_arn=draw(_MAYBE),
        session_name=draw(_MAYBE),
        source_user_arn=draw(_MAYBE),
        unique_id=draw(_MAYBE),
        userid=draw(_MAYBE),
        username=draw(_MAYBE),
        federated_provider=draw(_MAYBE),
        web_identity=draw(st.booleans()),
    )
    times = st.none() | st.integers(min_value=-(2**40), max_value=2**40)
    return Caller(
        draw(st.sampled_from(CallerKind)),
        principal,
        entity_name=draw(_MAYBE),
        entity_id=draw(_MAYBE),
        access_key_id=draw(_MAYBE),
        session_tags=draw(_PAIRS),
        transitive_tag_keys=tuple(draw(st.lists(_TEXT, max_size=2))),
        session_policies=draw(st.none() | _PAIRS),
        issued_at=draw(times),
        expires_at=draw(times),
        mfa_at=draw(times),
        source_identity=draw(_MAYBE),
        instance_id=draw(_MAYBE),
        extra_context=draw(
            st.lists(st.tuples(_TEXT, _TEXT | st.lists(_TEXT, max_size=2).map(tuple)), max_size=2).map(tuple)
        ),
    )


@settings(max_examples=300)
@given(_callers(), _TEXT)
def test_claims_text_is_the_encoded_claims_g9(caller: Caller, secret: str) -> None:
    """§G.9: the sealed claims' text is ``encode_claims(to_claims(secret))`` byte for byte (any text)."""
    assert caller.claims_text(secret) == encode_claims(caller.to_claims(secret))
    # Asked twice: the remembered shared runs give the same text.
    assert caller.claims_text(secret) == encode_claims(caller.to_claims(secret))


def test_claims_text_does_not_share_runs_between_values_that_only_compare_equal_g9() -> None:
    """§G.9: ``True == 1`` and ``1 == 1.0``, but their JSON differs: no remembered run answers for the other."""
    base = role_session_caller(role_session_principal("aws", "123456789012", _role(), "s"), _role())
    values: list[Any] = [1, True, 1.0, 0, False]
    for value in values:
        caller = dataclasses.replace(base, mfa_at=value)
        assert caller.claims_text("x") == encode_claims(caller.to_claims("x"))
        principal = dataclasses.replace(base.principal, web_identity=value)
        caller = dataclasses.replace(base, principal=principal)
        assert caller.claims_text("x") == encode_claims(caller.to_claims("x"))


def test_claims_text_of_unhashable_fields_is_written_the_plain_way_g9() -> None:
    """§G.9: a caller built with lists (not the tuples its fields declare) still seals the same text."""
    base = role_session_caller(role_session_principal("aws", "123456789012", _role(), "s"), _role())
    caller = dataclasses.replace(base, session_tags=[["k", "v"]])  # type: ignore[arg-type]
    assert caller.claims_text("x") == encode_claims(caller.to_claims("x"))


def test_sealed_claims_text_opens_to_the_caller_g9() -> None:
    """§G.9: a token sealed from the claims text opens to the same caller and secret."""
    caller = role_session_caller(
        role_session_principal("aws", "123456789012", _role("/team/"), "s-1"),
        _role("/team/"),
        session_tags=(("k", "v"),),
        issued=("ASIA" + "C" * 16, 100, 3700),
    )
    sealer = TokenSealer(bytes(range(32)))
    token = sealer.seal_text(caller.claims_text("s" * 40))
    assert token == sealer.seal(caller.to_claims("s" * 40))
    assert Caller.from_claims(sealer.unseal(token)) == (caller, "s" * 40)


def test_role_session_principal_is_the_constructors_g1() -> None:
    """§G.1: the session principal built through the slots equals ``Principal(...)`` on every field."""
    for provider in (None, "arn:aws:iam::123456789012:oidc-provider/example.com"):
        built = role_session_principal("aws", "123456789012", _role("/p/"), "s", provider=provider)
        expected = Principal(
            "arn:aws:sts::123456789012:assumed-role/R/s",
            PrincipalType.ASSUMED_ROLE,
            "123456789012",
            "aws",
            role_arn="arn:aws:iam::123456789012:role/p/R",
            session_name="s",
            unique_id="AROAEXAMPLEEXAMPLE123",
            userid="AROAEXAMPLEEXAMPLE123:s",
            federated_provider=provider,
            web_identity=provider is not None,
        )
        assert {f.name: getattr(built, f.name) for f in dataclasses.fields(Principal)} == {
            f.name: getattr(expected, f.name) for f in dataclasses.fields(Principal)
        }
        assert built == expected
        assert hash(built) == hash(expected)


def test_role_session_caller_is_the_constructors_g1() -> None:
    """§G.1: the session caller built through the slots equals ``Caller(...)`` on every field."""
    principal = role_session_principal("aws", "123456789012", _role(), "s")
    built = role_session_caller(
        principal,
        _role(),
        session_tags=(("a", "b"),),
        transitive_tag_keys=("a",),
        session_policies=(("p", "{}"),),
        mfa_at=5,
        source_identity="me",
        instance_id="i-1",
        extra_context=(("k", "v"),),
        issued=("ASIAX", 10, 20),
    )
    expected = Caller(
        CallerKind.ROLE_SESSION,
        principal,
        entity_name="R",
        entity_id="AROAEXAMPLEEXAMPLE123",
        access_key_id="ASIAX",
        session_tags=(("a", "b"),),
        transitive_tag_keys=("a",),
        session_policies=(("p", "{}"),),
        issued_at=10,
        expires_at=20,
        mfa_at=5,
        source_identity="me",
        instance_id="i-1",
        extra_context=(("k", "v"),),
    )
    assert {f.name: getattr(built, f.name) for f in dataclasses.fields(Caller)} == {
        f.name: getattr(expected, f.name) for f in dataclasses.fields(Caller)
    }
    assert built == expected
    assert hash(built) == hash(expected)


def test_assume_role_records_are_the_constructors_g1() -> None:
    """§G.1: AssumeRole's credentials and result, built through the slots, equal the constructors' records."""
    expiration = datetime(2026, 1, 1, 1, tzinfo=UTC)
    credentials = session_credentials("ASIAX", "secret", "token", expiration)
    assert credentials == Credentials("ASIAX", "secret", "token", expiration)
    assert repr(credentials) == repr(Credentials("ASIAX", "secret", "token", expiration))
    for identity in (None, "me"):
        built = assume_role_result(credentials, "AROAX:s", "arn:aws:sts::123456789012:assumed-role/R/s", 7, identity)
        expected = AssumeRoleResult(
            credentials, AssumedRoleUser("AROAX:s", "arn:aws:sts::123456789012:assumed-role/R/s"), 7, identity
        )
        assert built == expected
        assert hash(built) == hash(expected)
