"""A request never queries the warehouse: the web process does not even import DuckDB, pandas or the toolkit, except
its dependency-light parts: the presentation layer (vru.presentation, vru.months; docs/adr/0010) and the bundle
contract's definitions (vru.bundle loads pandas only inside read_bundle, when an assessment is published)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]

LOAD_WEB_PROCESS = """
import sys
import django
django.setup()
from django.urls import get_resolver
from portal.wsgi import application  # noqa: F401
get_resolver().url_patterns  # imports the URL configuration and every view
light = {"vru", "vru.months"}
loaded = sorted(
    name
    for name in sys.modules
    if name.split(".")[0] in {"vru", "duckdb", "pandas", "numpy", "pyarrow"}
    and name not in light
    and not name.startswith(("vru.presentation", "vru.bundle"))
)
print(" ".join(loaded))
"""


def test_loading_the_web_process_imports_neither_duckdb_nor_the_toolkits_analysis(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "VRU_"))}
    env.update(
        PYTHONPATH=str(REPOSITORY / "src"),
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_SECRET_KEY="only-for-this-test",
        VRU_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", LOAD_WEB_PROCESS], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the web process imported: {result.stdout.strip()}"
