"""Service directory speed: importing a 5,000-service Open Referral UK feed, and the open API under load.

1. Import. The feed is SYNTHETIC FOR SCALE: the official ORUK example service (`service_full.json` from the
   shared data's open_referral_uk/examples) repeated 5,000 times, each copy under new ids for every object
   (`portal.directory.oruk.with_new_ids`). It is imported with `manage.py import_oruk` into a fresh, migrated
   SQLite database (every record validated against the schema, then saved in one transaction). Baseline in
   the same run: reading the same file with `json.load`.
2. API. gunicorn (2 workers, DJANGO_DEBUG=false) serves that database (5,015 services: the 15 seeded and the
   5,000 imported); 20 concurrent clients go round `/api/services?per_page=50`, a filtered query and
   `/healthz` (the baseline, one trivial query) for --seconds. Prints p50/p95/p99 per path and each p95's
   ratio to the baseline's.

Prints figures; asserts nothing. Targets (issue 13): the import in at most 30 s; each API p95 at most 1.5 times
/healthz's.

Usage: .venv/bin/python benchmarks/directory.py [--services 5000] [--seconds 30] [--clients 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
EXAMPLE = REPO.parent / "shared" / "data" / "open_referral_uk" / "examples" / "service_full.json"
PATHS = {
    "services, 50 a page": "/api/services?per_page=50",
    "filtered query": "/api/services?per_page=50&search=counselling&age=16&day=TH",
    "baseline /healthz": "/healthz",
}
BASELINE = "baseline /healthz"


def load_portal_benchmark():
    """The gunicorn and client helpers of benchmarks/portal.py (its file name clashes with the package)."""
    spec = importlib.util.spec_from_file_location("portal_benchmark", Path(__file__).with_name("portal.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_feed(path: Path, services: int, example: Path) -> None:
    import django

    django.setup()
    from portal.directory.oruk import with_new_ids

    record = json.loads(example.read_text(encoding="utf-8"))
    feed = [with_new_ids(record, f"benchmark-copy-{number}") for number in range(services)]
    path.write_text(json.dumps(feed), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--example", type=Path, default=Path(os.environ.get("VRU_SHARED_DATA", EXAMPLE.parents[2]))
                        / "open_referral_uk" / "examples" / "service_full.json")  # fmt: skip
    args = parser.parse_args()
    if not args.example.is_file():
        print(f"Skipped: the official ORUK example is not at {args.example} (set VRU_SHARED_DATA)")
        return
    bench = load_portal_benchmark()

    with tempfile.TemporaryDirectory(prefix="vru-bench-directory-") as scratch:
        scratch = Path(scratch)
        environment = bench.portal_environment(scratch)
        print("Setting up: migrate (the seeded directory), collectstatic ...", flush=True)
        bench.manage(environment, "migrate", "--noinput")
        bench.manage(environment, "collectstatic", "--noinput")

        feed = scratch / "feed.json"
        os.environ.update(
            {key: environment[key] for key in ("DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "VRU_VAR_DIR")}
        )
        write_feed(feed, args.services, args.example)
        size = feed.stat().st_size
        start = time.perf_counter()
        with feed.open(encoding="utf-8") as handle:
            json.load(handle)
        parse_seconds = time.perf_counter() - start
        start, cpu_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        output = bench.manage(environment, "import_oruk", str(feed))
        import_seconds = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        import_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        print(f"\nImport of {args.services:,} services (the official example under new ids; {size / 1e6:.1f} MB):")
        print(f"  {output}")
        print(f"  manage.py import_oruk: {import_seconds:.1f} s wall, {import_cpu:.1f} s CPU (start-up included)")
        print(f"  load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall time stretches with it")
        ratio = import_seconds / parse_seconds
        print(f"  baseline, json.load of the same file: {parse_seconds:.2f} s; ratio {ratio:.0f}x")
        print(f"  target: at most 30 s -> {'met' if import_seconds <= 30 else 'NOT met'}")

        port, server = bench.start_gunicorn(environment, args.workers)
        try:
            bench.wait_until_up(port, server)
            paths = list(PATHS.items())
            for name, path in paths:
                connection = bench.http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                body = response.read()
                connection.close()
                found = json.loads(body).get("total_items", "") if path.startswith("/api") else ""
                print(f"  {name:<22} {path:<60} {response.status} {len(body):>8,} bytes {found}")
            results: dict[str, list[tuple[float, bool]]] = {name: [] for name in PATHS}
            stop = threading.Event()
            threads = [
                threading.Thread(target=bench.client, args=(port, paths, offset, stop, results, {}), daemon=True)
                for offset in range(args.clients)
            ]
            print(f"\nLoading for {args.seconds:g} s: {args.clients} clients, gunicorn {args.workers} workers ...")
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(args.seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=35)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    baseline = sorted(seconds for seconds, ok in results[BASELINE] if ok)
    base_p95 = bench.percentile(baseline, 0.95)
    total = sum(len(rows) for rows in results.values())
    print(f"\n{total:,} requests in {elapsed:.1f} s\n")
    print(
        f"{'path':<22} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95 / baseline':>15}"
    )
    for name in PATHS:
        rows = results[name]
        times = sorted(seconds for seconds, ok in rows if ok)
        errors = sum(1 for _, ok in rows if not ok)
        p50, p95, p99 = (bench.percentile(times, share) * 1000 for share in (0.50, 0.95, 0.99))
        ratio = "" if name == BASELINE else f"{(p95 / 1000) / base_p95:.2f}x"
        print(f"{name:<22} {len(rows):>9,} {errors:>7,} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {ratio:>15}")
    print("\nTarget: each API path's p95 at most 1.5 times the baseline's, no errors.")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
