"""The one source of time: epoch seconds and IAM's time text agree for every kind of datetime (§E)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from iamsim._clock import ManualClock, epoch_second, iso8601

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_naive_means_utc_for_epoch_seconds_as_for_text() -> None:
    naive = datetime(2026, 3, 29, 1, 30, 15)
    assert epoch_second(naive) == epoch_second(naive.replace(tzinfo=timezone.utc))
    assert iso8601(naive) == "2026-03-29T01:30:15Z"


def test_far_future_microseconds_stay_in_their_second() -> None:
    """Whole-number arithmetic: float rounding would move .999999 into the next second."""
    at = datetime(4000, 6, 1, 0, 0, 0, 999_999, tzinfo=timezone.utc)
    assert _EPOCH + timedelta(seconds=epoch_second(at)) == at.replace(microsecond=0)


def test_seconds_before_1970_are_floored_like_the_text() -> None:
    at = datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=timezone.utc)
    assert epoch_second(at) == -1
    assert iso8601(at) == "1969-12-31T23:59:59Z"


@given(
    st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)),
    st.sampled_from([None, timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]),
)
def test_epoch_second_names_the_second_iso8601_writes(at: datetime, zone: timezone | None) -> None:
    """aws:EpochTime and aws:CurrentTime of one request name the same second, whatever the clock returns."""
    if zone is not None:
        at = at.replace(tzinfo=zone)
    text_second = datetime.strptime(iso8601(at), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert _EPOCH + timedelta(seconds=epoch_second(at)) == text_second


def test_manual_clock_reads_the_same_until_moved() -> None:
    clock = ManualClock(datetime(2026, 1, 1))
    first = epoch_second(clock.now())
    clock.advance(1.5)
    assert epoch_second(clock.now()) == first + 1
