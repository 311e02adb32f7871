"""Load test of the production configuration (docs/deployment.md): nginx with deploy/nginx/ in front of
gunicorn with deploy/gunicorn.conf.py, on this machine's loopback (benchmarks/production_stack.py).

1. Load: --clients clients (20) going round the pages, each from its own loopback address (127.0.0.2, ...),
   while --slow-clients (6) hold connections open: three send their request a byte a second (slowloris)
   and three connect and send nothing. Prints requests, errors and p50/p95 per page, and each page's p95
   against /healthz's in the same run. Target (issue 9): 0 errors, every p95 at most 1.5 times /healthz's.
2. Feedback across kill -9: the clients send feedback (SYNTHETIC messages, "Load test ..."), and half-way
   the whole gunicorn process group is killed with SIGKILL and started again. Every message the portal
   acknowledged (the redirect to the thank-you page) must be in the database afterwards.

Prints figures; asserts nothing. PostgreSQL as in production with --database-url postgres://.../NAME: a
throwaway database NAME_load_<pid> is created beside NAME and dropped at the end. Without it, SQLite.

Usage: .venv/bin/python benchmarks/portal_production.py [--seconds 30] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
from production_stack import ProductionStack

PAGES = {
    "home": "/",
    "resource search": "/resources/?q=knife",
    "worried about someone": "/worried-about-someone/",
    "feedback form": "/feedback/",
    "baseline /healthz": "/healthz",
}
BASELINE = "baseline /healthz"
FEEDBACK_PER_CLIENT = 5  # the portal accepts 5 a window from one address (FEEDBACK_RATE_LIMIT)


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def client_address(number: int) -> str:
    return f"127.0.0.{2 + number}"


def page_client(url: str, number: int, stop: threading.Event, results: dict) -> None:
    paths = list(PAGES.items())
    index = number
    transport = httpx.HTTPTransport(local_address=client_address(number))
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        while not stop.is_set():
            name, path = paths[index % len(paths)]
            index += 1
            start = time.perf_counter()
            try:
                ok = client.get(path).status_code == 200
            except httpx.HTTPError:
                ok = False
            results[name].append((time.perf_counter() - start, ok))


def slow_client(port: int, stop: threading.Event, send: bool) -> None:
    """Holds a connection: sends its request a byte a second (send=True) or nothing at all, reconnecting
    whenever nginx closes it."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
                for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " * 10:
                    if stop.wait(1):
                        return
                    if send:
                        connection.sendall(bytes([byte]))
        except OSError:
            stop.wait(0.2)


