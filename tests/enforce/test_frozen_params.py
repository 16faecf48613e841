"""The remembered decision's parameter key is exact (§F.1; ``_enforce/remembered.py`` ``frozen_params``).

A remembered allowed call is used again only for equal parameters of equal types: two
calls whose frozen parameters are equal must be the same call. Most parameters are frozen
by :mod:`marshal`; values it does not write (datetimes, subclasses, streams) by the general
walk. Either way, equal keys mean equal values with equal types.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from iamsim._enforce.remembered import frozen_params

_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5]),
    st.text(max_size=3),
    st.binary(max_size=3),
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=2), inner, max_size=3),
    ),
    max_leaves=8,
)


def _typed(value: Any) -> Any:
    """``value`` with each element's type beside it, so that True and 1 (and 0.0 and -0.0) differ."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v) for v in value])
    if isinstance(value, float):
        return ("float", value.hex())
    return (type(value).__name__, value)


@given(
    st.dictionaries(st.text(max_size=2), _VALUE, max_size=3), st.dictionaries(st.text(max_size=2), _VALUE, max_size=3)
)
def test_equal_keys_are_equal_parameters_of_equal_types_F1(a: dict[str, Any], b: dict[str, Any]) -> None:
    """§F.1: a remembered decision is reused only for the very same parameters, types included."""
    frozen_a, frozen_b = frozen_params(a), frozen_params(b)
    assert frozen_a is not None
    assert frozen_a == frozen_params(dict(a))
    if frozen_a == frozen_b:
        assert _typed(a) == _typed(b)


def test_values_equal_in_python_but_of_other_types_are_other_calls_F1() -> None:
    """§F.1: True, 1 and 1.0; 0.0 and -0.0; text and octets; a list and a tuple are told apart."""
    keys = [
        frozen_params({"Limit": value})
        for value in (True, 1, 1.0, 0.0, -0.0, "1", b"1", [1], (1,), {"1": 1}, None, False, 0)
    ]
    assert None not in keys
    assert len(set(keys)) == len(keys)


def test_values_marshal_does_not_write_are_still_compared_F1() -> None:
    """§F.1: datetimes and subclasses of the builtin types go through the general freezing, exactly."""
    when = datetime(2030, 1, 1, tzinfo=UTC)
    assert frozen_params({"At": when}) == frozen_params({"At": datetime(2030, 1, 1, tzinfo=UTC)})
    assert frozen_params({"At": when}) != frozen_params({"At": datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC)})
    assert frozen_params({"At": when}) != frozen_params({"At": "2030-01-01T00:00:00+00:00"})
    ordered = OrderedDict([("Key", "a")])
    assert frozen_params({"Item": ordered}) is None
    assert frozen_params(OrderedDict([("Key", "a")])) == frozen_params({"Key": "a"})


def test_streams_and_large_parameters_are_never_remembered_F1() -> None:
    """§F.1: a stream cannot be compared; a large body or text is not kept."""
    assert frozen_params({"Body": io.BytesIO(b"x")}) is None
    assert frozen_params({"Body": b"x" * 100_000}) is None
    assert frozen_params({"Item": "x" * 100_000}) is None
    assert frozen_params({"Body": b"x" * 100, "At": datetime(2030, 1, 1, tzinfo=UTC)}) is not None
