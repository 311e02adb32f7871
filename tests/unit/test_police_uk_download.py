"""Unit tests of the pure parts of `vru fetch`: months, archive choice, rate limit, backoff, manifest."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from vru.sources.police_uk_download import (
    ArchivePlan,
    FetchManifest,
    Kind,
    Month,
    RateLimiter,
    RetryPolicy,
    member_name,
    month_range,
    parse_retry_after,
    plan_archives,
    validate_force,
)


def months(*texts: str) -> list[Month]:
    return [Month.parse(text) for text in texts]


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds


# Months


@pytest.mark.parametrize("text", ["2023-01", " 2023-12 ", "1999-06"])
def test_month_parses_year_and_month(text: str) -> None:
    month = Month.parse(text)
    assert str(month) == text.strip()


@pytest.mark.parametrize("text", ["2023-1", "2023-13", "2023-00", "23-01", "2023/01", "2023-01-01", ""])
def test_month_rejects_anything_but_yyyy_mm(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)


def test_month_arithmetic_crosses_years() -> None:
    assert Month(2023, 1).plus(-1) == Month(2022, 12)
    assert Month(2023, 12).plus(1) == Month(2024, 1)
    assert Month(2025, 4).plus(-35) == Month(2022, 5)


def test_month_range_includes_both_ends() -> None:
    assert month_range(Month(2023, 11), Month(2024, 2)) == months("2023-11", "2023-12", "2024-01", "2024-02")
    assert month_range(Month(2023, 3), Month(2023, 3)) == [Month(2023, 3)]


def test_month_range_refuses_a_backwards_range() -> None:
    with pytest.raises(ValueError, match=r"starts \(2023-03\) after it ends \(2023-01\)"):
        month_range(Month(2023, 3), Month(2023, 1))


def test_member_name_is_data_police_uk_layout() -> None:
    assert (
        member_name(Month(2023, 3), "avon-and-somerset", Kind.STOP_AND_SEARCH)
        == "2023-03/2023-03-avon-and-somerset-stop-and-search.csv"
    )


@pytest.mark.parametrize("force", ["avon-and-somerset", "metropolitan", "btp", "city-of-london"])
def test_validate_force_accepts_data_police_uk_ids(force: str) -> None:
    assert validate_force(force) == force


@pytest.mark.parametrize("force", ["Avon and Somerset", "../etc", "avon_and_somerset", "-avon", ""])
def test_validate_force_rejects_other_text(force: str) -> None:
    with pytest.raises(ValueError, match="force id"):
        validate_force(force)


# Archive selection


def test_one_archive_covers_a_range_within_its_window() -> None:
    plans = plan_archives(month_range(Month(2023, 1), Month(2025, 4)))
    assert plans == [ArchivePlan(Month(2025, 4), tuple(month_range(Month(2023, 1), Month(2025, 4))))]
    assert plans[0].path == "/data/archive/2025-04.zip"


def test_the_archive_is_that_of_the_last_requested_month() -> None:
    assert [plan.archive_month for plan in plan_archives(months("2023-01", "2023-03"))] == [Month(2023, 3)]


def test_a_range_longer_than_the_window_takes_the_fewest_archives_newest_first() -> None:
    plans = plan_archives(month_range(Month(2018, 1), Month(2025, 4)), coverage_months=36)
    assert [plan.filename for plan in plans] == ["2025-04.zip", "2022-04.zip", "2019-04.zip"]
    assert plans[0].months[0] == Month(2022, 5)
    assert plans[1].months == tuple(month_range(Month(2019, 5), Month(2022, 4)))
    assert plans[2].months == tuple(month_range(Month(2018, 1), Month(2019, 4)))


def test_coverage_window_is_a_parameter() -> None:
    plans = plan_archives(month_range(Month(2023, 1), Month(2023, 6)), coverage_months=4)
    assert [(plan.filename, len(plan.months)) for plan in plans] == [("2023-06.zip", 4), ("2023-02.zip", 2)]
    assert len(plan_archives(month_range(Month(2023, 1), Month(2023, 3)), coverage_months=1)) == 3


def test_scattered_months_skip_archives_for_empty_stretches() -> None:
    plans = plan_archives(months("2015-06", "2025-04", "2025-01"), coverage_months=36)
    assert [plan.filename for plan in plans] == ["2025-04.zip", "2015-06.zip"]


def test_no_months_need_no_archive() -> None:
    assert plan_archives([]) == []


def test_coverage_must_be_positive() -> None:
    with pytest.raises(ValueError):
        plan_archives(months("2023-01"), coverage_months=0)


# Rate limit


def test_rate_limiter_allows_a_burst_of_15_without_waiting() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(15):
        limiter.acquire()
    assert clock.now == 1000.0


def test_rate_limiter_never_lets_more_than_15_requests_into_any_one_second_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    sent_at = []
    for index in range(200):
        if index % 7 == 0:
            clock.sleep(0.13)  # the caller's own work between requests, at an uneven pace
        limiter.acquire()
        sent_at.append(clock.now)
    # Any window [t, t + 1 s) holds at most 15 requests iff the 16th request after any other is 1 s later.
    assert all(later - earlier >= 1.0 for earlier, later in zip(sent_at, sent_at[15:], strict=False))
    # ...and the limiter is not slower than it has to be: 200 requests in about 200 / 15 seconds.
    assert sent_at[-1] - sent_at[0] < 200 / 15 + 1


def test_rate_limiter_sustains_15_per_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(45):
        limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(2.0)


# Backoff


def test_backoff_doubles_from_the_base_delay_with_jitter_between_half_and_all() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0)
    lowest = [policy.delay(attempt, None, random=lambda: 0.0) for attempt in range(1, 6)]
    highest = [policy.delay(attempt, None, random=lambda: 1.0) for attempt in range(1, 6)]
    assert lowest == [0.25, 0.5, 1.0, 2.0, 4.0]
    assert highest == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_backoff_is_capped_at_max_delay() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    assert policy.delay(10, None, random=lambda: 1.0) == 5.0


def test_backoff_uses_retry_after_when_the_server_gives_one() -> None:
    assert RetryPolicy().delay(3, 7.0, random=lambda: 0.5) == 7.0
    assert RetryPolicy().delay(1, 0.0, random=lambda: 0.5) == 0.0


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("0", now) == 0.0
    assert parse_retry_after(" 12 ", now) == 12.0
    assert parse_retry_after("Thu, 01 May 2025 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 01 May 2025 11:00:00 GMT", now) == 0.0
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("soon", now) is None


# Manifest


def test_manifest_round_trips_and_checks_files_by_sha256(tmp_path) -> None:
    member = "2023-03/2023-03-avon-and-somerset-street.csv"
    (tmp_path / "2023-03").mkdir()
    content = b"Crime ID,Month\n"
    (tmp_path / member).write_bytes(content)
    manifest = FetchManifest.load(tmp_path)
    manifest.files[member] = {
        "sha256": hashlib.sha256(content).hexdigest(),
        "bytes": len(content),
        "archive": "2023-03.zip",
    }
    manifest.save()

    reloaded = FetchManifest.load(tmp_path)
    assert reloaded.is_complete(tmp_path, member, "2023-03.zip")
    assert not reloaded.is_complete(tmp_path, member, "2023-06.zip"), "a newer archive replaces the file"
    (tmp_path / member).write_bytes(content.replace(b"Month", b"Mouth"))
    assert not reloaded.is_complete(tmp_path, member, "2023-03.zip"), "same size, different bytes"
