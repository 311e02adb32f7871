"""The production configuration in deploy/ (issue 9): gunicorn's settings, and nginx with the committed
files in front of gunicorn, run on 127.0.0.1 (benchmarks/production_stack.py). nginx comes from
scripts/setup.sh (Debian's nginx-light) on test machines and in CI."""

from __future__ import annotations

import runpy
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from benchmarks.production_stack import REPO, ProductionStack, nginx_binary
from tests.conftest import require

SECRET = "someone-i-am-worried-about"


def test_gunicorn_uses_threaded_workers_and_logs_no_query_string():
    config = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread" and config["threads"] >= 2
    assert config["bind"].startswith("127.0.0.1:"), "only nginx on this machine talks to gunicorn"
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format
    for with_query in ("%(r)s", "%(q)s", "%(f)s"):  # request line, query string, Referer
        assert with_query not in log_format
    assert config["timeout"] <= 30 and config["control_socket_disable"] is True


def test_nginx_logs_no_query_string_and_limits_bodies_and_waits():
    http_level = (REPO / "deploy" / "nginx" / "vru-portal-http.conf").read_text()
    assert "log_format vru_private" in http_level and "$uri" in http_level
    for with_query in ("$request ", "$request_uri", "$args", "$query_string", "$http_referer"):
        assert with_query not in http_level.split("log_format", 1)[1].split(";", 1)[0]
    assert "client_max_body_size 512k;" in http_level
    for timeout in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        assert timeout in http_level
    locations = (REPO / "deploy" / "nginx" / "vru-portal-locations.conf").read_text()
    assert "vru_private;" in locations and "proxy_request_buffering on;" in locations


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(nginx_binary() is not None, "nginx is not installed (scripts/setup.sh installs nginx-light as root)")
    with ProductionStack(tmp_path_factory.mktemp("production")) as running:
        yield running


def test_the_query_string_of_worried_about_someone_reaches_no_log(stack):
    response = httpx.get(f"{stack.url}/worried-about-someone/?q={SECRET}", headers={"Referer": f"/?q={SECRET}"})
    assert response.status_code == 200
    time.sleep(0.5)  # both logs are written as the request ends
    nginx_log = (stack.nginx_prefix / "logs" / "vru-portal.access.log").read_text()
    assert '"GET /worried-about-someone/ HTTP/1.1" 200' in nginx_log
    assert SECRET not in nginx_log
    gunicorn_log = stack.gunicorn_log.read_text()
    assert '"GET /worried-about-someone/ HTTP/1.1" 200' in gunicorn_log
    assert SECRET not in gunicorn_log


def test_a_body_over_the_limit_is_refused_by_nginx(stack):
    response = httpx.post(
        f"{stack.url}/feedback/", content=b"x" * (600 * 1024), headers={"Content-Type": "multipart/form-data; b=x"}
    )
    assert response.status_code == 413


def test_static_files_come_from_nginx_with_the_security_headers(stack):
    response = httpx.get(f"{stack.url}/static/portal/portal.css")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def slow_client(port: int, stop: threading.Event) -> None:
    """A slowloris: opens a connection and sends its request line a byte at a time, reconnecting when nginx
    closes it, until told to stop."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ":
                    if stop.wait(1):
                        return
                    connection.sendall(bytes([byte]))
        except OSError:
            pass


def test_six_slow_clients_do_not_stop_the_site(stack):
    stop = threading.Event()
    slow = [threading.Thread(target=slow_client, args=(stack.nginx_port, stop), daemon=True) for _ in range(6)]
    idle = [socket.create_connection(("127.0.0.1", stack.nginx_port)) for _ in range(6)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(2)  # every slow connection is open and part-way through its request

        def timed_get(path: str) -> tuple[int, float]:
            start = time.perf_counter()
            status = httpx.get(stack.url + path, timeout=20).status_code
            return status, time.perf_counter() - start

        with ThreadPoolExecutor(max_workers=10) as pool:
            results = list(pool.map(timed_get, ["/", "/healthz", "/resources/", "/worried-about-someone/"] * 5))
    finally:
        stop.set()
        for connection in idle:
            connection.close()
    assert [status for status, _ in results] == [200] * 20
    # With sync workers the site stopped for about 30 s; here every page answers in seconds at most.
    assert max(seconds for _, seconds in results) < 10
