"""Suites with a ``world:``: the world file is loaded into a Simulator and each case asks it.

A world suite's principals are users and roles of the world (or outsiders:
service principals, accounts and ARNs of accounts the world does not hold).
Each request goes through :meth:`iamsim._simulator.Simulator.explain`, so
everything that applies to the principal in that world takes part: its own
and its groups' policies, its boundary, the SCPs of its account and the RCPs
of the resource's account; for the STS actions a trust policy governs, the
target role's trust policy is the resource policy (§A.4, §F.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iamsim._arn import Arn
from iamsim._bundle import is_trust_action
from iamsim._engine.request import Principal, PrincipalType
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim.errors import InvalidInputError, NoSuchEntityError
from iamsim.policytests.model import Case
from iamsim.policytests.principals import suite_principal

__all__ = ["check_world_principal", "evaluate_in_world", "load_world"]


def load_world(value: Any, suite_file: Path) -> Simulator:
    """The ``world:`` of a suite: a world file name (relative to the suite) or an inline mapping."""
    if isinstance(value, str) and value:
        return Simulator.from_world_file(suite_file.parent / value)
    if isinstance(value, Mapping):
        return Simulator.from_world(value, base_dir=suite_file.parent, origin=f"{suite_file}: world")
    raise InvalidInputError(f"{suite_file}: world: must be a world file name or a mapping")


def _entity_arn(principal: Principal) -> tuple[str, str] | None:
    """``(kind, name)`` of the user or role behind ``principal``, when it has one."""
    if principal.type is PrincipalType.USER:
        return "user", principal.arn.rsplit("/", 1)[-1]
    if principal.type is PrincipalType.ASSUMED_ROLE and principal.role_arn:
        return "role", principal.role_arn.rsplit("/", 1)[-1]
    return None


def check_world_principal(world: Simulator, case: Case, where: str) -> None:
    """Raise ``InvalidInputError`` when ``case`` names a user or role the world's accounts do not hold.

    ``where`` names the case (its file and place) in the message.
    """
    principal = suite_principal(case.principal)
    entity = _entity_arn(principal)
    if entity is None or principal.account not in world.accounts():
        return
    kind, name = entity
    try:
        if kind == "user":
            found = world.get_user(name, account_id=principal.account).arn == principal.arn
        else:
            found = world.get_role(name, account_id=principal.account).arn == principal.role_arn
    except NoSuchEntityError:
        found = False
    if not found:
        raise InvalidInputError(
            f"{where}: principal {case.principal} is not a {kind} of account {principal.account} in the world"
        )


def _trust_policy(world: Simulator, resource: str) -> Policy | None:
    parsed = Arn.try_parse(resource)
    if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("role/"):
        return None
    if parsed.account not in world.accounts():
        return None
    try:
        role = world.get_role(parsed.resource_name, account_id=parsed.account)
    except NoSuchEntityError:
        return None
    return core_of(world).trust_policy(parsed.account, role.name) if role.arn == resource else None


def evaluate_in_world(world: Simulator, case: Case, action: str, resource: str) -> EvaluationResult:
    """Evaluate one action on one resource of ``case`` in ``world``, with a full explanation."""
    principal = suite_principal(case.principal)
    trust = _trust_policy(world, resource) if is_trust_action(action) else None
    return world.explain(
        principal,
        action,
        resource,
        context=dict(case.context),
        resource_policy=trust,
        resource_account=case.resource_account,
    )
