"""Assessment speed: B&NES, the whole force and every partnership in the force.

Prints figures; asserts nothing. Targets (issue "Needs assessment"): B&NES over all loaded months at most
10 s; the whole force (1,038 LSOAs) at most 30 s; every partnership in the force at most 60 s; peak memory
at most 2 GB. The baseline, run in the same process, is a plain DuckDB read of the same rows into pandas.

Usage: .venv/bin/python benchmarks/assess.py [--shared ../shared/data] [--permutations 9999]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORCE = "E23000036"
BANES = "E06000022"


def build_warehouse(path: Path, reference: list[Path], police: list[Path]) -> None:
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest
    from vru.warehouse.reference import load_reference

    con = connect(path)
    load_reference(con, reference)
    ingest(con, police)
    con.close()


def timed_assess(warehouse: Path, areas: list[str], out: Path, permutations: int) -> tuple[float, float]:
    """Assess the areas one after another in a child process: (seconds, peak memory GB)."""
    script = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from vru.assessment import assess\nfrom vru.profiles import get_profile\nfrom vru.warehouse import connect\n"
        "con = connect(sys.argv[1], read_only=True)\nstart = time.perf_counter()\n"
        "for area in sys.argv[4:]:\n"
        "    assess(con, area, '2023-01', '2025-04', get_profile(), Path(sys.argv[2]) / area,"
        " permutations=int(sys.argv[3]))\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script, str(warehouse), str(out), str(permutations), *areas],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), int(output[1]) / 2**20


def baseline_read(warehouse: Path) -> float:
    from vru.warehouse import connect

    con = connect(warehouse, read_only=True)
    start = time.perf_counter()
    con.execute("SELECT * FROM street_crime").df()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--permutations", type=int, default=9999)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vru-bench-assess-", dir=REPO / "var") as scratch:
        scratch = Path(scratch)
        demo = REPO / "data" / "demo"
        build_warehouse(
            scratch / "demo.duckdb",
            [demo / "geography", demo / "deprivation", demo / "population", demo / "prices"],
            [demo / "police_uk"],
        )
        seconds, peak = timed_assess(scratch / "demo.duckdb", [BANES], scratch / "out", args.permutations)
        base = baseline_read(scratch / "demo.duckdb")
        print(
            f"B&NES (demo extract, 118 LSOAs): {seconds:6.2f} s, peak {peak:.2f} GB "
            f"(baseline read of its rows {base:.2f} s, ratio {seconds / base:.0f}; target <= 10 s)"
        )

        shared = args.shared
        if not (shared / "police_uk" / "street").is_dir():
            print(f"whole force: skipped, no real data at {shared}")
            return
        build_warehouse(
            scratch / "force.duckdb",
            [shared / "geography", shared / "deprivation", shared / "population", shared / "prices"],
            [shared / "police_uk" / "street"],
        )
        base = baseline_read(scratch / "force.duckdb")
        seconds, peak = timed_assess(scratch / "force.duckdb", [FORCE], scratch / "out", args.permutations)
        print(
            f"Avon and Somerset (1,038 LSOAs): {seconds:6.2f} s, peak {peak:.2f} GB "
            f"(baseline read {base:.2f} s, ratio {seconds / base:.0f}; target <= 30 s)"
        )
        from vru.warehouse import connect

        con = connect(scratch / "force.duckdb", read_only=True)
        partnerships = [
            code
            for (code,) in con.execute(
                "SELECT DISTINCT csp_code FROM ref_lad_csp_pfa WHERE pfa_code = ? ORDER BY 1", [FORCE]
            ).fetchall()
        ]
        con.close()
        seconds, peak = timed_assess(scratch / "force.duckdb", partnerships, scratch / "out", args.permutations)
        print(
            f"every partnership in the force ({len(partnerships)}): {seconds:6.2f} s, peak {peak:.2f} GB "
            "(target <= 60 s)"
        )
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main()
