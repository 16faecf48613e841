"""Hypothesis strategies for the texts of typed condition values, drawn from the whole grammar and around it.

The grammar is :mod:`iamsim._policy.values` (spec §C.2, §A.1). These
strategies build texts piece by piece, so they reach spellings a fixed list
never would: leading and trailing dots, exponents, signs, leading zeros,
Unicode digits, whitespace and absurd lengths for numbers; every W3C form with
in- and out-of-range fields, time zones, fractions, epoch seconds of any size
for dates; IPv4/IPv6 in every notation with good and bad prefixes, zone ids
and netmasks for addresses; booleans in every case. About half of what they
draw is in the grammar, the rest just outside it, where evaluators disagree
if they read the grammar differently.
"""

from __future__ import annotations

import ipaddress

from hypothesis import strategies as st

__all__ = ["bool_texts", "date_texts", "ip_texts", "number_texts", "texts_for_family"]

# Digits Python's int()/Decimal() accept but IAM (Java/Go parsers) does not:
# Arabic-Indic, fullwidth, Devanagari, mathematical bold.
_UNICODE_DIGITS = "٠١٢٣٤٥٦٧٨٩０１２３４５６７８９०१२३४५६७८९𝟎𝟏𝟐"
_WHITESPACE = (" ", "\t", "\n", "\u00a0", "\u2003")


def _digits(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=min_size, max_size=max_size)


@st.composite
def _spoil(draw: st.DrawFn, text: str) -> str:
    """``text`` left alone most of the time, else with one grammar-breaking change."""
    how = draw(st.integers(0, 11))
    if how < 7 or not text:
        return text
    if how == 7:  # a Unicode digit in place of an ASCII one
        ascii_digits = [i for i, c in enumerate(text) if c.isdigit()]
        if ascii_digits:
            at = draw(st.sampled_from(ascii_digits))
            return text[:at] + draw(st.sampled_from(_UNICODE_DIGITS)) + text[at + 1 :]
        return text
    if how == 8:  # whitespace around
        space = draw(st.sampled_from(_WHITESPACE))
        return draw(st.sampled_from([space + text, text + space, space + text + space]))
    if how == 9:  # a character dropped
        at = draw(st.integers(0, len(text) - 1))
        return text[:at] + text[at + 1 :]
    if how == 10:  # a character inserted
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from("0.:-+eEZT_/%x ")) + text[at:]
    return text.swapcase()


# --- numbers -------------------------------------------------------------------------------------


@st.composite
def _number_shapes(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "", "", "-", "+"]))
    whole = draw(st.one_of(st.just(""), _digits(1, 4), st.just("0"), st.builds(lambda d: "00" + d, _digits(1, 3))))
    dot = draw(st.sampled_from(["", "", "."]))
    fraction = draw(_digits(0, 3)) if dot else ""
    exponent = ""
    if draw(st.integers(0, 4)) == 0:
        exponent = draw(st.sampled_from("eE")) + draw(st.sampled_from(["", "+", "-"])) + draw(_digits(0, 3))
    return sign + whole + dot + fraction + exponent


@st.composite
def _huge_numbers(draw: st.DrawFn) -> str:
    """Absurd lengths: thousands of digits (past Python's int-string limit) or huge exponents."""
    digit = draw(st.sampled_from("19"))
    length = draw(st.sampled_from([99, 100, 101, 4300, 4301, 5000]))
    form = draw(st.sampled_from(["whole", "fraction", "exponent"]))
    if form == "whole":
        return digit * length
    if form == "fraction":
        return "0." + digit * length
    return "1e" + digit * draw(st.sampled_from([9, 10, 20, 4301]))


def number_texts() -> st.SearchStrategy[str]:
    """Texts for Numeric operators: every shape of the number grammar and its near misses."""
    return st.one_of(
        _number_shapes().flatmap(_spoil),
        _huge_numbers(),
        st.sampled_from(["NaN", "Infinity", "-inf", "0x10", "1_000", "1,5", "", ".", "-", "e5", "١٠", "１０"]),
    )


# --- dates ---------------------------------------------------------------------------------------


