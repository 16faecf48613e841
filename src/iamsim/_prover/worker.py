"""The prover's worker process: ``python -m iamsim._prover.worker`` (started by :mod:`iamsim._prover.cutoff`).

Reads pickled jobs on stdin (each after the parent's ``sys.path``) and writes each answer, pickled, on stdout, until
stdin closes or the parent kills it at a job's deadline. Its own module, not
imported by the package, so that running it as ``__main__`` imports it once.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import replace
from typing import Any, BinaryIO

__all__: list[str] = []

#: Time kept back from a job's own budget so that its answer, not the parent's kill, usually ends the check.
_REPLY_SECONDS = 0.2


def _serve(jobs: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: each job runs with the budget left until the parent's deadline."""
    while True:
        try:
            # The parent's import path, after the standard library (a job's function may live in a test's module).
            path = pickle.load(jobs)
            sys.path.extend(entry for entry in path if entry and entry not in sys.path)
            job, arguments, budget, deadline = pickle.load(jobs)
        except EOFError:
            return
        left = deadline - time.monotonic() - _REPLY_SECONDS
        try:
            answer: tuple[str, Any] = ("result", job(*arguments, replace(budget, seconds=left)) if left > 0 else None)
        except Exception as error:  # handed to the parent, which raises it as the in-process run would
            answer = ("error", error)
        try:
            data = pickle.dumps(answer)
        except Exception as error:  # an exception that does not pickle still reaches the parent, as text
            data = pickle.dumps(("error", RuntimeError(f"the prover's worker failed: {error!r} ({answer[1]!r})")))
        answers.write(data)
        answers.flush()


def _warm() -> None:
    """One tiny check, so the caches a process's first check fills (ARN formats, z3's) are full before a job comes."""
    from iamsim._policy.model import PolicyKind
    from iamsim._policy.parse import parse_policy
    from iamsim._prover.checks import DEFAULT_ACCOUNT, Budget, check_no_new_access_here

    statement = {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}
    policy = parse_policy({"Version": "2012-10-17", "Statement": [statement]}, PolicyKind.IDENTITY)
    check_no_new_access_here(policy, policy, DEFAULT_ACCOUNT, Budget(seconds=2))


if __name__ == "__main__":
    # The protocol owns the real stdout; anything the library prints goes to stderr instead.
    _answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _warm()
    _serve(sys.stdin.buffer, _answers)
