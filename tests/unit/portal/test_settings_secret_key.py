"""Where SECRET_KEY comes from: the environment, a generated local file, or nowhere (refuse to start).

Each case imports portal.settings in a fresh Python process, outside pytest, with a controlled environment.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
PRINT_SECRET_KEY = "import portal.settings as s; print(s.SECRET_KEY)"


def import_settings(var_dir: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "VRU_")) and name != "DATABASE_URL"
    }
    env.update(PYTHONPATH=str(REPOSITORY / "src"), VRU_VAR_DIR=str(var_dir), **environment)
    return subprocess.run([sys.executable, "-c", PRINT_SECRET_KEY], env=env, capture_output=True, text=True, timeout=60)


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = import_settings(tmp_path, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_debug_generates_a_private_key_file_once_and_keeps_it(tmp_path):
    first = import_settings(tmp_path, DJANGO_DEBUG="true")
    second = import_settings(tmp_path, DJANGO_DEBUG="true")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()


def test_a_key_from_the_environment_is_used_and_nothing_is_written(tmp_path):
    result = import_settings(tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY="from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_a_mistyped_yes_no_value_stops_the_portal(tmp_path):
    result = import_settings(tmp_path, DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture': use true or false" in result.stderr


def test_the_test_run_uses_a_generated_key_not_one_from_the_repository():
    from django.conf import settings

    # Either the developer's own environment, or the generated file: never a value written in the code.
    assert settings.SECRET_KEY
    assert settings.SECRET_KEY not in (REPOSITORY / "src" / "portal" / "settings.py").read_text()
