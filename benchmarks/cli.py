"""`vru` start-up: the whole-process time of `vru --help` and `vru coverage --json`, against `python -c pass`.

Prints figures; asserts nothing. Target (issue "One bundle contract…"): `vru --help` at most 0.5 s on the
project's machine. The baseline, `python -c pass`, runs in the same loop, interleaved with the commands, so a
busy machine slows all three alike; each figure is the median of the runs. Beside the wall-clock time it prints
the CPU time (user + system) of the process, which a machine shared with other work inflates far less.

`vru coverage --json` reads a warehouse built here from the committed demo extract (data/demo).

Usage: .venv/bin/python benchmarks/cli.py [--runs 7] [--warehouse var/warehouse.duckdb]
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


def demo_warehouse(path: Path) -> Path:
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest
    from vru.warehouse.reference import load_reference

    demo = REPO / "data" / "demo"
    con = connect(path)
    load_reference(con, [demo / "geography", demo / "deprivation", demo / "population"])
    ingest(con, [demo / "police_uk"])
    con.close()
    return path


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one whole process."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warehouse", type=Path, help="A warehouse for `vru coverage` (default: built from data/demo)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = args.warehouse or demo_warehouse(Path(scratch) / "warehouse.duckdb")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "vru --help": [str(VRU), "--help"],
            "vru coverage --json": [str(VRU), "coverage", "--json", "--warehouse", str(warehouse)],
        }
        for argv in commands.values():  # warm the file cache once
            timed(argv)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                wall, cpu = timed(argv)
                walls[name].append(wall)
                cpus[name].append(cpu)
    baseline = statistics.median(walls["python -c pass"])
    print(f"{'command':<22} {'median s':>9} {'min s':>7} {'max s':>7} {'x baseline':>11} {'CPU s':>7}")
    for name, values in walls.items():
        median = statistics.median(values)
        print(
            f"{name:<22} {median:>9.3f} {min(values):>7.3f} {max(values):>7.3f} {median / baseline:>11.1f} "
            f"{statistics.median(cpus[name]):>7.3f}"
        )
    help_time = statistics.median(walls["vru --help"])
    print(f"vru --help: {help_time:.3f} s (target at most 0.5 s): {'met' if help_time <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
