"""``iamsim check --witnesses``: a FAIL's witness requests written as a policy test suite.

The suite names the checked policies where they live (paths relative to the
suite), so it fails while the finding stands and passes once the policies are
fixed. Whatever the checked target was (a policy file, a directory, a suite,
or a role of a template or plan) becomes the ``policies:`` section that loads
the same policies.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from iamsim._bundle import is_trust_action
from iamsim._policy.model import PolicyKind
from iamsim._prover import Witness
from iamsim._sources import read_data
from iamsim._sources.selectors import directory_files
from iamsim.cli.exit_codes import ToolFailure

__all__ = ["policies_section", "write_witness_suite"]

#: ``policies:`` keys whose values are policy references (paths relative to the suite, or ARNs).
_REFERENCE_KEYS = frozenset({"identity", "caller", "resource", "trust", "boundary", "session", "scp", "rcp"})
#: Keys naming a template or plan file, in a section or in a reference to one of their policies.
_FILE_KEYS = frozenset({"cloudformation", "terraform"})
#: The parts a directory's files may play that take a list of policies (the others take one).
_LISTS = {PolicyKind.IDENTITY, PolicyKind.SESSION}


def _relative(target: Path, suite_dir: Path) -> str:
    return Path(os.path.relpath(target.resolve(), suite_dir.resolve())).as_posix()


def _rebased(reference: Any, base: Path, suite_dir: Path) -> Any:
    """A suite's policy reference, with its file paths made relative to ``suite_dir`` instead of ``base``."""
    if isinstance(reference, str):
        return reference if reference.startswith("arn:") else _relative(base / reference, suite_dir)
    if isinstance(reference, list):
        return [_rebased(item, base, suite_dir) for item in reference]
    if isinstance(reference, Mapping):
        return {
            key: _relative(base / value, suite_dir) if key in _FILE_KEYS and isinstance(value, str) else value
            for key, value in reference.items()
        }
    return reference


def _directory_section(directory: Path, suite_dir: Path) -> dict[str, Any]:
    section: dict[str, Any] = {}
    for kind, files in directory_files(directory).items():
        names = [_relative(file, suite_dir) for file in files]
        if not names:
            continue
        if kind in _LISTS:
            section[kind.value] = names
        elif kind in (PolicyKind.SCP, PolicyKind.RCP):
            section[kind.value] = [names]  # a directory's SCPs (RCPs) form one level
        else:
            section[kind.value] = names[0]
    return section


def policies_section(target: str, suite_path: str, kind: str, *, role: str | None, account: str) -> dict[str, Any]:
    """The ``policies:`` section that loads what ``target`` named (a policy file plays the part ``kind``)."""
    source = Path(target)
    suite_dir = Path(suite_path).parent
    if not suite_dir.is_dir():
        # Said before the check runs: a check may take its whole budget.
        raise ToolFailure(f"cannot write {suite_path}: no directory {suite_dir}")
    if source.is_dir():
        return _directory_section(source, suite_dir)
    data = read_data(source)
    if isinstance(data, Mapping) and "Statement" not in data:
        if "policies" in data:
            section = data["policies"] or {}
            rebase = _REFERENCE_KEYS | _FILE_KEYS
            return {
                key: _rebased(value, source.parent, suite_dir) if key in rebase else value
                for key, value in section.items()
            }
        if "Resources" in data:
            return {"cloudformation": _relative(source, suite_dir), "role": role, "account": account}
        if "planned_values" in data:
            return {"terraform": _relative(source, suite_dir), "role": role}
    entry = _relative(source, suite_dir)
    return {kind: [entry] if kind == "identity" else entry}


def _as_caller(policies: dict[str, Any], witnesses: tuple[Witness, ...]) -> dict[str, Any]:
    """``policies`` with the checked identity policies also playing the caller of ``sts:AssumeRole*``.

    An identity-side check judges the identity policies for every action,
    ``sts:AssumeRole`` included, with the trust policy set aside; a suite
    decides those actions with ``caller:`` against ``trust:`` (spec §A.4), so
    without this a trust-action witness would pass at once instead of failing.
    """
    if "identity" not in policies or not any(is_trust_action(witness.action) for witness in witnesses):
        return policies
    adjusted = {key: value for key, value in policies.items() if key != "trust"}
    adjusted["caller"] = policies["identity"]
    return adjusted


def write_witness_suite(
    path: Path, name: str, policies: dict[str, Any], witnesses: tuple[Witness, ...], description: str | None = None
) -> None:
    """Write ``witnesses`` to ``path`` as a suite whose cases expect ``denied`` against ``policies``."""
    cases = []
    for index, witness in enumerate(witnesses, start=1):
        case: dict[str, Any] = {
            "name": f"witness {index}: {witness.action} on {witness.resource}",
            "principal": witness.principal,
            "action": witness.action,
            "resource": witness.resource,
            "expect": "denied",
        }
        if witness.context:
            case["context"] = {k: list(v) if isinstance(v, tuple) else v for k, v in witness.context.items()}
        if witness.resource_account is not None:
            case["resource_account"] = witness.resource_account
        cases.append(case)
    document: dict[str, Any] = {"name": name}
    if description is not None:
        document["description"] = description
    document.update(policies=_as_caller(policies, witnesses), cases=cases)
    header = "# Written by `iamsim check`: each case is a request the policies must deny once the finding is fixed.\n"
    try:
        path.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    except OSError as error:
        raise ToolFailure(f"cannot write {path}: {error.strerror}") from None
