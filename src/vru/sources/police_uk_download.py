"""Download one police force's months from data.police.uk into the folder layout `vru ingest` reads.

data.police.uk offers two things a whole-force download can honestly use:

* the monthly archives, ``/data/archive/YYYY-MM.zip``: every force's street, outcomes and stop-and-search
  CSVs for the (about) three years up to that month, in folders ``YYYY-MM/``. This is the only way to get
  a whole force: the crimes API answers by point or polygon and refuses areas over 10,000 crimes.
* the API's ``/api/crime-last-updated`` and ``/api/crimes-street-dates``: which months are published, and
  which forces published stop-and-search in each, so a request can be checked before a large download.

Every request goes through one rate limiter (15 a second) and one retry policy (429, 5xx and connection
errors, exponential backoff with jitter, Retry-After respected). Archives download to a ``.part`` file that
a later run resumes with an HTTP Range request; extracted files are recorded with their sha256 in
``OUT/.fetch-manifest.json`` so a rerun skips what is already complete.
"""

from __future__ import annotations

import collections
import email.utils
import hashlib
import json
import os
import random as random_module
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx

from vru import __version__
from vru.sources.police_uk_manifest import FetchError, FetchManifest

DEFAULT_BASE_URL = "https://data.police.uk"
DEFAULT_ARCHIVE_COVERAGE_MONTHS = 36
DEFAULT_MAX_ATTEMPTS = 5

_Result = TypeVar("_Result")
_FORCE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_UNSATISFIED_RANGE = re.compile(r"bytes \*/(\d+)")


class Kind(StrEnum):
    """The three files data.police.uk publishes per force and month (the suffix of the file name)."""

    STREET = "street"
    OUTCOMES = "outcomes"
    STOP_AND_SEARCH = "stop-and-search"


ALL_KINDS: tuple[Kind, ...] = tuple(Kind)
_ARCHIVE_MEMBER = re.compile(
    r"(\d{4}-\d{2})/\1-(?P<force>[a-z0-9-]+?)-(?:" + "|".join(re.escape(kind) for kind in ALL_KINDS) + r")\.csv"
)


