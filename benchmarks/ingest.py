"""Ingest speed on the real street files, and at national scale on replicated files.

Prints figures; asserts nothing. Targets:
* issue 9: the whole `vru ingest` process on the 26 real files (387,015 rows) takes at most 1.5 times a
  bare DuckDB process doing CREATE TABLE AS SELECT * FROM read_csv(...) with the same explicit schema into
  a database file, the two run in turn (interleaved) in the same run, with every row still accounted for
  (each file's rows loaded plus set aside equal its data lines counted here with the csv module);
* issue "Foundation": the files replicated to 20 million rows load in at most 60 s with peak memory at
  most 3 GB, and time grows linearly with rows (--scale-rows; skip with --skip-scale).
The replicated files are SYNTHETIC copies of the real rows under made-up force names (a scale test only).

Usage: .venv/bin/python benchmarks/ingest.py [--shared ../shared/data] [--repeats 5] [--skip-scale]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FRACTIONS = (0.25, 0.5, 1.0)
REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
VRU = REPO / ".venv" / "bin" / "vru"

# The bare baseline: DuckDB alone, no toolkit code, the schema passed in as DuckDB's struct literal.
BARE_DUCKDB = """
import sys, duckdb
columns = sys.argv[2]
con = duckdb.connect(sys.argv[1])
con.execute(
    "CREATE TABLE street AS SELECT * FROM read_csv(?, columns = " + columns + ", header = true, auto_detect = false)",
    [sys.argv[3:]],
)
con.close()
"""


# The same work as `vru ingest` (load, then the coverage summary) without the command's start-up: shows
# how much of the whole-process time is the `vru` command itself (its imports) rather than the ingest.
INGEST_ONLY = """
import sys
from pathlib import Path
from vru.warehouse import connect
from vru.warehouse.coverage import coverage_report
from vru.warehouse.ingest import ingest
con = connect(sys.argv[1])
ingest(con, sys.argv[2:], scratch_dir=Path(sys.argv[1]).parent)
coverage_report(con)
con.close()
"""


def street_schema() -> str:
    sys.path.insert(0, str(REPO / "src"))
    from vru.sources.police_uk import STREET_COLUMNS

    return "{" + ", ".join(f"'{column}': '{sql_type}'" for column, _, sql_type in STREET_COLUMNS) + "}"


def timed(command: list[str], environment: dict) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds user + system) of the whole child process. The CPU time moves far
    less than the wall clock when other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rows_per_file(files: list[Path]) -> dict[str, int]:
    """Independent count: the data rows of each file, read with the csv module."""
    counts = {}
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            counts[str(path)] = sum(1 for _ in csv.reader(handle)) - 1
    return counts


def accounted_for(warehouse: Path, expected: dict[str, int]) -> tuple[int, list[str]]:
    """(rows in street_crime, files whose rows loaded + set aside differ from the independent count)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        units = con.execute("SELECT source_file, rows_loaded + rows_quarantined FROM ingest_unit").fetchall()
        loaded = con.execute("SELECT count(*) FROM street_crime").fetchone()[0]
    finally:
        con.close()
    found = dict(units)
    return loaded, [name for name, rows in expected.items() if found.get(name) != rows]


