"""pytest plugin (entry point ``pytest11``): a fresh simulator per test, attached to boto3 on request.

Fixtures:

* ``iamsim_simulator``: a new :class:`~iamsim._simulator.Simulator`.
* ``iamsim_boto3``: :func:`iamsim.boto3.patch` active for the test, so every boto3 client
  created during it (also by the code under test) has its IAM and STS calls served by
  ``iamsim_simulator``; the value is a ``boto3.Session`` in ``us-east-1`` signed with the
  root access key the simulator issued for its default account (``root_credentials()``),
  so its calls pass authentication as they would at AWS, for setting up the world.

Marker ``@pytest.mark.iamsim(unknown_keys_act_as_root=False, account_id="123456789012",
start_time=None)``: ``unknown_keys_act_as_root`` lets clients that sign with keys the
simulator never issued (dummy keys such as ``"testing"``) act as the default account's root
user (issued keys that were deleted or deactivated, temporary keys without their token and
expired sessions are still refused, §G.9); without it such keys get ``InvalidClientTokenId``.
``account_id`` is the simulator's default account; ``start_time`` (an aware or UTC-naive
``datetime`` or ISO 8601 text) gives the simulator a :class:`~iamsim.ManualClock`
starting then (reach it as ``iamsim_simulator.clock``). Without ``start_time`` the
simulator reads the wall clock, so freezegun and time-machine move it.

Policy test suites (see ``docs/dry-run.md``) are collected as tests when they match a glob
of the ini option ``iamsim_policy_suites`` (relative to the rootdir) and have ``cases:``:
one item per case, named after it, whose failure report is the case's explanation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from iamsim._clock import Clock, ManualClock
from iamsim._simulator import Simulator
from iamsim._sources.documents import read_data
from iamsim.boto3 import patch
from iamsim.errors import InvalidInputError, PolicyCaseFailed
from iamsim.policytests import Case, Suite, failure_text, is_suite_file, load_suite, run_case

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

__all__ = [
    "IamsimOptions",
    "PolicyCaseFailed",
    "PolicyCaseItem",
    "PolicySuiteFile",
    "iamsim_boto3",
    "iamsim_simulator",
]

_MARKER_HELP = (
    "iamsim(unknown_keys_act_as_root=False, account_id='123456789012', start_time=None): options of the "
    "iamsim_simulator and iamsim_boto3 fixtures"
)
_OPTIONS = frozenset({"unknown_keys_act_as_root", "account_id", "start_time"})
_SUITES_INI = "iamsim_policy_suites"
_SUITES_HELP = "globs (relative to the rootdir) of iamsim policy test suites to collect as tests"
_suite_files_key = pytest.StashKey[frozenset[Path]]()


@dataclass(frozen=True, slots=True)
class IamsimOptions:
    """The options a test's ``iamsim`` marker sets."""

    unknown_keys_act_as_root: bool = False
    account_id: str = "123456789012"
    start_time: datetime | None = None

    @classmethod
    def from_marker(cls, marker: Any) -> IamsimOptions:
        """Read a marker's keyword arguments (a missing marker gives the defaults)."""
        if marker is None:
            return cls()
        if marker.args:
            raise pytest.UsageError("the iamsim marker takes keyword arguments only")
        if "strict" in marker.kwargs:
            raise pytest.UsageError(
                "the iamsim marker's strict option is gone: credentials are always checked as AWS checks them;"
                " use unknown_keys_act_as_root=True to let keys the simulator never issued act as root"
            )
        unknown = set(marker.kwargs) - _OPTIONS
        if unknown:
            raise pytest.UsageError(f"unknown iamsim marker options: {sorted(unknown)}")
        start = marker.kwargs.get("start_time")
        if isinstance(start, str):
            start = datetime.fromisoformat(start.replace("Z", "+00:00"))
        if start is not None and not isinstance(start, datetime):
            raise pytest.UsageError(f"iamsim start_time must be a datetime or ISO 8601 text, not {start!r}")
        act_as_root = marker.kwargs.get("unknown_keys_act_as_root", False)
        if not isinstance(act_as_root, bool):
            # Safe by default: only a real True turns the fallback on ("false" is truthy).
            raise pytest.UsageError(f"iamsim unknown_keys_act_as_root must be True or False, not {act_as_root!r}")
        return cls(
            unknown_keys_act_as_root=act_as_root,
            account_id=str(marker.kwargs.get("account_id", "123456789012")),
            start_time=start,
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``iamsim_policy_suites`` ini option (empty: no suite is collected)."""
    parser.addini(_SUITES_INI, _SUITES_HELP, type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``iamsim`` marker."""
    config.addinivalue_line("markers", _MARKER_HELP)


def _options(request: pytest.FixtureRequest) -> IamsimOptions:
    return IamsimOptions.from_marker(request.node.get_closest_marker("iamsim"))


@pytest.fixture
def iamsim_simulator(request: pytest.FixtureRequest) -> Simulator:
    """A fresh simulator, configured by the test's ``iamsim`` marker."""
    options = _options(request)
    clock: Clock | None = None if options.start_time is None else ManualClock(options.start_time)
    return Simulator(clock=clock, account_id=options.account_id)


@pytest.fixture
def iamsim_boto3(request: pytest.FixtureRequest, iamsim_simulator: Simulator) -> Iterator[boto3.Session]:
    """A boto3 session for setup; every client created during the test is served by ``iamsim_simulator``.

    Calls to other services are authorized first (``docs/enforcement.md``), then answered by
    moto, a Stubber, ...
    """
    options = _options(request)
    # Signed with keys the simulator issued, so the first call passes authentication as at AWS.
    root = iamsim_simulator.root_credentials()
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    with patch(iamsim_simulator, unknown_keys_act_as_root=options.unknown_keys_act_as_root):
        yield session


class PolicyCaseItem(pytest.Item):
    """One case of a policy test suite."""

    def __init__(self, *, suite: Suite, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.case = case

    def runtest(self) -> None:
        """Run the case; raise :class:`PolicyCaseFailed` when a request misses the expectation."""
        outcome = run_case(self.suite, self.case)
        if not outcome.passed:
            raise PolicyCaseFailed(outcome)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: TracebackStyle | None = None
    ) -> str | TerminalRepr:
        """The case's explanation instead of a Python traceback."""
        if isinstance(excinfo.value, PolicyCaseFailed):
            return failure_text(excinfo.value.outcome)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The suite file, and the case's name."""
        return self.path, None, f"policy case: {self.case.name}"


class PolicySuiteFile(pytest.File):
    """A policy test suite file: collects one :class:`PolicyCaseItem` per case."""

    def collect(self) -> Iterator[PolicyCaseItem]:
        """Load the suite; a suite that does not load is one collection error with the loader's message."""
        try:
            suite = load_suite(self.path)
        except InvalidInputError as error:
            raise self.CollectError(f"iamsim policy suite: {error.message}") from None
        for case in suite.cases:
            yield PolicyCaseItem.from_parent(self, name=case.name, suite=suite, case=case)


def _suite_files(config: pytest.Config) -> frozenset[Path]:
    """The files the ``iamsim_policy_suites`` globs match, computed once per session."""
    files = config.stash.get(_suite_files_key, None)
    if files is None:
        found: set[Path] = set()
        for pattern in config.getini(_SUITES_INI):
            if Path(pattern).is_absolute():
                raise pytest.UsageError(f"{_SUITES_INI}: {pattern!r} must be relative to the rootdir")
            found.update(config.rootpath.glob(pattern))
        files = frozenset(found)
        config.stash[_suite_files_key] = files
    return files


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> PolicySuiteFile | None:
    """Collect ``file_path`` when an ``iamsim_policy_suites`` glob matches it and it has ``cases:``.

    A matched YAML/JSON file that cannot be read at all is collected too, so
    that a typo in a suite is a collection error rather than a suite quietly
    missing from CI; readable files without ``cases:`` (world files, policies)
    are left alone.
    """
    if file_path not in _suite_files(parent.config):
        return None
    if is_suite_file(file_path) or _unreadable_data_file(file_path):
        return PolicySuiteFile.from_parent(parent, path=file_path)
    return None


def _unreadable_data_file(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return False
    try:
        read_data(path)
    except InvalidInputError:
        return True
    return False
