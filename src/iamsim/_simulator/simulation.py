"""The IAM policy simulator's rule (§I): which policies a simulation evaluates, and what it reports.

The policies are gathered the way the IAM policy simulator gathers them (a user's own
and its groups' policies, a role's, the extra ``PolicyInputList``; a boundary input
replaces the attached boundary), evaluated by the same compiled engine that enforces
requests, and reported as AWS's ``EvaluationResult``: the result types below name their
fields as AWS names the members (in snake_case), so what a boto3 user reads carries over.
Each matched statement names its source policy and its position in the policy text;
following §I, a column is the 1-based column of the statement's brace plus one.

Decisions where the spec is silent (§K.6 and below): input policies are reported with
``SourcePolicyId`` ``PolicyInputList.N`` and no ``SourcePolicyType``, as in AWS's
documented example; SCP/RCP statements are not listed among the matched statements
(the model's ``SourcePolicyType`` has no value for them) but decide
``OrganizationsDecisionDetail``; SimulateCustomPolicy without ``CallerArn`` simulates
an IAM user of the caller's account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iamsim._arn import Arn, iam_arn
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal, PrincipalType, Request
from iamsim._engine.result import Decision, EvaluationResult, PolicyTrace, StatementOutcome
from iamsim._policy.model import Effect, Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.account import AWS_MANAGED_PREFIX, AccountStore
from iamsim._store.organization import PolicyType
from iamsim.errors import InvalidInputError

__all__ = [
    "MatchedStatement",
    "ResourceSpecificResult",
    "SimulatedRequests",
    "SimulationResult",
    "SourcedPolicy",
    "StatementPosition",
    "entity_policies",
    "input_policies",
    "simulate",
    "simulated_principal",
]

_LIST_TYPES = frozenset({"stringList", "numericList", "booleanList", "ipList", "binaryList", "dateList"})


@dataclass(frozen=True, slots=True)
class StatementPosition:
    """Where a statement starts or ends in its policy text (1-based line and column, §I)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class MatchedStatement:
    """A statement that decided a simulated request: its policy's id and type, and its place in the text."""

    source_policy_id: str
    source_policy_type: str | None = None
    start_position: StatementPosition | None = None
    end_position: StatementPosition | None = None


@dataclass(frozen=True, slots=True)
class ResourceSpecificResult:
    """The decision for one named resource (AWS's ``ResourceSpecificResult``)."""

    eval_resource_name: str
    eval_resource_decision: str
    matched_statements: tuple[MatchedStatement, ...]
    missing_context_values: tuple[str, ...]
    eval_decision_details: Mapping[str, str]
    permissions_boundary_decision_detail: Mapping[str, bool] | None = None


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """One simulated request, as SimulatePrincipalPolicy and SimulateCustomPolicy answer it (§I).

    ``eval_decision`` is ``allowed``, ``explicitDeny`` or ``implicitDeny``; the decision
    details are AWS's small structures (``{"AllowedByOrganizations": True}``), present only
    when an organization or a permissions boundary takes part.
    """

    eval_action_name: str
    eval_resource_name: str
    eval_decision: str
    matched_statements: tuple[MatchedStatement, ...]
    missing_context_values: tuple[str, ...]
    organizations_decision_detail: Mapping[str, bool] | None = None
    permissions_boundary_decision_detail: Mapping[str, bool] | None = None
    eval_decision_details: Mapping[str, str] | None = None
    resource_specific_results: tuple[ResourceSpecificResult, ...] = ()


@dataclass(frozen=True, slots=True)
class SourcedPolicy:
    """A policy with the ``SourcePolicyId`` and ``SourcePolicyType`` the simulator reports for it."""

    policy: Policy
    source_id: str
    source_type: str | None


@dataclass(frozen=True, slots=True)
class _Simulation:
    """The policies one simulation evaluates, by the part they play."""

    identity: tuple[SourcedPolicy, ...]
    boundary: SourcedPolicy | None
    resource: SourcedPolicy | None
    scp_levels: tuple[tuple[Policy, ...], ...]
    in_organization: bool


def input_policies(texts: Sequence[str], prefix: str) -> list[SourcedPolicy]:
    """The policies of an input list (``PolicyInputList.1``...); a boundary list is parsed as boundaries."""
    kind = PolicyKind.BOUNDARY if prefix.startswith("PermissionsBoundary") else PolicyKind.IDENTITY
    return [
        SourcedPolicy(parse_policy(text, kind, name=f"{prefix}.{n}", check_size=False), f"{prefix}.{n}", None)
        for n, text in enumerate(texts, start=1)
    ]


