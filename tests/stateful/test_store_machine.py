"""A Hypothesis state machine drives the account store against a plain-dict model (spec §H.2, §H.3, §H.5).

Users, groups, roles, customer managed policies, attachments to all three kinds
of entity, inline role policies, group membership and access keys. Every rule
calls the store and then checks that it succeeded or failed exactly when the
model says it must, with the right error; the invariant compares the whole
store with the model after every step, and the generation counts successful
writes (a failed call changes nothing).
"""

from __future__ import annotations

import random

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from iamsim._clock import ManualClock
from iamsim._store import AccountStore, IdGenerator
from iamsim.errors import DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError

ACCOUNT = "123456789012"
NAMES = st.sampled_from(["alpha", "Alpha", "beta", "BETA", "gamma"])
POLICIES = st.sampled_from(["p1", "P1", "p2", "p3"])
KINDS = st.sampled_from(["user", "group", "role"])
DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def policy_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


class StoreMachine(RuleBasedStateMachine):
    """The store against dicts keyed by lowercased names (IAM names are unique case-insensitively, §H.2)."""

    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.store = AccountStore(ACCOUNT, ids=IdGenerator(random.Random(0)), clock=ManualClock())
        self.users: dict[str, set[str]] = {}  # user -> groups
        self.user_keys: dict[str, set[str]] = {}  # user -> access key ids
        self.groups: set[str] = set()
        self.roles: set[str] = set()
        self.inline: dict[str, set[str]] = {}  # role -> inline policy names
        self.policies: dict[str, str] = {}  # lowercased name -> name as created
        self.attached: dict[tuple[str, str], set[str]] = {}  # (kind, entity) -> lowercased policy names
        self.generation = 0

    def _wrote(self) -> None:
        self.generation += 1

    def _exists(self, kind: str, name: str) -> bool:
        return name in {"user": self.users, "group": self.groups, "role": self.roles}[kind]

    def _holders(self, policy: str) -> list[tuple[str, str]]:
        return [holder for holder, names in self.attached.items() if policy in names]

    # ------------------------------------------------------------------ users

    @rule(name=NAMES)
    def create_user(self, name: str) -> None:
        """§H.2: user names unique case-insensitively."""
        try:
            self.store.users.create_user(name)
        except EntityAlreadyExistsError:
            assert name.lower() in self.users
            return
        assert name.lower() not in self.users
        self.users[name.lower()] = set()
        self.user_keys[name.lower()] = set()
        self.attached[("user", name.lower())] = set()
        self._wrote()

    @rule(target=keys, name=NAMES)
    def create_access_key(self, name: str) -> str:
        """§H.3: at most two access keys per user."""
        try:
            key = self.store.keys.create_access_key(name)
        except NoSuchEntityError:
            assert name.lower() not in self.users
            return ""
        except LimitExceededError:
            assert len(self.user_keys[name.lower()]) == 2
            return ""
        assert len(self.user_keys[name.lower()]) < 2
        self.user_keys[name.lower()].add(key.access_key_id)
        self._wrote()
        return key.access_key_id

    @rule(key=consumes(keys), name=NAMES)
    def delete_access_key(self, key: str, name: str) -> None:
        """DeleteAccessKey: the key must belong to that user."""
        if not key:
            return
        try:
            self.store.keys.delete_access_key(name, key)
        except NoSuchEntityError:
            assert name.lower() not in self.users or key not in self.user_keys[name.lower()]
            return
        self.user_keys[name.lower()].discard(key)
        self._wrote()

    @rule(name=NAMES)
    def delete_user(self, name: str) -> None:
        """§H.5: DeleteUser conflicts while keys, groups or attached policies remain."""
        lower = name.lower()
        try:
            self.store.users.delete_user(name)
        except NoSuchEntityError:
            assert lower not in self.users
            return
        except DeleteConflictError:
            assert self.user_keys[lower] or self.users[lower] or self.attached[("user", lower)]
            return
        assert not self.user_keys[lower]
        assert not self.users[lower]
        assert not self.attached[("user", lower)]
        del self.users[lower], self.user_keys[lower], self.attached[("user", lower)]
        self._wrote()

    # ----------------------------------------------------------------- groups

    @rule(name=NAMES)
    def create_group(self, name: str) -> None:
        """§H.2: group names unique case-insensitively."""
        try:
            self.store.groups.create_group(name)
        except EntityAlreadyExistsError:
            assert name.lower() in self.groups
            return
        assert name.lower() not in self.groups
        self.groups.add(name.lower())
        self.attached[("group", name.lower())] = set()
        self._wrote()

    @rule(group=NAMES, user=NAMES)
    def add_user_to_group(self, group: str, user: str) -> None:
        """AddUserToGroup is idempotent."""
        try:
            self.store.groups.add_user_to_group(group, user)
        except NoSuchEntityError:
            assert group.lower() not in self.groups or user.lower() not in self.users
            return
        if group.lower() not in self.users[user.lower()]:
            self.users[user.lower()].add(group.lower())
            self._wrote()

    @rule(group=NAMES, user=NAMES)
    def remove_user_from_group(self, group: str, user: str) -> None:
        """RemoveUserFromGroup: NoSuchEntity unless the user is in the group."""
        try:
            self.store.groups.remove_user_from_group(group, user)
        except NoSuchEntityError:
            assert (
                group.lower() not in self.groups
                or user.lower() not in self.users
                or group.lower() not in self.users[user.lower()]
            )
            return
        self.users[user.lower()].remove(group.lower())
        self._wrote()

    @rule(group=NAMES)
    def delete_group(self, group: str) -> None:
        """§H.5: a group with members or attached policies cannot be deleted."""
        lower = group.lower()
        try:
            self.store.groups.delete_group(group)
        except NoSuchEntityError:
            assert lower not in self.groups
            return
        except DeleteConflictError:
            assert any(lower in gs for gs in self.users.values()) or self.attached[("group", lower)]
            return
        assert not any(lower in gs for gs in self.users.values())
        self.groups.discard(lower)
        del self.attached[("group", lower)]
        self._wrote()

    # ------------------------------------------------------------------ roles

    @rule(name=NAMES)
    def create_role(self, name: str) -> None:
        """§H.5: CreateRole."""
        try:
            self.store.roles.create_role(name, TRUST)
        except EntityAlreadyExistsError:
            assert name.lower() in self.roles
            return
        assert name.lower() not in self.roles
        self.roles.add(name.lower())
        self.inline[name.lower()] = set()
        self.attached[("role", name.lower())] = set()
        self._wrote()

    @rule(role=NAMES, policy=st.sampled_from(["inline1", "inline2"]))
    def put_role_policy(self, role: str, policy: str) -> None:
        """PutRolePolicy adds or replaces (a write either way)."""
        try:
            self.store.policies.put_inline_policy("role", role, policy, DOC)
        except NoSuchEntityError:
            assert role.lower() not in self.roles
            return
        self.inline[role.lower()].add(policy)
        self._wrote()

    @rule(role=NAMES, policy=st.sampled_from(["inline1", "inline2"]))
    def delete_role_policy(self, role: str, policy: str) -> None:
        """DeleteRolePolicy: NoSuchEntity for a missing role or policy."""
        try:
            self.store.policies.delete_inline_policy("role", role, policy)
        except NoSuchEntityError:
            assert role.lower() not in self.roles or policy not in self.inline[role.lower()]
            return
        self.inline[role.lower()].remove(policy)
        self._wrote()

    @rule(role=NAMES)
    def delete_role(self, role: str) -> None:
        """§H.5: DeleteRole conflicts while inline or attached policies remain."""
        lower = role.lower()
        try:
            self.store.roles.delete_role(role)
        except NoSuchEntityError:
            assert lower not in self.roles
            return
        except DeleteConflictError:
            assert self.inline[lower] or self.attached[("role", lower)]
            return
        assert not self.inline[lower]
        assert not self.attached[("role", lower)]
        self.roles.remove(lower)
        del self.inline[lower], self.attached[("role", lower)]
        self._wrote()

    # -------------------------------------------------------- managed policies

    @rule(name=POLICIES)
    def create_policy(self, name: str) -> None:
        """§H.2: policy names unique case-insensitively."""
        try:
            self.store.policies.create_policy(name, DOC)
        except EntityAlreadyExistsError:
            assert name.lower() in self.policies
            return
        assert name.lower() not in self.policies
        self.policies[name.lower()] = name
        self._wrote()

    @rule(kind=KINDS, entity=NAMES, policy=POLICIES)
    def attach_policy(self, kind: str, entity: str, policy: str) -> None:
        """AttachUser/Group/RolePolicy is idempotent; the ARN must be the policy's exact ARN."""
        try:
            self.store.policies.attach_policy(kind, entity, policy_arn(policy))
        except NoSuchEntityError:
            assert not self._exists(kind, entity.lower()) or self.policies.get(policy.lower()) != policy
            return
        assert self.policies[policy.lower()] == policy
        names = self.attached[(kind, entity.lower())]
        if policy.lower() not in names:
            names.add(policy.lower())
            self._wrote()

    @rule(kind=KINDS, entity=NAMES, policy=POLICIES)
    def detach_policy(self, kind: str, entity: str, policy: str) -> None:
        """DetachUser/Group/RolePolicy: NoSuchEntity unless attached."""
        try:
            self.store.policies.detach_policy(kind, entity, policy_arn(policy))
        except NoSuchEntityError:
            assert (
                not self._exists(kind, entity.lower())
                or self.policies.get(policy.lower()) != policy
                or policy.lower() not in self.attached[(kind, entity.lower())]
            )
            return
        self.attached[(kind, entity.lower())].remove(policy.lower())
        self._wrote()

    @rule(policy=POLICIES)
    def delete_policy(self, policy: str) -> None:
        """§H.5: DeletePolicy conflicts while attached to any user, group or role."""
        try:
            self.store.policies.delete_policy(policy_arn(policy))
        except NoSuchEntityError:
            assert self.policies.get(policy.lower()) != policy
            return
        except DeleteConflictError:
            assert self._holders(policy.lower())
            return
        assert not self._holders(policy.lower())
        del self.policies[policy.lower()]
        self._wrote()

    # -------------------------------------------------------------- invariant

    @invariant()
    def matches_model(self) -> None:
        """The store holds exactly what the model holds; the generation counts successful writes."""
        assert {u.name.lower() for u in self.store.users.list_users()} == set(self.users)
        assert {g.name.lower() for g in self.store.groups.list_groups()} == self.groups
        assert {r.name.lower() for r in self.store.roles.list_roles()} == self.roles
        assert {p.name for p in self.store.policies.list_policies()} == set(self.policies.values())
        for user, groups in self.users.items():
            assert {g.name.lower() for g in self.store.groups.list_groups_for_user(user)} == groups
            assert {k.access_key_id for k in self.store.keys.list_access_keys(user)} == self.user_keys[user]
        for group in self.groups:
            members = {u.name.lower() for u in self.store.groups.group_members(group)}
            assert members == {u for u, gs in self.users.items() if group in gs}
        for role, names in self.inline.items():
            assert set(self.store.policies.list_inline_policies("role", role)) == names
        for (kind, entity), names in self.attached.items():
            listed = self.store.policies.list_attached_policies(kind, entity)
            assert {arn.rsplit("/", 1)[1].lower() for arn in listed} == names
            assert len(listed) == len(names)
        for policy in self.policies:
            assert self.store.policies.attachment_count(policy_arn(self.policies[policy])) == len(self._holders(policy))
        assert self.store.generation == self.generation


TestStoreMachine = StoreMachine.TestCase
