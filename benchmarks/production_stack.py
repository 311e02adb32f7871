"""The portal as deployed (docs/deployment.md), on this machine's loopback: nginx with the committed
configuration (deploy/nginx/) in front of gunicorn with deploy/gunicorn.conf.py, DJANGO_DEBUG=false, static
files collected, a migrated database. Used by benchmarks/portal_production.py (the load test) and by
tests/integration/deploy/ (the configuration's behaviour).

Only the machine-specific values of the committed files are changed for the run: the listen address, the
upstream port, the static and log folders. Everything else (limits, timeouts, log format, headers) is the
committed text.
"""

from __future__ import annotations

import getpass
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
NGINX_DIR = REPO / "deploy" / "nginx"
# The production paths in the committed nginx files, and the name of the upstream.
STATIC_ROOT_IN_CONFIG = "/srv/vru/var/staticfiles/"
LOG_DIR_IN_CONFIG = "/var/log/nginx/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


class ProductionStack:
    """Start with `with ProductionStack(folder) as stack:`; stack.url is nginx's address."""

    def __init__(self, folder: Path, database_url: str | None = None, workers: int = 2, threads: int = 4):
        self.folder = folder
        self.database_url = database_url or f"sqlite:///{folder / 'portal.sqlite3'}"
        self.workers, self.threads = workers, threads
        self.gunicorn_port, self.nginx_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self.gunicorn: subprocess.Popen | None = None
        self.nginx_prefix = folder / "nginx"
        self.gunicorn_log = folder / "gunicorn.log"
        self.environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "VRU_")) and name != "DATABASE_URL"
        }
        self.environment.update(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_LOG_LEVEL="WARNING",
            VRU_VAR_DIR=str(folder / "var"),
            DATABASE_URL=self.database_url,
            PYTHONPATH=str(REPO / "src"),
            VRU_TRUSTED_PROXY_ADDRESSES="127.0.0.1",
            VRU_GUNICORN_BIND=f"127.0.0.1:{self.gunicorn_port}",
            VRU_GUNICORN_WORKERS=str(workers),
            VRU_GUNICORN_THREADS=str(threads),
        )

    # --- set-up ------------------------------------------------------------------------------------------
    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *arguments], cwd=REPO, env=self.environment, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr}")
        return result.stdout.strip()

    def __enter__(self) -> ProductionStack:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.start_gunicorn()
        try:
            self.start_nginx()
            self.wait_until_up(self.nginx_port)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_gunicorn(self) -> None:
        log = open(self.gunicorn_log, "ab")  # kept open for the child's lifetime
        self.gunicorn = subprocess.Popen(
            [GUNICORN, "-c", str(REPO / "deploy" / "gunicorn.conf.py"), "--chdir", str(REPO), "portal.wsgi"],
            env=self.environment,
            cwd=REPO,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: kill -9 reaches the master and its workers
        )
        self.wait_until_up(self.gunicorn_port)

    def nginx_config(self) -> str:
        """nginx.conf for this run: the committed http-level file and locations, inside a minimal main file."""
        static_root = f"{self.folder / 'var' / 'staticfiles'}/"
        logs = f"{self.nginx_prefix / 'logs'}/"
        http_level = (NGINX_DIR / "vru-portal-http.conf").read_text()
        locations = (NGINX_DIR / "vru-portal-locations.conf").read_text()
        locations = locations.replace(STATIC_ROOT_IN_CONFIG, static_root).replace(LOG_DIR_IN_CONFIG, logs)
        # As root, nginx's workers would run as "nobody", who cannot read this run's private folders.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        return f"""
{user}
daemon off;
worker_processes 1;
pid {self.nginx_prefix / "nginx.pid"};
error_log {logs}error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {self.nginx_prefix / "body"};
    proxy_temp_path {self.nginx_prefix / "proxy"};
    fastcgi_temp_path {self.nginx_prefix / "fastcgi"};
    uwsgi_temp_path {self.nginx_prefix / "uwsgi"};
    scgi_temp_path {self.nginx_prefix / "scgi"};
    {http_level}
    upstream vru_portal {{
        server 127.0.0.1:{self.gunicorn_port};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        server_name 127.0.0.1 localhost;
        {locations}
    }}
}}
"""

    def start_nginx(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (scripts/setup.sh installs nginx-light for the tests)")
        (self.nginx_prefix / "logs").mkdir(parents=True, exist_ok=True)
        config = self.nginx_prefix / "nginx.conf"
        config.write_text(self.nginx_config())
        subprocess.run([binary, "-t", "-q", "-p", str(self.nginx_prefix), "-c", str(config)], check=True)
        self.nginx = subprocess.Popen(
            [binary, "-p", str(self.nginx_prefix), "-c", str(config)], stderr=subprocess.DEVNULL
        )

    def wait_until_up(self, port: int, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.gunicorn is not None and self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn stopped while starting:\n{self.gunicorn_log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"nothing answered on port {port} within {seconds:g} s")

    # --- faults ------------------------------------------------------------------------------------------
    def kill_gunicorn(self) -> None:
        """kill -9 the gunicorn master and every worker at once (no graceful shutdown of any kind)."""
        os.killpg(self.gunicorn.pid, signal.SIGKILL)
        self.gunicorn.wait(timeout=30)

    def __exit__(self, *exc) -> None:
        if getattr(self, "nginx", None) is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=30)
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            self.gunicorn.wait(timeout=60)


if __name__ == "__main__":
    sys.exit("A module for benchmarks/portal_production.py and tests/integration/deploy/; not run by itself.")
