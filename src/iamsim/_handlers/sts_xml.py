"""The common STS answers written straight from their result records to XML text.

AssumeRole, GetCallerIdentity, GetSessionToken and AssumeRoleWithWebIdentity
answer most STS calls a program makes. The generic path renders a record into
boto3's output shape (:mod:`iamsim._wire.render`, dicts member by member) and
then walks that shape to write XML (:mod:`iamsim._wire.xml`); these writers
emit the same elements in the same order from the record's fields directly.
Every value goes through :func:`~iamsim._wire.xml.escape_text`: the text is the
boundary between a caller-chosen value (a session name, a web identity's
subject) and the XML botocore parses. Members the records never hold
(``SessionTokenUtilization``...) are left out, as the generic path leaves them
out; an optional member without a value (``None`` or ``""``) likewise. The answer
is a list of pieces joined once with the rest of the response (see
:class:`~iamsim._wire.xml.ResultXml`).

:func:`direct_writer` gives the writer of an operation and the record type it
writes; a result of any other type goes the generic way.
``tests/unit/wire/test_sts_xml.py`` renders each answer both ways and compares
what botocore parses from each.
"""

from __future__ import annotations

from collections.abc import Callable

from iamsim._sts.credentials import (
    AssumedRoleUser,
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    WebIdentityResult,
)
from iamsim._wire.xml import ResultXml, escape_text, escape_texts, format_timestamp

__all__ = ["direct_writer"]


def _optional(tag: str, value: str | None) -> str:
    """An optional string member: left out without a value, as AWS leaves it out."""
    if not value:
        return ""
    return f"<{tag}>{escape_text(value)}</{tag}>"


def _credentials_and_user(credentials: Credentials, user: AssumedRoleUser | None) -> list[str] | None:
    """``<Credentials>`` and ``<AssumedRoleUser>`` (none without a user) as pieces, their values escaped in one check.

    ``None`` for credentials without a token or expiry (never issued by STS): the generic path writes those.
    """
    token, expiration = credentials.session_token, credentials.expiration
    if token is None or expiration is None:
        return None
    key, secret, token, role_id, arn = escape_texts(
        credentials.access_key_id,
        credentials.secret_access_key,
        token,
        "" if user is None else user.assumed_role_id,
        "" if user is None else user.arn,
    )
    parts = [
        f"<Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>",
        token,
        f"</SessionToken><Expiration>{format_timestamp(expiration)}</Expiration></Credentials>",
    ]
    if user is not None:
        parts.append(f"<AssumedRoleUser><AssumedRoleId>{role_id}</AssumedRoleId><Arn>{arn}</Arn></AssumedRoleUser>")
    return parts


def _packed_size(size: int | None) -> str:
    return "" if size is None else f"<PackedPolicySize>{int(size)}</PackedPolicySize>"


def assume_role_xml(result: AssumeRoleResult) -> ResultXml | None:
    """``<AssumeRoleResult>`` of an AssumeRole answer (§G.1)."""
    parts = _credentials_and_user(result.credentials, result.assumed_role_user)
    if parts is None:
        return None
    parts.insert(0, "<AssumeRoleResult>")
    parts.append(
        f"{_packed_size(result.packed_policy_size)}{_optional('SourceIdentity', result.source_identity)}"
        "</AssumeRoleResult>"
    )
    return ResultXml(parts)


def web_identity_xml(result: WebIdentityResult) -> ResultXml | None:
    """``<AssumeRoleWithWebIdentityResult>`` of an AssumeRoleWithWebIdentity answer (§G.2)."""
    parts = _credentials_and_user(result.credentials, result.assumed_role_user)
    if parts is None:
        return None
    user = parts.pop()
    subject = _optional("SubjectFromWebIdentityToken", result.subject_from_web_identity_token)
    parts.insert(0, "<AssumeRoleWithWebIdentityResult>")
    parts.append(
        f"{subject}{user}{_packed_size(result.packed_policy_size)}{_optional('Provider', result.provider)}"
        f"{_optional('Audience', result.audience)}{_optional('SourceIdentity', result.source_identity)}"
        "</AssumeRoleWithWebIdentityResult>"
    )
    return ResultXml(parts)


def session_token_xml(credentials: Credentials) -> ResultXml | None:
    """``<GetSessionTokenResult>`` of a GetSessionToken answer (§G.4)."""
    parts = _credentials_and_user(credentials, None)
    if parts is None:
        return None
    return ResultXml(["<GetSessionTokenResult>", *parts, "</GetSessionTokenResult>"])


def caller_identity_xml(identity: CallerIdentity) -> ResultXml:
    """``<GetCallerIdentityResult>`` of a GetCallerIdentity answer (§G.6)."""
    return ResultXml(
        [
            f"<GetCallerIdentityResult>{_optional('UserId', identity.user_id)}{_optional('Account', identity.account)}"
            f"{_optional('Arn', identity.arn)}</GetCallerIdentityResult>"
        ]
    )


#: The operations answered directly: the record type each writes, and its writer.
_WRITERS: dict[str, tuple[type, Callable[..., ResultXml | None]]] = {
    "AssumeRole": (AssumeRoleResult, assume_role_xml),
    "AssumeRoleWithWebIdentity": (WebIdentityResult, web_identity_xml),
    "GetSessionToken": (Credentials, session_token_xml),
    "GetCallerIdentity": (CallerIdentity, caller_identity_xml),
}


def direct_writer(operation: str) -> tuple[type, Callable[..., ResultXml | None]] | None:
    """The record type STS ``operation`` answers with and its direct writer, or ``None`` (the generic path).

    The writer itself gives ``None`` for a record it does not write (credentials without a token).
    """
    return _WRITERS.get(operation)
