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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from iamsim._simulator.core import core_of
from iamsim._sources.documents import parse_json_text, parse_yaml_text, read_text
from iamsim._store.organization import FULL_AWS_ACCESS, PolicyType
from iamsim.errors import InvalidInputError, ServiceError

if TYPE_CHECKING:
    from iamsim._simulator import Simulator

__all__ = ["WORLD_KEYS", "apply_world", "default_account_of", "read_world_data"]

T = TypeVar("T")

#: Top-level keys of a world file.
WORLD_KEYS = frozenset({"accounts", "default_account", "organization"})
_ACCOUNT_KEYS = frozenset({"alias", "policies", "groups", "users", "roles"})
_POLICY_KEYS = frozenset({"name", "document", "path", "description", "tags"})
_GROUP_KEYS = frozenset({"name", "path", "policies", "inline"})
_USER_KEYS = frozenset({"name", "path", "groups", "policies", "inline", "boundary", "tags"})
_ROLE_KEYS = frozenset(
    {
        "name",
        "path",
        "trust",
        "policies",
        "inline",
        "boundary",
        "tags",
        "description",
        "max_session_duration",
        "instance_profile",
    }
)
_ORG_KEYS = frozenset({"management_account", "units", "scps", "rcps", "detach_full_access"})
_UNIT_KEYS = frozenset({"name", "parent", "accounts"})
_ORG_POLICY_KEYS = frozenset({"name", "document", "description", "targets"})
# Valid, denies everyone: what a role trusts until the world's principals all exist.
_PLACEHOLDER_TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'
)


def read_world_data(path: Path) -> Any:
    """The decoded content of a YAML or JSON file, read within the bounds of :mod:`iamsim._sources.documents`.

    Raises ``InvalidInputError`` naming the file for anything unreadable,
    too large, too deep or not valid JSON/YAML.
    """
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json_text(text, str(path))
    return parse_yaml_text(text, str(path), cloudformation=False)


