"""Where policies come from: a suite's ``policies:`` section, or a path given on the command line.

A ``policies:`` section is a mapping (paths relative to ``base``)::

    identity: [read-logs.json, arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess,
               {cloudformation: template.yaml, policy: LogsPolicy}]
    caller: [assumer.json]         # identity policies of whoever calls sts:AssumeRole
    resource: bucket-policy.json
    trust: trust-policy.json
    boundary: boundary.json
    session: [session.json]
    scp: [root-scp.json, [ou-scp.json, ou-scp-2.json]]   # one entry per level, root first
    rcp: [root-rcp.json]
    # a whole role from a template or plan, merged with the parts above:
    cloudformation: template.yaml        # or  terraform: plan.json
    role: LogsRole
    account: "111122223333"              # what AWS::AccountId stands for (CloudFormation)
    parameters: {BucketName: company1-logs}

A command-line path is a policy file (an identity policy), a suite (its
``policies:`` section), a directory (see :func:`load_directory`), or a
CloudFormation template / Terraform plan together with a role name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iamsim._bundle import PolicyBundle
from iamsim._policy.aws_managed import is_aws_managed_policy_arn
from iamsim._policy.model import Policy, PolicyKind
from iamsim._sources.cloudformation import DEFAULT_ACCOUNT, load_cloudformation
from iamsim._sources.documents import read_data
from iamsim._sources.policy_files import load_managed_policy, load_policy_file
from iamsim._sources.terraform import load_terraform_plan
from iamsim.errors import InvalidInputError

__all__ = [
    "SECTION_KEYS",
    "directory_files",
    "load_directory",
    "load_policies_section",
    "load_policy_ref",
    "load_target",
]

#: Every key a ``policies:`` section may hold.
SECTION_KEYS = frozenset(
    {
        "identity",
        "caller",
        "resource",
        "trust",
        "boundary",
        "session",
        "scp",
        "rcp",
        "cloudformation",
        "terraform",
        "role",
        "account",
        "parameters",
    }
)
_SOURCE_KEYS = frozenset({"cloudformation", "terraform", "policy", "account", "parameters"})
# Directory files named NAME.<kind>.json play that part; other *.json files are identity policies.
_DIRECTORY_KINDS = {kind.value: kind for kind in PolicyKind}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _source_policy(ref: Mapping[str, Any], base: Path, kind: PolicyKind, where: str) -> Policy:
    unknown = set(ref) - _SOURCE_KEYS
    if unknown:
        raise InvalidInputError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if "policy" not in ref:
        raise InvalidInputError(f"{where}: a template or plan reference needs 'policy: NAME'")
    if "cloudformation" in ref:
        template = load_cloudformation(
            base / str(ref["cloudformation"]),
            account=str(ref.get("account", DEFAULT_ACCOUNT)),
            parameters={str(k): str(v) for k, v in (ref.get("parameters") or {}).items()},
        )
        return template.policy(str(ref["policy"]), kind)
    if "terraform" in ref:
        return load_terraform_plan(base / str(ref["terraform"])).policy(str(ref["policy"]), kind)
    raise InvalidInputError(f"{where}: give 'cloudformation: FILE' or 'terraform: FILE'")


def load_policy_ref(ref: Any, base: Path, kind: PolicyKind, where: str) -> Policy:
    """One policy: a path (relative to ``base``), an AWS managed ARN, or a template/plan reference."""
    if isinstance(ref, Mapping):
        return _source_policy(ref, base, kind, where)
    if isinstance(ref, str) and ref:
        return load_policy_file(ref if ref.startswith("arn:") else base / ref, kind)
    raise InvalidInputError(f"{where}: expected a policy file name, a managed policy ARN or a mapping, got {ref!r}")


def _single(section: Mapping[str, Any], key: str, base: Path, kind: PolicyKind, where: str) -> Policy | None:
    value = section.get(key)
    if value is None:
        return None
    return load_policy_ref(value, base, kind, f"{where}.{key}")


def _levels(value: Any, base: Path, kind: PolicyKind, where: str) -> tuple[tuple[Policy, ...], ...]:
    levels = []
    for n, level in enumerate(_as_list(value)):
        refs = level if isinstance(level, list) else [level]
        levels.append(tuple(load_policy_ref(ref, base, kind, f"{where}[{n}]") for ref in refs))
    return tuple(levels)


def _role_source(section: Mapping[str, Any], base: Path, where: str) -> PolicyBundle:
    has_cfn, has_tf = "cloudformation" in section, "terraform" in section
    if not (has_cfn or has_tf):
        if "role" in section:
            raise InvalidInputError(f"{where}.role: say where the role is defined (cloudformation: or terraform:)")
        return PolicyBundle()
    if has_cfn and has_tf:
        raise InvalidInputError(f"{where}: give cloudformation: or terraform:, not both")
    if "role" not in section:
        raise InvalidInputError(f"{where}: name the role to read with 'role: NAME'")
    if has_cfn:
        template = load_cloudformation(
            base / str(section["cloudformation"]),
            account=str(section.get("account", DEFAULT_ACCOUNT)),
            parameters={str(k): str(v) for k, v in (section.get("parameters") or {}).items()},
        )
        return template.role(str(section["role"]))
    return load_terraform_plan(base / str(section["terraform"])).role(str(section["role"]))


def load_policies_section(section: Any, base: Path, where: str = "policies") -> PolicyBundle:
    """Read a suite's ``policies:`` section (see the module docstring); paths are relative to ``base``.

    The section's shape is checked first against :class:`iamsim._formats.suite.PoliciesSection`.
    """
    # Imported here: pydantic costs a noticeable share of `import iamsim`, and only suite files need it.
    from pydantic import ValidationError

    from iamsim._formats.locate import invalid_input
    from iamsim._formats.suite import PoliciesSection

    try:
        PoliciesSection.model_validate(section)
    except ValidationError as error:
        raise invalid_input(where, "", section, error, PoliciesSection) from None
    if section is None:
        section = {}
    session_refs = section.get("session")
    parts = PolicyBundle(
        identity=tuple(
            load_policy_ref(ref, base, PolicyKind.IDENTITY, f"{where}.identity[{n}]")
            for n, ref in enumerate(_as_list(section.get("identity")))
        ),
        caller_identity=tuple(
            load_policy_ref(ref, base, PolicyKind.IDENTITY, f"{where}.caller[{n}]")
            for n, ref in enumerate(_as_list(section.get("caller")))
        ),
        resource=_single(section, "resource", base, PolicyKind.RESOURCE, where),
        trust=_single(section, "trust", base, PolicyKind.TRUST, where),
        boundary=_single(section, "boundary", base, PolicyKind.BOUNDARY, where),
        session=None
        if session_refs is None
        else tuple(
            load_policy_ref(ref, base, PolicyKind.SESSION, f"{where}.session[{n}]")
            for n, ref in enumerate(_as_list(session_refs))
        ),
        scp_levels=_levels(section.get("scp"), base, PolicyKind.SCP, f"{where}.scp"),
        rcp_levels=_levels(section.get("rcp"), base, PolicyKind.RCP, f"{where}.rcp"),
    )
    return _role_source(section, base, where).merge(parts)


def directory_files(directory: Path) -> dict[PolicyKind, list[Path]]:
    """The ``*.json`` files of ``directory`` by the part each plays (see :func:`load_directory`), sorted by name."""
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    if not files:
        raise InvalidInputError(f"{directory}: no *.json policy files")
    by_kind: dict[PolicyKind, list[Path]] = {kind: [] for kind in PolicyKind}
    for file in files:
        stem, _, marker = file.stem.rpartition(".")
        kind = _DIRECTORY_KINDS.get(marker.lower()) if stem else None
        by_kind[kind or PolicyKind.IDENTITY].append(file)
    return by_kind


def load_directory(directory: Path) -> PolicyBundle:
    """Every ``*.json`` policy in ``directory`` (not recursive), sorted by name.

    ``NAME.KIND.json`` (KIND one of identity, resource, trust, boundary,
    session, scp, rcp) plays that part; any other ``*.json`` is an identity
    policy. SCPs and RCPs found there form one level each.
    """
    by_kind = {
        kind: [load_policy_file(file, kind) for file in files] for kind, files in directory_files(directory).items()
    }
    for kind in (PolicyKind.RESOURCE, PolicyKind.TRUST, PolicyKind.BOUNDARY):
        if len(by_kind[kind]) > 1:
            raise InvalidInputError(f"{directory}: more than one {kind.value} policy")
    return PolicyBundle(
        identity=tuple(by_kind[PolicyKind.IDENTITY]),
        resource=next(iter(by_kind[PolicyKind.RESOURCE]), None),
        trust=next(iter(by_kind[PolicyKind.TRUST]), None),
        boundary=next(iter(by_kind[PolicyKind.BOUNDARY]), None),
        session=tuple(by_kind[PolicyKind.SESSION]) or None,
        scp_levels=(tuple(by_kind[PolicyKind.SCP]),) if by_kind[PolicyKind.SCP] else (),
        rcp_levels=(tuple(by_kind[PolicyKind.RCP]),) if by_kind[PolicyKind.RCP] else (),
        sources=(str(directory),),
    )


def load_target(path: Path | str, *, role: str | None = None, account: str = DEFAULT_ACCOUNT) -> PolicyBundle:
    """Policies named by one command-line path.

    A directory: :func:`load_directory`. A file holding a ``Statement``: one
    identity policy. A suite (``policies:`` key): its section. A CloudFormation
    template or Terraform plan: the role ``role`` from it. An AWS managed
    policy ARN: that policy from the bundled snapshot, as everywhere else a
    policy file is accepted.
    """
    if is_aws_managed_policy_arn(path):
        return PolicyBundle(identity=(load_managed_policy(str(path), PolicyKind.IDENTITY),), sources=(str(path),))
    target = Path(path)
    if target.is_dir():
        return load_directory(target)
    data = read_data(target)
    if isinstance(data, Mapping):
        if "Statement" in data:
            return PolicyBundle(identity=(load_policy_file(target),), sources=(str(target),))
        if "policies" in data:
            return load_policies_section(data["policies"], target.parent, f"{target}: policies")
        if "Resources" in data or "planned_values" in data:
            if role is None:
                raise InvalidInputError(f"{target}: a template or plan needs --role NAME to say which role to read")
            if "Resources" in data:
                return load_cloudformation(target, account=account).role(role)
            return load_terraform_plan(target).role(role)
    raise InvalidInputError(f"{target}: not a policy, a suite, a CloudFormation template or a Terraform plan")


def load_policy_files(paths: Sequence[str], kind: PolicyKind) -> tuple[Policy, ...]:
    """Policies of ``kind`` from files or AWS managed ARNs, in order."""
    return tuple(load_policy_file(p if p.startswith("arn:") else Path(p), kind) for p in paths)
