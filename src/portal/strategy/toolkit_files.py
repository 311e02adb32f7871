"""The JSON files the toolkit writes for the portal to publish (`vru monitor --out`, `vru evaluate --out`), read
and checked the same way before anything is stored: readable, a JSON object with the keys expected, of the
version this portal reads, no NaN or Infinity (JSON has neither: a figure that is not a number is no figure) and
no NUL character (PostgreSQL cannot store one, as the bundle reader also refuses).
"""

from __future__ import annotations

import json
from pathlib import Path


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotANumber(f"holds {name}, which is not a number")


def read_toolkit_json(
    path: Path, *, required_keys: tuple[str, ...], schema_version: int, error: type[ValueError], written_by: str
) -> dict:
    """The file's object; `error` (naming the file) when it cannot be published. `written_by`: the command
    that writes it, for the messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file (write it with `{written_by}`)") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{path}: not a readable file ({problem})") from None
    if "\\u0000" in text:  # a NUL escaped in JSON (unescaped, it is not valid JSON at all)
        raise error(f"{path}: holds a NUL character, which the portal database cannot store")
    try:
        table = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as problem:
        raise error(
            f"{path}: not a readable JSON file (line {problem.lineno}, column {problem.colno}: {problem.msg})"
        ) from None
    except _NotANumber as problem:
        raise error(f"{path}: {problem}") from None
    if not isinstance(table, dict):
        raise error(f"{path}: expected a JSON object")
    missing = [key for key in required_keys if key not in table]
    if missing:
        raise error(f"{path}: missing keys {missing} (is it the file `{written_by}` writes?)")
    if table["schema_version"] != schema_version:
        raise error(f"{path}: schema version {table['schema_version']}; this portal reads version {schema_version}")
    return table
