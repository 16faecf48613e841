"""STS operation handlers (§G), derived by convention: ``AssumeRole`` is ``sim.sts.assume_role``.

Each input member is the method's keyword of its snake_case name (``PolicyArns``'
``[{"arn": ...}]`` the list of ARNs, ``Tags`` pairs) and the request's signer is its
``who``; the result is rendered into the output shape (:mod:`iamsim._wire.render`).
The STS rules (the trust check of AssumeRole, §F.4) are the simulator's; an operation
whose method does not act as its caller (GetAccessKeyInfo, §G.7) needs
``sts:<Operation>`` on ``*`` first, and an unsigned one (AssumeRoleWithWebIdentity,
§G.2) has no caller at all.
"""

from __future__ import annotations

import inspect
from typing import Any

from iamsim._simulator import Simulator
from iamsim._wire.convention import conventional, input_shape, service_models, snake_case
from iamsim._wire.dispatch import CallContext, Handler
from iamsim._wire.render import answer, output_shape

__all__ = ["StsHandlers"]

#: Members accepted on the wire and not modelled (token-size hints, context assertions, OAuth 2.0 provider ids).
_IGNORED = ("ProvidedContexts", "MinimumSessionTokenSize", "ProviderId")


class StsHandlers:
    """The STS operations iamsim serves, bound to one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    def handlers(self) -> dict[tuple[str, str], Handler]:
        """Every STS operation of botocore's model whose ``sim.sts`` method exists, keyed ``("sts", Operation)``."""
        model = service_models()["sts"]
        return {
            ("sts", name): self._handler(name, model.operation_model(name).auth_type != "none")
            for name in model.operation_names
            if hasattr(self._sim.sts, snake_case(name))
        }

    def _handler(self, operation: str, signed: bool) -> Handler:
        method = getattr(self._sim.sts, snake_case(operation))
        acts_as_caller = "who" in inspect.signature(method).parameters
        body = conventional(
            operation,
            method,
            input_shape("sts", operation),
            ignored=_IGNORED,
            respond=answer(output_shape("sts", operation)),
            implicit=("who",) if acts_as_caller else (),
        )

        def handle(context: CallContext, params: dict[str, Any]) -> Any:
            if signed and not acts_as_caller:
                self._sim.authorize(context.caller, f"sts:{operation}", "*")
            return body(context.caller, "", params)

        return handle
