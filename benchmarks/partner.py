"""`vru partner` on the published partner indicators: the whole-process time of loading ../shared/data/partner_la
into a new warehouse, against a plain read of the same files in the same run.

Prints figures; asserts nothing. The baseline reads every file `vru partner` loads with no checking, matching or
writing: the Parquet with pyarrow, the CSVs with pandas, the ODS with calamine (every sheet), in a child process
started the same way (so both pay Python's and the libraries' start-up). The runs are interleaved, so a busy
machine slows both alike; each figure is the median. Beside wall-clock time it prints the CPU time (user + system)
of each process, which a shared machine inflates far less, and the load average.

Usage: .venv/bin/python benchmarks/partner.py [--shared ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VRU = Path(sys.executable).with_name("vru")

BASELINE = """
import sys
from pathlib import Path
import pandas as pd
import pyarrow.parquet as pq
from vru.sources.partner_la import partner_la_source
rows = 0
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if not path.is_file() or partner_la_source(path) is None:
        continue
    if path.suffix == ".parquet":
        rows += pq.read_table(path).num_rows
    elif path.suffix == ".ods":
        sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None, dtype=object)
        rows += sum(len(sheet) for sheet in sheets.values())
    else:
        rows += len(pd.read_csv(path, dtype=str, encoding_errors="replace"))
print(rows)
"""


def timed(command: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its standard output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = args.shared / "partner_la"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (the shared data set is needed)")
        return 0
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    loads, baselines = [], []
    rows_loaded = rows_read = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            warehouse = Path(tmp) / f"w{run}.duckdb"
            baselines.append(timed([sys.executable, "-c", BASELINE, str(folder)], env))
            loads.append(timed([str(VRU), "partner", str(folder), "--warehouse", str(warehouse)], env))
            rows_read = int(baselines[-1][2].split()[-1])
        import duckdb

        con = duckdb.connect(str(Path(tmp) / f"w{args.runs - 1}.duckdb"), read_only=True)
        (rows_loaded,) = con.execute("SELECT count(*) FROM partner_indicator").fetchone()
        con.close()
    load_wall = statistics.median(wall for wall, _, _ in loads)
    load_cpu = statistics.median(cpu for _, cpu, _ in loads)
    base_wall = statistics.median(wall for wall, _, _ in baselines)
    base_cpu = statistics.median(cpu for _, cpu, _ in baselines)
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"vru partner {folder.name}: {load_wall:.1f} s wall, {load_cpu:.1f} s CPU (median of {args.runs})")
    print(f"  {rows_loaded:,} indicator rows, {rows_loaded / load_wall:,.0f} rows/s wall")
    print(f"baseline, plain read of the same files: {base_wall:.1f} s wall, {base_cpu:.1f} s CPU ({rows_read:,} rows)")
    print(f"ratio vru partner / baseline: {load_wall / base_wall:.1f}x wall, {load_cpu / base_cpu:.1f}x CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
