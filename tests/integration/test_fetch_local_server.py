"""`vru fetch` against a local stand-in for data.police.uk serving archives built from the real street files.

Nothing here touches the internet: the server listens on 127.0.0.1 and serves zips made in the test from
../shared/data/police_uk/street/ (real Avon and Somerset files; the shared copy lacks 2024-07 and
2024-08, so the archive built from it does too: a gap to report).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vru.assessment import assess
from vru.cli.fetch import register
from vru.profiles import get_profile
from vru.sources.police_uk_download import (
    FetchError,
    Kind,
    Month,
    PoliceUkClient,
    RetryPolicy,
    fetch_force_months,
    month_range,
)
from vru.sources.police_uk_manifest import MANIFEST_NAME
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.shared_data

FORCE = "avon-and-somerset"
# Archive name -> the months (real files) it holds, in data.police.uk's layout.
ARCHIVE_MONTHS = {
    "2023-03.zip": ["2023-01", "2023-02", "2023-03"],
    "2024-09.zip": ["2024-06", "2024-09"],
}


def real_street_csv(shared_data: Path, month: str) -> bytes:
    return gzip.decompress((shared_data / "police_uk" / "street" / f"{month}-{FORCE}-street.csv.gz").read_bytes())


@pytest.fixture(scope="session")
def archives(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("archives")
    built = {}
    for name, months in ARCHIVE_MONTHS.items():
        path = folder / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for month in months:
                archive.writestr(f"{month}/{month}-{FORCE}-street.csv", real_street_csv(shared_data, month))
        built[name] = path.read_bytes()
    return built


@dataclass
class LocalDataPoliceUk:
    """State of the stand-in server: what it serves, how it misbehaves, and every request it saw."""

    archives: dict[str, bytes]
    street_dates: list[dict] | None = None
    too_many_requests: int = 0
    unavailable: int = 0
    cut_after_bytes: int | None = None
    ignore_range: bool = False
    requests: list[dict] = field(default_factory=list)
    base_url: str = ""

    def archive_requests(self) -> list[dict]:
        return [request for request in self.requests if request["path"].startswith("/data/archive/")]


def make_handler(state: LocalDataPoliceUk) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            record = {"path": self.path, "range": self.headers.get("Range")}
            state.requests.append(record)
            if self.path == "/api/crimes-street-dates" and state.street_dates is not None:
                self.send_body(200, json.dumps(state.street_dates).encode(), "application/json")
            elif self.path == "/api/crime-last-updated" and state.street_dates is not None:
                self.send_body(200, json.dumps({"date": f"{state.street_dates[0]['date']}-01"}).encode())
            elif not self.path.startswith("/data/archive/"):
                self.send_body(404, b"Not Found")
            elif state.too_many_requests:
                state.too_many_requests -= 1
                self.send_body(429, b"Too Many Requests", extra_headers={"Retry-After": "0"})
            elif state.unavailable:
                state.unavailable -= 1
                self.send_body(503, b"Service Unavailable")
            elif self.path.removeprefix("/data/archive/") not in state.archives:
                self.send_body(404, b"Not Found")
            else:
                self.send_archive(state.archives[self.path.removeprefix("/data/archive/")], record)

        def send_archive(self, body: bytes, record: dict) -> None:
            start = 0
            range_header = None if state.ignore_range else self.headers.get("Range")
            state.ignore_range = False
            if range_header is not None:
                start = int(re.fullmatch(r"bytes=(\d+)-", range_header).group(1))
                if start >= len(body):
                    self.send_body(416, b"", extra_headers={"Content-Range": f"bytes */{len(body)}"})
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            record["status"] = 206 if range_header else 200
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if state.cut_after_bytes is not None:
                # Promise the whole body, send part of it, hang up: what a dropped connection looks like.
                self.wfile.write(body[start : start + state.cut_after_bytes])
                state.cut_after_bytes = None
                self.close_connection = True
                return
            self.wfile.write(body[start:])

        def send_body(
            self,
            status: int,
            body: bytes,
            content_type: str = "text/plain",
            extra_headers: dict[str, str] | None = None,
        ) -> None:
            state.requests[-1]["status"] = status
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra_headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server(archives: dict[str, bytes], street_files: list[Path]) -> Iterator[LocalDataPoliceUk]:
    published = sorted({path.name[:7] for path in street_files}, reverse=True)
    state = LocalDataPoliceUk(
        archives=archives,
        street_dates=[{"date": month, "stop-and-search": []} for month in published],
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def sleeps() -> list[float]:
    """Delays the retry policy asked for; recorded instead of slept so the tests stay fast."""
    return []


@pytest.fixture
def client(server: LocalDataPoliceUk, sleeps: list[float]) -> Iterator[PoliceUkClient]:
    with PoliceUkClient(server.base_url, sleep=sleeps.append, random=lambda: 0.0, timeout_seconds=5) as client:
        yield client


def fetch(client: PoliceUkClient, tmp_path: Path, force: str, months: list[Month], **options):
    """Fetch into tmp_path/out, downloading archives into tmp_path/archives."""
    return fetch_force_months(client, force, months, tmp_path / "out", archive_dir=tmp_path / "archives", **options)


def fetch_street(client: PoliceUkClient, tmp_path: Path, first: str, last: str, **options):
    months = month_range(Month.parse(first), Month.parse(last))
    return fetch(client, tmp_path, FORCE, months, kinds=[Kind.STREET], **options)


def extracted(tmp_path: Path, month: str) -> Path:
    return tmp_path / "out" / month / f"{month}-{FORCE}-street.csv"


def test_extracts_the_requested_months_byte_for_byte(client, server, shared_data, tmp_path) -> None:
    result = fetch_street(client, tmp_path, "2023-02", "2023-03")

    for month in ("2023-02", "2023-03"):
        assert extracted(tmp_path, month).read_bytes() == real_street_csv(shared_data, month)
    assert not (tmp_path / "out" / "2023-01").exists(), "the archive's other months are left in it"
    assert result.months_fetched == [Month(2023, 2), Month(2023, 3)]
    assert result.missing == []
    assert [plan.filename for plan in result.archives] == ["2023-03.zip"]
    assert len(server.archive_requests()) == 1
    assert not (tmp_path / "archives" / "2023-03.zip").exists(), "archives are deleted once extracted"

    manifest = json.loads((tmp_path / "out" / MANIFEST_NAME).read_text())
    entry = manifest["files"][f"2023-03/2023-03-{FORCE}-street.csv"]
    assert entry["sha256"] == hashlib.sha256(real_street_csv(shared_data, "2023-03")).hexdigest()
    assert entry["archive"] == "2023-03.zip"


def test_a_rerun_skips_complete_files_without_downloading(client, server, shared_data, tmp_path) -> None:
    fetch_street(client, tmp_path, "2023-02", "2023-03")
    again = fetch_street(client, tmp_path, "2023-02", "2023-03")

    assert again.written == []
    assert sorted(again.already_complete) == [extracted(tmp_path, "2023-02"), extracted(tmp_path, "2023-03")]
    assert len(server.archive_requests()) == 1

    extracted(tmp_path, "2023-03").write_bytes(b"edited by hand")
    repaired = fetch_street(client, tmp_path, "2023-02", "2023-03")
    assert repaired.written == [extracted(tmp_path, "2023-03")]
    assert extracted(tmp_path, "2023-03").read_bytes() == real_street_csv(shared_data, "2023-03")


def test_retries_429_honouring_retry_after(client, server, sleeps, tmp_path) -> None:
    server.too_many_requests = 2

    fetch_street(client, tmp_path, "2023-03", "2023-03")

    assert [request["status"] for request in server.archive_requests()] == [429, 429, 200]
    assert sleeps == [0.0, 0.0], "Retry-After: 0 replaces the backoff"


def test_retries_503_with_exponential_backoff(client, server, sleeps, shared_data, tmp_path) -> None:
    server.unavailable = 3

    fetch_street(client, tmp_path, "2023-03", "2023-03")

    assert [request["status"] for request in server.archive_requests()] == [503, 503, 503, 200]
    assert sleeps == [0.25, 0.5, 1.0], "base 0.5 s doubling, jitter factor 0.5 with random() = 0"
    assert extracted(tmp_path, "2023-03").read_bytes() == real_street_csv(shared_data, "2023-03")


def test_gives_up_after_max_attempts_naming_the_url(server, sleeps, tmp_path) -> None:
    server.unavailable = 10
    with PoliceUkClient(server.base_url, retry=RetryPolicy(max_attempts=3), sleep=sleeps.append) as client:
        with pytest.raises(FetchError, match=r"/data/archive/2023-03\.zip failed after 3 attempts.*HTTP 503"):
            fetch_street(client, tmp_path, "2023-03", "2023-03")
    assert len(server.archive_requests()) == 3


def test_resumes_a_cut_connection_with_a_range_request(client, server, archives, shared_data, tmp_path) -> None:
    server.cut_after_bytes = 300_000

    fetch_street(client, tmp_path, "2023-01", "2023-03")

    first, second = server.archive_requests()
    assert (first["range"], first["status"]) == (None, 200)
    assert (second["range"], second["status"]) == ("bytes=300000-", 206)
    for month in ARCHIVE_MONTHS["2023-03.zip"]:
        assert extracted(tmp_path, month).read_bytes() == real_street_csv(shared_data, month)


def test_resumes_a_part_file_left_by_an_earlier_run(client, server, archives, shared_data, tmp_path) -> None:
    part = tmp_path / "archives" / "2023-03.zip.part"
    part.parent.mkdir()
    part.write_bytes(archives["2023-03.zip"][:123_456])

    fetch_street(client, tmp_path, "2023-03", "2023-03", keep_archives=True)

    assert [(r["range"], r["status"]) for r in server.archive_requests()] == [("bytes=123456-", 206)]
    assert (tmp_path / "archives" / "2023-03.zip").read_bytes() == archives["2023-03.zip"]
    assert not part.exists()
    assert extracted(tmp_path, "2023-03").read_bytes() == real_street_csv(shared_data, "2023-03")


def test_a_server_ignoring_range_restarts_the_file(client, server, archives, shared_data, tmp_path) -> None:
    part = tmp_path / "archives" / "2023-03.zip.part"
    part.parent.mkdir()
    part.write_bytes(b"bytes that must not survive a 200 answer")
    server.ignore_range = True

    fetch_street(client, tmp_path, "2023-03", "2023-03", keep_archives=True)

    assert [(r["range"], r["status"]) for r in server.archive_requests()] == [("bytes=40-", 200)]
    assert (tmp_path / "archives" / "2023-03.zip").read_bytes() == archives["2023-03.zip"]
    assert extracted(tmp_path, "2023-03").read_bytes() == real_street_csv(shared_data, "2023-03")


def test_a_part_file_already_whole_is_used_without_downloading_again(client, server, archives, tmp_path) -> None:
    # An earlier run received every byte but stopped before renaming the .part.
    part = tmp_path / "archives" / "2023-03.zip.part"
    part.parent.mkdir()
    part.write_bytes(archives["2023-03.zip"])

    result = fetch_street(client, tmp_path, "2023-03", "2023-03")

    assert [(r["range"], r["status"]) for r in server.archive_requests()] == [
        (f"bytes={len(archives['2023-03.zip'])}-", 416)
    ]
    assert result.months_fetched == [Month(2023, 3)]


def test_a_damaged_resumed_archive_is_downloaded_again(client, server, archives, shared_data, tmp_path) -> None:
    # A .part whose bytes do not belong to the file now on the server (it changed between the two runs).
    part = tmp_path / "archives" / "2023-03.zip.part"
    part.parent.mkdir()
    part.write_bytes(bytes(200_000))

    result = fetch_street(client, tmp_path, "2023-01", "2023-03")

    assert [(r["range"], r["status"]) for r in server.archive_requests()] == [
        ("bytes=200000-", 206),
        (None, 200),
    ]
    assert any("damaged" in note for note in result.notes)
    assert sorted(result.written) == [extracted(tmp_path, month) for month in ARCHIVE_MONTHS["2023-03.zip"]]
    for month in ARCHIVE_MONTHS["2023-03.zip"]:
        assert extracted(tmp_path, month).read_bytes() == real_street_csv(shared_data, month)


def test_a_download_that_is_not_a_zip_fails_and_is_deleted(client, server, tmp_path) -> None:
    server.archives = {"2023-03.zip": b"<html>Down for maintenance</html>"}

    with pytest.raises(FetchError, match=r"2023-03\.zip: the downloaded archive is damaged"):
        fetch_street(client, tmp_path, "2023-03", "2023-03")
    assert not (tmp_path / "archives" / "2023-03.zip").exists()


def test_reports_months_the_archive_lacks(client, server, shared_data, tmp_path) -> None:
    result = fetch_street(client, tmp_path, "2024-06", "2024-09")

    assert result.months_fetched == [Month(2024, 6), Month(2024, 9)]
    assert result.months_missing == [Month(2024, 7), Month(2024, 8)]
    assert {(str(gap.month), gap.reason) for gap in result.missing} == {
        ("2024-07", "not in archive 2024-09.zip"),
        ("2024-08", "not in archive 2024-09.zip"),
    }
    assert not (tmp_path / "out" / "2024-07").exists()
    assert extracted(tmp_path, "2024-09").read_bytes() == real_street_csv(shared_data, "2024-09")

    again = fetch_street(client, tmp_path, "2024-06", "2024-09")
    assert again.months_missing == [Month(2024, 7), Month(2024, 8)]
    assert len(server.archive_requests()) == 1, "known gaps do not make a rerun download the archive again"


def test_kinds_the_archive_lacks_are_reported_per_month(client, server, tmp_path) -> None:
    months = month_range(Month(2023, 2), Month(2023, 3))
    result = fetch(client, tmp_path, FORCE, months)

    assert result.months_missing == []
    missing = {(str(gap.month), gap.kind) for gap in result.missing}
    assert missing == {
        (month, kind) for month in ("2023-02", "2023-03") for kind in (Kind.OUTCOMES, Kind.STOP_AND_SEARCH)
    }


def test_unpublished_months_are_reported_and_not_requested(client, server, tmp_path) -> None:
    server.street_dates = [{"date": month, "stop-and-search": []} for month in ("2023-03", "2023-02", "2023-01")]

    result = fetch_street(client, tmp_path, "2023-02", "2023-05")

    assert [request["path"] for request in server.archive_requests()] == ["/data/archive/2023-03.zip"]
    assert result.months_fetched == [Month(2023, 2), Month(2023, 3)]
    assert {(str(gap.month), gap.reason) for gap in result.missing} == {
        ("2023-04", "not published yet (the newest month is 2023-03)"),
        ("2023-05", "not published yet (the newest month is 2023-03)"),
    }


def test_without_the_availability_api_the_archive_is_tried_and_a_note_says_so(client, server, tmp_path) -> None:
    server.street_dates = None

    result = fetch_street(client, tmp_path, "2023-03", "2023-03")

    assert result.months_fetched == [Month(2023, 3)]
    assert any("could not check which months are published" in note and "404" in note for note in result.notes)


def test_an_unknown_archive_gives_a_clear_404_error(client, server, tmp_path) -> None:
    with pytest.raises(FetchError) as raised:
        fetch_street(client, tmp_path, "2023-04", "2023-04")

    message = str(raised.value)
    assert f"GET {server.base_url}/data/archive/2023-04.zip failed: HTTP 404 Not Found" in message
    assert "no archive for 2023-04" in message
    assert len(server.archive_requests()) == 1, "a 404 is not retried"


def test_a_force_absent_from_the_archive_is_named_with_the_forces_present(client, server, tmp_path) -> None:
    months = [Month(2023, 3)]
    with pytest.raises(FetchError, match=r"2023-03\.zip holds no files for force 'wiltshire'.*avon-and-somerset"):
        fetch(client, tmp_path, "wiltshire", months)


def test_connection_errors_are_retried_then_reported(sleeps, tmp_path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Nothing listens on the port now, so every attempt is refused.
    retry = RetryPolicy(max_attempts=2)
    with PoliceUkClient(f"http://127.0.0.1:{port}", retry=retry, sleep=sleeps.append, random=lambda: 0.0) as client:
        with pytest.raises(FetchError, match=r"failed after 2 attempts; the last: connection error \(ConnectError"):
            fetch_street(client, tmp_path, "2023-03", "2023-03", check_availability=False)
    assert sleeps == [0.25]


def test_availability_endpoints(client, server) -> None:
    available = client.crimes_street_dates()
    assert available[0].month == Month(2025, 4)
    assert Month(2024, 7) not in {entry.month for entry in available}
    assert client.crime_last_updated() == Month(2025, 4)


# The command


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    # A second command keeps Typer from collapsing the app into `fetch` itself, as `vru` has several.
    app.command("version")(lambda: None)
    return app


def run_fetch(tmp_path: Path, first: str, last: str, *options: str):
    out, archives = str(tmp_path / "out"), str(tmp_path / "archives")
    args = ["fetch", "--force", FORCE, "--from", first, "--to", last, "--out", out, "--archive-dir", archives]
    return CliRunner().invoke(cli(), [*args, *options])


def test_cli_fetches_and_summarises(server, shared_data, tmp_path) -> None:
    outcome = run_fetch(tmp_path, "2024-06", "2024-09", "--kind", "street", "--base-url", server.base_url)

    assert outcome.exit_code == 0, outcome.output
    assert "2 of 4 months fetched (2024-06, 2024-09) from 2024-09.zip" in outcome.output
    assert "Files written: 2" in outcome.output
    assert "street: 2024-07 to 2024-08: not in archive 2024-09.zip" in outcome.output
    assert "Outcomes are as at the download date" in outcome.output
    assert extracted(tmp_path, "2024-06").read_bytes() == real_street_csv(shared_data, "2024-06")


def test_cli_fails_with_a_clear_message_on_404(server, tmp_path) -> None:
    outcome = run_fetch(tmp_path, "2023-04", "2023-04", "--base-url", server.base_url)

    assert outcome.exit_code == 1
    assert "Error:" in outcome.output and "HTTP 404" in outcome.output and "2023-04.zip" in outcome.output


def test_cli_rejects_a_bad_month(tmp_path) -> None:
    outcome = run_fetch(tmp_path, "2023-1", "2023-04")

    assert outcome.exit_code == 2
    assert "YYYY-MM" in outcome.output


def test_cli_rejects_a_base_url_without_a_scheme(tmp_path) -> None:
    outcome = run_fetch(tmp_path, "2023-01", "2023-03", "--base-url", "data.police.uk")

    assert outcome.exit_code == 2
    assert "http://" in outcome.output


def test_cli_lists_available_months(server) -> None:
    outcome = CliRunner().invoke(cli(), ["fetch", "--list-available", "--base-url", server.base_url])

    assert outcome.exit_code == 0, outcome.output
    assert "Newest month of crime data on data.police.uk: 2025-04." in outcome.output
    assert "Published months (26): 2023-01 to 2024-06, 2024-09 to 2025-04" in outcome.output


def test_a_gap_police_uk_confirmed_is_said_to_be_theirs_and_an_unchecked_one_is_not(
    client, server, demo_data, shared_data, tmp_path
) -> None:
    """`vru fetch --check-available` records that police.uk lacks 2024-07 and 2024-08 (listed as published
    months overall, absent from its archive for the force); `vru ingest` carries it into the warehouse and the
    assessment words those months "not published by police.uk", while 2024-05, never fetched or checked,
    stays "not in the loaded data"."""
    fetch_street(client, tmp_path, "2024-06", "2024-09")
    availability = json.loads((tmp_path / "out" / MANIFEST_NAME).read_text())["availability"][FORCE]
    assert {month: entry["published"] for month, entry in availability.items()} == {
        "2024-06": True,
        "2024-07": False,
        "2024-08": False,
        "2024-09": True,
    }
    assert availability["2024-07"]["reason"] == "not in archive 2024-09.zip"
    assert availability["2024-07"]["source"] == server.base_url

    con = connect(tmp_path / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    april = shared_data / "police_uk" / "street" / f"2024-04-{FORCE}-street.csv.gz"  # loaded, never checked
    ingest(con, [tmp_path / "out", april])
    rows = con.execute(
        "SELECT strftime(month, '%Y-%m'), published FROM police_uk_availability WHERE force = ? ORDER BY 1", [FORCE]
    ).fetchall()
    assert rows == [("2024-06", True), ("2024-07", False), ("2024-08", False), ("2024-09", True)]
    summary = assess(con, "E06000022", "2024-04", "2024-09", get_profile(), tmp_path / "bundle", permutations=99)
    checked = {row["month"]: row["status"] for row in summary["missing_months_checked"]}
    assert checked == {
        "2024-05": "not in the loaded data",
        "2024-07": "not published by police.uk",
        "2024-08": "not published by police.uk",
    }
    volume = next(finding for finding in summary["findings"] if finding["id"] == "volume")
    assert "July and August 2024 are not published by police.uk (checked " in volume["text"]
    assert "May 2024 is not in the loaded data" in volume["text"]


def test_an_unchecked_fetch_records_no_availability(client, server, tmp_path) -> None:
    fetch_street(client, tmp_path, "2024-06", "2024-09", check_availability=False)
    assert json.loads((tmp_path / "out" / MANIFEST_NAME).read_text())["availability"] == {}
