"""The public API's request builder equals ``Request.create`` (spec §E: the principal's keys plus the caller's,
caller's entries overriding; context keys case-insensitive, §C.2), errors included (issue 16)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from iamsim._engine.request import Principal, Request
from iamsim._engine.request_builder import RequestBuilder
from iamsim.errors import IamSimError

ROLE = "arn:aws:iam::111122223333:role/app"
CONTEXTS: list[Any] = [
    None,
    {},
    {"aws:SourceIp": "10.0.0.1", "AWS:SecureTransport": True, "aws:TagKeys": ["a", "b"]},
    {"aws:CurrentTime": datetime(2025, 1, 1, tzinfo=UTC), "aws:PrincipalArn": "override", "n": 3, "f": 1.5},
    (("aws:SourceIp", "10.0.0.1"), ("aws:sourceip", "10.0.0.2")),
    {"aws:TagKeys": {"b", "a"}},
]


def _fields(request: Request) -> tuple[object, ...]:
    return (request.principal, request.action, request.resource, dict(request.context), request.resource_account)


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("as_arn", [True, False])
def test_builds_what_request_create_builds_e(context: Any, as_arn: bool) -> None:
    """§E: the same principal keys and caller keys (lowercased, normalised) as ``Request.create``, twice over."""
    builder = RequestBuilder()
    principal = Principal.from_arn(ROLE)
    expected = Request.create(principal, "s3:GetObject", "arn:aws:s3:::b/k", context, resource_account="444455556666")
    for _ in range(2):  # the second call is answered from the builder's memos
        built = builder.build(
            builder.principal(ROLE if as_arn else principal), "s3:GetObject", "arn:aws:s3:::b/k", context,
            "444455556666",
        )  # fmt: skip
        assert _fields(built) == _fields(expected)


@pytest.mark.parametrize(
    ("principal", "action", "resource", "context", "account"),
    [
        (ROLE, "GetObject", "*", None, None),
        (ROLE, "s3:GetObject", "", None, None),
        (ROLE, "s3:GetObject", "*", {"": "x"}, None),
        (ROLE, "s3:GetObject", "*", {1: "x"}, None),
        (ROLE, "s3:GetObject", "*", {"k": object()}, None),
        (ROLE, "s3:GetObject", "*", "not a mapping", None),
        (ROLE, "s3:GetObject", "*", None, "12"),
    ],
)
def test_bad_input_raises_what_request_create_raises(
    principal: str, action: Any, resource: Any, context: Any, account: Any
) -> None:
    """Bad input gets the same error, with the same message, as ``Request.create``."""
    with pytest.raises(IamSimError) as expected:
        Request.create(Principal.from_arn(principal), action, resource, context, resource_account=account)
    builder = RequestBuilder()
    with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
        builder.build(builder.principal(principal), action, resource, context, account)


def test_a_bad_principal_is_a_usage_error() -> None:
    """Neither an ARN nor a Principal: the facade's usage error."""
    with pytest.raises(IamSimError, match="is not an ARN or a Principal"):
        RequestBuilder().principal(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("as_arn", [True, False])
def test_caller_is_principal_and_its_entries_E(as_arn: bool) -> None:
    """§E: ``caller`` (the direct path's one lookup, issue 16) gives the principal ``principal`` gives and the
    keys ``Principal.context_entries`` derives, on first and later calls."""
    builder = RequestBuilder()
    who: Any = ROLE if as_arn else Principal.from_arn(ROLE)
    for _ in range(2):
        principal, entries = builder.caller(who)
        assert principal == builder.principal(who)
        assert entries == principal.context_entries()
    with pytest.raises(IamSimError):
        builder.caller("arn:aws:s3:::not-a-principal")
