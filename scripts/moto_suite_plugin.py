"""The pytest plugin ``run_moto_suite.py`` loads into moto's test run: iamsim's server behind moto's server mode.

moto's server mode resets its server at the start of each ``mock_aws``; here that reset stops the
iamsim server and starts another with a fresh world on the same port, and the credentials moto puts
in the environment become that world's root credentials (moto's ``FOOBARKEY`` is a key AWS never
issued, which AWS, and so iamsim, refuses).

A world has one partition, the one of its endpoint's region: moto's tests parametrized by region
or partition (``cn-north-1``/``aws-cn``) get worlds of that partition, as their calls would reach
that partition's endpoints at AWS.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from moto.core import models as moto_models

from iamsim._arn import PARTITIONS
from iamsim._serve import OffsetClock, Server
from iamsim._simulator import Simulator

_PORT = int(os.environ.get("IAMSIM_MOTO_SUITE_PORT", "5123"))


class _World:
    """The one server of the run and the world it serves."""

    def __init__(self) -> None:
        self.server: Server | None = None
        self.generation = 0
        self.partition = "aws"

    def fresh(self) -> None:
        """Stop the running server (if any) and serve a new, empty world on the same port."""
        if self.server is not None:
            self.server.stop()
        self.generation += 1
        clock = OffsetClock()
        # One seed for every world: the root keys stay the same, so clients and boto3's default
        # session made before a reset (moto's tests keep it) still sign with valid keys.
        simulator = Simulator(seed=1, clock=clock, partition=self.partition)
        self.server = Server(simulator, clock, port=_PORT, threads=4, allow_unmapped=True).start()

    def credentials(self) -> dict[str, str]:
        """The root credentials of the world being served."""
        assert self.server is not None
        root = self.server.simulator.root_credentials()
        return {"AWS_ACCESS_KEY_ID": root.access_key_id, "AWS_SECRET_ACCESS_KEY": root.secret_access_key}


_WORLD = _World()


def _reset(_mock: Any) -> None:
    from moto.moto_api._internal.models import moto_api_backend

    # The services iamsim forwards live in this process's moto backends: reset them as moto's server would.
    moto_api_backend.reset()
    _WORLD.fresh()
    # The mock set the old world's keys in the environment just before resetting.
    os.environ.update(_WORLD.credentials())


def _mock_env_variables(mock: Any) -> None:
    mock._fake_creds = _WORLD.credentials()
    for name, value in mock._fake_creds.items():
        mock._orig_creds[name] = os.environ.get(name)
        os.environ[name] = value


def _partition_of(value: object) -> str | None:
    """The partition a test parameter names: a partition itself, or a region of one."""
    if not isinstance(value, str):
        return None
    if value in PARTITIONS:
        return value
    if value.startswith("cn-"):
        return "aws-cn"
    if value.startswith("us-gov-"):
        return "aws-us-gov"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """The worlds this test's mocks start get the partition its region or partition parameter names."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    named = [p for p in map(_partition_of, params.values()) if p is not None]
    _WORLD.partition = named[0] if named else "aws"


def pytest_configure(config: pytest.Config) -> None:
    """Serve the first world and route moto's server-mode reset and credentials to iamsim."""
    _WORLD.fresh()
    moto_models.ServerModeMockAWS.reset = _reset  # type: ignore[method-assign]
    moto_models.MockAWS._mock_env_variables = _mock_env_variables  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the server."""
    if _WORLD.server is not None:
        _WORLD.server.stop()
