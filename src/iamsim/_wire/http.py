"""Plain HTTP-shaped request and response values, independent of any transport.

The in-process boto3 hook and a real HTTP endpoint both translate their own request
objects into :class:`HttpRequest` and send back an :class:`HttpResponse`, so the wire
layer never depends on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar, overload

__all__ = ["HeaderInput", "Headers", "HttpRequest", "HttpResponse"]

_T = TypeVar("_T")

#: What the constructors accept as headers: a mapping or pairs, values as text or raw octets.
HeaderInput = Mapping[str, str] | Mapping[str, bytes] | Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]


class Headers(Mapping[str, str]):
    """An immutable header mapping with case-insensitive lookup that keeps the original case.

    A later header with the same name (in any case) replaces an earlier one. Values given
    as bytes (botocore's prepared requests carry some) are decoded as ISO-8859-1, the
    charset of HTTP header octets.
    """

    __slots__ = ("by_lowered_name",)

    #: ``{name.lower(): (name as given, value)}``: for readers that look names up already lowercased (the
    #: signature check reads about ten headers per request; a dictionary lookup each, no method call).
    by_lowered_name: Mapping[str, tuple[str, str]]

    def __init__(self, headers: HeaderInput = ()) -> None:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            text = value.decode("iso-8859-1") if isinstance(value, bytes) else value
            items[name.lower()] = (name, text)
        self.by_lowered_name = items

    @classmethod
    def lowered(cls, items: dict[str, tuple[str, str]]) -> Headers:
        """Headers from ``{name.lower(): (name, text value)}`` a transport has already built (it is not copied).

        For transports whose own header mapping keeps the lowercased name beside the
        original (botocore's): the per-name work of the constructor is then done once, there.
        """
        headers = cls.__new__(cls)
        headers.by_lowered_name = items
        return headers

    def __getitem__(self, name: str) -> str:
        return self.by_lowered_name[name.lower()][1]

    @overload
    def get(self, name: str, /) -> str | None: ...

    @overload
    def get(self, name: str, default: str, /) -> str: ...

    @overload
    def get(self, name: str, default: _T, /) -> str | _T: ...

    def get(self, name: str, default: object = None, /) -> object:
        """The value of header ``name`` (any case), or ``default``; one lookup (the signature check reads many)."""
        item = self.by_lowered_name.get(name.lower())
        return default if item is None else item[1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self.by_lowered_name

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self.by_lowered_name.values())

    def __len__(self) -> int:
        return len(self.by_lowered_name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return {k: v for k, (_, v) in self.by_lowered_name.items()} == {
                k: v for k, (_, v) in other.by_lowered_name.items()
            }
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset((k, v) for k, (_, v) in self.by_lowered_name.items()))

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


def _as_headers(value: HeaderInput) -> Headers:
    return value if isinstance(value, Headers) else Headers(value)


@dataclass(frozen=True, slots=True, init=False)
class HttpRequest:
    """An HTTP request as the wire layer sees it: method, absolute URL, headers and raw body."""

    method: str
    url: str
    headers: Headers
    body: bytes

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeaderInput = (),
        body: bytes | str = b"",
    ) -> None:
        object.__setattr__(self, "method", method.upper())
        object.__setattr__(self, "url", url)
        # Headers as they are (a transport's own, built once) without a call: every request is made here.
        object.__setattr__(self, "headers", headers if type(headers) is Headers else _as_headers(headers))
        object.__setattr__(self, "body", body.encode("utf-8") if isinstance(body, str) else bytes(body))


@dataclass(frozen=True, slots=True, init=False)
class HttpResponse:
    """An HTTP response: status code, headers and raw body."""

    status: int
    headers: Headers
    body: bytes

    def __init__(
        self,
        status: int,
        headers: HeaderInput = (),
        body: bytes = b"",
    ) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "headers", _as_headers(headers))
        object.__setattr__(self, "body", bytes(body))
