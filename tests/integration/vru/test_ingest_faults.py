"""Faults around an ingest, on the committed demo extract (real rows): kill -9, two runs at once, a full
disk, a read-only warehouse. A full disk is a real small tmpfs where this machine lets us mount one (root,
as in CI), and a simulated ENOSPC otherwise."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, require
from vru.errors import WarehouseError
from vru.warehouse import connect
from vru.warehouse import ingest as ingest_module
from vru.warehouse.ingest import SCRATCH_PREFIX, ingest

PAUSING_INGEST = """
import sys
from vru.warehouse import connect
from vru.warehouse.ingest import ingest

def on_progress(files_done, rows_done):
    print("progress", files_done, flush=True)
    sys.stdin.readline()  # wait here, mid-transaction, until the test is done with us

con = connect(sys.argv[1])
ingest(con, sys.argv[3:], on_progress=on_progress, scratch_dir=sys.argv[2])
print("finished", flush=True)
"""


def street_folder(demo_data: Path) -> Path:
    return demo_data / "police_uk" / "street"


def demo_archive(tmp_path: Path, demo_data: Path) -> Path:
    """The demo street files as one data.police.uk-style zip (members are the real plain CSVs)."""
    import gzip

    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(street_folder(demo_data).glob("*.csv.gz")):
            out.writestr(f"{path.name[:7]}/{path.name[:-3]}", gzip.decompress(path.read_bytes()))
    return archive


@contextmanager
def paused_ingest(warehouse: Path, scratch: Path, *inputs: Path):
    """A second process stopped mid-transaction, holding the warehouse; killed with SIGKILL on exit."""
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_INGEST, str(warehouse), str(scratch), *map(str, inputs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO_ROOT / "src")},
    )
    try:
        assert child.stdout.readline().startswith("progress")
        yield child
    finally:
        child.kill()
        child.wait(timeout=30)


def months_loaded(path: Path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        query = "SELECT strftime(month, '%Y-%m'), count(*) FROM street_crime GROUP BY 1 ORDER BY 1"
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_kill_9_mid_ingest_of_an_archive_leaves_the_warehouse_and_the_next_run_cleans_up(tmp_path, demo_data):
    warehouse, scratch = tmp_path / "warehouse.duckdb", tmp_path / "scratch"
    scratch.mkdir()
    con = connect(warehouse)
    ingest(con, [street_folder(demo_data) / "2023-01-avon-and-somerset-street.csv.gz"])
    con.close()
    before = months_loaded(warehouse)

    with paused_ingest(warehouse, scratch, demo_archive(tmp_path, demo_data)) as child:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    left = list(scratch.glob(f"{SCRATCH_PREFIX}*"))
    assert [path.name.split("-")[2] for path in left] == [str(child.pid)], "kill -9 leaves its scratch folder"
    assert months_loaded(warehouse) == before

    # The next run removes what the killed one left, and loads.
    con = connect(warehouse)
    report = ingest(con, [street_folder(demo_data) / "2023-02-avon-and-somerset-street.csv.gz"], scratch_dir=scratch)
    assert report.rows_loaded > 0
    assert list(scratch.iterdir()) == []


def test_two_ingests_at_once_the_second_exits_2_with_a_message(tmp_path, demo_data):
    from vru.cli import app

    warehouse, scratch = tmp_path / "warehouse.duckdb", tmp_path / "scratch"
    scratch.mkdir()
    connect(warehouse).close()
    with paused_ingest(warehouse, scratch, street_folder(demo_data)) as child:
        result = CliRunner().invoke(app, ["ingest", str(street_folder(demo_data)), "--warehouse", str(warehouse)])
        assert result.exit_code == 2, result.output
        assert "in use by another `vru` command" in result.output
        assert f"process {child.pid}" in result.output
        assert "Traceback" not in result.output
    assert months_loaded(warehouse) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MiB tmpfs: too small for the demo extract's warehouse. None where mounting is not allowed."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)], capture_output=True
        ).returncode
        == 0
    )
    yield mount_point if mounted else None
    if mounted:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_while_writing_is_reported_as_a_full_disk(small_disk, demo_data):
    require(small_disk is not None, "cannot mount a small tmpfs here (needs root)")
    warehouse = small_disk / "warehouse.duckdb"
    con = connect(warehouse)
    with pytest.raises(WarehouseError) as caught:
        ingest(con, [demo_data / "police_uk"], scratch_dir=small_disk)
    message = str(caught.value)
    assert "no space left on the disk while writing" in message and str(small_disk) in message
    assert "The input files were not the problem" in message
    con.close()


def test_a_full_disk_while_unpacking_is_not_called_a_damaged_archive(small_disk, tmp_path, demo_data, monkeypatch):
    archive = demo_archive(tmp_path, demo_data)
    if small_disk is None:
        # No tmpfs here: simulate the disk filling up under the unpacking.
        def full_disk(*_):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(ingest_module, "_write_all", full_disk)
        scratch = tmp_path / "scratch"
        scratch.mkdir()
    else:
        scratch = small_disk
        (small_disk / "filler").write_bytes(b"\0" * (3 * 2**20 - 256 * 1024))
    con = connect(tmp_path / "warehouse.duckdb")
    with pytest.raises(WarehouseError) as caught:
        ingest(con, [archive], scratch_dir=scratch)
    message = str(caught.value)
    assert "no space left on the disk" in message and "truncated or damaged" not in message
    assert [path.name for path in scratch.iterdir() if path.name.startswith(SCRATCH_PREFIX)] == []


def test_a_read_only_warehouse_exits_2_with_a_message(small_disk, demo_data):
    require(small_disk is not None, "cannot mount a small tmpfs here (needs root)")
    from vru.cli import app

    warehouse = small_disk / "warehouse.duckdb"
    connect(warehouse).close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = CliRunner().invoke(app, ["ingest", str(street_folder(demo_data)), "--warehouse", str(warehouse)])
    assert result.exit_code == 2, result.output
    assert "cannot open the warehouse" in result.output and "Traceback" not in result.output
