"""Serve boto3's IAM and STS calls from a :class:`~iamsim._simulator.Simulator`, and authorize every other call.

botocore emits ``before-send`` with the fully signed request just before it would go on
the wire; a handler that returns a response stops it there. iamsim registers such a
handler (first in line, so it wins over moto's catch-all handler for IAM and STS) and
answers through the same wire layer an HTTP endpoint would use.

Requests for every other service (S3, DynamoDB, SQS, KMS...) are authorized first
(:mod:`iamsim._enforce`; ``docs/enforcement.md``): the signer is authenticated exactly as
for IAM and STS, the operation's IAM requests are evaluated with the simulator, and a
refused call gets the service's own error (S3's ``AccessDenied``, DynamoDB's
``AccessDeniedException``...) while the backend (moto, a user's handler, AWS) never sees
it. Allowed calls go on untouched. An operation no table maps is refused unless
``allow_unmapped=True`` (logged); ``mappings`` adds operations, ``source_ip`` sets
``aws:SourceIp``. ``enforce=False`` restores the old behaviour (other services untouched).

Attach to what you have::

    sim = Simulator()
    root = sim.root_credentials()                     # keys the simulator issued
    session = boto3.Session(aws_access_key_id=root.access_key_id,
                            aws_secret_access_key=root.secret_access_key, region_name="us-east-1")
    with iamsim.boto3.attach(sim, session):          # clients made from session from now on
        session.client("sts").get_caller_identity()

    attachment = iamsim.boto3.attach(sim, client)     # one existing client
    attachment.detach()

    with iamsim.boto3.patch(sim):                     # every client created inside the block
        run_code_that_builds_its_own_clients()

The caller is whoever signed the request, authenticated as AWS does it (§G.9; see
:mod:`iamsim._simulator.signed`): only credentials the simulator issued, signed with their
secret, act as their principal; anything else gets AWS's error (``InvalidClientTokenId``,
``ExpiredToken``, ``SignatureDoesNotMatch``). ``unknown_keys_act_as_root=True`` (on
:func:`attach`, :func:`patch` and :class:`BotocoreHook`) is the opt-in for code that signs
with dummy keys: long-term keys the simulator never issued then act as the default
account's root user; issued keys that were deleted or deactivated, temporary keys without
their token, foreign or tampered tokens and expired sessions are still refused.

botocore signs with the process's wall clock (the one freezegun and time-machine move),
so that is the clock the hook checks the signing time against (five minutes either way);
a :class:`~iamsim.ManualClock` moves the simulator's world (session expiry, MFA age), not
the time botocore signs at.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping
from contextlib import ContextDecorator
from types import TracebackType
from typing import Any, TypedDict, TypeVar, Unpack

import boto3
import botocore.client
import botocore.session
from botocore.awsrequest import AWSResponse

from iamsim._clock import SystemClock
from iamsim._enforce.decide import DEFAULT_SOURCE_IP, Authorizer
from iamsim._enforce.hook import EnforcementHook, RawBody, after_call_events, botocore_headers
from iamsim._enforce.stubbed import STUBBER_EVENT
from iamsim._enforce.table import Need, need
from iamsim._handlers import build_dispatcher
from iamsim._simulator import Simulator
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.http import HttpRequest
from iamsim.errors import UsageError

__all__ = ["SERVICES", "Attachment", "BotocoreHook", "HookOptions", "Need", "attach", "detach", "need", "patch"]

#: The botocore service names iamsim answers; every other service's calls are authorized, then pass through.
SERVICES = ("iam", "sts")

_F = TypeVar("_F", bound=Callable[..., Any])
_ids = itertools.count(1)


#: ``mappings``: per botocore service name, operations added to (or replacing) the bundled tables.
Mappings = Mapping[str, Mapping[str, tuple[Need, ...]]]


class HookOptions(TypedDict, total=False):
    """The keyword options of :func:`attach`, :class:`patch` and :class:`BotocoreHook` (module documentation).

    Defaults: ``unknown_keys_act_as_root=False``, ``enforce=True``, ``allow_unmapped=False``,
    ``source_ip="127.0.0.1"``, ``mappings=None``.
    """

    unknown_keys_act_as_root: bool
    enforce: bool
    allow_unmapped: bool
    source_ip: str
    mappings: Mappings | None


def _checked(options: HookOptions) -> HookOptions:
    """``options``, unless one is not an option (a misspelt option must not be ignored silently)."""
    unknown = sorted(set(options) - set(HookOptions.__annotations__))
    if unknown:
        raise UsageError(
            f"unknown option(s) {', '.join(unknown)}; the options are {', '.join(HookOptions.__annotations__)}"
        )
    return options


class BotocoreHook:
    """A ``before-send`` handler answering IAM and STS requests from one simulator.

    Callable as botocore calls event handlers; returns ``None`` for other services, which
    :attr:`enforcement` authorizes (``None`` with ``enforce=False``). The keyword options:
    see the module documentation.
    """

    def __init__(self, simulator: Simulator, **options: Unpack[HookOptions]) -> None:
        _checked(options)
        self.simulator = simulator
        self.unknown_keys_act_as_root = unknown_keys_act_as_root = options.get("unknown_keys_act_as_root", False)
        self._dispatcher = build_dispatcher(simulator)
        # botocore signs with the wall clock, whatever clock the simulator runs on.
        self._resolver = CallerResolver(
            simulator, unknown_keys_act_as_root=unknown_keys_act_as_root, clock=SystemClock()
        )
        self.enforcement: EnforcementHook | None = None
        if options.get("enforce", True):
            authorizer = Authorizer(
                simulator,
                allow_unmapped=options.get("allow_unmapped", False),
                source_ip=options.get("source_ip", DEFAULT_SOURCE_IP),
                mappings=options.get("mappings"),
            )
            self.enforcement = EnforcementHook(authorizer, self._resolver, skip=SERVICES)

    def __call__(self, request: Any = None, event_name: str = "", **_: Any) -> AWSResponse | None:
        """Answer ``request`` if it is for IAM or STS, else return ``None``."""
        parts = event_name.split(".")
        service = parts[1] if len(parts) > 1 else ""
        if service not in SERVICES or request is None:
            return None
        body = request.body
        if body is None:
            body = b""
        elif hasattr(body, "read"):
            # botocore may hand over a seekable stream; read it without consuming it for retries.
            position = body.tell()
            body = body.read()
            request.body.seek(position)
        response = self._dispatcher.handle(
            service, HttpRequest(request.method, request.url, botocore_headers(request.headers), body), self._resolver
        )
        # AWSResponse copies the headers into its own case-insensitive HeadersDict: a plain dict is all it needs.
        return AWSResponse(request.url, response.status, dict(response.headers), RawBody(response.body))


class Attachment:
    """A hook registered on one botocore event emitter; :meth:`detach` removes exactly it.

    Also a context manager that detaches on exit.
    """

    def __init__(self, hook: BotocoreHook, events: Any) -> None:
        self.hook = hook
        self._events = events
        self._unique_id = f"iamsim-{next(_ids)}"
        self._attached = False

    @property
    def simulator(self) -> Simulator:
        """The simulator answering the calls."""
        return self.hook.simulator

    @property
    def attached(self) -> bool:
        """Whether the hook is currently registered."""
        return self._attached

    def _handlers(self) -> list[tuple[str, Callable[..., Any], bool]]:
        """(event, handler, first in line) of everything this attachment registers."""
        # First in line: moto registers a catch-all before-send handler that would answer IAM and STS itself.
        found: list[tuple[str, Callable[..., Any], bool]] = [
            (f"before-send.{service}", self.hook, True) for service in SERVICES
        ]
        enforcement = self.hook.enforcement
        if enforcement is not None:
            found += [
                ("before-parameter-build", enforcement.stash, True),
                # The Stubber's own event node: first in line there runs before it answers (_enforce/stubbed.py).
                (STUBBER_EVENT, enforcement.before_call, True),
                ("before-send", enforcement.before_send, True),
            ]
            # Only the operations whose answer is observed: every other call skips the handler entirely.
            found += [(event, enforcement.after_call, False) for event in after_call_events()]
        return found

    def _register(self) -> None:
        for n, (event, handler, first) in enumerate(self._handlers()):
            register = self._events.register_first if first else self._events.register
            register(event, handler, unique_id=f"{self._unique_id}-{n}")
        self._attached = True

    def detach(self) -> None:
        """Unregister the hook (idempotent)."""
        if not self._attached:
            return
        for n, (event, _, _) in enumerate(self._handlers()):
            self._events.unregister(event, unique_id=f"{self._unique_id}-{n}")
        self._attached = False

    def __enter__(self) -> Attachment:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.detach()


def _events_of(target: Any) -> Any:
    if isinstance(target, boto3.Session):
        return target.events
    if isinstance(target, botocore.session.Session):
        return target.get_component("event_emitter")
    if isinstance(target, botocore.client.BaseClient):
        return target.meta.events
    raise UsageError(f"cannot attach to a {type(target).__name__}; give a boto3 Session, botocore Session or client")


def attach(simulator: Simulator, target: Any, **options: Unpack[HookOptions]) -> Attachment:
    """Serve IAM and STS calls of ``target`` from ``simulator`` and authorize its calls to other services.

    ``target`` is a boto3 ``Session`` or botocore ``Session`` (clients created from it
    afterwards are served; clients copy the session's handlers when they are created) or
    a client (served from now on). Returns the :class:`Attachment`; call its
    :meth:`~Attachment.detach` or use it as a context manager. Requests must be signed
    with credentials the simulator issued unless ``unknown_keys_act_as_root`` (see the
    module documentation, which also describes the authorization options).
    """
    hook = BotocoreHook(simulator, **options)
    attachment = Attachment(hook, _events_of(target))
    attachment._register()
    return attachment


def detach(attachment: Attachment) -> None:
    """Undo :func:`attach` (the same as ``attachment.detach()``)."""
    attachment.detach()


class patch(ContextDecorator):  # lowercase: used like a function, ``with patch(sim):`` or ``@patch(sim)``
    """Serve IAM and STS from ``simulator`` for every boto3/botocore client created while active.

    For code that builds its own clients (``boto3.client("sts")``). A context manager
    and a decorator. Clients created inside the block are detached again on exit;
    clients created before it are not touched (attach them with :func:`attach`).
    ``unknown_keys_act_as_root`` and the authorization options: see the module documentation.
    """

    def __init__(self, simulator: Simulator, **options: Unpack[HookOptions]) -> None:
        self.simulator = simulator
        self.unknown_keys_act_as_root = options.get("unknown_keys_act_as_root", False)
        self._options = _checked(options)
        self._attachments: list[Attachment] = []
        self._original: Callable[..., Any] | None = None

    def __enter__(self) -> Simulator:
        if self._original is not None:
            raise UsageError("this patch is already active")
        hook = BotocoreHook(self.simulator, **self._options)
        original = botocore.session.Session.create_client
        attachments = self._attachments

        @functools.wraps(original)
        def create_client(session: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
            client = original(session, *args, **kwargs)
            attachment = Attachment(hook, client.meta.events)
            attachment._register()
            attachments.append(attachment)
            return client

        self._original = original
        botocore.session.Session.create_client = create_client
        return self.simulator

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._original is not None:
            botocore.session.Session.create_client = self._original
            self._original = None
        for attachment in self._attachments:
            attachment.detach()
        self._attachments.clear()