class HttpStatusError(FetchError):
    """The server answered with a status that retrying will not change (a 4xx other than 429)."""

    def __init__(self, url: str, status: int, reason: str) -> None:
        self.url = url
        self.status = status
        super().__init__(f"GET {url} failed: HTTP {status} {reason}".rstrip())


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the only date resolution police.uk publishes."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_TEXT.fullmatch(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, for example 2023-01")
        return cls(int(match.group(1)), int(match.group(2)))

    def plus(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from first to last, both included."""
    if first > last:
        raise ValueError(f"the range starts ({first}) after it ends ({last})")
    months = [first]
    while months[-1] < last:
        months.append(months[-1].plus(1))
    return months


def member_name(month: Month, force: str, kind: Kind) -> str:
    """Path of one file inside an archive, and (the same) under the output folder."""
    return f"{month}/{month}-{force}-{kind}.csv"


@dataclass(frozen=True)
class ArchivePlan:
    """One archive to download and the requested months it is expected to hold."""

    archive_month: Month
    months: tuple[Month, ...]

    @property
    def filename(self) -> str:
        return f"{self.archive_month}.zip"

    @property
    def path(self) -> str:
        return f"/data/archive/{self.filename}"


def plan_archives(months: Iterable[Month], coverage_months: int = DEFAULT_ARCHIVE_COVERAGE_MONTHS) -> list[ArchivePlan]:
    """The fewest archives that cover the months, newest first.

    The archive of month M holds M and the coverage_months - 1 months before it, so taking the archive of
    the newest month still uncovered, again and again, is optimal, and it also gives the newest data.
    """
    if coverage_months < 1:
        raise ValueError("an archive covers at least one month")
    remaining = sorted(set(months), reverse=True)
    plans = []
    while remaining:
        archive_month = remaining[0]
        oldest_covered = archive_month.plus(-(coverage_months - 1))
        covered = [month for month in remaining if month >= oldest_covered]
        remaining = remaining[len(covered) :]
        plans.append(ArchivePlan(archive_month, tuple(sorted(covered))))
    return plans


class RateLimiter:
    """At most max_requests in any window of per_seconds, with bursts of up to max_requests.

    A token bucket in which each spent token comes back per_seconds after it was spent. A bucket that
    refills continuously at 15 a second would let up to 29 requests through within one second after a full
    burst; data.police.uk allows that (15/s, burst 30), but the toolkit promises 15 in any second.
    """

    def __init__(
        self,
        max_requests: int = 15,
        per_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._max_requests = max_requests
        self._per_seconds = per_seconds
        self._clock = clock
        self._sleep = sleep
        self._spent_at: collections.deque[float] = collections.deque()

    def acquire(self) -> None:
        """Wait until one more request keeps within the limit, then count it."""
        while True:
            now = self._clock()
            while self._spent_at and self._spent_at[0] + self._per_seconds <= now:
                self._spent_at.popleft()
            if len(self._spent_at) < self._max_requests:
                self._spent_at.append(now)
                return
            self._sleep(self._spent_at[0] + self._per_seconds - now)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before repeating a request that failed for a passing reason."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, failed_attempt: int, retry_after: float | None, random: Callable[[], float]) -> float:
        """Seconds to wait after the failed_attempt-th attempt (counting from 1).

        The server's Retry-After wins when given. Otherwise the delay doubles each attempt up to max_delay,
        and a random factor in [0.5, 1) spreads out clients that failed at the same moment.
        """
        if retry_after is not None:
            return retry_after
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failed_attempt - 1))
        return ceiling * (0.5 + 0.5 * random())


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class FetchProgress(Protocol):
    """What a download reports while it runs; the CLI draws it as a progress bar."""

    def download_started(self, url: str, total_bytes: int | None, resumed_from: int) -> None: ...

    def bytes_received(self, count: int) -> None: ...

    def retrying(self, url: str, failed_attempt: int, delay: float, reason: str) -> None: ...


class SilentProgress:
    """Reports nothing: the default for library callers."""

    def download_started(self, url: str, total_bytes: int | None, resumed_from: int) -> None:
        pass

    def bytes_received(self, count: int) -> None:
        pass

    def retrying(self, url: str, failed_attempt: int, delay: float, reason: str) -> None:
        pass


@dataclass(frozen=True)
class AvailableMonth:
    """A month data.police.uk lists as published, and the forces that published stop-and-search for it."""

    month: Month
    stop_and_search_forces: frozenset[str]


class _PassingFailure(Exception):
    """A failure worth retrying: 429, 5xx, or a download cut short."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PoliceUkClient:
    """HTTP access to data.police.uk with the rate limit, retries and resumable downloads built in."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        progress: FetchProgress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = random_module.random,
        timeout_seconds: float = 60.0,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base URL {base_url!r} does not start with http:// or https://")
        self.base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._rate_limiter = rate_limiter or RateLimiter()
        self._progress = progress or SilentProgress()
        self._sleep = sleep
        self._random = random
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout_seconds,
            follow_redirects=True,
            headers={"User-Agent": f"vru-toolkit/{__version__} (+vru fetch)"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliceUkClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def crime_last_updated(self) -> Month:
        """The newest month of crime data (GET /api/crime-last-updated; the day in its date means nothing)."""
        path = "/api/crime-last-updated"
        body = self._get_json(path)
        try:
            return Month.parse(str(body["date"])[:7])
        except (KeyError, TypeError, ValueError) as error:
            raise FetchError(f"{self.url(path)} returned an unexpected answer: {body!r}") from error

    def crimes_street_dates(self) -> list[AvailableMonth]:
        """The published months, newest first (GET /api/crimes-street-dates); about the last three years."""
        path = "/api/crimes-street-dates"
        body = self._get_json(path)
        try:
            months = [
                AvailableMonth(Month.parse(entry["date"]), frozenset(entry.get("stop-and-search", [])))
                for entry in body
            ]
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise FetchError(f"{self.url(path)} returned an unexpected answer: {error}") from error
        return sorted(months, key=lambda available: available.month, reverse=True)

    def download(self, path: str, destination: Path) -> bool:
        """Download path to destination through destination.part, resuming a .part left by an earlier run
        or by a connection cut short.

        Returns whether the file joins bytes from more than one response (a resumed download).
        """
        part = destination.with_name(destination.name + ".part")
        joined = self._with_retries(self.url(path), lambda: self._download_once(path, part))
        part.replace(destination)
        return joined

    def _get_json(self, path: str) -> Any:
        def get_once() -> Any:
            response = self._http.get(path)
            _check_status(response)
            return response.json()

        try:
            return self._with_retries(self.url(path), get_once)
        except json.JSONDecodeError as error:
            raise FetchError(f"{self.url(path)} did not return JSON: {error}") from error

    def _with_retries(self, url: str, attempt_once: Callable[[], _Result]) -> _Result:
        attempt = 1
        while True:
            self._rate_limiter.acquire()
            try:
                return attempt_once()
            except _PassingFailure as failure:
                reason, retry_after = failure.reason, failure.retry_after
            except httpx.TransportError as error:
                reason, retry_after = f"connection error ({type(error).__name__}: {error})", None
            except httpx.RequestError as error:
                # Not a passing fault (too many redirects, an undecodable body): retrying cannot help.
                raise FetchError(f"GET {url} failed: {type(error).__name__}: {error}") from error
            if attempt == self._retry.max_attempts:
                raise FetchError(f"GET {url} failed after {attempt} attempts; the last: {reason}")
            delay = self._retry.delay(attempt, retry_after, self._random)
            self._progress.retrying(url, attempt, delay, reason)
            self._sleep(delay)
            attempt += 1

    def _download_once(self, path: str, part: Path) -> bool:
        """One GET of the file into part; returns whether it appended to bytes already there."""
        offset = part.stat().st_size if part.exists() else 0
        # A Range counts bytes of the encoded body, so ask for the file as it is (a zip gains nothing
        # from gzip anyway) or a resumed file would mix encoded and decoded bytes.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        with self._http.stream("GET", path, headers=headers) as response:
            if response.status_code == 416 and offset:
                self._handle_unsatisfiable_range(response, part, offset)
                return True
            _check_status(response)
            if response.status_code == 206:
                start, total = _parse_content_range(response.headers.get("Content-Range"), str(response.url))
                if start != offset:
                    part.unlink()
                    raise _PassingFailure(f"asked for bytes from {offset}, the server sent from {start}", 0)
                mode = "ab"
            else:
                # 200 after a Range: the server ignored it and sends the whole file, so start again.
                offset = 0
                mode = "wb"
                length = response.headers.get("Content-Length")
                total = int(length) if length is not None and length.isdigit() else None
            self._progress.download_started(str(response.url), total, offset)
            with part.open(mode) as out:
                # Chunks as they arrive: a fixed chunk size would hold back, and lose, the bytes
                # received after the last full chunk when the connection drops.
                for chunk in response.iter_raw():
                    out.write(chunk)
                    self._progress.bytes_received(len(chunk))
        size = part.stat().st_size
        if total is not None and size != total:
            raise _PassingFailure(f"the download stopped at {size} of {total} bytes")
        return offset > 0

    def _handle_unsatisfiable_range(self, response: httpx.Response, part: Path, offset: int) -> None:
        # 416 on a resume: either the .part already holds the whole file (an earlier run stopped just
        # before renaming it) or the file on the server changed, and the .part is useless.
        match = _UNSATISFIED_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is not None and int(match.group(1)) == offset:
            return
        part.unlink()
        raise _PassingFailure(f"the server cannot resume from byte {offset} (HTTP 416); starting again", 0)


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 300:
        return
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
        raise _PassingFailure(f"HTTP {status} {response.reason_phrase}".rstrip(), retry_after)
    raise HttpStatusError(str(response.url), status, response.reason_phrase)


def _parse_content_range(value: str | None, url: str) -> tuple[int, int | None]:
    """(first byte, total size or None) of a 206 response's Content-Range."""
    match = _CONTENT_RANGE.fullmatch((value or "").strip())
    if match is None:
        raise _PassingFailure(f"{url} sent a partial response with Content-Range {value!r}")
    total = match.group(3)
    return int(match.group(1)), None if total == "*" else int(total)


@dataclass(frozen=True)
class MissingFile:
    """A requested file that this fetch could not supply, and why."""

    month: Month
    kind: Kind
    reason: str


@dataclass
class FetchResult:
    """What one fetch did: the archives it used, the files it wrote or found complete, and the gaps."""

    force: str
    months: list[Month]
    kinds: tuple[Kind, ...]
    archives: list[ArchivePlan] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    already_complete: list[Path] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    newest_published: Month | None = None  # from the availability check; None when not checked

    @property
    def months_fetched(self) -> list[Month]:
        """Months with at least one file in the output folder, written now or by an earlier run."""
        present = {Month.parse(path.parent.name) for path in self.written + self.already_complete}
        return sorted(present)

    @property
    def months_missing(self) -> list[Month]:
        """Months for which no requested kind could be supplied."""
        fetched = set(self.months_fetched)
        return sorted({gap.month for gap in self.missing} - fetched)


def default_archive_dir() -> Path:
    """The user's cache, not the output folder: `vru ingest OUT` reads every .zip under OUT, and an archive
    holds every force. One cache also lets fetches for several forces share a kept archive."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "vru" / "police-uk-archives"


def validate_force(force: str) -> str:
    if _FORCE_ID.fullmatch(force) is None:
        raise ValueError(
            f"{force!r} is not a data.police.uk force id: lower-case words joined by hyphens, "
            "as in avon-and-somerset or metropolitan"
        )
    return force


def fetch_force_months(
    client: PoliceUkClient,
    force: str,
    months: Sequence[Month],
    out_dir: Path,
    *,
    kinds: Sequence[Kind] = ALL_KINDS,
    coverage_months: int = DEFAULT_ARCHIVE_COVERAGE_MONTHS,
    check_availability: bool = True,
    archive_dir: Path | None = None,
    keep_archives: bool = False,
) -> FetchResult:
    """Fetch one force's files for the months into out_dir/YYYY-MM/, data.police.uk's own layout.

    Months data.police.uk has not published yet are reported, not requested. Archives download to
    archive_dir (default_archive_dir() when None) and are deleted once extracted unless keep_archives.
    """
    validate_force(force)
    result = FetchResult(force, sorted(set(months)), tuple(dict.fromkeys(kinds)))
    out_dir.mkdir(parents=True, exist_ok=True)
    to_plan = result.months
    if check_availability:
        to_plan = _drop_unpublished(client, result)
    manifest = FetchManifest.load(out_dir)
    archive_dir = archive_dir or default_archive_dir()
    result.archives = plan_archives(to_plan, coverage_months)
    for plan in result.archives:
        _fetch_archive(client, plan, result, manifest, out_dir, archive_dir, keep_archives)
    if result.newest_published is not None and Kind.STREET in result.kinds:
        _record_availability(client, result, manifest)
    return result


def _record_availability(client: PoliceUkClient, result: FetchResult, manifest: FetchManifest) -> None:
    """Write what the checked fetch found about each month's street file into the manifest: published
    (extracted, now or earlier), or not published by police.uk (after the newest published month, or
    absent from police.uk's archive for a month it lists), with the reason and when it was checked."""
    checked_at = datetime.now(UTC).isoformat(timespec="seconds")
    gaps = {gap.month: gap.reason for gap in result.missing if gap.kind == Kind.STREET}
    fetched = set(result.months_fetched)
    months = manifest.availability.setdefault(result.force, {})
    for month in result.months:
        if month in gaps:
            entry = {"published": False, "reason": gaps[month]}
        elif month in fetched:
            entry = {"published": True, "reason": "extracted from police.uk's archive"}
        else:
            continue
        months[str(month)] = entry | {
            "checked_at": checked_at,
            "newest_published": str(result.newest_published),
            "source": client.base_url,
        }
    manifest.save()


def _drop_unpublished(client: PoliceUkClient, result: FetchResult) -> list[Month]:
    """Months worth asking an archive for: not after the newest month data.police.uk has published."""
    try:
        available = client.crimes_street_dates()
    except FetchError as error:
        result.notes.append(f"could not check which months are published ({error}); trying the archives anyway")
        return result.months
    if not available:
        result.notes.append("data.police.uk listed no published months; trying the archives anyway")
        return result.months
    newest = available[0].month
    result.newest_published = newest
    for month in result.months:
        if month > newest:
            for kind in result.kinds:
                result.missing.append(MissingFile(month, kind, f"not published yet (the newest month is {newest})"))
    return [month for month in result.months if month <= newest]


def _fetch_archive(
    client: PoliceUkClient,
    plan: ArchivePlan,
    result: FetchResult,
    manifest: FetchManifest,
    out_dir: Path,
    archive_dir: Path,
    keep_archives: bool,
) -> None:
    wanted = {member_name(month, result.force, kind): (month, kind) for month in plan.months for kind in result.kinds}
    known_absent = set(manifest.absent.get(plan.filename, []))
    to_extract = {}
    for member, (month, kind) in wanted.items():
        if member in known_absent:
            result.missing.append(MissingFile(month, kind, f"not in archive {plan.filename}"))
        elif manifest.is_complete(out_dir, member, plan.filename):
            result.already_complete.append(out_dir / member)
        else:
            to_extract[member] = (month, kind)
    if not to_extract:
        return

    archive_dir.mkdir(parents=True, exist_ok=True)
    archive_path = archive_dir / plan.filename
    for try_number in (1, 2):
        if archive_path.exists():
            # Kept by an earlier run (--keep-archives) or left by one stopped before extracting.
            may_be_stale = True
        else:
            may_be_stale = _download_archive(client, plan, archive_path)
        try:
            written, absent = _extract(archive_path, plan, result.force, to_extract, manifest, out_dir)
            break
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            archive_path.unlink()
            if try_number == 2 or not may_be_stale:
                raise FetchError(
                    f"{client.url(plan.path)}: the downloaded archive is damaged ({error}); "
                    "it has been deleted, so running the command again downloads it afresh"
                ) from error
            # A resumed download joins bytes from two responses; if the file changed on the server in
            # between, the halves do not fit. Only a download from the start can tell.
            result.notes.append(f"{plan.filename} was damaged ({error}); downloaded it again from the start")
    result.written.extend(written)
    result.missing.extend(absent)
    if not keep_archives:
        archive_path.unlink()


def _download_archive(client: PoliceUkClient, plan: ArchivePlan, archive_path: Path) -> bool:
    try:
        return client.download(plan.path, archive_path)
    except HttpStatusError as error:
        if error.status == 404:
            raise FetchError(
                f"{error}. data.police.uk has no archive for {plan.archive_month}: it may not be published "
                "yet (see `vru fetch --list-available`) or the base URL may be wrong"
            ) from error
        raise


def _extract(
    archive_path: Path,
    plan: ArchivePlan,
    force: str,
    to_extract: dict[str, tuple[Month, Kind]],
    manifest: FetchManifest,
    out_dir: Path,
) -> tuple[list[Path], list[MissingFile]]:
    """Extract the members the archive holds; (files written, requested files it lacks)."""
    written = []
    absent = []
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        forces_in_archive = {m.group("force") for m in map(_ARCHIVE_MEMBER.fullmatch, names) if m is not None}
        if force not in forces_in_archive:
            raise FetchError(
                f"{plan.filename} holds no files for force {force!r}; forces in it: "
                + (", ".join(sorted(forces_in_archive)) or "none")
            )
        for member, (month, kind) in sorted(to_extract.items()):
            if member not in names:
                absent.append(MissingFile(month, kind, f"not in archive {plan.filename}"))
                continue
            destination = out_dir / member
            sha256, size = _extract_member(archive, member, destination)
            manifest.files[member] = {
                "sha256": sha256,
                "bytes": size,
                "archive": plan.filename,
                "extracted_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            # Saved after every file so an interrupted run keeps what it finished.
            manifest.save()
            written.append(destination)
    absent_members = {member_name(gap.month, force, gap.kind) for gap in absent}
    manifest.absent[plan.filename] = sorted(set(manifest.absent.get(plan.filename, [])) | absent_members)
    manifest.save()
    return written, absent


def _extract_member(archive: zipfile.ZipFile, member: str, destination: Path) -> tuple[str, int]:
    """Copy one member out (zipfile checks its CRC at the end) via a temporary name; (sha256, bytes)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(destination.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(member) as source, temporary.open("wb") as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, destination)
    return digest.hexdigest(), size
