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

The suite's shape is checked once against :class:`iamsim._formats.suite.SuiteFile`
(published as ``docs/schemas/suite.schema.json``); this module then checks what
needs the engine (a principal's ARN, context values) and builds the
:class:`~iamsim.policytests.Suite`. Every error names the file, the key path
and, for YAML, the line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from iamsim._bundle import PolicyBundle
from iamsim._engine.request import make_context
from iamsim._formats.locate import place
from iamsim._policy.model import PolicyKind
from iamsim._prover import DEFAULT_ACCOUNT, DEFAULT_BUDGET, RESOURCE_TYPES
from iamsim._sources.documents import read_data
from iamsim._sources.selectors import load_policies_section, load_policy_ref
from iamsim.errors import InvalidInputError
from iamsim.policytests.model import Case, CaseCheck, Expectation, Suite
from iamsim.policytests.principals import suite_principal
from iamsim.policytests.world import check_world_principal, load_world

if TYPE_CHECKING:
    from pydantic import BaseModel

    from iamsim._formats.suite import CaseSpec, CheckCaseSpec

__all__ = ["SUITE_KEYS", "is_suite_file", "load_cases", "load_suite"]

#: Top-level keys of a suite file.
SUITE_KEYS = frozenset({"name", "description", "policies", "world", "cases"})

M = TypeVar("M", bound="BaseModel")


def _checked(model: type[M], value: Any, origin: str, data: Any, base: tuple[int | str, ...] = ()) -> M:
    """``value`` (at ``base`` in ``data``) checked against ``model``; the first problem is raised with its place."""
    # Imported here: pydantic costs a noticeable share of `import iamsim`, and only suite files need it.
    from pydantic import ValidationError

    from iamsim._formats.locate import invalid_input

    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise invalid_input(origin, "", data, error, model, base=base) from None


def _case(spec: CaseSpec, index: int, origin: str, data: Any, expect_required: bool) -> Case:
    name = spec.name or f"case {index + 1}"

    def fail(key: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{origin}: {place('', data, ('cases', index, key))}: {message}")

    try:
        suite_principal(spec.principal)
    except InvalidInputError as error:
        raise fail("principal", f"{spec.principal!r}: {error.message}") from None
    if spec.expect is None and expect_required:
        raise fail("expect", "is required: allowed, denied, explicitDeny or implicitDeny")
    try:
        context = make_context(spec.context)
    except InvalidInputError as error:
        raise fail("context", error.message) from None
    return Case(
        name=name,
        principal=spec.principal,
        actions=spec.action_names,
        resources=spec.resource_names,
        expect=None if spec.expect is None else Expectation(spec.expect),
        context=context,
        resource_account=spec.resource_account,
        index=index,
    )


def _check_case(spec: CheckCaseSpec, index: int, origin: str, data: Any, base: Path | None) -> Case:
    """A ``check:`` case; ``base`` is the suite's folder (``None``: the caller cannot run checks)."""
    name = spec.name or f"case {index + 1}"

    def fail(key: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{origin}: {place('', data, ('cases', index, key))}: {message}")

    if base is None:
        raise fail("check", "a check: case has no requests to compare; only iamsim test and pytest run it")
    if spec.resource_type is not None and spec.resource_type not in RESOURCE_TYPES:
        raise fail("resource_type", f"{spec.resource_type!r} is not one of: {', '.join(sorted(RESOURCE_TYPES))}")
    baseline = None
    if spec.baseline:
        try:
            identity = tuple(
                load_policy_ref(ref, base, PolicyKind.IDENTITY, f"{origin}: cases[{index}].baseline[{n}]")
                for n, ref in enumerate(spec.baseline)
            )
        except InvalidInputError as error:
            raise fail("baseline", error.message) from None
        baseline = PolicyBundle(identity=identity)
    check = CaseCheck(
        question=spec.check,
        account=spec.account or DEFAULT_ACCOUNT,
        seconds=spec.seconds or DEFAULT_BUDGET.seconds,
        baseline=baseline,
        actions=spec.action_names,
        resources=spec.resource_names,
        resource_type=spec.resource_type,
    )
    return Case(
        name=name,
        principal=f"any principal of account {check.account}"
        if spec.check != "no-public-access"
        else f"anyone outside account {check.account}",
        actions=spec.action_names or ("*",),
        resources=spec.resource_names or ("*",),
        expect=None,
        context={},
        index=index,
        check=check,
    )


def _cases(
    specs: Sequence[CaseSpec | CheckCaseSpec],
    origin: str,
    data: Any,
    expect_required: bool,
    base: Path | None = None,
) -> tuple[Case, ...]:
    from iamsim._formats.suite import CheckCaseSpec

    cases = tuple(
        _check_case(spec, n, origin, data, base)
        if isinstance(spec, CheckCaseSpec)
        else _case(spec, n, origin, data, expect_required)
        for n, spec in enumerate(specs)
    )
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            where = place("", data, ("cases", case.index))
            raise InvalidInputError(f"{origin}: {where}: two cases are named {case.name!r}; names must be unique")
        seen.add(case.name)
    return cases


def _case_spec(raw: Any, origin: str, data: Any, index: int) -> CaseSpec | CheckCaseSpec:
    """One raw case checked: a ``check:`` case, or one of requests (as the suite schema tells them apart)."""
    from iamsim._formats.suite import CaseSpec, CheckCaseSpec

    if isinstance(raw, Mapping) and "check" in raw:
        return _checked(CheckCaseSpec, raw, origin, data, ("cases", index))
    return _checked(CaseSpec, raw, origin, data, ("cases", index))


def load_cases(data: Mapping[str, Any], origin: str, *, expect_required: bool = True) -> tuple[Case, ...]:
    """The ``cases:`` of a decoded suite; ``origin`` names the file in errors.

    With ``expect_required=False`` (for ``iamsim diff``) a case may omit ``expect:``.
    """
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise InvalidInputError(f"{origin}: {place('', data, ('cases',))}: must be a non-empty list")
    specs = [_case_spec(raw, origin, data, n) for n, raw in enumerate(raw_cases)]
    return _cases(specs, origin, data, expect_required)


def _read_mapping(path: Path) -> Mapping[str, Any]:
    data = read_data(path, located=True)
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
    from iamsim._formats.suite import CaseSpec, SuiteFile

    file = Path(path)
    data = _read_mapping(file)
    spec = _checked(SuiteFile, data, str(file), data)
    name = spec.name or file.stem
    if spec.world is not None:
        world = load_world(data["world"], file)
        for index, raw in enumerate(spec.cases):
            if not isinstance(raw, CaseSpec):
                where = place("", data, ("cases", index, "check"))
                raise InvalidInputError(f"{file}: {where}: a check: case needs policies:, not world:")
        cases = _cases(spec.cases, str(file), data, True)
        for case in cases:
            check_world_principal(world, case, f"{file}: {place('', data, ('cases', case.index))}")
        return Suite(path=file, name=name, policies=PolicyBundle(), cases=cases, world=world)
    policies: PolicyBundle = load_policies_section(data["policies"], file.parent, f"{file}: policies")
    if policies.is_empty:
        raise InvalidInputError(f"{file}: {place('', data, ('policies',))}: names no policy")
    cases = _cases(spec.cases, str(file), data, True, file.parent)
    for case in cases:
        public = case.check is not None and case.check.question == "no-public-access"
        if public and policies.resource is None and policies.trust is None:
            where = place("", data, ("cases", case.index, "check"))
            raise InvalidInputError(f"{file}: {where}: no-public-access needs a resource: or trust: policy")
    return Suite(path=file, name=name, policies=policies, cases=cases)