@st.composite
def _w3c_dates(draw: st.DrawFn) -> str:
    year = draw(st.sampled_from(["0000", "0001", "1969", "1970", "2000", "2024", "2100", "9999"]))
    month = draw(st.sampled_from(["01", "02", "06", "12", "00", "13"]))
    day = draw(st.sampled_from(["01", "28", "29", "30", "31", "00", "32"]))
    hour = draw(st.sampled_from(["00", "12", "23", "24"]))
    minute = draw(st.sampled_from(["00", "30", "59", "60"]))
    second = draw(st.sampled_from(["00", "59", "60"]))
    fraction = "." + draw(_digits(1, 12)) if draw(st.booleans()) else ""
    zone = draw(
        st.sampled_from(["Z", "Z", "+00:00", "-00:00", "+02:00", "-05:30", "+23:59", "+24:00", "-01:60", "", "z"])
    )
    form = draw(st.integers(0, 5))
    forms = (
        year,
        f"{year}-{month}",
        f"{year}-{month}-{day}",
        f"{year}-{month}-{day}T{hour}:{minute}{zone}",
        f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}",
        f"{year}-{month}-{day}T{hour}:{minute}:{second}{fraction}{zone}",
    )
    return forms[form]


@st.composite
def _epoch_seconds(draw: st.DrawFn) -> str:
    bound = draw(st.sampled_from([10**4, 10**10, 2**63, 2**64]))
    return str(draw(st.integers(-bound, bound)))


def date_texts() -> st.SearchStrategy[str]:
    """Texts for Date operators: the six W3C forms, epoch seconds of any size, and garbage."""
    return st.one_of(
        _w3c_dates().flatmap(_spoil),
        _epoch_seconds().flatmap(_spoil),
        st.sampled_from(["9223372036854775807", "9223372036854775808", "-9223372036854775808", "1" * 4301]),
        st.sampled_from(["2024-06-01 12:00:00Z", "2024-06-01t12:00:00z", "1700000000.5", "yesterday", "", "２０２４"]),
    )


# --- IP addresses --------------------------------------------------------------------------------


@st.composite
def _ipv4(draw: st.DrawFn) -> str:
    octets = draw(st.lists(st.integers(0, 300), min_size=4, max_size=4))
    text = ".".join(map(str, octets))
    if draw(st.integers(0, 9)) == 0:
        text = "0" + text  # a leading zero
    return text


@st.composite
def _ipv6(draw: st.DrawFn) -> str:
    address = ipaddress.IPv6Address(draw(st.integers(0, 2**128 - 1) | st.sampled_from([0, 1, 2**32 + 5])))
    style = draw(st.sampled_from(["compressed", "exploded", "upper", "mapped"]))
    if style == "exploded":
        return address.exploded
    if style == "upper":
        return address.compressed.upper()
    if style == "mapped":
        return "::ffff:" + draw(_ipv4())
    return address.compressed


@st.composite
def _ip_shapes(draw: st.DrawFn) -> str:
    address = draw(st.one_of(_ipv4(), _ipv6(), st.sampled_from(["10.0.0.1", "192.0.2.0", "2001:db8::", "::1"])))
    suffix = draw(
        st.sampled_from(
            ["", "", "", "/8", "/24", "/32", "/0", "/33", "/64", "/128", "/129", "/", "/024", "/255.255.255.0", "%eth0"]
        )
    )
    return address + suffix


def ip_texts() -> st.SearchStrategy[str]:
    """Texts for IP operators: IPv4/IPv6, bare or CIDR, bad prefixes, netmasks, zone ids, whitespace."""
    return st.one_of(
        _ip_shapes().flatmap(_spoil),
        st.sampled_from(["fe80::1%eth0", "1.2.3.4/٢٤", "not-an-ip", "", "1" * 60, "1.2.3", "::ffff:10.0.0.1"]),
    )


# --- booleans ------------------------------------------------------------------------------------


@st.composite
def _bool_cases(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(["true", "false"]))
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=True))


def bool_texts() -> st.SearchStrategy[str]:
    """Texts for Bool: ``true``/``false`` in every case, and look-alikes (``falſe`` casefolds to ``false``)."""
    return st.one_of(
        _bool_cases(),
        _bool_cases().flatmap(_spoil),
        st.sampled_from(["1", "0", "yes", "t", "", "falſe", "TRUE ", "ＴＲＵＥ"]),
    )


_BY_FAMILY = {"Numeric": number_texts, "Date": date_texts, "Ip": ip_texts, "Bool": bool_texts}


def texts_for_family(family: str) -> st.SearchStrategy[str] | None:
    """The generated texts for a typed family (vocabulary names: Numeric, Date, Ip, Bool), else ``None``."""
    make = _BY_FAMILY.get(family)
    return None if make is None else make()
