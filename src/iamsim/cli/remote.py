"""Talking to a running ``iamsim serve``: its URL and admin token, and one JSON call at a time.

Commands that act on a server (``iamsim clock``, ``iamsim events``, ``iamsim env``...)
take ``--url`` and ``--token``, or read ``IAMSIM_URL`` and ``IAMSIM_ADMIN_TOKEN``, which
``iamsim env`` exports. Only the standard library is used: these commands must work in
any shell where iamsim is installed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from iamsim.cli.exit_codes import InvalidInput, ToolFailure

__all__ = ["ADMIN_TOKEN_VAR", "URL_VAR", "AdminClient", "server_options"]

#: The environment variables ``iamsim env`` exports and the commands read.
URL_VAR = "IAMSIM_URL"
ADMIN_TOKEN_VAR = "IAMSIM_ADMIN_TOKEN"

F = TypeVar("F", bound=Callable[..., Any])


def server_options(func: F) -> F:
    """``--url`` and ``--token`` (from ``IAMSIM_URL`` / ``IAMSIM_ADMIN_TOKEN`` when not given)."""
    func = click.option(
        "--token",
        envvar=ADMIN_TOKEN_VAR,
        required=True,
        help=f"The admin token 'iamsim serve' printed (default: ${ADMIN_TOKEN_VAR}).",
    )(func)
    return click.option(
        "--url",
        envvar=URL_VAR,
        required=True,
        help=f"The server's URL, e.g. http://127.0.0.1:4566 (default: ${URL_VAR}).",
    )(func)


@dataclass(frozen=True, slots=True)
class AdminClient:
    """Calls to one server's admin API; errors become the CLI's one-line errors."""

    url: str
    token: str

    def get(self, path: str) -> Any:
        """``GET`` an admin endpoint; JSON answers are decoded, text ones returned as text."""
        return self._call("GET", path, None)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """``POST`` a JSON body to an admin endpoint."""
        return self._call("POST", path, body or {})

    def delete(self, path: str) -> Any:
        """``DELETE`` an admin resource."""
        return self._call("DELETE", path, None)

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url.rstrip('/')}/_iamsim/admin/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return _decoded(response.headers.get("Content-Type", ""), response.read())
        except urllib.error.HTTPError as error:
            answer = _decoded(error.headers.get("Content-Type", ""), error.read())
            message = answer.get("message", str(answer)) if isinstance(answer, dict) else str(answer)
            raise InvalidInput(f"the server refused: {message}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ToolFailure(f"cannot reach iamsim serve at {self.url}: {error}") from None


def _decoded(content_type: str, body: bytes) -> Any:
    if content_type.startswith("application/json"):
        return json.loads(body)
    return body.decode("utf-8", "replace")