def real_files_benchmark(files: list[Path], repeats: int) -> None:
    expected = rows_per_file(files)
    total = sum(expected.values())
    print(f"real files: {len(files)} files, {total:,} rows (counted with the csv module)")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
    }
    schema = street_schema()
    times: dict[str, list[float]] = {"bare": [], "vru": [], "ingest only": []}
    cpu: dict[str, list[float]] = {"bare": [], "vru": [], "ingest only": []}
    any_missing = False
    with tempfile.TemporaryDirectory(prefix="vru-bench-ingest-") as scratch:
        bare_db, vru_db = Path(scratch) / "bare.duckdb", Path(scratch) / "vru.duckdb"
        only_db = Path(scratch) / "only.duckdb"
        databases = {"bare": bare_db, "vru": vru_db, "ingest only": only_db}
        commands = {
            "bare": [str(PYTHON), "-c", BARE_DUCKDB, str(bare_db), schema, *map(str, files)],
            "vru": [str(VRU), "ingest", *map(str, files), "--warehouse", str(vru_db)],
            "ingest only": [str(PYTHON), "-c", INGEST_ONLY, str(only_db), *map(str, files)],
        }
        for repeat in range(repeats):
            # Interleaved, and the order swapped each round, so neither gets a warmer cache or a quieter machine.
            order = ["bare", "vru", "ingest only"]
            for name in order if repeat % 2 == 0 else order[::-1]:
                database = databases[name]
                database.unlink(missing_ok=True)
                Path(f"{database}.wal").unlink(missing_ok=True)
                wall, cpu_seconds = timed(commands[name], environment)
                times[name].append(wall)
                cpu[name].append(cpu_seconds)
            loaded, wrong = accounted_for(vru_db, expected)
            if loaded != total or wrong:
                any_missing = True
                print(f"  ROWS NOT ACCOUNTED FOR in round {repeat + 1}: {loaded:,} loaded; files off: {wrong}")
    bare, vru = statistics.median(times["bare"]), statistics.median(times["vru"])
    print(f"  {repeats} rounds, interleaved; whole processes, median (min):")
    print(f"  bare DuckDB CREATE TABLE AS read_csv:  {bare:6.2f} s  ({min(times['bare']):.2f})")
    print(f"  vru ingest:                            {vru:6.2f} s  ({min(times['vru']):.2f})")
    best = min(times["vru"]) / min(times["bare"])
    print(f"  ratio vru / bare: {vru / bare:.2f} median, {best:.2f} min  (target <= 1.5)")
    bare_cpu, vru_cpu = statistics.median(cpu["bare"]), statistics.median(cpu["vru"])
    print(f"  CPU seconds (user + system), median: bare {bare_cpu:.2f}, vru {vru_cpu:.2f}", end="")
    print(f", ratio {vru_cpu / bare_cpu:.2f}")
    print(f"  load average after the rounds: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    only = statistics.median(times["ingest only"])
    print(f"  the same ingest without the vru command's start-up: {only:6.2f} s, ratio {only / bare:.2f} median")
    if not any_missing:
        print(f"  every row accounted for in every round: {total:,} rows; each file's loaded + set aside = its rows")


def replicate(files: list[Path], target_rows: int, out: Path) -> int:
    """Plain-CSV copies of the real files under synthetic force names until target_rows is reached."""
    out.mkdir(parents=True, exist_ok=True)
    texts = [(path.name.replace(".gz", ""), gzip.decompress(path.read_bytes())) for path in files]
    rows_per_copy = sum(text.count(b"\n") - 1 for _, text in texts)
    copies = -(-target_rows // rows_per_copy)
    for copy in range(copies):
        for name, text in texts:
            (out / name.replace("avon-and-somerset", f"synthetic-force-{copy:03d}")).write_bytes(text)
    return copies * rows_per_copy


def scale_run(folder: Path, warehouse: Path) -> tuple[float, float, float]:
    """Ingest in a child process so its peak memory (max RSS) is its own. Returns (seconds, CPU seconds,
    peak GB)."""
    script = (
        "import resource, sys, time\n"
        "from vru.warehouse import connect\nfrom vru.warehouse.ingest import ingest\n"
        "start = time.perf_counter()\ncon = connect(sys.argv[1])\ningest(con, [sys.argv[2]])\ncon.close()\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
    )
    warehouse.unlink(missing_ok=True)
    output = subprocess.run(
        [sys.executable, "-c", script, str(warehouse), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), float(output[1]), int(output[2]) / 1024 / 1024


def scale_benchmark(files: list[Path], target_rows: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="vru-bench-", dir=REPO / "var"))
    try:
        results = []
        for fraction in FRACTIONS:
            folder = scratch / f"rows-{fraction}"
            rows = replicate(files, int(target_rows * fraction), folder)
            seconds, cpu_seconds, peak_gb = scale_run(folder, scratch / "scale.duckdb")
            results.append((rows, seconds))
            print(
                f"  {rows:>11,} rows: {seconds:6.1f} s ({cpu_seconds:.1f} CPU s), {rows / seconds:,.0f} rows/s, "
                f"peak memory {peak_gb:.2f} GB, load average {os.getloadavg()[0]:.2f}"
            )
            shutil.rmtree(folder)
        (small_rows, small_s), (big_rows, big_s) = results[0], results[-1]
        print(f"  time ratio {big_s / small_s:.2f} for a row ratio {big_rows / small_rows:.2f} (linear = equal)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--scale-rows", type=int, default=20_000_000)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    files = sorted((args.shared / "police_uk" / "street").glob("*-street.csv.gz"))
    if not files:
        sys.exit(f"no street files under {args.shared}")
    real_files_benchmark(files, args.repeats)
    if not args.skip_scale:
        print(f"scale (synthetic copies of the real rows, target {args.scale_rows:,} rows):")
        scale_benchmark(files, args.scale_rows)
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main()
