"""The operations page is generated from the installed botocore models, and every unserved operation has a reason."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace

import botocore
import pytest

from iamsim._handlers import build_handlers, service_models
from iamsim._simulator import Simulator
from iamsim._wire.coverage import NEW_OPERATION_REASON, operation_coverage

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_operations.py"
PAGE = ROOT / "docs" / "reference" / "operations.md"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_operations", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page_botocore_version() -> str:
    match = re.search(r"from botocore (\S+); do not edit", PAGE.read_text(encoding="utf-8"))
    assert match is not None, "the operations page does not say which botocore it was generated from"
    return match.group(1)


def test_checked_in_page_matches_the_installed_models() -> None:
    """If this fails, run: .venv/bin/python scripts/gen_operations.py (the lock file pins botocore)."""
    if _page_botocore_version() != botocore.__version__:
        pytest.skip(
            f"the page was generated from botocore {_page_botocore_version()}, {botocore.__version__} is installed "
            "(an upgrade outside the lock file); the coverage tests below still check every installed operation"
        )
    assert PAGE.read_text(encoding="utf-8") == _generator().render()


def test_every_installed_operation_is_served_or_has_a_reason() -> None:
    """Each IAM and STS operation of the installed models: served, or listed with a reason (never a failure)."""
    statuses = operation_coverage(service_models(), build_handlers(Simulator()))
    expected = {(s, op) for s in ("iam", "sts") for op in service_models()[s].operation_names}
    assert {(status.service, status.operation) for status in statuses} == expected
    for status in statuses:
        assert status.served != bool(status.reason), status


def test_locked_models_have_no_operation_without_a_family() -> None:
    """With the locked botocore, every unserved operation is named by a family of the reasons table."""
    if _page_botocore_version() != botocore.__version__:
        pytest.skip(f"botocore {botocore.__version__} is not the locked {_page_botocore_version()}")
    statuses = operation_coverage(service_models(), build_handlers(Simulator()))
    assert [s.operation for s in statuses if s.reason == NEW_OPERATION_REASON] == []


def test_an_operation_newer_than_the_table_is_listed_not_served() -> None:
    """What a botocore upgrade adds is listed as not served with the generic reason, never a failure."""
    models = {"sts": SimpleNamespace(operation_names=["AssumeRole", "SomethingAwsAddsNextYear"])}
    statuses = operation_coverage(models, [("sts", "AssumeRole")])
    assert [(s.operation, s.served, s.reason) for s in statuses] == [
        ("AssumeRole", True, ""),
        ("SomethingAwsAddsNextYear", False, NEW_OPERATION_REASON),
    ]
