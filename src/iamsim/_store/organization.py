"""An AWS Organization: root, OUs, accounts, and the SCPs/RCPs attached to them (spec §F.5).

``FullAWSAccess`` (SCP) and ``RCPFullAWSAccess`` (RCP) are attached to the
root and to every new OU and account, as AWS does; ``RCPFullAWSAccess``
cannot be detached. :meth:`Organization.levels` returns the policies of each
level from the root down to an account, which is what the engine needs; the
management account gets no levels at all (it is exempt from SCPs and RCPs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamsim._arn import build_arn
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.changes import ChangeCounter
from iamsim._store.ids import IdGenerator
from iamsim._store.org_features import OrganizationAccess
from iamsim._store.validation import check_length
from iamsim.errors import DeleteConflictError, EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

__all__ = [
    "FULL_AWS_ACCESS",
    "RCP_FULL_AWS_ACCESS",
    "Organization",
    "OrganizationPolicy",
    "OrganizationalUnit",
    "PolicyType",
]


class PolicyType:
    """The two Organizations policy types iamsim evaluates."""

    SCP = "SERVICE_CONTROL_POLICY"
    RCP = "RESOURCE_CONTROL_POLICY"


FULL_AWS_ACCESS = "p-FullAWSAccess"
RCP_FULL_AWS_ACCESS = "p-RCPFullAWSAccess"
_FULL_SCP = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
_FULL_RCP = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'
_KINDS = {PolicyType.SCP: PolicyKind.SCP, PolicyType.RCP: PolicyKind.RCP}


@dataclass(frozen=True, slots=True)
class OrganizationalUnit:
    """An OU and its parent (the root or another OU)."""

    ou_id: str
    name: str
    parent_id: str


@dataclass(frozen=True, slots=True)
class OrganizationPolicy:
    """An SCP or RCP; ``content`` is the policy text."""

    policy_id: str
    name: str
    type: str
    content: str
    description: str = ""
    aws_managed: bool = False


class Organization:
    """One organization; its management account is exempt from SCPs and RCPs."""

    def __init__(
        self,
        management_account: str,
        *,
        ids: IdGenerator,
        partition: str = "aws",
        changes: ChangeCounter | None = None,
    ) -> None:
        self._ids = ids
        self._changes = changes if changes is not None else ChangeCounter()
        self.id = "o-" + ids.lowercase(10)
        self.root_id = "r-" + ids.lowercase(4)
        self.management_account = management_account
        self.partition = partition
        self.generation = 0
        self._ous: dict[str, OrganizationalUnit] = {}
        self._accounts: dict[str, str] = {}
        self._policies: dict[str, OrganizationPolicy] = {
            FULL_AWS_ACCESS: OrganizationPolicy(
                FULL_AWS_ACCESS, "FullAWSAccess", PolicyType.SCP, _FULL_SCP, "Allows access to every operation", True
            ),
            RCP_FULL_AWS_ACCESS: OrganizationPolicy(
                RCP_FULL_AWS_ACCESS,
                "RCPFullAWSAccess",
                PolicyType.RCP,
                _FULL_RCP,
                "Allows access to every operation",
                True,
            ),
        }
        self._attachments: dict[str, tuple[str, ...]] = {self.root_id: (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS)}
        self._parsed: dict[str, Policy] = {}
        self._accounts[management_account] = self.root_id
        self._attachments[management_account] = (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS)
        #: The services the organization trusts and IAM's features (`_store/org_features.py`); change it
        #: through :meth:`change_access`, which counts the change.
        self.access = OrganizationAccess(management_account)

    def change_access(self, change: bool) -> None:
        """Count a change :attr:`access` reports (its methods answer whether anything changed)."""
        if change:
            self._bump()

    @property
    def arn(self) -> str:
        """The organization's ARN."""
        return build_arn(self.partition, "organizations", f"organization/{self.id}", account=self.management_account)

    def _bump(self) -> None:
        self.generation += 1
        self._changes.bump()

    def _parent(self, parent_id: str) -> str:
        if parent_id != self.root_id and parent_id not in self._ous:
            raise NoSuchEntityError(f"We can't find a root or OU with id {parent_id}.")
        return parent_id

    def create_organizational_unit(self, parent_id: str, name: str) -> OrganizationalUnit:
        """CreateOrganizationalUnit under the root or an OU."""
        self._parent(parent_id)
        check_length(name, "name", 1, 128)
        if any(ou.parent_id == parent_id and ou.name == name for ou in self._ous.values()):
            raise EntityAlreadyExistsError(f"An OU with name {name} already exists in the parent.")
        ou = OrganizationalUnit(f"ou-{self.root_id[2:]}-{self._ids.lowercase(8)}", name, parent_id)
        self._ous[ou.ou_id] = ou
        self._attachments[ou.ou_id] = (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS)
        self._bump()
        return ou

    def add_account(self, account_id: str, parent_id: str | None = None) -> None:
        """Put ``account_id`` into the organization (under the root by default)."""
        parent = self._parent(parent_id or self.root_id)
        if account_id in self._accounts:
            raise EntityAlreadyExistsError(f"Account {account_id} is already a member of the organization.")
        self._accounts[account_id] = parent
        self._attachments[account_id] = (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS)
        self._bump()

    def move_account(self, account_id: str, destination_parent_id: str) -> None:
        """MoveAccount to another OU or the root."""
        if account_id not in self._accounts:
            raise NoSuchEntityError(f"We can't find an account with id {account_id}.")
        self._accounts[account_id] = self._parent(destination_parent_id)
        self._bump()

    def has_account(self, account_id: str) -> bool:
        """Whether the account belongs to the organization."""
        return account_id in self._accounts

    def accounts(self) -> tuple[str, ...]:
        """The member account ids (including the management account), sorted."""
        return tuple(sorted(self._accounts))

    def organizational_units(self) -> tuple[OrganizationalUnit, ...]:
        """Every OU, in creation order."""
        return tuple(self._ous.values())

    def create_policy(self, name: str, content: str, policy_type: str, *, description: str = "") -> OrganizationPolicy:
        """CreatePolicy of type ``SERVICE_CONTROL_POLICY`` or ``RESOURCE_CONTROL_POLICY``."""
        if policy_type not in _KINDS:
            raise InvalidInputError(f"Policy type {policy_type} is not supported.")
        check_length(name, "name", 1, 128)
        parse_policy(content, _KINDS[policy_type], name=name)
        if any(p.name == name and p.type == policy_type for p in self._policies.values()):
            raise EntityAlreadyExistsError(f"A policy with name {name} already exists.")
        policy = OrganizationPolicy("p-" + self._ids.lowercase(8), name, policy_type, content, description)
        self._policies[policy.policy_id] = policy
        self._bump()
        return policy

    def get_policy(self, policy_id: str) -> OrganizationPolicy:
        """DescribePolicy."""
        policy = self._policies.get(policy_id)
        if policy is None:
            raise NoSuchEntityError(f"We can't find a policy with id {policy_id}.")
        return policy

    def _target(self, target_id: str) -> str:
        if target_id not in self._attachments:
            raise NoSuchEntityError(f"We can't find a target with id {target_id}.")
        return target_id

    def attach_policy(self, policy_id: str, target_id: str) -> None:
        """AttachPolicy to the root, an OU or an account (idempotent)."""
        self.get_policy(policy_id)
        attached = self._attachments[self._target(target_id)]
        if policy_id in attached:
            raise EntityAlreadyExistsError(f"Policy {policy_id} is already attached to {target_id}.")
        self._attachments[target_id] = (*attached, policy_id)
        self._bump()

    def detach_policy(self, policy_id: str, target_id: str) -> None:
        """DetachPolicy; ``RCPFullAWSAccess`` cannot be detached."""
        policy = self.get_policy(policy_id)
        attached = self._attachments[self._target(target_id)]
        if policy_id not in attached:
            raise NoSuchEntityError(f"Policy {policy_id} is not attached to {target_id}.")
        if policy_id == RCP_FULL_AWS_ACCESS:
            raise InvalidInputError("You cannot detach the RCPFullAWSAccess policy.")
        if policy.type == PolicyType.SCP and sum(1 for p in attached if self._policies[p].type == PolicyType.SCP) == 1:
            raise InvalidInputError("You cannot remove the last service control policy from a target.")
        self._attachments[target_id] = tuple(p for p in attached if p != policy_id)
        self._bump()

    def delete_policy(self, policy_id: str) -> None:
        """DeletePolicy: it must be detached everywhere; AWS managed policies cannot be deleted."""
        policy = self.get_policy(policy_id)
        if policy.aws_managed:
            raise InvalidInputError(f"You cannot delete the AWS managed policy {policy.name}.")
        if any(policy_id in attached for attached in self._attachments.values()):
            raise DeleteConflictError("The policy is attached to one or more entities. Detach it first.")
        del self._policies[policy_id]
        self._bump()

    def policies_for_target(self, target_id: str) -> tuple[OrganizationPolicy, ...]:
        """The policies attached to a target."""
        return tuple(self._policies[p] for p in self._attachments[self._target(target_id)])

    def path(self, account_id: str) -> tuple[str, ...]:
        """Target ids from the root down to the account."""
        if account_id not in self._accounts:
            return ()
        chain = [account_id]
        parent = self._accounts[account_id]
        while parent != self.root_id:
            chain.append(parent)
            parent = self._ous[parent].parent_id
        chain.append(self.root_id)
        return tuple(reversed(chain))

    def levels(self, account_id: str, policy_type: str) -> tuple[tuple[Policy, ...], ...]:
        """The policies of ``policy_type`` at each level root..account; empty for the management account."""
        if account_id == self.management_account or account_id not in self._accounts:
            return ()
        kind = _KINDS[policy_type]
        levels = []
        for target in self.path(account_id):
            policies = []
            for policy_id in self._attachments[target]:
                record = self._policies[policy_id]
                if record.type != policy_type:
                    continue
                parsed = self._parsed.get(policy_id)
                if parsed is None:
                    parsed = parse_policy(record.content, kind, name=record.name, check_size=False)
                    self._parsed[policy_id] = parsed
                policies.append(parsed)
            levels.append(tuple(policies))
        return tuple(levels)

    def state(self) -> dict[str, Any]:
        """Everything, in a stable order (for snapshots)."""
        return {
            "id": self.id,
            "root_id": self.root_id,
            "management_account": self.management_account,
            "partition": self.partition,
            "generation": self.generation,
            "ous": list(self._ous.values()),
            "accounts": [[a, self._accounts[a]] for a in sorted(self._accounts)],
            "policies": [self._policies[p] for p in sorted(self._policies)],
            "attachments": [[t, list(self._attachments[t])] for t in sorted(self._attachments)],
            "access": self.access.state(),
        }

    @classmethod
    def from_state(
        cls, state: Mapping[str, Any], *, ids: IdGenerator, changes: ChangeCounter | None = None
    ) -> Organization:
        """Rebuild an organization from :meth:`state` output (records already decoded)."""
        org = cls.__new__(cls)
        org._ids = ids
        org._changes = changes if changes is not None else ChangeCounter()
        org._changes.bump()
        org.id = state["id"]
        org.root_id = state["root_id"]
        org.management_account = state["management_account"]
        org.partition = state["partition"]
        org.generation = int(state["generation"])
        org._ous = {ou.ou_id: ou for ou in state["ous"]}
        org._accounts = dict(state["accounts"])
        org._policies = {p.policy_id: p for p in state["policies"]}
        org._attachments = {t: tuple(ps) for t, ps in state["attachments"]}
        org._parsed = {}
        org.access = OrganizationAccess.from_state(org.management_account, state.get("access"))
        return org
