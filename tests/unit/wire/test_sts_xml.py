"""The common STS answers written straight from their records equal the generic writer's (§G.1, §G.2, §G.4, §G.6).

Each answer is rendered both ways, through the output shape (``_wire.render.answer``
then the shape-walking XML writer) and straight from the record
(``_handlers.sts_xml``), and what botocore's Query parser reads from each is
compared; hostile text (``<``, ``&``, ``]]>``, quotes, CR, non-ASCII) must come
back exactly as it went in, since the XML text is where a caller-chosen value
meets the parser. AWS pages: AssumeRole, AssumeRoleWithWebIdentity,
GetSessionToken and GetCallerIdentity in the STS API Reference
(https://docs.aws.amazon.com/STS/latest/APIReference/).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wire_shapes import parse_output, service_model

from iamsim._handlers.sts_xml import direct_writer
from iamsim._sts.credentials import AssumedRoleUser, AssumeRoleResult, CallerIdentity, Credentials, WebIdentityResult
from iamsim._wire.render import answer, output_shape
from iamsim._wire.xml import ResultXml, escape_text, escape_texts, format_timestamp, render_response

REQUEST_ID = "4c6f6c2e-6d2f-4a1b-9b1e-0123456789ab"
EXPIRES = datetime.datetime(2030, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
HOSTILE = ("a<b", "x&amp;y", "]]>", "<![CDATA[z]]>", "'\"quoted\"'", "line\r\nbreak", "é€😀", "</Arn><Arn>evil")


def _credentials(text: str = "") -> Credentials:
    return Credentials("ASIA" + "A" * 16, "secret/+" + text, "token" + text, EXPIRES)


def _records(text: str) -> dict[str, object]:
    """One record per directly written operation, each string field carrying ``text``."""
    user = AssumedRoleUser("AROAEXAMPLE:" + text, "arn:aws:sts::111122223333:assumed-role/r/" + text)
    return {
        "AssumeRole": AssumeRoleResult(_credentials(text), user, 6, text or None),
        "AssumeRoleWithWebIdentity": WebIdentityResult(
            _credentials(text), user, 0, "sub" + text, "issuer.example/" + text, "aud" + text, text or None
        ),
        "GetSessionToken": _credentials(text),
        "GetCallerIdentity": CallerIdentity("AIDA" + text, "111122223333", "arn:aws:iam::111122223333:user/" + text),
    }


def _both_ways(operation: str, record: object) -> tuple[bytes, bytes]:
    """The response body written generically (record -> output dicts -> XML) and directly (record -> XML)."""
    model = service_model("sts")
    generic = render_response(model, operation, answer(output_shape("sts", operation))(record, {}), REQUEST_ID)
    found = direct_writer(operation)
    assert found is not None
    record_type, write = found
    assert type(record) is record_type
    written = write(record)
    assert isinstance(written, ResultXml)
    return generic, render_response(model, operation, written, REQUEST_ID)


def _parsed(operation: str, body: bytes) -> dict[str, Any]:
    parsed = parse_output("sts", operation, body)
    parsed.pop("ResponseMetadata", None)
    return parsed


@pytest.mark.parametrize("operation", sorted(_records("")))
@pytest.mark.parametrize("text", ["", "plain-name_1@x.y", *HOSTILE])
def test_direct_answer_equals_the_generic_one(operation: str, text: str) -> None:
    """Both writers give the same bytes and botocore parses the same output from them (§G.1, §G.2, §G.4, §G.6)."""
    generic, direct = _both_ways(operation, _records(text)[operation])
    assert direct == generic
    assert _parsed(operation, direct) == _parsed(operation, generic)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_round_trip_through_botocore(text: str) -> None:
    """A value holding markup, an entity, a CDATA end or quotes is read back as the same text (§G.1, §G.2)."""
    _, body = _both_ways("AssumeRoleWithWebIdentity", _records(text)["AssumeRoleWithWebIdentity"])
    assert b"<evil" not in body
    assert b"]]>" not in body
    assert b"<![CDATA[" not in body
    parsed = _parsed("AssumeRoleWithWebIdentity", body)
    assert parsed["SubjectFromWebIdentityToken"] == "sub" + text
    assert parsed["AssumedRoleUser"]["Arn"].endswith("/" + text)
    assert parsed["SourceIdentity"] == text
    assert parsed["Credentials"]["SessionToken"] == "token" + text
    assert parsed["Credentials"]["Expiration"] == EXPIRES


def test_empty_optional_members_are_left_out_both_ways() -> None:
    """No ``SourceIdentity`` element without a source identity, as AWS answers AssumeRole (§G.1)."""
    generic, direct = _both_ways("AssumeRole", _records("")["AssumeRole"])
    assert b"SourceIdentity" not in direct
    assert direct == generic


def test_other_record_types_take_the_generic_path() -> None:
    """Operations without a direct writer have none; only the exact record type is written directly (§G.5)."""
    assert direct_writer("GetFederationToken") is None
    found = direct_writer("GetSessionToken")
    assert found is not None
    assert found[0] is Credentials


# XML 1.0 carries every character but most C0 controls, surrogates and U+FFFE/U+FFFF (those become U+FFFD).
_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff").filter(
        lambda c: c >= " " or c in "\t\n\r"
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(text=_XML_TEXT, operation=st.sampled_from(sorted(_records(""))))
def test_any_text_round_trips_identically_both_ways(text: str, operation: str) -> None:
    """For any text XML can carry, the two writers agree byte for byte (§G.1, §G.2, §G.4, §G.6)."""
    generic, direct = _both_ways(operation, _records(text)[operation])
    assert direct == generic
    parsed = _parsed(operation, direct)
    if operation == "GetCallerIdentity":
        assert parsed["Arn"] == "arn:aws:iam::111122223333:user/" + text
    else:
        credentials = parsed["Credentials"]
        assert credentials["SessionToken"] == "token" + text


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1000, 1, 1),
        max_value=datetime.datetime(9999, 12, 30),
        timezones=st.sampled_from([datetime.UTC, datetime.timezone(datetime.timedelta(hours=-7, minutes=-30))]),
    )
)
def test_timestamps_are_written_as_strftime_writes_them(moment: datetime.datetime) -> None:
    """The isoformat shortcut of ``format_timestamp`` gives strftime's ISO 8601 text in UTC with ``Z`` (§G.1)."""
    utc = moment.astimezone(datetime.UTC)
    expected = utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")
    assert format_timestamp(moment) == expected


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=12) | st.sampled_from(HOSTILE), max_size=5))
def test_escaping_several_values_at_once_escapes_each(texts: list[str]) -> None:
    """``escape_texts`` (one check for all values) gives what ``escape_text`` gives each (§G.1)."""
    assert escape_texts(*texts) == tuple(escape_text(text) for text in texts)


