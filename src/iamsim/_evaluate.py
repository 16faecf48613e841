"""The one-shot and repeated evaluation API behind the facade.

Policies may be given as parsed :class:`~iamsim.Policy` objects, JSON text,
bytes or mappings; each is parsed with the grammar of the part it plays.
Principals may be given as :class:`~iamsim.Principal` or as an ARN.

One convention for explanations: every call that returns an
:class:`~iamsim.EvaluationResult` takes ``explain: bool = False``, and
``explain=True`` makes the result carry the full trace. ``is_allowed``
returns a bool, so it has no such flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iamsim._engine.call_memo import CallMemo, call_key, recent
from iamsim._engine.call_path import CallPath
from iamsim._engine.compiled import CompiledPolicySet, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.request_builder import RequestBuilder
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._shown import shown
from iamsim.errors import AccessDeniedError, UsageError

__all__ = [
    "PolicyEvaluator",
    "PolicyInput",
    "authorize",
    "build_policy_set",
    "evaluate",
    "is_allowed",
]

#: A policy as the facade accepts it: parsed, or a JSON document as text, bytes or mapping.
PolicyInput = Policy | str | bytes | Mapping[str, Any]


def _as_policy(document: PolicyInput, kind: PolicyKind, name: str) -> Policy:
    if not isinstance(document, (Policy, str, bytes, Mapping)):
        raise UsageError(f"a {kind.value} policy must be JSON text or a mapping, not {type(document).__name__}")
    if isinstance(document, Policy):
        return document if document.name or not name else document.named(name)
    return parse_policy(document, kind, name=name)


def _as_policies(documents: Iterable[PolicyInput], kind: PolicyKind, prefix: str) -> tuple[Policy, ...]:
    if isinstance(documents, (str, bytes, Mapping, Policy)) or not isinstance(documents, Iterable):
        raise UsageError(
            f"{kind.value} policies must be given as a list of policies, not one {type(documents).__name__}"
        )
    return tuple(_as_policy(doc, kind, f"{prefix}{i + 1}") for i, doc in enumerate(documents))


def build_policy_set(
    *,
    identity: Iterable[PolicyInput] = (),
    resource_policy: PolicyInput | None = None,
    trust_policy: PolicyInput | None = None,
    boundary: PolicyInput | None = None,
    session: Iterable[PolicyInput] | None = None,
    scp_levels: Sequence[Iterable[PolicyInput]] = (),
    rcp_levels: Sequence[Iterable[PolicyInput]] = (),
) -> PolicySet:
    """Parse and group policies into a :class:`~iamsim.PolicySet`.

    ``trust_policy`` is a role trust policy used as the resource policy of an
    ``sts:AssumeRole*`` request; give it or ``resource_policy``, not both.
    ``scp_levels``/``rcp_levels`` are lists of levels, organization root first,
    each level a list of policies. Unnamed policies are named after their
    place (``identity1``, ``scp-level0-1``...).
    """
    if resource_policy is not None and trust_policy is not None:
        raise UsageError("give resource_policy or trust_policy, not both")
    resource = None
    if trust_policy is not None:
        resource = _as_policy(trust_policy, PolicyKind.TRUST, "trust-policy")
    elif resource_policy is not None:
        resource = _as_policy(resource_policy, PolicyKind.RESOURCE, "resource-policy")
    return PolicySet(
        identity=_as_policies(identity, PolicyKind.IDENTITY, "identity"),
        resource=resource,
        boundary=None if boundary is None else _as_policy(boundary, PolicyKind.BOUNDARY, "boundary"),
        session=None if session is None else _as_policies(session, PolicyKind.SESSION, "session"),
        scp_levels=_as_levels(scp_levels, PolicyKind.SCP),
        rcp_levels=_as_levels(rcp_levels, PolicyKind.RCP),
    )


def _as_levels(levels: Sequence[Iterable[PolicyInput]], kind: PolicyKind) -> tuple[tuple[Policy, ...], ...]:
    if isinstance(levels, (str, bytes, Mapping)) or not isinstance(levels, Iterable):
        raise UsageError(f"{kind.value} levels must be a list of levels, each a list of policies")
    return tuple(_as_policies(level, kind, f"{kind.value}-level{n}-") for n, level in enumerate(levels))


def _as_principal(principal: Principal | str) -> Principal:
    if isinstance(principal, Principal):
        return principal
    if not isinstance(principal, str):
        raise UsageError(f"principal {shown(principal)} is not an ARN or a Principal")
    return Principal.from_arn(principal)


class PolicyEvaluator:
    """A policy set compiled once, for many evaluations.

    >>> evaluator = PolicyEvaluator.from_policies(identity=[{
    ...     "Version": "2012-10-17",
    ...     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
    ... }])
    >>> evaluator.is_allowed("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::logs/a.txt")
    True
    """

    __slots__ = ("_builder", "_calls", "_compiled", "_direct", "policies")

    def __init__(self, policies: PolicySet) -> None:
        self.policies = policies
        self._compiled: CompiledPolicySet = compile_policy_set(policies)
        # Remembers parsed principal ARNs, their context keys and lowercased context keys across calls.
        self._builder = RequestBuilder()
        # Answers by the call's raw arguments, checked before any request is built (exact: see call_memo).
        self._calls = CallMemo()
        # Identity policies alone: plain calls are decided from their arguments, no request built (call_path).
        self._direct = CallPath(self._compiled, self._builder) if self._compiled.identity_only else None

    @classmethod
    def from_policies(
        cls,
        *,
        identity: Iterable[PolicyInput] = (),
        resource_policy: PolicyInput | None = None,
        trust_policy: PolicyInput | None = None,
        boundary: PolicyInput | None = None,
        session: Iterable[PolicyInput] | None = None,
        scp_levels: Sequence[Iterable[PolicyInput]] = (),
        rcp_levels: Sequence[Iterable[PolicyInput]] = (),
    ) -> PolicyEvaluator:
        """Parse, group and compile policies (see :func:`build_policy_set`)."""
        return cls(
            build_policy_set(
                identity=identity,
                resource_policy=resource_policy,
                trust_policy=trust_policy,
                boundary=boundary,
                session=session,
                scp_levels=scp_levels,
                rcp_levels=rcp_levels,
            )
        )

    def evaluate_request(self, request: Request, *, explain: bool = False) -> EvaluationResult:
        """Evaluate a prepared :class:`~iamsim.Request`."""
        return self._compiled.evaluate(request, explain=explain)

    def evaluate(
        self,
        principal: Principal | str,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_account: str | None = None,
        explain: bool = False,
    ) -> EvaluationResult:
        """Decide one request and say why (``explain=True`` adds the full trace)."""
        calls = self._calls
        if resource_account is None and not explain and type(action) is str and type(resource) is str:
            # A call made before, answered before any key is built (exact: see call_memo).
            entry = calls.recent_results.get((principal if type(principal) is str else id(principal), action, resource))
            if entry is not None:
                found = recent(entry, context)
                if found is not None:
                    return found
        key = None if explain else call_key(principal, action, resource, context, resource_account)
        if key is not None:
            found = calls.results.get(key)
            if found is not None:
                calls.repeat_result(key, found, principal, context)
                return found
            if self._direct is not None:
                # The key exists: every argument is a plain string and the context a plain dict of them.
                found = self._direct.evaluate(principal, key)
                if found is not None:
                    calls.keep_result(key, found)
                    return found
        result = self._compiled.evaluate(
            self._request(principal, action, resource, context, resource_account, key is not None), explain=explain
        )
        if key is not None:
            calls.keep_result(key, result)
        return result

    def is_allowed(
        self,
        principal: Principal | str,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_account: str | None = None,
    ) -> bool:
        """Whether the request is allowed."""
        calls = self._calls
        if resource_account is None and type(action) is str and type(resource) is str:
            entry = calls.recent_allowed.get((principal if type(principal) is str else id(principal), action, resource))
            if entry is not None:
                answer = recent(entry, context)
                if answer is not None:
                    return answer
        key = call_key(principal, action, resource, context, resource_account)
        if key is not None:
            found = calls.allowed.get(key)
            if found is not None:
                calls.repeat_allowed(key, found[0], principal, context)
                return found[0]
            if self._direct is not None:
                found = self._direct.is_allowed(principal, key)
                if found is not None:
                    calls.keep_allowed(key, found[0], found[1])
                    return found[0]
        request = self._request(principal, action, resource, context, resource_account, key is not None)
        allowed = self._compiled.is_allowed(request)
        if key is not None:
            calls.keep_allowed(key, allowed, request.principal)
        return allowed

    def _request(
        self,
        principal: Principal | str,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_account: str | None,
        plain: bool,
    ) -> Request:
        """The full path's request (``plain``: the call memo keyed the call, so its context is plain strings)."""
        builder = self._builder
        return builder.build(builder.principal(principal), action, resource, context, resource_account, plain=plain)

    def authorize(
        self,
        principal: Principal | str,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_account: str | None = None,
        explain: bool = False,
    ) -> EvaluationResult:
        """Return the result if allowed; raise :class:`~iamsim.errors.AccessDeniedError` (carrying it) if not.

        With ``explain=True`` the result, returned or carried by the error, holds the full trace.
        """
        result = self.evaluate(
            principal, action, resource, context=context, resource_account=resource_account, explain=explain
        )
        return _allowed_or_raise(result)


