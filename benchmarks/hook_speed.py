"""Issue 16: the boto3 hook's own share of a call, against botocore's share of the same call.

Run alone: ``.venv/bin/python -m benchmarks.hook_speed`` (``--calls``, ``--repeats``).

The measure. A boto3 ``sts.assume_role`` call answered by ``iamsim.boto3.attach``
spends its time in two places: botocore (parameter validation, serialisation,
endpoint resolution, SigV4 signing, the event system, parsing the XML answer)
and iamsim's handlers, which botocore calls from its events: the ``before-send``
hook that answers the request (reading the request, verifying the signature,
decoding parameters, running AssumeRole, rendering the XML) and the enforcement
handlers (``before-parameter-build``, ``before-send``, ``after-call``), which
let IAM and STS calls through. Every one of those handlers is wrapped, for the
measurement only, so that the CPU time (``thread_time_ns``) spent inside it is
summed; iamsim's share is that sum per call, botocore's is the rest of the
call's CPU time. The target is iamsim's share under a third of botocore's.

iamsim's share includes the AssumeRole operation itself (authentication, trust
evaluation, issuing), which the in-process row (``benchmarks.sts_speed``) times
alone; the note splits it out. botocore's ``Stubber`` answering the same call
from a queue is the reference floor: it skips signing, sending and parsing, so
no answer through boto3 can cost less.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.run import Row, Settings
from benchmarks.sts_speed import assume_role_world, call_rate

__all__ = ["HookSplit", "hook_rows", "hook_targets", "main", "measure_split"]


@dataclass(frozen=True, slots=True)
class HookSplit:
    """CPU ns per hooked call: the whole call, inside iamsim's handlers, and inside the AssumeRole operation."""

    call_ns: float
    iamsim_ns: float
    operation_ns: float

    @property
    def botocore_ns(self) -> float:
        """The call's CPU time outside iamsim's handlers."""
        return self.call_ns - self.iamsim_ns


class _Meter:
    """Sums the CPU time spent inside wrapped callables (re-entrant calls are counted once)."""

    def __init__(self) -> None:
        self.total = 0
        self._depth = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.thread_time_ns

        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return function(*args, **kwargs)
            self._depth += 1
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                self.total += clock() - start
                self._depth -= 1

        return timed


@contextlib.contextmanager
def _metered(targets: Sequence[tuple[Any, str]], meter: _Meter) -> Iterator[None]:
    """Replace each ``(class, method name)`` with a metered wrapper for the duration of the block."""
    saved = [(owner, name, owner.__dict__[name]) for owner, name in targets]
    try:
        for owner, name, function in saved:
            setattr(owner, name, meter.wrap(function))
        yield
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def measure_split(seed: int, count: int) -> tuple[HookSplit, float, float, float]:
    """One pass of ``count`` hooked calls: the split, and the wall median, p99 and rate of the same calls."""
    import boto3

    import iamsim.boto3 as iamsim_boto3
    from iamsim._enforce.hook import EnforcementHook
    from iamsim._sts.service import StsService

    sim, role_arn, key = assume_role_world(seed)
    session = boto3.Session(
        aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name="us-east-1"
    )
    handlers, operation = _Meter(), _Meter()
    hooked = [(iamsim_boto3.BotocoreHook, "__call__")] + [
        (EnforcementHook, name) for name in ("stash", "before_send", "after_call")
    ]
    with (
        _metered(hooked, handlers),
        _metered([(StsService, "assume_role")], operation),
        iamsim_boto3.attach(sim, session),
    ):
        client = session.client("sts")
        for index in range(20):  # the first calls load botocore's models and fill iamsim's caches
            client.assume_role(RoleArn=role_arn, RoleSessionName=f"warm{index}")
        handlers.total = operation.total = 0
        cpu = time.thread_time_ns()
        median, p99, rate, _ = call_rate(
            lambda index: client.assume_role(RoleArn=role_arn, RoleSessionName=f"h{index}"), count
        )
        cpu = time.thread_time_ns() - cpu
    split = HookSplit(cpu / count, handlers.total / count, operation.total / count)
    return split, median, p99, rate


