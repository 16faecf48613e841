"""What authorizing a call costs on top of moto answering it: S3 GetObject, DynamoDB GetItem, SQS SendMessage.

Two clients of one session call the same moto backend in the same run, interleaved in
blocks so that neither gets a warmer machine: one bare (moto alone), one attached to a
simulator (``iamsim.boto3.attach``: SigV4 check, table lookup, evaluation, then moto).
The role making the calls is allowed each action by an inline policy on the resource.

Each call is timed twice: wall time (``median_ns``, ``p99_ns``) and the CPU time of the
calling thread (``cpu_ns``, the median). Everything runs in that thread (moto answers
in-process), so on a shared, loaded machine the CPU time is the steadier measure of the
work authorization adds; the wall time also counts waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.run import Row, Settings

__all__ = ["enforce_rows", "enforce_table", "main"]

_BLOCK = 50


def _timed(call: Callable[[], Any], costs: list[int], cpu: list[int]) -> None:
    start, used = time.perf_counter_ns(), time.thread_time_ns()
    call()
    cpu.append(time.thread_time_ns() - used)
    costs.append(time.perf_counter_ns() - start)


def _calls(session: Any) -> dict[str, Callable[[Any], Callable[[], Any]]]:
    """Per row name: set up the resource with ``session`` and return a maker of the timed call for a client."""
    s3 = session.client("s3")
    s3.create_bucket(Bucket="bench-bucket")
    s3.put_object(Bucket="bench-bucket", Key="k", Body=b"x" * 100)
    dynamodb = session.client("dynamodb")
    dynamodb.create_table(
        TableName="bench",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="bench", Item={"id": {"S": "1"}})
    url = session.client("sqs").create_queue(QueueName="bench")["QueueUrl"]
    return {
        "S3 GetObject": lambda c: lambda: c("s3").get_object(Bucket="bench-bucket", Key="k")["Body"].read(),
        "DynamoDB GetItem": lambda c: lambda: c("dynamodb").get_item(TableName="bench", Key={"id": {"S": "1"}}),
        "SQS SendMessage": lambda c: lambda: c("sqs").send_message(QueueUrl=url, MessageBody="m"),
    }


def enforce_rows(settings: Settings) -> list[Row]:
    """Per call, a ``moto`` row and a ``moto + iamsim`` row with medians and p99 of the same run."""
    try:
        import boto3
        from moto import mock_aws

        import iamsim.boto3 as iamsim_boto3
        from iamsim import Simulator
    except ImportError as error:
        return [Row("enforce", 0, "moto + iamsim authorization", note=f"not available ({error})")]
    count = min(2_000, max(200, settings.requests // 5))
    rows: list[Row] = []
    passthrough = {"core": {"passthrough": {"services": ["iam", "sts"]}}}
    with mock_aws(config=passthrough):
        sim = Simulator(seed=settings.seed)
        root = sim.root_credentials()
        sim.create_user("app")
        everything = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "dynamodb:GetItem", "sqs:SendMessage"], "Resource": "*"},
        ]}  # fmt: skip
        sim.put_user_policy("app", "bench", json.dumps(everything))
        key = sim.create_access_key("app")
        admin = boto3.Session(
            aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
        )
        app = boto3.Session(
            aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name="us-east-1"
        )
        makers = _calls(admin)
        bare = {name: app.client(name) for name in ("s3", "dynamodb", "sqs")}
        attached = {name: app.client(name) for name in ("s3", "dynamodb", "sqs")}
        attachments = [iamsim_boto3.attach(sim, client) for client in attached.values()]
        for name, make in makers.items():
            plain, enforced = make(bare.__getitem__), make(attached.__getitem__)
            plain(), enforced()  # the first call of a client loads botocore's models
            moto_costs: list[int] = []
            moto_cpu: list[int] = []
            iamsim_costs: list[int] = []
            iamsim_cpu: list[int] = []
            runs = ((plain, moto_costs, moto_cpu), (enforced, iamsim_costs, iamsim_cpu))
            for block in range(0, count, _BLOCK):
                # Each client goes first in every other block: moto's SQS time grows with the queue the loop
                # fills, and a fixed order would always give the second client the longer queue.
                for call, costs, cpu in runs if block // _BLOCK % 2 == 0 else runs[::-1]:
                    for _ in range(_BLOCK):
                        _timed(call, costs, cpu)
            moto_row = _row(name, "moto", moto_costs, moto_cpu, "moto alone, same run")
            iamsim_row = _row(name, "moto + iamsim", iamsim_costs, iamsim_cpu, "iamsim.boto3.attach, then moto")
            if moto_row.median_ns and iamsim_row.median_ns and moto_row.cpu_ns and iamsim_row.cpu_ns:
                iamsim_row.ratio = iamsim_row.median_ns / moto_row.median_ns
                iamsim_row.on_top_ns = iamsim_row.median_ns - moto_row.median_ns
                iamsim_row.note += (
                    f"; +{100 * (iamsim_row.ratio - 1):.1f}% on moto's median (wall),"
                    f" +{100 * (iamsim_row.cpu_ns / moto_row.cpu_ns - 1):.1f}% (CPU)"
                )
            rows += [moto_row, iamsim_row]
            settings.log(
                f"  {name}: moto {moto_row.median_ns:,.0f} ns ({moto_row.cpu_ns:,.0f} CPU),"
                f" + iamsim {iamsim_row.median_ns:,.0f} ns ({iamsim_row.cpu_ns:,.0f} CPU)"
            )
        for attachment in attachments:
            attachment.detach()
    return rows


def _row(name: str, engine: str, costs: list[int], cpu: list[int], note: str) -> Row:
    ordered = sorted(costs)
    median = float(statistics.median(ordered))
    p99 = float(ordered[int(0.99 * (len(ordered) - 1))])
    row = Row("enforce", 0, f"{name}: {engine}", median, p99, 1e9 / median, timed=len(costs), note=note)
    row.cpu_ns = float(statistics.median(cpu))
    return row


def enforce_table(rows: list[Row]) -> list[str]:
    """The rows as the Markdown table of ``docs/enforcement.md``: per call, moto, moto + iamsim, what is on top."""
    lines = ["| call | moto | moto + iamsim | on top (wall) | on top (CPU) |", "|---|---|---|---|---|"]
    for moto, iamsim in zip(rows[::2], rows[1::2], strict=True):
        cells = []
        for row in (moto, iamsim):
            if not (row.median_ns and row.p99_ns and row.cpu_ns):
                break
            cells.append((row.median_ns, row.p99_ns, row.cpu_ns))
        if len(cells) < 2:
            continue
        (wall, p99, cpu), (wall_on, p99_on, cpu_on) = cells
        lines.append(
            f"| {moto.engine.split(':', 1)[0]} | {wall / 1e6:.3f} ms (p99 {p99 / 1e6:.1f} ms; CPU {cpu / 1e6:.3f} ms)"
            f" | {wall_on / 1e6:.3f} ms (p99 {p99_on / 1e6:.1f} ms; CPU {cpu_on / 1e6:.3f} ms)"
            f" | {100 * (wall_on / wall - 1):+.1f}% | {100 * (cpu_on / cpu - 1):+.1f}% |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the rows as ``docs/enforcement.md``'s table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.enforce", description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000, help="timed calls per client and row")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = enforce_rows(Settings(seed=args.seed, requests=5 * args.calls, log=lambda _: None))
    print("\n".join(enforce_table(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