def evaluate(
    principal: Principal | str,
    action: str,
    resource: str = "*",
    *,
    context: Mapping[str, object] | None = None,
    resource_account: str | None = None,
    identity: Iterable[PolicyInput] = (),
    resource_policy: PolicyInput | None = None,
    trust_policy: PolicyInput | None = None,
    boundary: PolicyInput | None = None,
    session: Iterable[PolicyInput] | None = None,
    scp_levels: Sequence[Iterable[PolicyInput]] = (),
    rcp_levels: Sequence[Iterable[PolicyInput]] = (),
    explain: bool = False,
    reference: bool = False,
) -> EvaluationResult:
    """Decide one request against the given policies, one shot.

    ``reference=True`` uses the slow, spec-literal reference evaluator instead
    of the compiled fast path (they agree; the reference is easier to read).
    """
    policies = build_policy_set(
        identity=identity,
        resource_policy=resource_policy,
        trust_policy=trust_policy,
        boundary=boundary,
        session=session,
        scp_levels=scp_levels,
        rcp_levels=rcp_levels,
    )
    request = Request.create(_as_principal(principal), action, resource, context, resource_account=resource_account)
    if reference:
        return evaluate_reference(policies, request, explain=explain)
    return compile_policy_set(policies).evaluate(request, explain=explain)


