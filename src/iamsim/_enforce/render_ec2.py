"""EC2's refusal: ``UnauthorizedOperation`` (HTTP 403) with an encoded authorization message.

EC2 does not say why a call was denied in plain text: its message is "You are not
authorized to perform this operation. ... Encoded authorization failure message: ...",
and ``sts:DecodeAuthorizationMessage`` turns the encoded part into the evaluation's
details (§G.8). The body is EC2's own XML, ``<Response><Errors><Error>`` with a
``RequestID`` (EC2 API Reference, "Error codes for the Amazon EC2 API"). A refusal no
policy decided (an unmapped operation) keeps iamsim's message, under the same code.
"""

from __future__ import annotations

from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._simulator.resources import DeniedCall
from iamsim._sts.authorization_message import encode_authorization_message
from iamsim._wire.http import HttpResponse
from iamsim._wire.xml import escape_text, response_headers
from iamsim.errors import UnauthorizedOperationError

__all__ = ["render_ec2_refusal"]


def ec2_denial_message(simulator: Simulator, denial: DeniedCall) -> str:
    """EC2's words for ``denial``: the reason and the encoded authorization message, when a policy decided."""
    if denial.result is None:
        return denial.message
    encoded = encode_authorization_message(core_of(simulator).token_material, denial.result)
    return UnauthorizedOperationError(denial.result, encoded).message


def render_ec2_refusal(simulator: Simulator, denial: DeniedCall, request_id: str) -> HttpResponse:
    """The response EC2 sends for the denied call ``denial``."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
        f"<Message>{escape_text(ec2_denial_message(simulator, denial))}</Message></Error></Errors>"
        f"<RequestID>{escape_text(request_id)}</RequestID></Response>"
    ).encode()
    return HttpResponse(403, response_headers(request_id, body), body)
