"""``iamsim serve``'s server: the simulator behind waitress, with its state file and admin token.

Why waitress: a maintained, pure-Python WSGI server with a thread pool, HTTP/1.1
keep-alive and request-size limits, which fits a synchronous library that already
serialises every operation under one lock; no event loop to bridge to.

The server binds ``127.0.0.1`` unless told otherwise; ``port=0`` lets the system choose
a free port (:attr:`Server.port` tells which). The admin token is random per start
unless given. With ``state_path`` the world is saved there atomically (a temporary file,
then ``os.replace``) on :meth:`Server.stop` and whenever the admin API is asked to.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from iamsim._clock import SystemClock
from iamsim._enforce.decide import Authorizer as Enforcement
from iamsim._handlers import build_dispatcher
from iamsim._serve.admin import AdminApi
from iamsim._serve.app import DEFAULT_MAX_BODY, ServeApp
from iamsim._serve.clock import OffsetClock, with_clock
from iamsim._serve.containers import ContainerCredentials
from iamsim._serve.decode import ServiceModels
from iamsim._serve.forward import Authorizer, EnforcedForwarding, MotoBackend
from iamsim._serve.imds import IMDS_PREFIX, MetadataService
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._simulator.signed import CallerResolver
from iamsim._simulator.snapshot import write_atomically
from iamsim.errors import UsageError

__all__ = ["Server"]

# How long the serving loop waits for traffic before it looks at the stop flag again.
_ROUND_SECONDS = 0.05


class Server:
    """One simulator served over HTTP (see the module documentation).

    ``simulator`` must run on ``clock`` (an :class:`OffsetClock`), which the admin API
    moves. ``authorizer`` decides forwarded calls: by default the enforcement layer's
    tables (:class:`EnforcedForwarding`), which refuse an unmapped operation unless
    ``allow_unmapped`` is set.
    """

    def __init__(
        self,
        simulator: Simulator,
        clock: OffsetClock,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        admin_token: str | None = None,
        state_path: str | Path | None = None,
        imds_v1: bool = False,
        max_body: int = DEFAULT_MAX_BODY,
        threads: int = 8,
        authorizer: Authorizer | None = None,
        allow_unmapped: bool = False,
    ) -> None:
        import waitress.server

        if simulator.clock is not clock:
            raise UsageError("the simulator must run on the server's OffsetClock")
        self.simulator = simulator
        self.clock = clock
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.state_path = Path(state_path) if state_path is not None else None
        self._save_lock = threading.Lock()
        models = ServiceModels()
        containers = ContainerCredentials(simulator, clock)
        self.app = ServeApp(
            dispatcher=build_dispatcher(simulator),
            # The AWS CLI and SDKs sign with the wall clock, whatever offset the world runs at.
            resolver=CallerResolver(simulator, clock=SystemClock()),
            imds=MetadataService(simulator, clock, imds_v1=imds_v1),
            containers=containers,
            admin=AdminApi(simulator, clock, self.admin_token, lambda: self.url, containers, self.save),
            authorizer=authorizer or EnforcedForwarding(Enforcement(simulator, allow_unmapped=allow_unmapped)),
            forward=MotoBackend(),
            models=models,
            max_body=max_body,
        )
        # waitress refuses a larger body (413) from its Content-Length or while reading chunks.
        # It would drop X-Forwarded-For as an untrusted proxy header; IMDS must see it to refuse the PUT.
        self._server: Any = waitress.server.create_server(
            self.app,
            host=host,
            port=port,
            threads=threads,
            max_request_body_size=max_body,
            ident="iamsim",
            clear_untrusted_proxy_headers=False,
        )
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._stop_requested = threading.Event()
        self._close_lock = threading.Lock()

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        """The port the server listens on (the chosen one when started with port 0)."""
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        """The server's base URL (``AWS_ENDPOINT_URL``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def metadata_endpoint(self, instance_id: str) -> str:
        """``AWS_EC2_METADATA_SERVICE_ENDPOINT`` for code running on ``instance_id``."""
        return f"{self.url}{IMDS_PREFIX}{instance_id}/"

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`stop` is called (from any thread) or Ctrl-C.

        The loop runs in short rounds and checks a stop flag between them, and it is this
        thread that closes every socket once the loop ends. Closing them from another
        thread, or waking the loop through waitress's trigger pipe, races the loop's
        ``select()`` and the pipe's own closing (an ``EBADF`` under load).
        """
        from waitress import wasyncore

        server = self._server
        try:
            while not self._stop_requested.is_set() and server._map:
                wasyncore.loop(timeout=_ROUND_SECONDS, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)
        finally:
            self._close_all()

    def start(self) -> Server:
        """Serve from a background thread; returns the server."""
        if self._thread is not None:
            raise UsageError("this server is already running")
        self._thread = threading.Thread(target=self.serve_forever, name="iamsim-serve", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, and save the state file (if any); idempotent."""
        if self._stopped:
            return
        self._stopped = True
        # Workers finish their requests first, while the loop still runs to send the answers
        # (a worker wakes the loop through the trigger pipe, which must still be open).
        self._server.task_dispatcher.shutdown()
        self._stop_requested.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        # Never started, or the loop already left (Ctrl-C): nothing else touches the sockets now.
        self._close_all()
        self.save()

    def _close_all(self) -> None:
        with self._close_lock:
            for channel in list(self._server._map.values()):
                # One already gone with its peer must not keep the others open.
                with contextlib.suppress(OSError):
                    channel.close()

    def save(self) -> Path | None:
        """Write the world to the state file atomically; ``None`` when there is none."""
        if self.state_path is None:
            return None
        with self._save_lock:
            write_atomically(self.state_path, with_clock(self.simulator.to_json(), self.clock))
        return self.state_path

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def sessions_held(self) -> int:
        """How many issued temporary keys STS still remembers (for memory checks)."""
        return core_of(self.simulator).sts.issued_count
