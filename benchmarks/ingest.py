"""Ingest speed on the real street files, and at national scale on replicated files.

Prints figures; asserts nothing. Targets (issue "Foundation"):
* the 26 real files (387,015 rows) load in at most 1.5x the time it takes merely to gunzip and read
  them, measured in the same run, and faster than pandas.concat(pd.read_csv(f) for f in files);
* the files replicated to 20 million rows load in at most 60 s with peak memory at most 3 GB, and time
  grows linearly with rows.
The replicated files are SYNTHETIC copies of the real rows under made-up force names (a scale test only).

Usage: .venv/bin/python benchmarks/ingest.py [--shared ../shared/data] [--scale-rows 20000000] [--skip-scale]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FRACTIONS = (0.25, 0.5, 1.0)
REPO = Path(__file__).resolve().parents[1]


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def gunzip_and_read(files: list[Path]) -> None:
    for path in files:
        with gzip.open(path, "rb") as handle:
            while handle.read(1 << 20):
                pass


def pandas_concat(files: list[Path]) -> None:
    import pandas as pd

    pd.concat(pd.read_csv(path) for path in files)


def vru_ingest(files: list[Path], scratch: Path) -> None:
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest

    path = scratch / "bench.duckdb"
    path.unlink(missing_ok=True)
    con = connect(path)
    ingest(con, files)
    con.close()


def real_files_benchmark(files: list[Path]) -> None:
    rows = sum(sum(1 for _ in gzip.open(path, "rb")) - 1 for path in files)
    print(f"real files: {len(files)} files, {rows:,} rows")
    with tempfile.TemporaryDirectory() as scratch:
        ingest_seconds = best_of(3, lambda: vru_ingest(files, Path(scratch)))
    gunzip_seconds = best_of(3, lambda: gunzip_and_read(files))
    pandas_seconds = best_of(3, lambda: pandas_concat(files))
    print(f"  gunzip and read (baseline):  {gunzip_seconds:6.2f} s")
    print(f"  pandas concat read_csv:      {pandas_seconds:6.2f} s")
    print(f"  vru ingest:                  {ingest_seconds:6.2f} s  ({rows / ingest_seconds:,.0f} rows/s)")
    print(f"  ratio ingest / gunzip+read:  {ingest_seconds / gunzip_seconds:6.2f}  (target <= 1.5)")
    print(f"  ratio ingest / pandas:       {ingest_seconds / pandas_seconds:6.2f}  (target < 1)")


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


def scale_run(folder: Path, warehouse: Path) -> tuple[float, float]:
    """Ingest in a child process so its peak memory (max RSS) is its own. Returns (seconds, peak GB)."""
    script = (
        "import resource, sys, time\n"
        "from vru.warehouse import connect\nfrom vru.warehouse.ingest import ingest\n"
        "start = time.perf_counter()\ncon = connect(sys.argv[1])\ningest(con, [sys.argv[2]])\ncon.close()\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    warehouse.unlink(missing_ok=True)
    output = subprocess.run(
        [sys.executable, "-c", script, str(warehouse), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), int(output[1]) / 1024 / 1024


def scale_benchmark(files: list[Path], target_rows: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="vru-bench-", dir=REPO / "var"))
    try:
        results = []
        for fraction in FRACTIONS:
            folder = scratch / f"rows-{fraction}"
            rows = replicate(files, int(target_rows * fraction), folder)
            seconds, peak_gb = scale_run(folder, scratch / "scale.duckdb")
            results.append((rows, seconds))
            print(f"  {rows:>11,} rows: {seconds:6.1f} s, {rows / seconds:,.0f} rows/s, peak memory {peak_gb:.2f} GB")
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
    args = parser.parse_args()
    files = sorted((args.shared / "police_uk" / "street").glob("*-street.csv.gz"))
    if not files:
        sys.exit(f"no street files under {args.shared}")
    real_files_benchmark(files)
    if not args.skip_scale:
        print(f"scale (synthetic copies of the real rows, target {args.scale_rows:,} rows):")
        scale_benchmark(files, args.scale_rows)
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main()
