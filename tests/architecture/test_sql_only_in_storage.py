"""SQL lives in storage: services build no statements and never touch a unit of work's session;
the edges (web, api, cli, demo) do not import SQLAlchemy at all.

Services reach the database only through repositories on a unit of work, which they open from the
`UnitOfWorkFactory` they are given; the edges pass that factory along and catch the storage
errors named in `spinetrack.storage.errors`. What still breaks a rule is listed below with its
reason, and an entry that no longer breaks it fails the test, so the list can only shrink.
"""

import ast
from pathlib import Path

import spinetrack

PACKAGE = Path(spinetrack.__file__).parent
STATEMENTS = {"select", "insert", "update", "delete", "text", "func"}
EDGES = ("web", "api", "cli", "demo")

ALLOWED_IN_SERVICES: dict[str, str] = {}
ALLOWED_AT_EDGES: dict[str, str] = {}


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def _statement_names(tree: ast.AST) -> set[str]:
    """SQL statement builders this module takes from SQLAlchemy, imported or by attribute."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found |= {alias.name for alias in node.names if alias.name in STATEMENTS}
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in STATEMENTS
            and isinstance(node.value, ast.Name)
            and node.value.id in {"sqlalchemy", "sa"}
        ):
            found.add(node.attr)
    return found


def _session_reaches(tree: ast.AST) -> int:
    """`uow.session`, `work.uow.session`, `self.uow.session`: going around the repositories."""
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"session", "sessionmaker"}:
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            count += name in {"uow", "sessions"}
    return count


def _imports_sqlalchemy(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] == "sqlalchemy" for alias in node.names):
                return True
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] == "sqlalchemy"
        ):
            return True
    return False


def _service_offenders() -> dict[str, str]:
    offenders = {}
    for path in _modules("services"):
        tree = ast.parse(path.read_text())
        names, reaches = _statement_names(tree), _session_reaches(tree)
        if names or reaches:
            offenders[_name(path)] = f"statements {sorted(names)}, {reaches} session reaches"
    return offenders


def _edge_offenders() -> dict[str, str]:
    return {
        _name(path): "imports sqlalchemy"
        for folder in EDGES
        for path in _modules(folder)
        if _imports_sqlalchemy(ast.parse(path.read_text()))
    }


def test_services_build_no_sql_and_do_not_reach_the_session() -> None:
    offenders = _service_offenders()
    assert {k: v for k, v in offenders.items() if k not in ALLOWED_IN_SERVICES} == {}


def test_the_edges_do_not_import_sqlalchemy() -> None:
    offenders = _edge_offenders()
    assert {k: v for k, v in offenders.items() if k not in ALLOWED_AT_EDGES} == {}


def test_the_allow_lists_only_hold_modules_that_still_need_them() -> None:
    stale = (ALLOWED_IN_SERVICES.keys() - _service_offenders().keys()) | (
        ALLOWED_AT_EDGES.keys() - _edge_offenders().keys()
    )
    assert stale == set(), "remove these from the allow-list: they follow the rule now"


def test_the_checks_see_what_they_look_for() -> None:
    """The detectors themselves: an import, an attribute use, a session reach, an edge import."""
    assert _statement_names(ast.parse("from sqlalchemy import select, Engine")) == {"select"}
    assert _statement_names(ast.parse("import sqlalchemy\nsqlalchemy.func.count()")) == {"func"}
    assert _session_reaches(ast.parse("work.uow.session.get(X, 1)\nuow.session.flush()")) == 2
    assert _session_reaches(ast.parse("uow.patients(1).session_count()")) == 0
    assert _imports_sqlalchemy(ast.parse("from sqlalchemy.orm import Session"))
    assert not _imports_sqlalchemy(ast.parse("from spinetrack.storage.errors import X"))