def test_credentials_without_a_token_are_left_to_the_generic_writer() -> None:
    """Long-term-shaped credentials (no token, no expiry) are not written directly (§G.4)."""
    found = direct_writer("GetSessionToken")
    assert found is not None
    assert found[1](Credentials("AKIA" + "A" * 16, "secret")) is None


class _OwnIsoformat(datetime.datetime):
    """A datetime of a user's clock whose class writes its own ISO text (as pendulum's and arrow's do)."""

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return super().isoformat(sep, timespec).replace("+00:00", "Z")

    def astimezone(self, tz: datetime.tzinfo | None = None) -> _OwnIsoformat:
        moved = super().astimezone(tz)
        return _OwnIsoformat.combine(moved.date(), moved.timetz())


@pytest.mark.parametrize(
    "moment",
    [
        _OwnIsoformat(2030, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
        _OwnIsoformat(2030, 5, 6, 7, 8, 9, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(999, 12, 31, 23, 59, 59, 5, tzinfo=datetime.UTC),
        # Year 1000 in its own zone, year 999 in UTC: the year is read after the conversion.
        datetime.datetime(1000, 1, 1, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
        datetime.datetime(2030, 1, 1, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(0))),
        datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=1, microseconds=5))),
    ],
    ids=repr,
)
def test_timestamps_of_any_clock_are_written_as_before_G1(moment: datetime.datetime) -> None:
    """§G.1 (AssumeRole's ``Expiration``): whatever datetime a user's clock gives (a subclass with its own
    ``isoformat``, a year below 1000, a zero or sub-minute offset), the text is strftime's, as before the shortcut."""
    utc = datetime.datetime.astimezone(moment, datetime.UTC)
    expected = datetime.datetime.strftime(utc, "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")
    assert format_timestamp(moment) == expected
