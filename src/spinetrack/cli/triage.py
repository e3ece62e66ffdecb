"""`spinetrack triage CASE.json|-`: assess one case and print the assessment (JSON or text)."""

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.domain.errors import InvalidCase
from spinetrack.domain.triage import assess
from spinetrack.domain.triage.case import parse_case
from spinetrack.domain.triage.explain import render_text


class Format(StrEnum):
    json = "json"
    text = "text"


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot read {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise fail(f"cannot read {source}: not UTF-8 text") from exc


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidCase(
            "case", f"not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from exc


@explains_errors
def triage(
    case_file: str = typer.Argument(..., metavar="CASE", help="Case JSON file, or - for stdin."),
    output: Format = typer.Option(Format.json, "--format", "-f", help="json (default) or text."),
) -> None:
    """Assess one case: red flags, likely causes, work-up and treatment options, with sources."""
    data = _parse_json(_read(case_file))
    assessment = assess(data)
    if output is Format.text:
        typer.echo(render_text(parse_case(data), assessment), nl=False)
    else:
        typer.echo(json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("triage")(triage)
