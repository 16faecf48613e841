"""STS operation handlers (§G), derived by convention: ``AssumeRole`` is ``sim.sts.assume_role``.

Each input member is the method's keyword of its snake_case name (``PolicyArns``'
``[{"arn": ...}]`` the list of ARNs, ``Tags`` pairs) and the request's signer is its
``who``; the result is rendered into the output shape (:mod:`iamsim._wire.render`), or, for the
common answers (AssumeRole, GetCallerIdentity...), written as XML from the record (:mod:`iamsim._handlers.sts_xml`).
The STS rules (the trust check of AssumeRole, §F.4) are the simulator's; an operation
whose method does not act as its caller (GetAccessKeyInfo, §G.7) needs
``sts:<Operation>`` on ``*`` first, and an unsigned one (AssumeRoleWithWebIdentity,
§G.2) has no caller at all.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from iamsim._handlers.sts_xml import direct_writer
from iamsim._simulator import Simulator
from iamsim._wire.convention import conventional_call, input_shape, service_models, snake_case
from iamsim._wire.dispatch import CallContext, Handler
from iamsim._wire.render import answer, output_shape
from iamsim._wire.xml import ResultXml

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
        call = conventional_call(
            operation,
            method,
            input_shape("sts", operation),
            ignored=_IGNORED,
            implicit=("who",) if acts_as_caller else (),
        )
        respond = answer(output_shape("sts", operation))
        # The common answers are written from their records (the dicts of the output shape skipped).
        record_type, write = direct_writer(operation) or (None, None)

        def handle(context: CallContext, params: dict[str, Any]) -> Mapping[str, Any] | ResultXml:
            if signed and not acts_as_caller:
                self._sim.authorize(context.caller, f"sts:{operation}", "*")
            result = call(context.caller, "", params)
            if write is not None and type(result) is record_type:
                written = write(result)
                if written is not None:
                    return written
            return respond(result, params)

        return handle
