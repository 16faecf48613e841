"""SimulatePrincipalPolicy and SimulateCustomPolicy, answered by iamsim's engine (§I).

The policies are gathered the way the IAM policy simulator gathers them (a user's own
and its groups' policies, a role's, the extra ``PolicyInputList``; a boundary input
replaces the attached boundary), evaluated by the same compiled engine that enforces
requests, and reported in AWS's ``EvaluationResult`` shape. Each matched statement
names its source policy and its position in the policy text; following §I, a column
is the 1-based column of the statement's brace plus one.

Decisions where the spec is silent (§K.6 and below): input policies are reported with
``SourcePolicyId`` ``PolicyInputList.N`` and no ``SourcePolicyType``, as in AWS's
documented example; SCP/RCP statements are not listed among the matched statements
(the model's ``SourcePolicyType`` has no value for them) but decide
``OrganizationsDecisionDetail``; SimulateCustomPolicy without ``CallerArn`` simulates
an IAM user of the caller's account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from iamsim._arn import Arn, iam_arn
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal, PrincipalType, Request
from iamsim._engine.result import Decision, EvaluationResult, PolicyTrace, StatementOutcome
from iamsim._handlers.context_keys import context_keys
from iamsim._handlers.paging import page
from iamsim._policy.model import Effect, Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.account import AWS_MANAGED_PREFIX, AccountStore
from iamsim._store.organization import PolicyType
from iamsim._sts.caller import Caller
from iamsim._wire.dispatch import CallContext, Handler
from iamsim.errors import InvalidInputError

__all__ = ["SimulationHandlers", "SourcedPolicy"]

Output = dict[str, Any]

_LIST_TYPES = frozenset(
    {"stringList", "numericList", "booleanList", "ipList", "binaryList", "dateList"},
)


@dataclass(frozen=True, slots=True)
class SourcedPolicy:
    """A policy with the ``SourcePolicyId`` and ``SourcePolicyType`` the simulator reports for it."""

    policy: Policy
    source_id: str
    source_type: str | None


@dataclass(frozen=True, slots=True)
class _Simulation:
    """Everything one simulation evaluates, besides the action and resource."""

    principal: Principal
    identity: tuple[SourcedPolicy, ...]
    boundary: SourcedPolicy | None
    resource: SourcedPolicy | None
    scp_levels: tuple[tuple[Policy, ...], ...]
    in_organization: bool
    context: dict[str, object]
    resource_account: str | None


def _position(line: int, column: int) -> Output:
    return {"Line": line, "Column": column}


def _parse_input(text: str, kind: PolicyKind, source_id: str) -> Policy:
    return parse_policy(text, kind, name=source_id, check_size=False)


def _context(entries: Sequence[dict[str, Any]]) -> dict[str, object]:
    context: dict[str, object] = {}
    for entry in entries:
        values = tuple(entry.get("ContextKeyValues", ()))
        if entry.get("ContextKeyType") in _LIST_TYPES or len(values) != 1:
            context[entry["ContextKeyName"]] = values
        else:
            context[entry["ContextKeyName"]] = values[0]
    return context


def _owner_account(owner: str | None) -> str | None:
    if owner is None:
        return None
    if owner.isdigit():
        return owner
    parsed = Arn.try_parse(owner)
    if parsed is None:
        raise InvalidInputError(f"Invalid ResourceOwner: {owner}")
    return parsed.account


class SimulationHandlers:
    """The two IAM policy simulator operations, bound to one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    def handlers(self) -> dict[tuple[str, str], Handler]:
        """``SimulatePrincipalPolicy`` and ``SimulateCustomPolicy``, keyed ``("iam", Operation)``."""
        return {
            ("iam", "SimulatePrincipalPolicy"): self._authorized(
                "iam:SimulatePrincipalPolicy", self.simulate_principal_policy, lambda p: str(p["PolicySourceArn"])
            ),
            ("iam", "SimulateCustomPolicy"): self._authorized(
                "iam:SimulateCustomPolicy", self.simulate_custom_policy, lambda p: "*"
            ),
            ("iam", "GetContextKeysForPrincipalPolicy"): self._authorized(
                "iam:GetContextKeysForPrincipalPolicy",
                self.get_context_keys_for_principal_policy,
                lambda p: str(p["PolicySourceArn"]),
            ),
            ("iam", "GetContextKeysForCustomPolicy"): self._authorized(
                "iam:GetContextKeysForCustomPolicy", self.get_context_keys_for_custom_policy, lambda p: "*"
            ),
        }

    def _authorized(
        self,
        action: str,
        body: Callable[[Caller, str, dict[str, Any]], Output],
        target: Callable[[dict[str, Any]], str],
    ) -> Handler:
        def handle(context: CallContext, params: dict[str, Any]) -> Output:
            caller: Caller = context.caller
            self._sim.authorize(caller, action, target(params))
            return body(caller, caller.account or self._sim.default_account, params)

        return handle

    # ------------------------------------------------------------- operations

    def _policy_source(self, p: dict[str, Any]) -> tuple[Arn, AccountStore]:
        """The ``PolicySourceArn`` of the request, parsed, and the store of its account."""
        source = str(p["PolicySourceArn"])
        parsed = Arn.try_parse(source)
        if parsed is None or parsed.service != "iam":
            raise InvalidInputError(f"Invalid ARN: {source}")
        return parsed, core_of(self._sim).store(parsed.account)

    def simulate_principal_policy(self, caller: Caller, account: str, p: dict[str, Any]) -> Output:
        """SimulatePrincipalPolicy: the source entity's policies plus the inputs (§I)."""
        parsed, store = self._policy_source(p)
        excluded = set(p.get("PolicyExclusionList", ()))
        principal, identity, boundary = self._entity_policies(store, parsed.resource, parsed.resource_name)
        identity = [x for x in identity if x.source_id not in excluded]
        identity += self._inputs(p.get("PolicyInputList", ()), "PolicyInputList", None)
        boundary_inputs = self._inputs(
            p.get("PermissionsBoundaryPolicyInputList", ()), "PermissionsBoundaryPolicyInputList", None
        )
        if boundary_inputs:
            boundary = boundary_inputs[0]
        if "CallerArn" in p:
            principal = self._caller_principal(str(p["CallerArn"]))
        return self._simulate(p, principal, tuple(identity), boundary, parsed.account)

    def simulate_custom_policy(self, caller: Caller, account: str, p: dict[str, Any]) -> Output:
        """SimulateCustomPolicy: only the given policies (§I)."""
        identity = self._inputs(p["PolicyInputList"], "PolicyInputList", None)
        boundary_inputs = self._inputs(
            p.get("PermissionsBoundaryPolicyInputList", ()), "PermissionsBoundaryPolicyInputList", None
        )
        if "CallerArn" in p:
            principal = self._caller_principal(str(p["CallerArn"]))
        else:
            principal = Principal(
                iam_arn(self._sim.partition, account, "user/SimulatedUser"),
                PrincipalType.USER,
                account,
                username="SimulatedUser",
            )
        boundary = boundary_inputs[0] if boundary_inputs else None
        return self._simulate(p, principal, tuple(identity), boundary, principal.account or account)

    def get_context_keys_for_principal_policy(self, caller: Caller, account: str, p: dict[str, Any]) -> Output:
        """GetContextKeysForPrincipalPolicy: keys of the entity's policies (a user's groups' too) and the inputs."""
        parsed, store = self._policy_source(p)
        _, identity, _ = self._entity_policies(store, parsed.resource, parsed.resource_name)
        identity += self._inputs(p.get("PolicyInputList", ()), "PolicyInputList", None)
        return {"ContextKeyNames": context_keys(x.policy for x in identity)}

    def get_context_keys_for_custom_policy(self, caller: Caller, account: str, p: dict[str, Any]) -> Output:
        """GetContextKeysForCustomPolicy: keys of the given policies."""
        inputs = self._inputs(p["PolicyInputList"], "PolicyInputList", None)
        return {"ContextKeyNames": context_keys(x.policy for x in inputs)}

    # ----------------------------------------------------------- the policies

    def _inputs(self, texts: Sequence[str], prefix: str, source_type: str | None) -> list[SourcedPolicy]:
        kind = PolicyKind.BOUNDARY if prefix.startswith("PermissionsBoundary") else PolicyKind.IDENTITY
        return [
            SourcedPolicy(_parse_input(text, kind, f"{prefix}.{n}"), f"{prefix}.{n}", source_type)
            for n, text in enumerate(texts, start=1)
        ]

    def _managed(self, store: AccountStore, arn: str, kind: PolicyKind) -> SourcedPolicy:
        name, text = store.policies.managed_policy_document(arn)
        source_type = "aws-managed" if AWS_MANAGED_PREFIX in arn else "user-managed"
        return SourcedPolicy(store.parsed(text, kind, name, check_size=False), name, source_type)

    def _inline(self, store: AccountStore, name: str, text: str, source_type: str) -> SourcedPolicy:
        return SourcedPolicy(store.parsed(text, PolicyKind.IDENTITY, name, check_size=False), name, source_type)

    def _entity_policies(
        self, store: AccountStore, resource: str, name: str
    ) -> tuple[Principal, list[SourcedPolicy], SourcedPolicy | None]:
        account = store.account_id
        policies: list[SourcedPolicy] = []
        if resource.startswith("user/"):
            user = store.users.get_user(name)
            principal = Principal(
                user.arn, PrincipalType.USER, account, unique_id=user.user_id, userid=user.user_id, username=user.name
            )
            policies += [self._inline(store, x.name, x.document, "user") for x in user.inline_policies]
            policies += [self._managed(store, arn, PolicyKind.IDENTITY) for arn in user.attached_policies]
            for group_name in user.groups:
                group = store.groups.get_group(group_name)
                policies += [self._inline(store, x.name, x.document, "group") for x in group.inline_policies]
                policies += [self._managed(store, arn, PolicyKind.IDENTITY) for arn in group.attached_policies]
            boundary_arn = user.permissions_boundary
        elif resource.startswith("role/"):
            role = store.roles.get_role(name)
            principal = Principal.from_arn(role.arn, unique_id=role.role_id)
            policies += [self._inline(store, x.name, x.document, "role") for x in role.inline_policies]
            policies += [self._managed(store, arn, PolicyKind.IDENTITY) for arn in role.attached_policies]
            boundary_arn = role.permissions_boundary
        elif resource.startswith("group/"):
            group = store.groups.get_group(name)
            principal = Principal(group.arn, PrincipalType.USER, account)
            policies += [self._inline(store, x.name, x.document, "group") for x in group.inline_policies]
            policies += [self._managed(store, arn, PolicyKind.IDENTITY) for arn in group.attached_policies]
            boundary_arn = None
        else:
            raise InvalidInputError(f"Invalid PolicySourceArn: {iam_arn(store.partition, account, resource)}")
        boundary = None if boundary_arn is None else self._managed(store, boundary_arn, PolicyKind.BOUNDARY)
        return principal, policies, boundary

    def _caller_principal(self, arn: str) -> Principal:
        parsed = Arn.try_parse(arn)
        if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("user/"):
            raise InvalidInputError(f"Invalid CallerArn: {arn}. CallerArn must be the ARN of an IAM user.")
        return Principal.from_arn(arn)

    # ------------------------------------------------------------ evaluation

    def _simulate(
        self,
        p: dict[str, Any],
        principal: Principal,
        identity: tuple[SourcedPolicy, ...],
        boundary: SourcedPolicy | None,
        account: str,
    ) -> Output:
        resource_policy = None
        if "ResourcePolicy" in p:
            resource_policy = SourcedPolicy(
                _parse_input(p["ResourcePolicy"], PolicyKind.RESOURCE, "ResourcePolicy"), "ResourcePolicy", "resource"
            )
        org = self._sim.organization
        in_org = org is not None and org.has_account(account)
        scp_levels = org.levels(account, PolicyType.SCP) if org is not None else ()
        simulation = _Simulation(
            principal=principal,
            identity=identity,
            boundary=boundary,
            resource=resource_policy,
            scp_levels=scp_levels,
            in_organization=in_org,
            context=_context(p.get("ContextEntries", ())),
            resource_account=_owner_account(p.get("ResourceOwner")),
        )
        compiled = compile_policy_set(
            PolicySet(
                identity=tuple(x.policy for x in identity),
                resource=None if resource_policy is None else resource_policy.policy,
                boundary=None if boundary is None else boundary.policy,
                scp_levels=scp_levels,
            )
        )
        resources = p.get("ResourceArns") or ["*"]
        results: list[Output] = []
        for action in p["ActionNames"]:
            for resource in resources:
                request = Request.create(
                    principal, action, resource, simulation.context, resource_account=simulation.resource_account
                )
                results.append(self._result(simulation, compiled.evaluate(request, explain=True)))
        selected, paging = page(results, p)
        return {"EvaluationResults": list(selected), **paging}

    def _result(self, simulation: _Simulation, result: EvaluationResult) -> Output:
        resource = result.request.resource
        matched = self._matched(simulation, result)
        output: Output = {
            "EvalActionName": result.request.action,
            "EvalResourceName": resource,
            "EvalDecision": result.decision.value,
            "MatchedStatements": matched,
            "MissingContextValues": list(result.missing_context_keys) if resource == "*" else [],
        }
        traces = result.explanation.policies if result.explanation is not None else ()
        if simulation.in_organization:
            output["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": _organizations_allow(simulation, traces)}
        boundary_detail = None
        if simulation.boundary is not None:
            boundary_detail = {"AllowedByPermissionsBoundary": _kind_allows(traces, PolicyKind.BOUNDARY)}
            output["PermissionsBoundaryDecisionDetail"] = boundary_detail
        if resource != "*":
            output["EvalDecisionDetails"] = {}
            specific: Output = {
                "EvalResourceName": resource,
                "EvalResourceDecision": result.decision.value,
                "MatchedStatements": matched,
                "MissingContextValues": list(result.missing_context_keys),
                "EvalDecisionDetails": {},
            }
            if boundary_detail is not None:
                specific["PermissionsBoundaryDecisionDetail"] = boundary_detail
            output["ResourceSpecificResults"] = [specific]
        return output

    def _matched(self, simulation: _Simulation, result: EvaluationResult) -> list[Output]:
        """The determining statements with source and position; only denies when denied (§I)."""
        if result.decision is Decision.IMPLICIT_DENY:
            return []
        matched: list[Output] = []
        for ref in result.determining:
            sourced = self._source(simulation, ref.kind, ref.position)
            if sourced is None:
                continue
            entry: Output = {"SourcePolicyId": sourced.source_id}
            if sourced.source_type is not None:
                entry["SourcePolicyType"] = sourced.source_type
            span = sourced.policy.statements[ref.statement_index].span
            if span is not None:
                entry["StartPosition"] = _position(span.start_line, span.start_column + 1)
                entry["EndPosition"] = _position(span.end_line, span.end_column + 1)
            matched.append(entry)
        return matched

    @staticmethod
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