def _stubber(seed: int, count: int) -> tuple[float, float, float, float]:
    import boto3
    from botocore.stub import Stubber

    _, role_arn, _ = assume_role_world(seed)
    session = boto3.Session(aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x" * 40, region_name="us-east-1")
    client = session.client("sts")
    response = {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE12",
            "SecretAccessKey": "x" * 40,
            "SessionToken": "token",
            "Expiration": "2030-01-01T00:00:00Z",
        },
        "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLEEXAMPLE123:s", "Arn": f"{role_arn}/s"},
    }
    with Stubber(client) as stubber:
        for _ in range(count + 1):
            stubber.add_response("assume_role", response)
        client.assume_role(RoleArn=role_arn, RoleSessionName="warm")
        return call_rate(lambda index: client.assume_role(RoleArn=role_arn, RoleSessionName=f"h{index}"), count)


def hook_rows(settings: Settings, count: int | None = None) -> list[Row]:
    """Rows: the hooked call (with iamsim's and botocore's CPU shares) and the Stubber floor."""
    try:
        import boto3  # noqa: F401
    except ImportError as error:
        note = f"not available ({error})"
        return [
            Row("boto3-hook", 0, "AssumeRole via boto3 hook", note=note),
            Row("boto3-hook", 0, "botocore Stubber", note=note),
        ]
    calls = count if count is not None else min(1_000, max(100, settings.requests // 10))
    passes = [measure_split(settings.seed, calls) for _ in range(max(1, settings.repeats))]
    # The pass with the median iamsim share stands for the run.
    split, median, p99, rate = sorted(passes, key=lambda run: run[0].iamsim_ns / run[0].botocore_ns)[len(passes) // 2]
    hook = Row(
        "boto3-hook", 0, "AssumeRole via boto3 hook", median, p99, rate, split.call_ns, timed=calls,
        note=f"iamsim.boto3.attach; CPU per call: iamsim {split.iamsim_ns:,.0f} ns (of which the AssumeRole "
        f"operation {split.operation_ns:,.0f} ns), botocore {split.botocore_ns:,.0f} ns",
        on_top_ns=split.iamsim_ns,
    )  # fmt: skip
    stub = _stubber(settings.seed, calls)
    floor = Row(
        "boto3-hook", 0, "botocore Stubber", stub[0], stub[1], stub[2], stub[3], timed=calls,
        note="the reference floor: canned responses",
    )  # fmt: skip
    settings.log(
        f"  boto3 hook: iamsim {split.iamsim_ns:,.0f} ns, botocore {split.botocore_ns:,.0f} ns CPU per call "
        f"({split.iamsim_ns / split.botocore_ns:.2f}); Stubber {stub[3]:,.0f} ns"
    )
    return [hook, floor]


def hook_targets(rows: Sequence[Row]) -> list[str]:
    """The target line for the hooked row among ``rows``: iamsim's CPU share under a third of botocore's."""
    lines = []
    for row in rows:
        if row.engine == "AssumeRole via boto3 hook" and row.cpu_ns and row.on_top_ns is not None:
            ours, theirs = row.on_top_ns, row.cpu_ns - row.on_top_ns
            met = "yes" if ours < theirs / 3 else "no"
            lines.append(
                f"| boto3 hook's own share < ⅓ of botocore's | iamsim {ours:,.0f} ns / botocore {theirs:,.0f} ns "
                f"CPU per call = {ours / theirs:.2f} | {met} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the rows and the target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hook_speed", description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = hook_rows(Settings(seed=args.seed, repeats=args.repeats), count=args.calls)
    for row in rows:
        print(f"{row.engine}: median {row.median_ns:,.0f} ns, CPU {row.cpu_ns:,.0f} ns; {row.note}")
    print("| target | measured | met |\n|---|---|---|")
    print("\n".join(hook_targets(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
