"""Encoded authorization messages: what EC2's denials carry and DecodeAuthorizationMessage reads (spec §G.8).

A denial of a service that returns encoded messages (EC2's ``UnauthorizedOperation``)
carries the evaluation's explanation in AWS's JSON format, sealed with
AES-256-GCM under a key derived from the simulator's token material, so the
message is opaque to the caller and cannot be forged or altered: decoding
anything else is ``InvalidAuthorizationMessageException``. The key is derived
apart from the session-token key, so a session token is never a message.

The decoded document has AWS's members: ``allowed``, ``explicitDeny``,
``matchedStatements``, ``failures`` and ``context`` (principal, action,
resource, conditions), each list as ``{"items": [...]}``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from iamsim._engine.request import Principal
from iamsim._engine.result import Decision, EvaluationResult, StatementRef
from iamsim._sts.params import check_token
from iamsim._sts.tokens import TokenSealer
from iamsim.errors import InvalidAuthorizationMessageError, InvalidClientTokenIdError

__all__ = ["decode_authorization_message", "encode_authorization_message"]

_LABEL: Final = b"/iamsim/sts/authorization-message"
_MEMBER: Final = "authorizationMessage"
_INVALID: Final = "The message is not a valid encoded authorization message."


def _sealer(material: bytes) -> TokenSealer:
    return TokenSealer.from_seed(material + _LABEL)


def _items(values: list[Any]) -> dict[str, list[Any]]:
    return {"items": values}


def _statement(ref: StatementRef) -> dict[str, Any]:
    return {
        "statementId": ref.sid or "",
        "effect": ref.effect.value.upper(),
        "policy": ref.policy_name,
        "policyType": ref.kind.label,
        "statementIndex": ref.statement_index,
    }


def _principal(principal: Principal) -> dict[str, str]:
    name = principal.session_name or principal.arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return {"id": principal.userid or principal.unique_id or "", "name": name, "arn": principal.arn}


def _values(value: object) -> list[dict[str, str]]:
    listed = value if isinstance(value, (list, tuple)) else [value]
    return [{"value": str(v).lower() if isinstance(v, bool) else str(v)} for v in listed]


def authorization_document(result: EvaluationResult) -> dict[str, Any]:
    """The decoded message of a denial (or an allow), in AWS's JSON shape (§G.8)."""
    request = result.request
    conditions = [{"key": key, "values": _items(_values(request.context[key]))} for key in sorted(request.context)]
    return {
        "allowed": result.allowed,
        "explicitDeny": result.decision is Decision.EXPLICIT_DENY,
        "matchedStatements": _items([_statement(ref) for ref in result.determining]),
        "failures": _items([]),
        "context": {
            "principal": _principal(request.principal),
            "action": request.action,
            "resource": request.resource,
            "conditions": _items(conditions),
        },
    }


def encode_authorization_message(material: bytes, result: EvaluationResult) -> str:
    """The encoded message a denial carries: the document of ``result``, sealed."""
    return _sealer(material).seal({_MEMBER: authorization_document(result)})


def decode_authorization_message(material: bytes, encoded_message: str, account: str | None) -> str:
    """DecodeAuthorizationMessage: the JSON text sealed in ``encoded_message`` (1..10240 characters, §G.8).

    Only a principal of the account whose request was denied may decode it.
    """
    check_token(encoded_message, "encodedMessage", 1, 10240)
    try:
        claims = _sealer(material).unseal(encoded_message)
    except InvalidClientTokenIdError:
        raise InvalidAuthorizationMessageError(_INVALID) from None
    document = claims.get(_MEMBER) if isinstance(claims, dict) else None
    if not isinstance(document, dict):
        raise InvalidAuthorizationMessageError(_INVALID)
    arn = str(document["context"]["principal"]["arn"])
    if account is None or arn.split(":")[4:5] != [account]:
        raise InvalidAuthorizationMessageError(_INVALID)
    return json.dumps(document, separators=(",", ":"))