@contextmanager
def slow_clients(port: int, count: int):
    stop = threading.Event()
    threads = [threading.Thread(target=slow_client, args=(port, stop, n % 2 == 0), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def load(stack: ProductionStack, clients: int, slow: int, seconds: float) -> None:
    results: dict[str, list[tuple[float, bool]]] = {name: [] for name in PAGES}
    stop = threading.Event()
    threads = [
        threading.Thread(target=page_client, args=(stack.url, number, stop, results), daemon=True)
        for number in range(clients)
    ]
    with slow_clients(stack.nginx_port, slow):
        time.sleep(1)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        elapsed = time.perf_counter() - started
    total = sum(len(rows) for rows in results.values())
    errors = sum(1 for rows in results.values() for _, ok in rows if not ok)
    print(f"\n1. Load: {clients} clients and {slow} slow clients for {elapsed:.1f} s")
    print(f"   {total:,} requests ({total / elapsed:,.0f} a second), {errors} errors")
    base_p95 = percentile(sorted(s for s, ok in results[BASELINE] if ok), 0.95)
    header = f"   {'page':<24} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95 / healthz':>14}"
    print(header + "\n   " + "-" * (len(header) - 3))
    worst = 0.0
    for name, rows in results.items():
        times = sorted(s for s, ok in rows if ok)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        ratio = p95 / base_p95
        worst = max(worst, ratio)
        failed = sum(1 for _, ok in rows if not ok)
        print(f"   {name:<24} {len(rows):>9,} {failed:>7,} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {ratio:>13.2f}x")
    print(f"   worst p95 ratio to /healthz: {worst:.2f} (target <= 1.5); errors: {errors} (target 0)")


def feedback_client(url: str, number: int, stop: threading.Event, acknowledged: list, failed: list) -> None:
    transport = httpx.HTTPTransport(local_address=client_address(number))
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        sent = 0
        while sent < FEEDBACK_PER_CLIENT and not stop.is_set():
            text = f"Load test message {uuid.uuid4()}"
            try:
                form = client.get("/feedback/")
                # The CSRF cookie is Secure (production): httpx keeps it for HTTPS only, so send it by hand.
                cookie = re.search(r"csrftoken=([^;]+)", form.headers.get("set-cookie", ""))
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                topic = re.search(r'name="topic" type="radio" value="([^"]+)"', form.text) or re.search(
                    r'value="([^"]+)"[^>]*name="topic"', form.text
                )
                response = client.post(
                    "/feedback/",
                    data={"csrfmiddlewaretoken": token[1], "topic": topic[1], "message": text, "website": ""},
                    headers={"Cookie": f"csrftoken={cookie[1]}", "Referer": f"{url}/feedback/"},
                )
                if response.status_code == 302 and "thank" in response.headers.get("location", ""):
                    acknowledged.append(text)
                    sent += 1
                else:
                    failed.append(response.status_code)
            except (httpx.HTTPError, TypeError):
                failed.append("no answer")  # the server is down (killed, restarting)
                stop.wait(0.2)


def stored_feedback(stack: ProductionStack) -> set[str]:
    code = (
        "import json; from portal.feedback.models import FeedbackMessage as F; "
        "print(json.dumps(list(F.objects.filter(message__startswith='Load test').values_list('message', flat=True))))"
    )
    return set(json.loads(stack.manage("shell", "-c", code).splitlines()[-1]))


def feedback_across_kill(stack: ProductionStack, clients: int) -> None:
    acknowledged: list[str] = []
    failed: list = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=feedback_client, args=(stack.url, n, stop, acknowledged, failed), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < clients * FEEDBACK_PER_CLIENT // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    before_kill = len(acknowledged)
    stack.kill_gunicorn()
    killed_at = time.perf_counter()
    stack.start_gunicorn()
    print(
        f"\n2. Feedback across kill -9: gunicorn killed after {before_kill} acknowledgements, "
        f"back in {time.perf_counter() - killed_at:.1f} s"
    )
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    stored = stored_feedback(stack)
    lost = set(acknowledged) - stored
    print(
        f"   acknowledged {len(acknowledged)}, stored {len(stored)}, acknowledged but lost {len(lost)} (target 0); "
        f"{len(failed)} attempts got no acknowledgement while the server was down or restarting"
    )


@contextmanager
def throwaway_postgres(url: str | None):
    """Yield a database URL: a new PostgreSQL database beside the one named (dropped at the end), or None."""
    if not url or not url.startswith("postgres"):
        yield url
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name}_load_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield f"{base}/{scratch}"
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--slow-clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, for 2 cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--database-url", default=None, help="postgres://.../NAME (a throwaway copy is used)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vru-production-") as folder, throwaway_postgres(args.database_url) as db:
        print(
            f"Setting up nginx + gunicorn ({args.workers} workers x {args.threads} threads, gthread) on "
            f"{'PostgreSQL' if db else 'SQLite'}: migrate, collectstatic ...",
            flush=True,
        )
        with ProductionStack(Path(folder), database_url=db, workers=args.workers, threads=args.threads) as stack:
            for path in PAGES.values():  # warm every worker's caches
                for _ in range(args.workers * 2):
                    httpx.get(stack.url + path, timeout=30)
            load(stack, args.clients, args.slow_clients, args.seconds)
            feedback_across_kill(stack, args.clients)


if __name__ == "__main__":
    main()
