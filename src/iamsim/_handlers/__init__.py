"""Operation handlers: boto3-shaped input, a Simulator call, boto3-shaped output.

One module per service (:mod:`.iam`, :mod:`.sts`) and :func:`build_dispatcher`, which wires
them into the wire layer's :class:`~iamsim._wire.QueryDispatcher`. Transports (the in-process
boto3 hook, ``iamsim serve``) add only who signed (:mod:`iamsim._simulator.signed`).
"""

from __future__ import annotations

from typing import Any

from iamsim._handlers.iam import IamHandlers
from iamsim._handlers.sts import StsHandlers
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._wire.convention import service_models
from iamsim._wire.dispatch import Handler, QueryDispatcher

__all__ = ["build_dispatcher", "build_handlers", "service_models"]


def build_handlers(simulator: Simulator) -> dict[tuple[str, str], Handler]:
    """Every IAM and STS operation iamsim implements, bound to ``simulator``."""
    handlers: dict[tuple[str, str], Handler] = {}
    handlers.update(IamHandlers(simulator).handlers())
    handlers.update(StsHandlers(simulator).handlers())
    return {key: _serialised(simulator, handler) for key, handler in handlers.items()}


def _serialised(simulator: Simulator, handler: Handler) -> Handler:
    """``handler`` run under the simulator's lock (one wire call is one consistent step), credited to its caller."""

    core = core_of(simulator)
    # The lock itself and a try/finally: two generator-based context managers per call cost more than
    # several of the handlers they wrap.
    lock, swap_actor = core.lock, core.swap_actor

    def run(context: Any, params: Any) -> Any:
        with lock:
            caller = context.caller
            if caller is None:
                return handler(context, params)
            # What the call changes is logged as done by its signer, not by the administrator.
            previous = swap_actor(caller.principal.arn)
            try:
                return handler(context, params)
            finally:
                swap_actor(previous)

    return run


def build_dispatcher(simulator: Simulator) -> QueryDispatcher:
    """A dispatcher serving ``simulator``'s IAM and STS over the Query protocol."""
    return QueryDispatcher(build_handlers(simulator), service_models=service_models())
