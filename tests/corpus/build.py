"""Turn validated corpus cases into iamsim objects: parsed policies, a PolicySet, a Request.

iamsim modules are imported inside the functions, so that a missing module
fails the test that needs it (loudly, with ImportError) instead of the whole
collection.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corpus.loader import CorpusCase, PolicyInput, PrincipalInput

if TYPE_CHECKING:
    from iamsim._engine.policy_set import PolicySet
    from iamsim._engine.request import Principal, Request
    from iamsim._policy.model import Policy

__all__ = ["build_policy_set", "build_principal", "build_request", "parse_all", "parse_input"]


def parse_input(kind: str, policy: PolicyInput) -> Policy:
    """Parse one policy of a case as ``kind`` with ``parse_policy``."""
    from iamsim._policy.model import PolicyKind
    from iamsim._policy.parse import parse_policy

    document: Any = policy.document
    if not isinstance(document, str):
        # A plain dict, detached from YAML's types, exactly as a JSON load would give it.
        document = json.loads(json.dumps(document))
    return parse_policy(document, PolicyKind(kind), name=policy.name)


def parse_all(case: CorpusCase) -> list[Policy]:
    """Parse every policy of ``case`` in canonical order (the first bad one raises)."""
    return [parse_input(kind, policy) for kind, policy in case.policies.in_parse_order()]


def build_policy_set(case: CorpusCase) -> PolicySet:
    """The ``PolicySet`` of ``case``."""
    from iamsim._engine.policy_set import PolicySet

    given = case.policies
    return PolicySet(
        identity=tuple(parse_input("identity", p) for p in given.identity),
        resource=parse_input(given.resource_kind, given.resource) if given.resource else None,
        boundary=parse_input("boundary", given.boundary) if given.boundary else None,
        session=tuple(parse_input("session", p) for p in given.session) if given.session is not None else None,
        scp_levels=tuple(tuple(parse_input("scp", p) for p in level) for level in given.scp),
        rcp_levels=tuple(tuple(parse_input("rcp", p) for p in level) for level in given.rcp),
    )


def build_principal(given: PrincipalInput) -> Principal:
    """The ``Principal`` a case's request names."""
    from iamsim._engine.request import Principal

    if given.type == "Service":
        return Principal.for_service(given.arn or "")
    if given.type == "Anonymous":
        return Principal.anonymous()
    if given.type == "WebIdentityUser":
        return Principal.for_web_identity(given.federated_provider or given.arn or "", given.subject or "")
    principal = Principal.from_arn(
        given.arn or "", session_name=given.session_name or "iamsim-session", unique_id=given.unique_id
    )
    if given.federated_provider is not None:
        # A role session whose credentials came from AssumeRoleWithWebIdentity/SAML.
        principal = replace(principal, federated_provider=given.federated_provider, web_identity=True)
    if given.source_user_arn is not None:
        principal = replace(principal, source_user_arn=given.source_user_arn)
    return principal


def build_request(case: CorpusCase) -> Request:
    """The ``Request`` of ``case`` (principal keys merged with the case's context)."""
    from iamsim._engine.request import Request

    given = case.request
    if given is None:
        raise ValueError(f"case {case.id} has no request")
    return Request.create(
        build_principal(given.principal),
        given.action,
        given.resource,
        dict(given.context) if given.context is not None else None,
        resource_account=given.resource_account,
    )
