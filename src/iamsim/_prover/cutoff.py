"""A check's budget as a guarantee: the hard cutoff (issue 15).

z3's ``timeout`` is advice: the solver polls it at points of its own choosing,
and some of its work (building the derivatives of a large regular expression,
simplifying a big formula) runs on past it; a 10 s budget was measured taking
15 s. The Python side of a check (encoding, verifying models) has no timeout
at all. Neither can be stopped from outside the process, so:

* A check first runs in this process, in a thread, for a slice of its budget
  (:data:`IN_PROCESS_SHARE` of it, at least :data:`IN_PROCESS_SECONDS`; its
  own budget cut to that). Most checks answer within it (the managed-policy
  benchmark's median is about 20 ms; a process's first check spends about
  0.4 s more warming caches, several times that on a loaded machine), and
  then no subprocess is involved.
* A check the slice does not settle is run again in a worker process with
  what is left of the budget, and the worker is killed at the deadline: the
  answer is then UNKNOWN, "ran out of the time budget". The worker is a fresh
  interpreter (no forked copy of a z3 context or a lock), started once and
  reused for later checks; only a kill costs a new one.
* z3's Python API is not thread-safe on the one context it uses, so a slice
  that overran (z3 still busy in the thread after the slice) is left to finish
  on its own, holding :data:`CUTOFF`'s lock; checks started meanwhile go
  straight to the worker rather than share the context with it. On a few
  formulas z3 ignores its timeout and ``Context.interrupt()`` for minutes
  (``tests/prover/test_cutoff.py`` keeps one): such a slice keeps its thread
  busy until z3 returns or the process ends. Known gap; the answer still
  comes at the deadline.

The worker and the lock are one process-wide resource (like a thread pool),
not simulation state: a process holds one z3 context and needs one worker.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import iamsim
from iamsim._prover.result import CheckResult, Verdict
from iamsim._prover.solve import Budget, out_of_budget, out_of_time

__all__ = ["IN_PROCESS_SECONDS", "IN_PROCESS_SHARE", "Cutoff", "Job", "within_budget"]

#: How long a check runs in this process before it moves to the worker: this share of its budget...
IN_PROCESS_SHARE = 0.8
#: ...but at least this long (a process's first check warms caches; under load that alone takes a second).
IN_PROCESS_SECONDS = 1.0
#: Slack for a thread to hand back an answer its solver reached at the slice's end.
_HANDBACK_SECONDS = 0.2

#: A check's body: given its arguments and a budget, its answer (module-level, so a worker can import it).
Job = Callable[..., CheckResult]


def within_budget(question: str, job: Job, arguments: tuple[Any, ...], budget: Budget) -> CheckResult:
    """``job(*arguments, budget)``, answered within ``budget.seconds`` plus a kill's small delay."""
    return CUTOFF.run(question, job, arguments, budget)


class _Worker:
    """One worker process (``python -m iamsim._prover.worker``) answering pickled jobs on its stdin, until killed.

    A plain subprocess rather than ``multiprocessing``: its ``spawn`` start
    re-imports the caller's main module in the child, which runs a script
    without a ``__main__`` guard a second time.
    """

    def __init__(self) -> None:
        # The child imports this iamsim, wherever it is (a source checkout, say). Only this folder goes before
        # the standard library: the parent's other entries (a test folder with a module named like a standard
        # one) come after it, sent with each job.
        home = str(Path(iamsim.__file__).resolve().parents[1])
        inherited = os.environ.get("PYTHONPATH")
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join([home, inherited] if inherited else [home]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "iamsim._prover.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
        )

    def ask(self, job: Job, arguments: tuple[Any, ...], budget: Budget, deadline: float) -> CheckResult | str:
        """The job's answer, or why there is none: the deadline passed first (the worker is then killed), or it died."""
        jobs, answers = self._process.stdin, self._process.stdout
        if jobs is None or answers is None:  # not so with PIPE; the types allow it
            return "the prover's worker process has no pipes"
        reply: Future[tuple[str, Any]] = Future()
        # Written from the thread too: a job larger than the pipe's buffer blocks until the worker reads it,
        # which a worker still starting under load does late; only the wait below has a deadline.
        message = pickle.dumps(sys.path) + pickle.dumps((job, arguments, budget, deadline))
        threading.Thread(
            target=_exchange, args=(jobs, answers, message, reply), name="iamsim-prover-reply", daemon=True
        ).start()
        try:
            kind, value = reply.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            self.kill()
            return _stopped(budget)
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            self.kill()
            return f"the prover's worker process ended without an answer ({error!r})"
        if kind == "error":
            raise value
        if value is None:  # the worker received the job after its deadline
            return _stopped(budget)
        result: CheckResult = value
        return result

    @property
    def alive(self) -> bool:
        """Whether the process can take a job."""
        return self._process.poll() is None

    def kill(self) -> None:
        """Stops the process at once (a job past its deadline does not get to finish)."""
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


