"""Reading a policy test suite file (YAML or JSON) into a :class:`~iamsim.policytests.Suite`.

The format (see ``docs/dry-run.md``)::

    name: S3 read-only role            # optional; defaults to the file name
    policies: {...}                    # see iamsim._sources.selectors
    world: world.yaml                  # instead of policies: a whole world (iamsim._simulator.world_file)
    cases:
      - name: can read objects
        principal: arn:aws:iam::111122223333:role/S3AccessRole
        action: s3:GetObject           # or a list (also "actions:")
        resource: arn:aws:s3:::b/k     # or a list (also "resources:"); default "*"
        context: {aws:SourceIp: 10.0.0.1, aws:TagKeys: [a, b]}
        resource_account: "111122223333"
        expect: allowed                # denied | explicitDeny | implicitDeny
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iamsim._bundle import PolicyBundle
from iamsim._engine.request import Principal, make_context
from iamsim._sources.documents import read_data
from iamsim._sources.selectors import load_policies_section
from iamsim.errors import InvalidInputError
from iamsim.policytests.model import Case, Expectation, Suite
from iamsim.policytests.world import check_world_principal, load_world

__all__ = ["SUITE_KEYS", "is_suite_file", "load_cases", "load_suite"]

#: Top-level keys of a suite file.
SUITE_KEYS = frozenset({"name", "description", "policies", "world", "cases"})
_CASE_KEYS = frozenset(
    {"name", "principal", "action", "actions", "resource", "resources", "context", "resource_account", "expect"}
)
_EXPECTATIONS = ", ".join(e.value for e in Expectation)


def _strings(value: Any, where: str, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item for item in items):
        raise InvalidInputError(f"{where}: {what} must be a non-empty string or list of strings")
    return tuple(items)


def _one_of(raw: Mapping[str, Any], singular: str, plural: str, where: str) -> Any:
    if singular in raw and plural in raw:
        raise InvalidInputError(f"{where}: give {singular}: or {plural}:, not both")
    return raw.get(singular, raw.get(plural))


def _case(raw: Any, index: int, where: str, expect_required: bool) -> Case:
    if not isinstance(raw, Mapping):
        raise InvalidInputError(f"{where}: a case must be a mapping")
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise InvalidInputError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    name = str(raw.get("name") or f"case {index + 1}")
    where = f"{where} ({name})"
    principal = raw.get("principal")
    if not isinstance(principal, str) or not principal:
        raise InvalidInputError(f"{where}: principal is required (an ARN, account id or service name)")
    try:
        Principal.from_arn(principal)
    except InvalidInputError as error:
        raise InvalidInputError(f"{where}: principal {principal!r}: {error.message}") from None
    actions = _one_of(raw, "action", "actions", where)
    if actions is None:
        raise InvalidInputError(f"{where}: action is required")
    action_names = _strings(actions, where, "action")
    for action in action_names:
        if ":" not in action:
            raise InvalidInputError(f"{where}: action {action!r} is not of the form service:ActionName")
    resources = _one_of(raw, "resource", "resources", where)
    expect_raw = raw.get("expect")
    expect: Expectation | None = None
    if expect_raw is not None or expect_required:
        try:
            expect = Expectation(str(expect_raw))
        except ValueError:
            raise InvalidInputError(f"{where}: expect must be one of {_EXPECTATIONS}, got {expect_raw!r}") from None
    context_raw = raw.get("context") or {}
    if not isinstance(context_raw, Mapping):
        raise InvalidInputError(f"{where}: context must be a mapping of condition keys to values")
    try:
        context = make_context(context_raw)
    except InvalidInputError as error:
        raise InvalidInputError(f"{where}: {error.message}") from None
    account = raw.get("resource_account")
    return Case(
        name=name,
        principal=principal,
        actions=action_names,
        resources=("*",) if resources is None else _strings(resources, where, "resource"),
        expect=expect,
        context=context,
        resource_account=None if account is None else str(account),
        index=index,
    )


def load_cases(data: Mapping[str, Any], origin: str, *, expect_required: bool = True) -> tuple[Case, ...]:
    """The ``cases:`` of a decoded suite; ``origin`` names the file in errors.

    With ``expect_required=False`` (for ``iamsim diff``) a case may omit ``expect:``.
    """
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise InvalidInputError(f"{origin}: cases: must be a non-empty list")
    cases = tuple(_case(raw, n, f"{origin}: cases[{n}]", expect_required) for n, raw in enumerate(raw_cases))
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            raise InvalidInputError(f"{origin}: two cases are named {case.name!r}; names must be unique")
        seen.add(case.name)
    return cases


def _read_mapping(path: Path) -> Mapping[str, Any]:
    data = read_data(path)
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{path}: a suite must be a mapping with policies: and cases:")
    return data


def is_suite_file(path: Path) -> bool:
    """Whether ``path`` looks like a suite (YAML/JSON whose top level has ``cases:``); never raises."""
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return False
    try:
        data = read_data(path)
    except InvalidInputError:
        return False
    return isinstance(data, Mapping) and "cases" in data


def load_suite(path: Path | str) -> Suite:
    """Read and check a suite file: every policy parsed, every case well formed.

    Raises :class:`~iamsim.errors.InvalidInputError` naming the file and the
    place for anything wrong (unreadable file, bad JSON/YAML, malformed
    policy, unknown key, bad principal, unknown expectation).
    """
    file = Path(path)
    data = _read_mapping(file)
    unknown = set(data) - SUITE_KEYS
    if unknown:
        raise InvalidInputError(
            f"{file}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected some of "
            f"{', '.join(sorted(SUITE_KEYS))}"
        )
    if "world" in data:
        if "policies" in data:
            raise InvalidInputError(
                f"{file}: give policies: or world:, not both (a world's policies come from its users and roles)"
            )
        world = load_world(data["world"], file)
        cases = load_cases(data, str(file))
        for case in cases:
            check_world_principal(world, case, f"{file}: cases[{case.index}]")
        return Suite(
            path=file, name=str(data.get("name") or file.stem), policies=PolicyBundle(), cases=cases, world=world
        )
    if "policies" not in data:
        raise InvalidInputError(f"{file}: policies: is required")
    policies: PolicyBundle = load_policies_section(data["policies"], file.parent, f"{file}: policies")
    if policies.is_empty:
        raise InvalidInputError(f"{file}: policies: names no policy")
    cases = load_cases(data, str(file))
    return Suite(path=file, name=str(data.get("name") or file.stem), policies=policies, cases=cases)
