"""Calls botocore's ``Stubber`` answers: found at ``before-call``, signed as botocore signs them, then authorized.

botocore's ``Stubber`` (``botocore/stub.py``) registers ``Stubber._get_response_handler`` on
the client's ``before-call.*.*`` event; botocore's ``_make_api_call`` emits that event with
``emit_until_response`` after serialising the call and before signing it, and the first
handler that answers ends the call there: no request is signed or sent, so the
``before-send`` check never runs. The enforcement hook therefore also listens on
``before-call.*.*`` (first in line: botocore calls the handlers of one event node in the
order first, middle, last, and the Stubber registers in the middle) and, when the client's
own handlers for this event include a Stubber's, authorizes the call there:

* :func:`stubber_answers` reads the handlers botocore is calling for this very event (the
  emitter's lookup cache, filled by the ``emit`` in progress; the handler trie when the
  cache has no entry) from the client's emitter, which its request signer holds. These are
  botocore internals (stable since botocore 1.0; a test pins them): when they cannot be
  read, the answer is "stubbed", so the call is authorized here as well as at
  ``before-send``, never neither;
* :class:`StubberWatch` gives the same answer, remembered per handler sequence: botocore
  caches the sequence it calls for an event (a ``deque`` it builds once and never changes)
  until any handler is registered or unregistered on the emitter, which builds a new one.
  Activating or deactivating a Stubber is such a registration, so the answer for the same
  sequence object cannot change; the watch keeps the object itself (so its ``id`` is not
  reused) and remembers only sequences read from botocore's cache;
* :func:`signed_request` builds the request exactly as botocore's endpoint would
  (``create_request_object`` from the serialised request dict) and signs it with the
  client's own ``RequestSigner``: the client's credentials, region and signing name,
  botocore's wall clock. The hook then authenticates and authorizes that request as it
  would the request at ``before-send``: the same signature check, key, session-token and
  expiry checks, the same table, request context and event-log entries;
* :func:`refusal_answer` turns a refusal into what ``before-call`` handlers return, the
  HTTP response and its parse by the client's protocol parser, so botocore raises the
  service's ``ClientError`` as for an answer off the wire. Returning it ends the event:
  the Stubber's handler is not called and its queued response stays queued.

A client without credentials cannot be signed for, so its stubbed calls fail as its
unstubbed calls would, with botocore's ``NoCredentialsError``.
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, create_request_object
from botocore.compat import HTTPHeaders
from botocore.endpoint import convert_to_response_dict
from botocore.parsers import create_parser
from botocore.stub import Stubber

from iamsim._wire.http import HttpResponse

__all__ = ["STUBBER_EVENT", "StubberWatch", "refusal_answer", "signed_request", "stubber_answers"]

#: The event the Stubber answers on, as it registers for it (``botocore/stub.py``, ``Stubber.activate``).
STUBBER_EVENT = "before-call.*.*"


#: Handler sequences a :class:`StubberWatch` keeps before it starts over (one per client and event in use).
_LIMIT = 64


def _handlers_of(request_signer: Any, event_name: str) -> tuple[Any, bool]:
    """The handlers the client's emitter calls for ``event_name`` (``None`` when they cannot be read), and
    whether they are botocore's cached sequence (the very object its ``emit`` in progress walks)."""
    aliaser = getattr(request_signer, "_event_emitter", None)
    emitter = getattr(aliaser, "_emitter", aliaser)
    cache = getattr(emitter, "_lookup_cache", None)
    found = cache.get(event_name) if isinstance(cache, dict) else None
    if found is not None:
        return found, True
    trie = getattr(emitter, "_handlers", None)
    search = getattr(trie, "prefix_search", None)
    return (None if search is None else search(event_name)), False


def _has_stubber(handlers: Any) -> bool:
    return any(isinstance(getattr(handler, "__self__", None), Stubber) for handler in handlers)


def stubber_answers(request_signer: Any, event_name: str) -> bool:
    """Whether a ``Stubber`` answers ``event_name`` on the client of ``request_signer`` (``True`` when unknown)."""
    try:
        handlers, _ = _handlers_of(request_signer, event_name)
    except ReferenceError:
        # The signer's emitter is a weak proxy; a client gone mid-call cannot be told apart: check here too.
        return True
    return True if handlers is None else _has_stubber(handlers)


class StubberWatch:
    """:func:`stubber_answers`, remembered per cached handler sequence (see the module documentation)."""

    def __init__(self) -> None:
        #: id(sequence) -> (the sequence, kept so that its id is not reused; whether a Stubber is in it).
        self._seen: dict[int, tuple[object, bool]] = {}

    def answers(self, request_signer: Any, event_name: str) -> bool:
        """Whether a ``Stubber`` answers ``event_name`` on the client of ``request_signer`` (``True`` when unknown)."""
        try:
            handlers, cached = _handlers_of(request_signer, event_name)
        except ReferenceError:
            return True
        if handlers is None:
            return True
        seen = self._seen.get(id(handlers))
        if seen is not None and seen[0] is handlers:
            return seen[1]
        answer = _has_stubber(handlers)
        if cached:
            if len(self._seen) >= _LIMIT:
                self._seen.clear()
            self._seen[id(handlers)] = (handlers, answer)
        return answer


def signed_request(request_dict: Any, model: Any, request_signer: Any) -> AWSPreparedRequest:
    """The request botocore would send for ``request_dict``, signed by the client's ``request_signer``.

    A copy: the request dict botocore goes on with (and the Stubber sees) is not changed.
    """
    request = create_request_object(request_dict)
    request_signer.sign(model.name, request)
    prepared: AWSPreparedRequest = request.prepare()
    return prepared


def refusal_answer(response: HttpResponse, model: Any, url: str, raw: Any) -> tuple[AWSResponse, dict[str, Any]]:
    """``response`` as a ``before-call`` answer: the HTTP response and the client's parse of it (``model``).

    ``raw`` is the body reader :class:`~botocore.awsrequest.AWSResponse` reads from.
    """
    http = AWSResponse(url, response.status, HTTPHeaders.from_dict(dict(response.headers)), raw)
    parser = create_parser(model.service_model.resolved_protocol)
    parsed: dict[str, Any] = parser.parse(convert_to_response_dict(http, model), model.output_shape)
    return http, parsed