def _kind(value: Any) -> str:
    """What a wrong value is, in the file's words (never the value itself: it may be huge)."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else type(value).__name__


class _Builder:
    """Creates one world file's content in a simulator, naming the place of every error."""

    def __init__(self, sim: Simulator, base_dir: Path, origin: str) -> None:
        self.sim = sim
        self.base_dir = base_dir
        self.origin = origin
        self.policy_arns: dict[tuple[str, str], str] = {}
        self.trusts: list[tuple[str, str, str, str]] = []
        self.ou_ids: dict[str, str] = {}
        self.accounts: tuple[str, ...] = ()

    # ----------------------------------------------------------- small checks

    def fail(self, where: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{self.origin}: {where}: {message}")

    def mapping(self, value: Any, where: str, keys: frozenset[str] | None = None) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "must be a mapping")
        if keys is not None:
            unknown = set(map(str, value)) - keys
            if unknown:
                raise self.fail(
                    where, f"unknown key(s) {', '.join(sorted(unknown))}; expected some of {', '.join(sorted(keys))}"
                )
        return value

    def items(self, value: Any, where: str) -> Sequence[Any]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, "must be a list")
        return value

    def text(self, value: Any, where: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            raise self.fail(where, "must be a non-empty string")
        return str(value)

    def optional_text(self, spec: Mapping[str, Any], key: str, default: str, where: str) -> str:
        """``spec[key]`` as a string (``default`` when absent); a mapping, list or number is refused."""
        value = spec.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"must be a string, not {_kind(value)}")
        return value

    def seconds(self, value: Any, where: str) -> int:
        """A whole number of seconds (IAM checks its range); a number too long to be one is refused here."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"must be a whole number of seconds, not {_kind(value)}")
        if value.bit_length() > 64:
            raise self.fail(where, "must be a whole number of seconds, not a number this large")
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        listed = value if isinstance(value, list) else ([] if value is None else [value])
        return tuple(self.text(v, f"{where}[{n}]") for n, v in enumerate(listed))

    def tags(self, value: Any, where: str) -> dict[str, str] | None:
        if value is None:
            return None
        raw = self.mapping(value, where)
        for key, item in raw.items():
            if isinstance(item, (Mapping, list)):
                raise self.fail(f"{where}.{key}", f"a tag value must be a string, not {_kind(item)}")
        return {str(k): "" if v is None else str(v) for k, v in raw.items()}

    def run(self, where: str, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``operation(*args, **kwargs)``; an AWS error becomes ``InvalidInputError`` naming ``where``."""
        try:
            return operation(*args, **kwargs)
        except ServiceError as error:
            raise self.fail(where, f"{error.code}: {error.message}") from None

    # --------------------------------------------------------------- documents

    def document(self, value: Any, where: str) -> str:
        """A policy document: an inline mapping, JSON text, or a file relative to the world file."""
        if isinstance(value, Mapping):
            return json.dumps(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "a policy document must be a mapping, JSON text or a file name")
        if value.lstrip().startswith("{"):
            return value
        path = self.base_dir / value
        try:
            if path.suffix.lower() == ".json":
                return read_text(path)
            data = read_world_data(path)
        except InvalidInputError as error:
            raise self.fail(where, error.message) from None
        if not isinstance(data, Mapping):
            raise self.fail(where, f"{path}: a policy document must be a mapping")
        return json.dumps(data)

    def policy_arn(self, account: str, value: Any, where: str) -> str:
        """A managed policy reference: an ARN, or the name of a customer policy of ``account`` in the file."""
        name = self.text(value, where)
        if name.startswith("arn:"):
            return name
        arn = self.policy_arns.get((account, name.lower()))
        if arn is None:
            raise self.fail(where, f"{name!r} is not an ARN nor a policy defined in account {account}")
        return arn

    # ---------------------------------------------------------------- entities

    def account(self, account: str, raw: Mapping[str, Any], where: str) -> None:
        sim = self.sim
        if raw.get("alias") is not None:
            alias = self.text(raw["alias"], f"{where}.alias")
            self.run(f"{where}.alias", sim.create_account_alias, alias, account_id=account)
        for n, item in enumerate(self.items(raw.get("policies"), f"{where}.policies")):
            here = f"{where}.policies[{n}]"
            spec = self.mapping(item, here, _POLICY_KEYS)
            name = self.text(spec.get("name"), f"{here}.name")
            if "document" not in spec:
                raise self.fail(here, "document: is required")
            text = self.document(spec["document"], f"{here}.document")
            policy = self.run(
                f"{here} ({name})",
                sim.create_policy,
                name,
                text,
                path=self.optional_text(spec, "path", "/", here),
                description=self.optional_text(spec, "description", "", here),
                tags=self.tags(spec.get("tags"), f"{here}.tags"),
                account_id=account,
            )
            self.policy_arns[(account, name.lower())] = policy.arn

    def attachments(self, kind: str, account: str, name: str, spec: Mapping[str, Any], where: str) -> None:
        sim = self.sim
        attach = {"user": sim.attach_user_policy, "group": sim.attach_group_policy, "role": sim.attach_role_policy}
        put = {"user": sim.put_user_policy, "group": sim.put_group_policy, "role": sim.put_role_policy}
        for n, ref in enumerate(self.strings(spec.get("policies"), f"{where}.policies")):
            arn = self.policy_arn(account, ref, f"{where}.policies[{n}]")
            self.run(f"{where}.policies[{n}]", attach[kind], name, arn, account_id=account)
        inline = spec.get("inline")
        if inline is not None:
            for policy_name, document in self.mapping(inline, f"{where}.inline").items():
                here = f"{where}.inline.{policy_name}"
                text = self.document(document, here)
                self.run(here, put[kind], name, str(policy_name), text, account_id=account)

    def groups(self, account: str, raw: Mapping[str, Any], where: str) -> None:
        for n, item in enumerate(self.items(raw.get("groups"), f"{where}.groups")):
            here = f"{where}.groups[{n}]"
            spec = self.mapping(item, here, _GROUP_KEYS)
            name = self.text(spec.get("name"), f"{here}.name")
            path = self.optional_text(spec, "path", "/", here)
            self.run(f"{here} ({name})", self.sim.create_group, name, path=path, account_id=account)
            self.attachments("group", account, name, spec, f"{here} ({name})")

    def users(self, account: str, raw: Mapping[str, Any], where: str) -> None:
        sim = self.sim
        for n, item in enumerate(self.items(raw.get("users"), f"{where}.users")):
            here = f"{where}.users[{n}]"
            spec = self.mapping(item, here, _USER_KEYS)
            name = self.text(spec.get("name"), f"{here}.name")
            here = f"{here} ({name})"
            boundary = spec.get("boundary")
            boundary_arn = None if boundary is None else self.policy_arn(account, boundary, f"{here}.boundary")
            self.run(
                here,
                sim.create_user,
                name,
                path=self.optional_text(spec, "path", "/", here),
                permissions_boundary=boundary_arn,
                tags=self.tags(spec.get("tags"), f"{here}.tags"),
                account_id=account,
            )
            for k, group in enumerate(self.strings(spec.get("groups"), f"{here}.groups")):
                self.run(f"{here}.groups[{k}]", sim.add_user_to_group, group, name, account_id=account)
            self.attachments("user", account, name, spec, here)

    def roles(self, account: str, raw: Mapping[str, Any], where: str) -> None:
        sim = self.sim
        for n, item in enumerate(self.items(raw.get("roles"), f"{where}.roles")):
            here = f"{where}.roles[{n}]"
            spec = self.mapping(item, here, _ROLE_KEYS)
            name = self.text(spec.get("name"), f"{here}.name")
            here = f"{here} ({name})"
            if "trust" not in spec:
                raise self.fail(here, "trust: (the role's trust policy) is required")
            trust = self.document(spec["trust"], f"{here}.trust")
            boundary = spec.get("boundary")
            boundary_arn = None if boundary is None else self.policy_arn(account, boundary, f"{here}.boundary")
            duration = self.seconds(spec.get("max_session_duration", 3600), f"{here}.max_session_duration")
            self.run(
                here,
                sim.create_role,
                name,
                _PLACEHOLDER_TRUST,
                path=self.optional_text(spec, "path", "/", here),
                description=self.optional_text(spec, "description", "", here),
                max_session_duration=duration,
                permissions_boundary=boundary_arn,
                tags=self.tags(spec.get("tags"), f"{here}.tags"),
                account_id=account,
            )
            self.trusts.append((account, name, trust, f"{here}.trust"))
            self.attachments("role", account, name, spec, here)
            profile = spec.get("instance_profile")
            if profile is not None and not isinstance(profile, (bool, str)):
                raise self.fail(f"{here}.instance_profile", f"must be true, false or a name, not {_kind(profile)}")
            if profile:
                profile_name = name if profile is True else self.text(profile, f"{here}.instance_profile")
                self.run(f"{here}.instance_profile", sim.create_instance_profile, profile_name, account_id=account)
                self.run(
                    f"{here}.instance_profile", sim.add_role_to_instance_profile, profile_name, name, account_id=account
                )

    def bind_trusts(self) -> None:
        for account, name, trust, where in self.trusts:
            self.run(where, self.sim.update_assume_role_policy, name, trust, account_id=account)

    # ------------------------------------------------------------ organization

    def target(self, value: Any, where: str) -> str:
        org = self.sim.organization
        name = self.text(value, where)
        if org is None:
            raise self.fail(where, "no organization")
        if name == "root":
            return org.root_id
        if name in self.ou_ids:
            return self.ou_ids[name]
        if name in org.accounts():
            return name
        raise self.fail(where, f"{name!r} is not root, an OU of the file or an account of the organization")

    def organization(self, raw: Mapping[str, Any], where: str) -> None:
        sim = self.sim
        management = raw.get("management_account")
        account = None if management is None else self.text(management, f"{where}.management_account")
        org = self.run(where, sim.create_organization, management_account=account)
        placed: dict[str, str] = {}
        for n, item in enumerate(self.items(raw.get("units"), f"{where}.units")):
            here = f"{where}.units[{n}]"
            spec = self.mapping(item, here, _UNIT_KEYS)
            name = self.text(spec.get("name"), f"{here}.name")
            if name in self.ou_ids or name == "root":
                raise self.fail(here, f"two organizational units are named {name!r}")
            parent = self.target(spec.get("parent", "root"), f"{here}.parent")
            unit = self.run(here, sim.create_organizational_unit, parent, name)
            self.ou_ids[name] = unit.ou_id
            for k, member in enumerate(self.strings(spec.get("accounts"), f"{here}.accounts")):
                if member in placed:
                    raise self.fail(f"{here}.accounts[{k}]", f"account {member} is already in {placed[member]}")
                placed[member] = name
        for member in self.accounts:
            if member == org.management_account:
                continue
            parent_id = self.ou_ids[placed[member]] if member in placed else org.root_id
            self.run(f"{where}.units", sim.invite_account, member, parent_id=parent_id)
        unknown = sorted(set(placed) - set(self.accounts))
        if unknown:
            raise self.fail(f"{where}.units", f"account(s) {', '.join(unknown)} are not under accounts:")
        for key, policy_type in (("scps", PolicyType.SCP), ("rcps", PolicyType.RCP)):
            for n, item in enumerate(self.items(raw.get(key), f"{where}.{key}")):
                here = f"{where}.{key}[{n}]"
                spec = self.mapping(item, here, _ORG_POLICY_KEYS)
                name = self.text(spec.get("name"), f"{here}.name")
                if "document" not in spec:
                    raise self.fail(here, "document: is required")
                text = self.document(spec["document"], f"{here}.document")
                policy = self.run(
                    f"{here} ({name})",
                    sim.create_organization_policy,
                    name,
                    text,
                    policy_type=policy_type,
                    description=self.optional_text(spec, "description", "", here),
                )
                for k, target in enumerate(self.strings(spec.get("targets"), f"{here}.targets")):
                    target_id = self.target(target, f"{here}.targets[{k}]")
                    self.run(f"{here}.targets[{k}]", sim.attach_organization_policy, policy.policy_id, target_id)
        for k, target in enumerate(self.strings(raw.get("detach_full_access"), f"{where}.detach_full_access")):
            target_id = self.target(target, f"{where}.detach_full_access[{k}]")
            self.run(f"{where}.detach_full_access[{k}]", sim.detach_organization_policy, FULL_AWS_ACCESS, target_id)