def is_allowed(
    principal: Principal | str,
    action: str,
    resource: str = "*",
    *,
    context: Mapping[str, object] | None = None,
    resource_account: str | None = None,
    identity: Iterable[PolicyInput] = (),
    resource_policy: PolicyInput | None = None,
    trust_policy: PolicyInput | None = None,
    boundary: PolicyInput | None = None,
    session: Iterable[PolicyInput] | None = None,
    scp_levels: Sequence[Iterable[PolicyInput]] = (),
    rcp_levels: Sequence[Iterable[PolicyInput]] = (),
    reference: bool = False,
) -> bool:
    """Whether the request is allowed; the arguments are those of :func:`evaluate` (a bool has no explanation)."""
    return evaluate(
        principal,
        action,
        resource,
        context=context,
        resource_account=resource_account,
        identity=identity,
        resource_policy=resource_policy,
        trust_policy=trust_policy,
        boundary=boundary,
        session=session,
        scp_levels=scp_levels,
        rcp_levels=rcp_levels,
        reference=reference,
    ).allowed


def authorize(
    principal: Principal | str,
    action: str,
    resource: str = "*",
    *,
    context: Mapping[str, object] | None = None,
    resource_account: str | None = None,
    identity: Iterable[PolicyInput] = (),
    resource_policy: PolicyInput | None = None,
    trust_policy: PolicyInput | None = None,
    boundary: PolicyInput | None = None,
    session: Iterable[PolicyInput] | None = None,
    scp_levels: Sequence[Iterable[PolicyInput]] = (),
    rcp_levels: Sequence[Iterable[PolicyInput]] = (),
    explain: bool = False,
    reference: bool = False,
) -> EvaluationResult:
    """Like :func:`evaluate`, but raise :class:`~iamsim.errors.AccessDeniedError` when denied.

    With ``explain=True`` the result, returned or carried by the error, holds the full trace.
    """
    result = evaluate(
        principal,
        action,
        resource,
        context=context,
        resource_account=resource_account,
        identity=identity,
        resource_policy=resource_policy,
        trust_policy=trust_policy,
        boundary=boundary,
        session=session,
        scp_levels=scp_levels,
        rcp_levels=rcp_levels,
        explain=explain,
        reference=reference,
    )
    return _allowed_or_raise(result)


def _allowed_or_raise(result: EvaluationResult) -> EvaluationResult:
    """``result`` when allowed; else :class:`~iamsim.errors.AccessDeniedError` carrying it (both ``authorize``)."""
    if not result.allowed:
        raise AccessDeniedError.for_result(result)
    return result
