"""Example values generated from botocore shapes, and botocore's own (de)serialisers.

``example_value`` builds one deterministic value that satisfies every constraint of a
shape (so decoding it raises nothing); ``value_strategy`` is the Hypothesis version.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSRequest
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import strategies as st
from regex_examples import strings_for_pattern

from iamsim._handlers import build_handlers
from iamsim._simulator import Simulator
from iamsim._wire.patterns import compile_model_pattern

_CANDIDATES = (
    "abcde",
    "Example1",
    "/",
    "/path/",
    "v1",
    "123456789012",
    "o-abcdefghij",
    "o-abcdefghij/r-abcd",
    "p-abcdefgh",
    "http://example.com/x",
    "000000",
    "A1",
)
_TIMESTAMP = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


class ExampleUnavailableError(AssertionError):
    """No value satisfying a shape's constraints could be written."""


@cache
def _served() -> frozenset[tuple[str, str]]:
    return frozenset(build_handlers(Simulator()))


def example_for_operation(service: str, operation: str, shape: Any) -> Any:
    """An example of ``shape`` (an operation's input or output); skips an unserved operation it cannot write.

    An operation botocore adds later may carry constraints no example can be written for yet:
    for an operation iamsim does not serve, that is a skip that says so, never a failure (the
    operations page lists it as not served); for a served one it is a failure.
    """
    try:
        return example_value(shape) if shape is not None else {}
    except ExampleUnavailableError as error:
        if (service, operation) in _served():
            raise
        pytest.skip(f"{service}:{operation} is not served, and {error}")


@cache
def service_model(name: str) -> Any:
    """botocore's model of ``name`` (loaded once per test process)."""
    return botocore.session.get_session().get_service_model(name)


def serialize_query(service: str, operation: str, params: dict[str, Any], *, validate: bool = True) -> bytes:
    """The form body botocore itself sends for ``operation(**params)``.

    ``validate=False`` skips botocore's client-side checks, so that the server-side
    checks can be exercised with values a client would have refused.
    """
    operation_model = service_model(service).operation_model(operation)
    serialized = create_serializer("query", include_validation=validate).serialize_to_request(params, operation_model)
    prepared = AWSRequest(
        method="POST", url=f"https://{service}.amazonaws.com/", data=serialized["body"], headers=serialized["headers"]
    ).prepare()
    body = prepared.body
    return body if isinstance(body, bytes) else body.encode("utf-8")


def parse_output(service: str, operation: str, body: bytes, status: int = 200) -> dict[str, Any]:
    """What botocore's Query parser makes of a response body (before customisations)."""
    operation_model = service_model(service).operation_model(operation)
    shape = operation_model.output_shape if status < 300 else None
    parsed: dict[str, Any] = create_parser("query").parse({"body": body, "headers": {}, "status_code": status}, shape)
    return parsed


def operations(service: str) -> list[str]:
    """All operation names of a service, sorted."""
    return sorted(service_model(service).operation_names)


def _fits(shape: Any, text: str) -> bool:
    metadata = shape.metadata
    if len(text) < metadata.get("min", 0) or len(text) > metadata.get("max", 10**9):
        return False
    pattern = metadata.get("pattern")
    return pattern is None or compile_model_pattern(pattern).fullmatch(text) is not None