def apply_world(sim: Simulator, data: Any, *, base_dir: Path, origin: str) -> None:
    """Create the world ``data`` describes in ``sim`` (an empty simulator).

    ``base_dir`` is where policy file names are resolved; ``origin`` names the
    file in error messages. Raises :class:`~iamsim.errors.InvalidInputError`
    naming the place for anything wrong.
    """
    builder = _Builder(sim, base_dir, origin)
    raw = builder.mapping(data, "world", WORLD_KEYS)
    accounts = builder.mapping(raw.get("accounts"), "accounts")
    if not accounts:
        raise builder.fail("accounts", "must name at least one account")
    ids = [builder.text(a, "accounts") for a in accounts]
    for account in ids:
        if len(account) != 12 or not account.isdigit():
            raise builder.fail(f"accounts.{account}", f"Account ID {account} is not a 12-digit account ID.")
    default = builder.text(raw.get("default_account", ids[0]), "default_account")
    if default not in ids:
        raise builder.fail("default_account", f"{default} is not under accounts:")
    builder.accounts = tuple(ids)
    for account in ids:
        if account not in sim.accounts():
            builder.run(f"accounts.{account}", sim.add_account, account)
    core_of(sim).state.default_account = default
    specs = {
        account: builder.mapping(accounts[key] or {}, f"accounts.{account}", _ACCOUNT_KEYS)
        for account, key in zip(ids, accounts, strict=True)
    }
    for account, spec in specs.items():
        builder.account(account, spec, f"accounts.{account}")
    for account, spec in specs.items():
        builder.groups(account, spec, f"accounts.{account}")
        builder.users(account, spec, f"accounts.{account}")
    for account, spec in specs.items():
        builder.roles(account, spec, f"accounts.{account}")
    builder.bind_trusts()
    organization = raw.get("organization")
    if organization is not None:
        builder.organization(builder.mapping(organization, "organization", _ORG_KEYS), "organization")


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
