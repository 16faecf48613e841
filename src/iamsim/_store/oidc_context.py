"""The trusted identity propagation configuration of an OIDC provider (UpdateOpenIDConnectProvider, §H.5).

A provider may carry a context provider (which claim of the IdP's token is the subject, and which
claims map to trusted context keys) and the ARN of an IAM Identity Center instance. This module
turns the request's ``ContextProvider`` structure into a record, checking it as IAM documents, and
applies an update's set/remove pairs to a provider.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from iamsim._store.records import OidcContextKeyDefinition, OidcContextProvider, OidcProvider
from iamsim._store.validation import check_length
from iamsim.errors import InvalidInputError

__all__ = ["context_provider", "updated_provider"]

#: ASCII letters, digits, single spaces and ``_ . : / = + - @ #``, no space at either end (§H.5).
_SOURCE_KEY_RE = re.compile(r"[A-Za-z0-9_.:/=+\-@#]+( [A-Za-z0-9_.:/=+\-@#]+)*")
#: An IAM Identity Center instance ARN (InstanceMetadata in the Identity Center API Reference).
_INSTANCE_ARN_RE = re.compile(r"arn:aws(-cn|-us-gov|-iso(-[a-z])?)?:sso:::instance/(sso)?ins-[a-zA-Z0-9\-.]{16}")
_MAX_KEY_DEFINITIONS = 10


def _source_key(value: Any, member: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{member} must be a string.")
    check_length(value, member, 1, 128)
    if _SOURCE_KEY_RE.fullmatch(value) is None:
        raise InvalidInputError(
            f"Invalid {member}: {value}. A key may contain only ASCII letters, numbers, single spaces and "
            "_ . : / = + - @ #, and may not start or end with a space."
        )
    return value


def context_provider(value: Mapping[str, Any]) -> OidcContextProvider:
    """The record of a request's ``ContextProvider`` structure (botocore's member names), checked."""
    if not isinstance(value, Mapping) or "SubjectSourceKey" not in value:
        raise InvalidInputError("ContextProvider must include SubjectSourceKey.")
    subject = _source_key(value["SubjectSourceKey"], "contextProvider.subjectSourceKey")
    type_value = value.get("SubjectTypeValue")
    type_key = value.get("SubjectTypeSourceKey")
    if type_value is not None and type_key is not None:
        raise InvalidInputError("Specify either SubjectTypeValue or SubjectTypeSourceKey, but not both.")
    if type_value is not None:
        check_length(type_value, "contextProvider.subjectTypeValue", 0, 128)
    if type_key is not None:
        type_key = _source_key(type_key, "contextProvider.subjectTypeSourceKey")
    definitions = value.get("KeyDefinitionList", ())
    if not isinstance(definitions, Sequence) or len(definitions) > _MAX_KEY_DEFINITIONS:
        raise InvalidInputError(f"KeyDefinitionList may hold at most {_MAX_KEY_DEFINITIONS} key definitions.")
    keys: list[OidcContextKeyDefinition] = []
    for item in definitions:
        if not isinstance(item, Mapping) or "SourceKey" not in item:
            raise InvalidInputError("Each key definition must include SourceKey.")
        source = _source_key(item["SourceKey"], "contextProvider.keyDefinitionList.member.sourceKey")
        target = item.get("TargetKey")
        if target is not None:
            check_length(target, "contextProvider.keyDefinitionList.member.targetKey", 1, 128)
        keys.append(OidcContextKeyDefinition(source, target))
    return OidcContextProvider(subject, tuple(keys), type_value, type_key)


def _instance_arn(value: str) -> str:
    check_length(value, "identityCenterInstanceArn", 1, 1224)
    if _INSTANCE_ARN_RE.fullmatch(value) is None:
        raise InvalidInputError(f"Invalid IdentityCenterInstanceArn: {value}")
    return value


def updated_provider(
    provider: OidcProvider,
    *,
    context: Mapping[str, Any] | None,
    instance_arn: str | None,
    remove_context: bool,
    remove_instance: bool,
) -> OidcProvider:
    """``provider`` after one UpdateOpenIDConnectProvider: one configuration set or removed, never both (§H.5)."""
    if context is not None and remove_context:
        raise InvalidInputError("You cannot specify both ContextProvider and RemoveContextProvider.")
    if instance_arn is not None and remove_instance:
        raise InvalidInputError("You cannot specify both IdentityCenterInstanceArn and RemoveIdentityCenterInstance.")
    changes_context = context is not None or remove_context
    changes_instance = instance_arn is not None or remove_instance
    if changes_context and changes_instance:
        raise InvalidInputError(
            "A single request can change either the context provider or the IAM Identity Center association, "
            "but not both."
        )
    if not changes_context and not changes_instance:
        raise InvalidInputError(
            "Specify ContextProvider, RemoveContextProvider, IdentityCenterInstanceArn or RemoveIdentityCenterInstance."
        )
    if changes_context:
        if remove_context and provider.identity_center_instance_arn is not None:
            raise InvalidInputError(
                "Remove the IAM Identity Center association before you remove the context provider."
            )
        return replace(provider, context_provider=None if context is None else context_provider(context))
    if instance_arn is not None and provider.context_provider is None:
        raise InvalidInputError("Set a context provider before you associate an IAM Identity Center instance.")
    return replace(provider, identity_center_instance_arn=None if instance_arn is None else _instance_arn(instance_arn))