def example_string(shape: Any, variant: int = 0) -> str:
    """A string satisfying the shape's constraints; different variants give different strings."""
    enum = shape.metadata.get("enum")
    if enum:
        return str(enum[variant % len(enum)])
    minimum = shape.metadata.get("min", 0)
    suffix = "abcdefghijklmnop"[variant % 16]
    for candidate in _CANDIDATES:
        repeated = candidate * max(1, -(-minimum // len(candidate)))
        for text in (f"{candidate}{suffix}", f"{repeated}{suffix}", candidate, repeated, f"{suffix}{candidate}"):
            if _fits(shape, text):
                return text
        if candidate.startswith("/") and _fits(shape, f"/{suffix}{candidate}"):
            return f"/{suffix}{candidate}"
    digits = str(123456 + variant).rjust(max(minimum, 6), "1")
    if _fits(shape, digits):
        return digits
    pattern = shape.metadata.get("pattern")
    if pattern is not None:
        # A pattern none of the candidates fits (new resource types, lookaheads): write strings from the regex itself.
        for text in strings_for_pattern(compile_model_pattern(pattern).pattern):
            if _fits(shape, text):
                return text
    raise ExampleUnavailableError(f"no example string for {shape.name} {shape.metadata}")


def example_value(shape: Any, variant: int = 0, depth: int = 0) -> Any:
    """A value of the shape that satisfies all its constraints (two elements per list)."""
    type_name = shape.type_name
    if type_name == "structure":
        members = list(shape.members.items())
        if shape.metadata.get("union"):
            members = members[:1]
        result = {}
        for name, member in members:
            value = example_value(member, variant, depth + 1)
            if member.type_name == "structure" and not value:
                continue  # botocore does not serialise empty structures
            result[name] = value
        return result
    if type_name == "list":
        count = max(2, shape.metadata.get("min", 0))
        count = min(count, shape.metadata.get("max", count))
        return [example_value(shape.member, variant + index, depth + 1) for index in range(count)]
    if type_name == "map":
        count = min(2, shape.metadata.get("max", 2))
        return {
            example_value(shape.key, variant + index, depth + 1): example_value(shape.value, variant + index, depth + 1)
            for index in range(count)
        }
    if type_name == "string":
        return example_string(shape, variant)
    if type_name in ("integer", "long"):
        low = shape.metadata.get("min", 1)
        high = shape.metadata.get("max", low + 10)
        return min(max(low, 1 + variant), high)
    if type_name == "boolean":
        return variant % 2 == 0
    if type_name == "timestamp":
        return _TIMESTAMP + datetime.timedelta(seconds=variant)
    if type_name == "blob":
        return b"\x00\x01blob" + bytes([variant % 256])
    if type_name in ("float", "double"):
        return 1.5 + variant
    raise AssertionError(f"no example for {type_name}")


# Characters XML 1.0 can carry, so that rendered output can round-trip.
_TEXT = st.characters(blacklist_categories=("Cs", "Cc"))
# Representative characters for single-class patterns: ASCII, Latin-1, letters, digits and
# spaces of other scripts, an astral character. Sampling them is far faster than from_regex.
_POOL = [chr(code) for code in range(0x20, 0x7F)] + list(
    "\t\n\r\u00a0\u00e9\u00ff\u0100\u0416\u4e2d\u0663\u2003\U0001d400"
)
_SIMPLE_CLASS = re.compile(r"\^?\[([^\[\]]+)\]([*+])\$?")


def _string_strategy(shape: Any) -> st.SearchStrategy[str]:
    metadata = shape.metadata
    if metadata.get("enum"):
        return st.sampled_from(list(metadata["enum"]))
    minimum = metadata.get("min", 0)
    maximum = min(metadata.get("max", minimum + 20), minimum + 20)
    pattern = metadata.get("pattern")
    if pattern is None:
        return st.text(_TEXT, min_size=minimum, max_size=maximum)
    simple = _SIMPLE_CLASS.fullmatch(pattern)
    if simple is not None:
        char_class = compile_model_pattern(f"[{simple.group(1)}]")
        alphabet = st.sampled_from([char for char in _POOL if char_class.fullmatch(char)])
        low = max(minimum, 1 if simple.group(2) == "+" else 0)
        return st.text(alphabet, min_size=low, max_size=max(low, maximum))
    return st.from_regex(compile_model_pattern(pattern), fullmatch=True).filter(lambda text: _fits(shape, text))


def value_strategy(shape: Any, *, nested: bool = False) -> st.SearchStrategy[Any]:
    """Values of the shape satisfying its constraints (lists of at most two elements).

    Structures below the top and maps are never empty: botocore does not serialise them
    when empty, so they could not round-trip.
    """
    type_name = shape.type_name
    if type_name == "structure":
        members = dict(shape.members)
        required = set(shape.required_members)
        if shape.metadata.get("union"):
            first = next(iter(members))
            return st.fixed_dictionaries({first: value_strategy(members[first], nested=True)})
        optional = {
            name: value_strategy(member, nested=True) for name, member in members.items() if name not in required
        }
        structures = st.fixed_dictionaries(
            {name: value_strategy(members[name], nested=True) for name in members if name in required},
            optional=optional,
        )
        return structures.filter(bool) if nested else structures
    if type_name == "list":
        low = shape.metadata.get("min", 0)
        high = max(low, min(2, shape.metadata.get("max", 2)))
        return st.lists(value_strategy(shape.member, nested=True), min_size=low, max_size=high)
    if type_name == "map":
        return st.dictionaries(
            value_strategy(shape.key, nested=True), value_strategy(shape.value, nested=True), min_size=1, max_size=2
        )
    if type_name == "string":
        return _string_strategy(shape)
    if type_name in ("integer", "long"):
        return st.integers(shape.metadata.get("min", -(2**31)), shape.metadata.get("max", 2**31 - 1))
    if type_name == "boolean":
        return st.booleans()
    if type_name == "timestamp":
        return st.datetimes(
            min_value=datetime.datetime(1990, 1, 1),
            max_value=datetime.datetime(2100, 1, 1),
            timezones=st.just(datetime.UTC),
        )
    if type_name == "blob":
        return st.binary(max_size=16)
    raise AssertionError(f"no strategy for {type_name}")


def walk_shapes(shape: Any, visit: Callable[[Any], None], seen: set[str] | None = None) -> None:
    """Call ``visit`` on every shape reachable from ``shape`` once."""
    seen = set() if seen is None else seen
    if shape.name in seen:
        return
    seen.add(shape.name)
    visit(shape)
    if shape.type_name == "structure":
        for member in shape.members.values():
            walk_shapes(member, visit, seen)
    elif shape.type_name == "list":
        walk_shapes(shape.member, visit, seen)
    elif shape.type_name == "map":
        walk_shapes(shape.key, visit, seen)
        walk_shapes(shape.value, visit, seen)
