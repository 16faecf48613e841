"""World files: a whole simulated world (accounts, IAM entities, an organization) described in YAML or JSON.

A world file is how a policy test suite (``world:``) or a test describes the
accounts its principals live in, instead of listing policies one by one::

    accounts:
      "111122223333":
        alias: example                         # optional
        policies:                              # customer managed policies
          - name: Company1-Logs-Read
            document: policies/company1-logs-read.json   # a file, or an inline mapping
        groups:
          - name: Readers
            policies: [Company1-Logs-Read]     # a policy of this account by name, or any ARN
            inline: {ReadTags: {...}}          # inline policies: name -> document
        users:
          - name: alice
            groups: [Readers]
            boundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
            tags: {team: blue}
        roles:
          - name: Company1-Logs-Role
            trust: policies/trust-policy-ec2.json
            policies: [Company1-Logs-Read]
            max_session_duration: 3600
            instance_profile: true             # or a profile name
    organization:                              # optional
      management_account: "111122223333"
      units:
        - {name: Workloads, accounts: ["444455556666"]}
        - {name: Prod, parent: Workloads}
      scps:
        - {name: DenyDeletes, document: {...}, targets: [Workloads]}
      rcps: [...]
      detach_full_access: [Prod]               # FullAWSAccess removed from these targets

Everything is created through the simulator's own operations, so a world file
gets exactly the validation, ids and error messages of the API (§H): a
malformed policy, a name IAM refuses or a trust policy naming a principal
that does not exist fails with AWS's words, prefixed with the place in the
file. Roles are created with a placeholder trust policy and given their real
one once every user and role exists, so roles may trust each other in any
order. Targets of organization policies are ``root``, an OU name or an
account id.

The file's shape (keys, types, required values) is checked first, once,
against :class:`iamsim._formats.world.WorldFile`, whose JSON Schema is
published as ``docs/schemas/world.schema.json``; the builder then reads the
checked model. Errors name the place as a key path and, for YAML, its line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from iamsim._formats.locate import place
from iamsim._simulator.core import core_of
from iamsim._sources.documents import parse_json_text, parse_yaml_text, read_text
from iamsim._store.organization import FULL_AWS_ACCESS, PolicyType
from iamsim.errors import InvalidInputError, ServiceError

if TYPE_CHECKING:
    from iamsim._formats.world import Account, Group, Organization, Role, User, WorldFile
    from iamsim._simulator import Simulator

__all__ = ["WORLD_KEYS", "apply_world", "check_world", "default_account_of", "read_world_data"]

T = TypeVar("T")
Loc = tuple[int | str, ...]

#: Top-level keys of a world file.
WORLD_KEYS = frozenset({"accounts", "default_account", "organization"})
# Valid, denies everyone: what a role trusts until the world's principals all exist.
_PLACEHOLDER_TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'
)


def read_world_data(path: Path) -> Any:
    """The decoded content of a YAML or JSON file, read within the bounds of :mod:`iamsim._sources.documents`.

    YAML mappings and lists remember their lines, so errors can name them.
    Raises ``InvalidInputError`` naming the file for anything unreadable,
    too large, too deep or not valid JSON/YAML.
    """
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json_text(text, str(path))
    return parse_yaml_text(text, str(path), cloudformation=False, located=True)


def check_world(data: Any, origin: str) -> WorldFile:
    """``data`` checked against the world file model; raises ``InvalidInputError`` naming the first problem."""
    # Imported here: pydantic costs a noticeable share of `import iamsim`, and only files need it.
    from pydantic import ValidationError

    from iamsim._formats.locate import invalid_input
    from iamsim._formats.world import WorldFile

    try:
        return WorldFile.model_validate(data)
    except ValidationError as error:
        raise invalid_input(origin, "world", data, error, WorldFile) from None


class _Builder:
    """Creates one checked world file's content in a simulator, naming the place of every error."""

    def __init__(self, sim: Simulator, raw: Any, base_dir: Path, origin: str) -> None:
        self.sim = sim
        self.raw = raw
        self.base_dir = base_dir
        self.origin = origin
        self.policy_arns: dict[tuple[str, str], str] = {}
        self.trusts: list[tuple[str, str, str, Loc]] = []
        self.ou_ids: dict[str, str] = {}
        self.accounts: tuple[str, ...] = ()

    def fail(self, loc: Loc, message: str) -> InvalidInputError:
        return InvalidInputError(f"{self.origin}: {place('world', self.raw, loc)}: {message}")

    def run(self, loc: Loc, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``operation(*args, **kwargs)``; an AWS error becomes ``InvalidInputError`` naming ``loc``."""
        try:
            return operation(*args, **kwargs)
        except ServiceError as error:
            raise self.fail(loc, f"{error.code}: {error.message}") from None

    # --------------------------------------------------------------- documents

    def document(self, value: Mapping[str, Any] | str, loc: Loc) -> str:
        """A policy document: an inline mapping, JSON text, or a file relative to the world file."""
        if isinstance(value, Mapping):
            return json.dumps(value)
        if value.lstrip().startswith("{"):
            return value
        path = self.base_dir / value
        try:
            if path.suffix.lower() == ".json":
                return read_text(path)
            data = read_world_data(path)
        except InvalidInputError as error:
            raise self.fail(loc, error.message) from None
        if not isinstance(data, Mapping):
            raise self.fail(loc, f"{path}: a policy document must be a mapping")
        return json.dumps(data)

    def policy_arn(self, account: str, name: str, loc: Loc) -> str:
        """A managed policy reference: an ARN, or the name of a customer policy of ``account`` in the file."""
        if name.startswith("arn:"):
            return name
        arn = self.policy_arns.get((account, name.lower()))
        if arn is None:
            raise self.fail(loc, f"{name!r} is not an ARN nor a policy defined in account {account}")
        return arn

    def boundary_arn(self, account: str, boundary: str | None, here: Loc) -> str | None:
        """The ARN of a user's or role's ``boundary:`` (a reference as :meth:`policy_arn` reads it), if any."""
        return None if boundary is None else self.policy_arn(account, boundary, (*here, "boundary"))

    # ---------------------------------------------------------------- entities

    def account(self, account: str, spec: Account, loc: Loc) -> None:
        sim = self.sim
        if spec.alias is not None:
            self.run((*loc, "alias"), sim.create_account_alias, spec.alias, account_id=account)
        for n, policy_spec in enumerate(spec.policies or ()):
            here = (*loc, "policies", n)
            policy = self.run(
                here,
                sim.create_policy,
                policy_spec.name,
                self.document(policy_spec.document, (*here, "document")),
                path=policy_spec.path,
                description=policy_spec.description,
                tags=policy_spec.tags,
                account_id=account,
            )
            self.policy_arns[(account, policy_spec.name.lower())] = policy.arn

    def attachments(self, kind: str, account: str, spec: Group | User | Role, loc: Loc) -> None:
        sim = self.sim
        attach = {"user": sim.attach_user_policy, "group": sim.attach_group_policy, "role": sim.attach_role_policy}
        put = {"user": sim.put_user_policy, "group": sim.put_group_policy, "role": sim.put_role_policy}
        for n, ref in enumerate(spec.policies):
            arn = self.policy_arn(account, ref, (*loc, "policies", n))
            self.run((*loc, "policies", n), attach[kind], spec.name, arn, account_id=account)
        for policy_name, document in (spec.inline or {}).items():
            here = (*loc, "inline", policy_name)
            self.run(here, put[kind], spec.name, policy_name, self.document(document, here), account_id=account)

    def groups(self, account: str, spec: Account, loc: Loc) -> None:
        for n, group in enumerate(spec.groups or ()):
            here = (*loc, "groups", n)
            self.run(here, self.sim.create_group, group.name, path=group.path, account_id=account)
            self.attachments("group", account, group, here)

    def users(self, account: str, spec: Account, loc: Loc) -> None:
        sim = self.sim
        for n, user in enumerate(spec.users or ()):
            here = (*loc, "users", n)
            self.run(
                here,
                sim.create_user,
                user.name,
                path=user.path,
                permissions_boundary=self.boundary_arn(account, user.boundary, here),
                tags=user.tags,
                account_id=account,
            )
            for k, group in enumerate(user.groups):
                self.run((*here, "groups", k), sim.add_user_to_group, group, user.name, account_id=account)
            self.attachments("user", account, user, here)

    def roles(self, account: str, spec: Account, loc: Loc) -> None:
        sim = self.sim
        for n, role in enumerate(spec.roles or ()):
            here = (*loc, "roles", n)
            trust = self.document(role.trust, (*here, "trust"))
            self.run(
                here,
                sim.create_role,
                role.name,
                _PLACEHOLDER_TRUST,
                path=role.path,
                description=role.description,
                max_session_duration=role.max_session_duration,
                permissions_boundary=self.boundary_arn(account, role.boundary, here),
                tags=role.tags,
                account_id=account,
            )
            self.trusts.append((account, role.name, trust, (*here, "trust")))
            self.attachments("role", account, role, here)
            if role.instance_profile:
                profile = role.name if role.instance_profile is True else str(role.instance_profile)
                where = (*here, "instance_profile")
                self.run(where, sim.create_instance_profile, profile, account_id=account)
                self.run(where, sim.add_role_to_instance_profile, profile, role.name, account_id=account)

    def bind_trusts(self) -> None:
        for account, name, trust, loc in self.trusts:
            self.run(loc, self.sim.update_assume_role_policy, name, trust, account_id=account)

    # ------------------------------------------------------------ organization

    def target(self, name: str, loc: Loc) -> str:
        org = self.sim.organization
        if org is None:
            raise self.fail(loc, "no organization")
        if name == "root":
            return org.root_id
        if name in self.ou_ids:
            return self.ou_ids[name]
        if name in org.accounts():
            return name
        raise self.fail(loc, f"{name!r} is not root, an OU of the file or an account of the organization")

    def organization(self, spec: Organization) -> None:
        sim = self.sim
        loc: Loc = ("organization",)
        org = self.run(loc, sim.create_organization, management_account=spec.management_account)
        placed: dict[str, str] = {}
        for n, unit in enumerate(spec.units or ()):
            here = (*loc, "units", n)
            if unit.name in self.ou_ids or unit.name == "root":
                raise self.fail(here, f"two organizational units are named {unit.name!r}")
            created = self.run(
                here, sim.create_organizational_unit, self.target(unit.parent, (*here, "parent")), unit.name
            )
            self.ou_ids[unit.name] = created.ou_id
            for k, member in enumerate(unit.accounts):
                if member in placed:
                    raise self.fail((*here, "accounts", k), f"account {member} is already in {placed[member]}")
                placed[member] = unit.name
        for member in self.accounts:
            if member == org.management_account:
                continue
            parent_id = self.ou_ids[placed[member]] if member in placed else org.root_id
            self.run((*loc, "units"), sim.invite_account, member, parent_id=parent_id)
        unknown = sorted(set(placed) - set(self.accounts))
        if unknown:
            raise self.fail((*loc, "units"), f"account(s) {', '.join(unknown)} are not under accounts:")
        for key, policy_type, policies in (("scps", PolicyType.SCP, spec.scps), ("rcps", PolicyType.RCP, spec.rcps)):
            for n, policy_spec in enumerate(policies or ()):
                here = (*loc, key, n)
                policy = self.run(
                    here,
                    sim.create_organization_policy,
                    policy_spec.name,
                    self.document(policy_spec.document, (*here, "document")),
                    policy_type=policy_type,
                    description=policy_spec.description,
                )
                for k, target in enumerate(policy_spec.targets):
                    target_id = self.target(target, (*here, "targets", k))
                    self.run((*here, "targets", k), sim.attach_organization_policy, policy.policy_id, target_id)
        for k, target in enumerate(spec.detach_full_access):
            where = (*loc, "detach_full_access", k)
            self.run(where, sim.detach_organization_policy, FULL_AWS_ACCESS, self.target(target, where))


def apply_world(sim: Simulator, data: Any, *, base_dir: Path, origin: str) -> None:
    """Create the world ``data`` describes in ``sim`` (an empty simulator).

    ``data`` is checked against :class:`~iamsim._formats.world.WorldFile`
    first. ``base_dir`` is where policy file names are resolved; ``origin``
    names the file in error messages. Raises
    :class:`~iamsim.errors.InvalidInputError` naming the place for anything wrong.
    """
    world = check_world(data, origin)
    builder = _Builder(sim, data, base_dir, origin)
    builder.accounts = tuple(world.accounts)
    raw_keys = dict(zip(world.accounts, data["accounts"], strict=True))
    for account in world.accounts:
        if account not in sim.accounts():
            builder.run(("accounts", raw_keys[account]), sim.add_account, account)
    core_of(sim).state.default_account = world.default
    for account, spec in world.accounts.items():
        builder.account(account, spec, ("accounts", raw_keys[account]))
    for account, spec in world.accounts.items():
        builder.groups(account, spec, ("accounts", raw_keys[account]))
        builder.users(account, spec, ("accounts", raw_keys[account]))
    for account, spec in world.accounts.items():
        builder.roles(account, spec, ("accounts", raw_keys[account]))
    builder.bind_trusts()
    if world.organization is not None:
        builder.organization(world.organization)


def default_account_of(data: Any) -> str | None:
    """The account a world file makes the default (``default_account:`` or its first account), if it names one.

    Only a well-formed account id is returned: a bad one is reported, with its
    place, when the world is applied.
    """
    if not isinstance(data, Mapping):
        return None
    account = data.get("default_account")
    if account is None:
        accounts = data.get("accounts")
        account = next(iter(accounts), None) if isinstance(accounts, Mapping) else None
    if isinstance(account, int) and not isinstance(account, bool) and 0 <= account < 10**12:
        account = str(account)
    if isinstance(account, str) and len(account) == 12 and account.isascii() and account.isdigit():
        return account
    return None
