"""A Hypothesis state machine drives the account store against a plain model (spec §H.2, §H.3, §H.5)."""

from __future__ import annotations

import random

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from iamsim._clock import ManualClock
from iamsim._store import AccountStore, IdGenerator
from iamsim.errors import DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError

NAMES = st.sampled_from(["alpha", "Alpha", "beta", "BETA", "gamma"])
POLICIES = st.sampled_from(["p1", "p2"])
DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


class StoreMachine(RuleBasedStateMachine):
    """Users, groups, roles, keys and attachments; the model is dicts keyed by lowercased names."""

    def __init__(self) -> None:
        super().__init__()
        self.store = AccountStore("123456789012", ids=IdGenerator(random.Random(0)), clock=ManualClock())
        self.users: dict[str, set[str]] = {}  # user -> groups
        self.keys: dict[str, int] = {}
        self.groups: set[str] = set()
        self.roles: dict[str, set[str]] = {}  # role -> attached policy names
        self.policies: dict[str, str] = {}
        self.generation = 0

    def _wrote(self) -> None:
        self.generation += 1

    @rule(name=NAMES)
    def create_user(self, name: str) -> None:
        """§H.2: names unique case-insensitively."""
        try:
            self.store.create_user(name)
        except EntityAlreadyExistsError:
            assert name.lower() in self.users
            return
        assert name.lower() not in self.users
        self.users[name.lower()] = set()
        self.keys[name.lower()] = 0
        self._wrote()

    @rule(name=NAMES)
    def create_access_key(self, name: str) -> None:
        """§H.3: two keys per user."""
        try:
            self.store.create_access_key(name)
        except NoSuchEntityError:
            assert name.lower() not in self.users
            return
        except LimitExceededError:
            assert self.keys[name.lower()] == 2
            return
        self.keys[name.lower()] += 1
        self._wrote()

    @rule(name=NAMES)
    def delete_user(self, name: str) -> None:
        """§H.5: DeleteUser conflicts while keys or groups remain."""
        try:
            self.store.delete_user(name)
        except NoSuchEntityError:
            assert name.lower() not in self.users
            return
        except DeleteConflictError:
            assert self.keys[name.lower()] > 0 or self.users[name.lower()]
            return
        assert self.keys[name.lower()] == 0
        assert not self.users[name.lower()]
        del self.users[name.lower()]
        del self.keys[name.lower()]
        self._wrote()

    @rule(name=NAMES)
    def create_group(self, name: str) -> None:
        """§H.2: group names unique case-insensitively."""
        try:
            self.store.create_group(name)
        except EntityAlreadyExistsError:
            assert name.lower() in self.groups
            return
        self.groups.add(name.lower())
        self._wrote()

    @rule(group=NAMES, user=NAMES)
    def add_user_to_group(self, group: str, user: str) -> None:
        """AddUserToGroup is idempotent."""
        try:
            self.store.add_user_to_group(group, user)
        except NoSuchEntityError:
            assert group.lower() not in self.groups or user.lower() not in self.users
            return
        if group.lower() not in self.users[user.lower()]:
            self.users[user.lower()].add(group.lower())
            self._wrote()

    @rule(group=NAMES)
    def delete_group(self, group: str) -> None:
        """§H.5: a group with members cannot be deleted."""
        try:
            self.store.delete_group(group)
        except NoSuchEntityError:
            assert group.lower() not in self.groups
            return
        except DeleteConflictError:
            assert any(group.lower() in gs for gs in self.users.values())
            return
        self.groups.discard(group.lower())
        self._wrote()

    @rule(name=NAMES)
    def create_role(self, name: str) -> None:
        """§H.5: CreateRole."""
        try:
            self.store.create_role(name, TRUST)
        except EntityAlreadyExistsError:
            assert name.lower() in self.roles
            return
        self.roles[name.lower()] = set()
        self._wrote()

    @rule(name=POLICIES)
    def create_policy(self, name: str) -> None:
        """§H.5: CreatePolicy."""
        try:
            arn = self.store.create_policy(name, DOC).arn
        except EntityAlreadyExistsError:
            assert name in self.policies
            return
        self.policies[name] = arn
        self._wrote()

    @rule(role=NAMES, policy=POLICIES)
    def attach_role_policy(self, role: str, policy: str) -> None:
        """AttachRolePolicy is idempotent."""
        arn = f"arn:aws:iam::123456789012:policy/{policy}"
        try:
            self.store.attach_policy("role", role, arn)
        except NoSuchEntityError:
            assert role.lower() not in self.roles or policy not in self.policies
            return
        if policy not in self.roles[role.lower()]:
            self.roles[role.lower()].add(policy)
            self._wrote()

    @rule(role=NAMES)
    def delete_role(self, role: str) -> None:
        """§H.5: DeleteRole conflicts while policies are attached."""
        try:
            self.store.delete_role(role)
        except NoSuchEntityError:
            assert role.lower() not in self.roles
            return
        except DeleteConflictError:
            assert self.roles[role.lower()]
            return
        del self.roles[role.lower()]
        self._wrote()

    @rule(policy=POLICIES)
    def delete_policy(self, policy: str) -> None:
        """§H.5: DeletePolicy conflicts while attached."""
        arn = f"arn:aws:iam::123456789012:policy/{policy}"
        try:
            self.store.delete_policy(arn)
        except NoSuchEntityError:
            assert policy not in self.policies
            return
        except DeleteConflictError:
            assert any(policy in ps for ps in self.roles.values())
            return
        del self.policies[policy]
        self._wrote()

    @invariant()
    def matches_model(self) -> None:
        """The store holds exactly what the model holds; the generation counts successful writes."""
        assert {u.name.lower() for u in self.store.list_users()} == set(self.users)
        assert {g.name.lower() for g in self.store.list_groups()} == self.groups
        assert {r.name.lower() for r in self.store.list_roles()} == set(self.roles)
        assert {p.name for p in self.store.list_policies()} == set(self.policies)
        for user, groups in self.users.items():
            assert {g.name.lower() for g in self.store.list_groups_for_user(user)} == groups
            assert len(self.store.list_access_keys(user)) == self.keys[user]
        for role, attached in self.roles.items():
            assert {a.rsplit("/", 1)[1] for a in self.store.list_attached_policies("role", role)} == attached
        assert self.store.generation == self.generation


TestStoreMachine = StoreMachine.TestCase