def _managed(store: AccountStore, arn: str, kind: PolicyKind) -> SourcedPolicy:
    name, text = store.policies.managed_policy_document(arn)
    source_type = "aws-managed" if AWS_MANAGED_PREFIX in arn else "user-managed"
    return SourcedPolicy(store.parsed(text, kind, name, check_size=False), name, source_type)


def _own(store: AccountStore, entity: Any, source_type: str) -> list[SourcedPolicy]:
    """A user's, group's or role's inline policies (``source_type``) and attached managed policies."""
    inline = [
        SourcedPolicy(store.parsed(x.document, PolicyKind.IDENTITY, x.name, check_size=False), x.name, source_type)
        for x in entity.inline_policies
    ]
    return inline + [_managed(store, arn, PolicyKind.IDENTITY) for arn in entity.attached_policies]


def entity_policies(store: AccountStore, source: Arn) -> tuple[Principal, list[SourcedPolicy], SourcedPolicy | None]:
    """The principal ``source`` (a user, role or group ARN) names, its identity policies and its boundary."""
    account, name = store.account_id, source.resource_name
    if source.resource.startswith("user/"):
        user = store.users.get_user(name)
        principal = Principal(
            user.arn, PrincipalType.USER, account, unique_id=user.user_id, userid=user.user_id, username=user.name
        )
        policies = _own(store, user, "user")
        for group_name in user.groups:
            policies += _own(store, store.groups.get_group(group_name), "group")
        boundary_arn = user.permissions_boundary
    elif source.resource.startswith("role/"):
        role = store.roles.get_role(name)
        principal = Principal.from_arn(role.arn, unique_id=role.role_id)
        policies, boundary_arn = _own(store, role, "role"), role.permissions_boundary
    elif source.resource.startswith("group/"):
        group = store.groups.get_group(name)
        principal = Principal(group.arn, PrincipalType.USER, account)
        policies, boundary_arn = _own(store, group, "group"), None
    else:
        raise InvalidInputError(f"Invalid PolicySourceArn: {iam_arn(store.partition, account, source.resource)}")
    boundary = None if boundary_arn is None else _managed(store, boundary_arn, PolicyKind.BOUNDARY)
    return principal, policies, boundary


def simulated_principal(caller_arn: str | None) -> Principal | None:
    """The principal a ``CallerArn`` names (an IAM user), or ``None`` without one."""
    if caller_arn is None:
        return None
    parsed = Arn.try_parse(caller_arn)
    if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("user/"):
        raise InvalidInputError(f"Invalid CallerArn: {caller_arn}. CallerArn must be the ARN of an IAM user.")
    return Principal.from_arn(caller_arn)


def _context(entries: Sequence[Mapping[str, Any]]) -> dict[str, object]:
    context: dict[str, object] = {}
    for entry in entries:
        values = tuple(entry.get("ContextKeyValues", ()))
        single = entry.get("ContextKeyType") not in _LIST_TYPES and len(values) == 1
        context[entry["ContextKeyName"]] = values[0] if single else values
    return context


def _owner_account(owner: str | None) -> str | None:
    if owner is None or owner.isdigit():
        return owner
    parsed = Arn.try_parse(owner)
    if parsed is None:
        raise InvalidInputError(f"Invalid ResourceOwner: {owner}")
    return parsed.account


@dataclass(frozen=True, slots=True)
class SimulatedRequests:
    """What both simulator operations ask about, whoever's policies answer: actions, resources and their context."""

    action_names: Sequence[str]
    #: The resources each action is simulated on (``*`` without any).
    resource_arns: Sequence[str] | None
    resource_policy: str | None
    #: ``ResourceOwner``: an account id or an ARN whose account owns the resources.
    resource_owner: str | None
    #: boto3's ``{"ContextKeyName", "ContextKeyValues", "ContextKeyType"}`` entries.
    context_entries: Sequence[Mapping[str, Any]]


