"""The edges (web pages, API, CLI) call services and never touch the database library themselves:
SQL lives in storage, so an edge that imports SQLAlchemy is a layer being skipped."""

import ast
from pathlib import Path

import spinetrack

PACKAGE = Path(spinetrack.__file__).parent
EDGES = ("web", "api", "cli")
NOT_YET = {
    "api/deps.py",
    "api/errors.py",
    "api/health.py",
    "cli/backup.py",
    "cli/clinic_arg.py",
    "cli/report.py",
}
"""Edge modules that still import SQLAlchemy (sessionmaker types, the database error classes, a
health probe); each leaves this list when services take a unit of work instead of a sessionmaker.
The web pages are already clean and must stay so."""


def _imports_sqlalchemy(tree: ast.AST) -> bool:
    """Any import of it, at the top, inside a function or under TYPE_CHECKING."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return any(name.split(".")[0] == "sqlalchemy" for name in names)


def _offenders() -> set[str]:
    found = set()
    for edge in EDGES:
        for path in (PACKAGE / edge).rglob("*.py"):
            if _imports_sqlalchemy(ast.parse(path.read_text())):
                found.add(path.relative_to(PACKAGE).as_posix())
    return found


def test_no_edge_imports_sqlalchemy_beyond_the_known_list() -> None:
    assert _offenders() - NOT_YET == set()


def test_the_known_list_only_names_modules_that_still_import_it() -> None:
    """A module cleaned up leaves the list, so it cannot slip back unnoticed."""
    assert NOT_YET - _offenders() == set()


def test_the_check_sees_every_form_of_import() -> None:
    for source in (
        "import sqlalchemy",
        "from sqlalchemy.orm import Session",
        "def f():\n    from sqlalchemy import text",
        "if TYPE_CHECKING:\n    import sqlalchemy.orm as orm",
    ):
        assert _imports_sqlalchemy(ast.parse(source)), source
    assert not _imports_sqlalchemy(ast.parse("from spinetrack.services import sqlalchemy_free"))