def _exchange(jobs: BinaryIO, answers: BinaryIO, message: bytes, reply: Future[tuple[str, Any]]) -> None:
    try:
        jobs.write(message)
        jobs.flush()
        reply.set_result(pickle.load(answers))
    except BaseException as error:  # the waiting caller sees it (EOF or a broken pipe when the worker died)
        reply.set_exception(error)


class Cutoff:
    """Runs checks in-process first and in the worker when they outlast the slice.

    ``share`` and ``floor`` set the slice: ``max(floor, share * budget)``, never more than the budget;
    both 0: every check runs in the worker.
    """

    def __init__(self, share: float = IN_PROCESS_SHARE, floor: float = IN_PROCESS_SECONDS) -> None:
        self._share, self._floor = share, floor
        self._solver_lock = threading.Lock()
        self._worker_lock = threading.Lock()
        self._worker: _Worker | None = None

    def run(self, question: str, job: Job, arguments: tuple[Any, ...], budget: Budget) -> CheckResult:
        started = time.monotonic()
        deadline = started + budget.seconds
        if (self._share > 0 or self._floor > 0) and self._solver_lock.acquire(blocking=False):
            answer = self._in_process(job, arguments, budget)
            if answer is not None:
                return answer
        if time.monotonic() >= deadline:  # the slice used the whole budget: no worker to start for nothing
            reason = _stopped(budget)
            return CheckResult(question, Verdict.UNKNOWN, reason=reason, elapsed=time.monotonic() - started)
        if not self._worker_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            reason = f"{out_of_budget(budget.seconds)} (waiting for the prover's worker)"
            return CheckResult(question, Verdict.UNKNOWN, reason=reason, elapsed=time.monotonic() - started)
        try:
            worker = self._worker if self._worker is not None and self._worker.alive else _Worker()
            self._worker = worker
            result = worker.ask(job, arguments, budget, deadline)
        except OSError as error:  # the interpreter could not be started
            result = f"the prover's worker process did not start: {error}"
        finally:
            self._worker_lock.release()
        if isinstance(result, str):
            return CheckResult(question, Verdict.UNKNOWN, reason=result, elapsed=time.monotonic() - started)
        if out_of_time(result):  # the worker's budget was what the slice left; the user gave this one
            result = replace(result, reason=out_of_budget(budget.seconds))
        return replace(result, elapsed=time.monotonic() - started)

    def _start_worker(self) -> None:
        """Starts the worker unless one runs (or another check holds it); a failure shows when it is asked."""
        if not self._worker_lock.acquire(blocking=False):
            return
        try:
            if self._worker is None or not self._worker.alive:
                self._worker = _Worker()
        except OSError:
            self._worker = None
        finally:
            self._worker_lock.release()

    def close(self) -> None:
        """Stops the worker, if one runs (a later slow check starts another)."""
        with self._worker_lock:
            if self._worker is not None and self._worker.alive:
                self._worker.kill()
            self._worker = None

    def _in_process(self, job: Job, arguments: tuple[Any, ...], budget: Budget) -> CheckResult | None:
        """The answer of the slice (with :data:`_solver_lock` held), or ``None`` when it did not settle the check.

        Releases the lock when the thread ends, which may be after this returns.
        """
        slice_seconds = min(budget.seconds, max(self._floor, self._share * budget.seconds))
        future: Future[CheckResult] = Future()

        def body() -> None:
            try:
                future.set_result(job(*arguments, replace(budget, seconds=slice_seconds)))
            except BaseException as error:  # the caller re-raises it
                future.set_exception(error)
            finally:
                self._solver_lock.release()

        threading.Thread(target=body, name="iamsim-prover-slice", daemon=True).start()
        try:
            result = future.result(timeout=slice_seconds / 2)
        except FutureTimeout:
            # Half the slice gone: start the worker now, so its start-up overlaps the rest of the slice.
            self._start_worker()
            try:
                result = future.result(timeout=slice_seconds / 2 + _HANDBACK_SECONDS)
            except FutureTimeout:
                return None
        if out_of_time(result) and slice_seconds < budget.seconds:
            return None
        return result


def _stopped(budget: Budget) -> str:
    return f"{out_of_budget(budget.seconds)} (stopped at the deadline)"


#: The process's cutoff: one worker, one lock on z3's context.
CUTOFF = Cutoff()
