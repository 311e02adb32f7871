"""Every environment variable the portal reads is documented in docs/configuration.md, and vice versa."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
PORTAL_SOURCE = REPOSITORY / "src" / "portal"
CONFIGURATION_DOC = REPOSITORY / "docs" / "configuration.md"

# The helpers in portal/settings.py; each takes the variable name as its first argument.
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list"}
ENV_FUNCTIONS = {"os.environ.get", "os.getenv", "environ.get", "getenv"} | ENV_HELPERS
# A documented variable is a table row starting with its name in backticks: | `NAME` | default | ... |
DOCUMENTED_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


class _EnvironmentReads(ast.NodeVisitor):
    """Collects the names in os.environ.get("X"), os.environ["X"], os.getenv("X") and env_*("X")."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # The env_* helpers themselves read os.environ[name] for whatever name they are given.
        if node.name not in ENV_HELPERS:
            self.generic_visit(node)

    def _record(self, argument: ast.AST | None, line: int) -> None:
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            # A computed name could not be checked against the documentation.
            raise AssertionError(f"{self.filename}:{line}: read an environment variable by a literal name")
        self.names.add(argument.value)

    def visit_Call(self, node: ast.Call) -> None:
        if _dotted(node.func) in ENV_FUNCTIONS:
            self._record(node.args[0] if node.args else None, node.lineno)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if _dotted(node.value) in {"os.environ", "environ"}:
            self._record(node.slice, node.lineno)
        self.generic_visit(node)


def environment_variables_read(source: str, filename: str = "<source>") -> set[str]:
    reads = _EnvironmentReads(filename)
    reads.visit(ast.parse(source))
    return reads.names


def portal_environment_variables() -> set[str]:
    names: set[str] = set()
    for path in sorted(PORTAL_SOURCE.rglob("*.py")):
        names |= environment_variables_read(path.read_text(), str(path.relative_to(REPOSITORY)))
    return names


def documented_environment_variables() -> set[str]:
    return set(DOCUMENTED_ROW.findall(CONFIGURATION_DOC.read_text()))


def test_every_environment_variable_the_portal_reads_is_documented():
    undocumented = portal_environment_variables() - documented_environment_variables()
    assert not undocumented, f"add these to the table in docs/configuration.md: {sorted(undocumented)}"


def test_every_documented_environment_variable_is_read():
    unused = documented_environment_variables() - portal_environment_variables()
    assert not unused, f"docs/configuration.md lists variables nothing reads: {sorted(unused)}"


def test_the_scan_finds_the_core_settings():
    # Guards the two tests above against a scanner that silently finds nothing.
    expected = {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "VRU_SITE_NAME"}
    assert expected <= portal_environment_variables()


def test_the_scan_recognises_every_way_of_reading_the_environment():
    source = """
import os
from os import environ, getenv
a = os.environ.get("A")
b = os.environ["B"]
c = os.getenv("C", "x")
d = env_bool("D", False)
e = environ.get("E")
f = getenv("F")
def env_str(name, default):
    return os.environ.get(name, default)
"""
    assert environment_variables_read(source) == {"A", "B", "C", "D", "E", "F"}


def test_the_scan_refuses_a_computed_variable_name():
    with pytest.raises(AssertionError, match="literal name"):
        environment_variables_read("import os\nprefix = 'X'\nvalue = os.environ.get(prefix + '_Y')\n")
