"""The clinical core stays pure: no file access outside knowledge.py, no I/O libraries at all."""

import ast
from pathlib import Path

import spinetrack.domain

DOMAIN = Path(spinetrack.domain.__file__).parent
FILE_ACCESS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir"}
IO_MODULES = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "httpx",
    "requests",
    "socket",
    "urllib",
    "polars",
    "numpy",
}


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_knowledge_module_touches_files() -> None:
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        if path.name == "knowledge.py" and path.parent == DOMAIN:
            continue
        used = _calls(ast.parse(path.read_text())) & FILE_ACCESS
        if used:
            offenders.append(f"{path.relative_to(DOMAIN)}: {sorted(used)}")
    assert offenders == []


def test_the_domain_imports_no_io_library() -> None:
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        bad = _imports(ast.parse(path.read_text())) & IO_MODULES
        if bad:
            offenders.append(f"{path.relative_to(DOMAIN)}: {sorted(bad)}")
    assert offenders == []
