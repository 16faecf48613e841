"""pytest plugin (entry point ``pytest11``): a fresh simulator per test, attached to boto3 on request.

Fixtures:

* ``iamsim_simulator``: a new :class:`~iamsim._simulator.Simulator`.
* ``iamsim_boto3``: :func:`iamsim.boto3.patch` active for the test, so every boto3 client
  created during it (also by the code under test) has its IAM and STS calls served by
  ``iamsim_simulator``; the value is a ``boto3.Session`` in ``us-east-1`` signing as the
  default account's root user (dummy credentials; in strict mode the root access key the
  simulator issues), for setting up the world.

Marker ``@pytest.mark.iamsim(strict=False, account_id="123456789012", start_time=None)``:
``strict`` rejects credentials the simulator did not issue and checks signatures;
``account_id`` is the simulator's default account; ``start_time`` (an aware or UTC-naive
``datetime`` or ISO 8601 text) gives the simulator a :class:`~iamsim.ManualClock`
starting then (reach it as ``iamsim_simulator.clock``). Without ``start_time`` the
simulator reads the wall clock, so freezegun and time-machine move it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
import pytest

from iamsim._clock import Clock, ManualClock
from iamsim._simulator import Simulator
from iamsim.boto3 import patch

__all__ = ["IamsimOptions", "iamsim_boto3", "iamsim_simulator"]

_MARKER_HELP = (
    "iamsim(strict=False, account_id='123456789012', start_time=None): options of the iamsim_simulator "
    "and iamsim_boto3 fixtures"
)
_DUMMY_KEY = "testing"


@dataclass(frozen=True, slots=True)
class IamsimOptions:
    """The options a test's ``iamsim`` marker sets."""

    strict: bool = False
    account_id: str = "123456789012"
    start_time: datetime | None = None

    @classmethod
    def from_marker(cls, marker: Any) -> IamsimOptions:
        """Read a marker's keyword arguments (a missing marker gives the defaults)."""
        if marker is None:
            return cls()
        if marker.args:
            raise pytest.UsageError("the iamsim marker takes keyword arguments only")
        unknown = set(marker.kwargs) - {"strict", "account_id", "start_time"}
        if unknown:
            raise pytest.UsageError(f"unknown iamsim marker options: {sorted(unknown)}")
        start = marker.kwargs.get("start_time")
        if isinstance(start, str):
            start = datetime.fromisoformat(start.replace("Z", "+00:00"))
        if start is not None and not isinstance(start, datetime):
            raise pytest.UsageError(f"iamsim start_time must be a datetime or ISO 8601 text, not {start!r}")
        return cls(
            strict=bool(marker.kwargs.get("strict", False)),
            account_id=str(marker.kwargs.get("account_id", "123456789012")),
            start_time=start,
        )


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

    Other services pass through untouched (to moto, a Stubber, ...).
    """
    options = _options(request)
    key_id, secret = _DUMMY_KEY, _DUMMY_KEY
    if options.strict:
        # Strict mode accepts only issued keys: sign as the account's root user.
        root = iamsim_simulator.root_credentials()
        key_id, secret = root.access_key_id, root.secret_access_key
    session = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
    with patch(iamsim_simulator, strict=options.strict):
        yield session