def simulate(
    principal: Principal,
    identity: Sequence[SourcedPolicy],
    boundary: SourcedPolicy | None,
    organization: Any,
    account: str,
    requests: SimulatedRequests,
) -> tuple[SimulationResult, ...]:
    """Every action of ``requests`` on every resource (``*`` without any), evaluated as ``principal``."""
    resource = None
    if requests.resource_policy is not None:
        parsed = parse_policy(requests.resource_policy, PolicyKind.RESOURCE, name="ResourcePolicy", check_size=False)
        resource = SourcedPolicy(parsed, "ResourcePolicy", "resource")
    in_org = organization is not None and organization.has_account(account)
    scp_levels = organization.levels(account, PolicyType.SCP) if organization is not None else ()
    simulation = _Simulation(tuple(identity), boundary, resource, scp_levels, in_org)
    compiled = compile_policy_set(
        PolicySet(
            identity=tuple(x.policy for x in identity),
            resource=None if resource is None else resource.policy,
            boundary=None if boundary is None else boundary.policy,
            scp_levels=scp_levels,
        )
    )
    context, owner = _context(requests.context_entries), _owner_account(requests.resource_owner)
    return tuple(
        _result(
            simulation,
            compiled.evaluate(Request.create(principal, action, arn, context, resource_account=owner), explain=True),
        )
        for action in requests.action_names
        for arn in requests.resource_arns or ["*"]
    )


def _result(simulation: _Simulation, result: EvaluationResult) -> SimulationResult:
    resource, decision = result.request.resource, result.decision.value
    matched, missing = _matched(simulation, result), tuple(result.missing_context_keys)
    traces = result.explanation.policies if result.explanation is not None else ()
    organizations = None
    if simulation.in_organization:
        organizations = {"AllowedByOrganizations": _organizations_allow(simulation, traces)}
    boundary = None
    if simulation.boundary is not None:
        boundary = {"AllowedByPermissionsBoundary": _kind_allows(traces, PolicyKind.BOUNDARY)}
    if resource == "*":
        return SimulationResult(result.request.action, resource, decision, matched, missing, organizations, boundary)
    specific = ResourceSpecificResult(resource, decision, matched, missing, {}, boundary)
    return SimulationResult(
        result.request.action, resource, decision, matched, (), organizations, boundary, {}, (specific,)
    )


def _matched(simulation: _Simulation, result: EvaluationResult) -> tuple[MatchedStatement, ...]:
    """The determining statements with source and position; only denies when denied (§I)."""
    if result.decision is Decision.IMPLICIT_DENY:
        return ()
    matched: list[MatchedStatement] = []
    for ref in result.determining:
        sourced = _source(simulation, ref.kind, ref.position)
        if sourced is None:
            continue
        span = sourced.policy.statements[ref.statement_index].span
        start = end = None
        if span is not None:
            start = StatementPosition(span.start_line, span.start_column + 1)
            end = StatementPosition(span.end_line, span.end_column + 1)
        matched.append(MatchedStatement(sourced.source_id, sourced.source_type, start, end))
    return tuple(matched)


def _source(simulation: _Simulation, kind: PolicyKind, position: int) -> SourcedPolicy | None:
    if kind is PolicyKind.IDENTITY:
        return simulation.identity[position]
    if kind is PolicyKind.BOUNDARY:
        return simulation.boundary
    if kind is PolicyKind.RESOURCE:
        return simulation.resource
    return None


def _matched_effects(trace: PolicyTrace) -> set[Effect]:
    return {s.ref.effect for s in trace.statements if s.outcome is StatementOutcome.MATCHED}


def _kind_allows(traces: Sequence[PolicyTrace], kind: PolicyKind) -> bool:
    """Whether the policies of ``kind`` have a matching Allow and no matching Deny."""
    effects: set[Effect] = set()
    for trace in traces:
        if trace.kind is kind:
            effects |= _matched_effects(trace)
    return Effect.ALLOW in effects and Effect.DENY not in effects


def _organizations_allow(simulation: _Simulation, traces: Sequence[PolicyTrace]) -> bool:
    """Whether every SCP level allows and no SCP denies (true when no SCP applies)."""
    levels: dict[int, set[Effect]] = {level: set() for level in range(len(simulation.scp_levels))}
    for trace in traces:
        if trace.kind is PolicyKind.SCP:
            levels.setdefault(trace.level, set()).update(_matched_effects(trace))
    return all(Effect.ALLOW in effects and Effect.DENY not in effects for effects in levels.values())
