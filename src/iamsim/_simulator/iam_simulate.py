"""The IAM policy simulator's operations (§I): SimulatePrincipalPolicy, SimulateCustomPolicy and the context keys.

The rule is :mod:`.simulation`; these methods read the world under the lock and
answer with its public result types. Arguments are named as boto3 names them, so
``sim.iam.simulate_custom_policy(policy_input_list=[...], action_names=[...])``
reads as the boto3 call does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iamsim._arn import Arn, iam_arn
from iamsim._engine.request import Principal, PrincipalType
from iamsim._policy.model import Policy
from iamsim._simulator.iam_calls import IamCalls
from iamsim._simulator.simulation import (
    SimulatedRequests,
    SimulationResult,
    entity_policies,
    input_policies,
    simulate,
    simulated_principal,
)
from iamsim._store.account import AccountStore
from iamsim.errors import InvalidInputError

__all__ = ["IamSimulationOperations", "context_keys"]

# A ``${...}`` policy variable: linear (a literal, then a negated class up to its closing brace).
_VARIABLE_RE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = frozenset({"*", "?", "$"})


def _variables(values: Iterable[str]) -> list[str]:
    found = []
    for value in values:
        for match in _VARIABLE_RE.finditer(value):
            key = match.group(1).split(",", 1)[0].strip()
            if key and key not in _ESCAPES:
                found.append(key)
    return found


def context_keys(policies: Iterable[Policy]) -> tuple[str, ...]:
    """Every context key ``policies`` test or substitute, once each (case-insensitively), in order (§I).

    A policy refers to a key in a ``Condition`` test and, under Version 2012-10-17, in a
    ``${key}`` policy variable; the escapes ``${*}``, ``${?}`` and ``${$}`` are not keys.
    """
    seen: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            names: list[str] = []
            if policy.variables_enabled:
                names += _variables((*(statement.resource or ()), *(statement.not_resource or ())))
            for condition in statement.conditions:
                names.append(condition.key)
                if policy.variables_enabled:
                    names += _variables(condition.values)
            for name in names:
                seen.setdefault(name.lower(), name)
    return tuple(seen.values())


class IamSimulationOperations(IamCalls):
    """The IAM policy simulator (§I), answered by iamsim's own evaluator."""

    def _source(self, policy_source_arn: str) -> tuple[Arn, AccountStore]:
        parsed = Arn.try_parse(policy_source_arn)
        if parsed is None or parsed.service != "iam":
            raise InvalidInputError(f"Invalid ARN: {policy_source_arn}")
        return parsed, self._core.store(parsed.account)

    def simulate_principal_policy(
        self,
        policy_source_arn: str,
        action_names: Sequence[str],
        *,
        policy_input_list: Sequence[str] = (),
        permissions_boundary_policy_input_list: Sequence[str] = (),
        policy_exclusion_list: Sequence[str] = (),
        resource_arns: Sequence[str] | None = None,
        resource_policy: str | None = None,
        resource_owner: str | None = None,
        caller_arn: str | None = None,
        context_entries: Sequence[Mapping[str, Any]] = (),
        account_id: str | None = None,
    ) -> tuple[SimulationResult, ...]:
        """SimulatePrincipalPolicy: the user's, group's or role's policies plus the inputs, per action and resource.

        ``policy_exclusion_list`` names policies of the entity left out; a boundary input
        replaces the entity's boundary; ``caller_arn`` (an IAM user) simulates another
        caller with these policies; ``context_entries`` are boto3's
        ``{"ContextKeyName", "ContextKeyValues", "ContextKeyType"}`` entries. The entity
        is found in the account its ARN names, whatever ``account_id`` says.
        """
        with self._core.lock:
            source, store = self._source(policy_source_arn)
            principal, identity, boundary = entity_policies(store, source)
            excluded = set(policy_exclusion_list)
            identity = [x for x in identity if x.source_id not in excluded]
            identity += input_policies(policy_input_list, "PolicyInputList")
            boundaries = input_policies(permissions_boundary_policy_input_list, "PermissionsBoundaryPolicyInputList")
            boundary = boundaries[0] if boundaries else boundary
            principal = simulated_principal(caller_arn) or principal
            requests = SimulatedRequests(action_names, resource_arns, resource_policy, resource_owner, context_entries)
            return simulate(principal, identity, boundary, self._core.state.org, source.account, requests)

    def simulate_custom_policy(
        self,
        policy_input_list: Sequence[str],
        action_names: Sequence[str],
        *,
        permissions_boundary_policy_input_list: Sequence[str] = (),
        resource_arns: Sequence[str] | None = None,
        resource_policy: str | None = None,
        resource_owner: str | None = None,
        caller_arn: str | None = None,
        context_entries: Sequence[Mapping[str, Any]] = (),
        account_id: str | None = None,
    ) -> tuple[SimulationResult, ...]:
        """SimulateCustomPolicy: only the given policies, per action and resource.

        Without ``caller_arn`` the caller is an IAM user ``SimulatedUser`` of ``account_id``'s account.
        """
        with self._core.lock:
            account = self._core.state.account(account_id)
            partition = self._core.state.partition
            principal = simulated_principal(caller_arn) or Principal(
                iam_arn(partition, account, "user/SimulatedUser"), PrincipalType.USER, account, username="SimulatedUser"
            )
            boundaries = input_policies(permissions_boundary_policy_input_list, "PermissionsBoundaryPolicyInputList")
            identity = input_policies(policy_input_list, "PolicyInputList")
            boundary = boundaries[0] if boundaries else None
            requests = SimulatedRequests(action_names, resource_arns, resource_policy, resource_owner, context_entries)
            return simulate(principal, identity, boundary, self._core.state.org, principal.account or account, requests)

    def get_context_keys_for_principal_policy(
        self, policy_source_arn: str, *, policy_input_list: Sequence[str] = (), account_id: str | None = None
    ) -> tuple[str, ...]:
        """GetContextKeysForPrincipalPolicy: the keys of the entity's policies (a user's groups' too) and the inputs."""
        with self._core.lock:
            source, store = self._source(policy_source_arn)
            _, identity, _ = entity_policies(store, source)
        identity += input_policies(policy_input_list, "PolicyInputList")
        return context_keys(x.policy for x in identity)

    def get_context_keys_for_custom_policy(
        self, policy_input_list: Sequence[str], *, account_id: str | None = None
    ) -> tuple[str, ...]:
        """GetContextKeysForCustomPolicy: the keys the given policies test or substitute."""
        return context_keys(x.policy for x in input_policies(policy_input_list, "PolicyInputList"))
