"""`spinetrack instruments list|load`: the built-in instruments, and loading a clinic's licensed
questionnaire text (a FHIR Questionnaire JSON) after checking it against the built-in definition."""

import json
from pathlib import Path

import typer

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.config import get_settings
from spinetrack.domain.errors import SpinetrackError
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.domain.instruments.licensed_text import check_questionnaire
from spinetrack.services.patient_side.questionnaire_text import licensed_path

instruments_app = typer.Typer(help="List instruments; load licensed questionnaire text.")


def licensed_dir() -> Path:
    return get_settings().var_dir / "instruments"


def _licensed_files(instrument_id: str) -> list[Path]:
    folder = licensed_dir()
    return [*folder.glob(f"{instrument_id}.json"), *folder.glob(f"{instrument_id}.*.json")]


@instruments_app.command("list")
@explains_errors
def list_instruments() -> None:
    """Show every instrument spinetrack scores, and whether licensed text is loaded."""
    rows = [("id", "kind", "region", "items", "version", "text", "title")]
    for instrument_id in instrument_ids():
        d = get_instrument(instrument_id)
        loaded = sorted(p.stem.partition(".")[2] or "source" for p in _licensed_files(d.id))
        text = f"licensed ({', '.join(loaded)})" if loaded else "neutral"
        rows.append((d.id, d.kind, d.region, str(len(d.items)), d.version, text, d.title))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*cells, row[-1]]))


def _read_json(file: Path) -> object:
    if not file.is_file():
        raise fail(f"{file}: no such file")
    try:
        return json.loads(file.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{file}: not a JSON file ({exc})") from exc


@instruments_app.command("load")
@explains_errors
def load(
    file: Path = typer.Argument(..., metavar="FILE.json", help="FHIR Questionnaire (JSON)."),
    instrument: str | None = typer.Option(
        None, "--instrument", "-i", help="Instrument id, when the items alone do not tell."
    ),
    language: str | None = typer.Option(
        None,
        "--language",
        "-l",
        help="The language of this licensed translation (e.g. es); default: the source language.",
    ),
) -> None:
    """Check a licensed Questionnaire against the built-in definition, then store it."""
    if language is not None and not language.replace("_", "").isalpha():
        raise fail(f"--language {language!r}: give a language code such as es or pt_BR")
    document = _read_json(file)
    try:
        definition = check_questionnaire(document, instrument)
    except SpinetrackError as exc:
        raise fail(f"{file}: rejected: {exc.message}") from exc
    target = licensed_path(definition.id, language)
    target.parent.mkdir(parents=True, exist_ok=True)
    replaced = target.exists()
    target.write_bytes(file.read_bytes())
    items = len(definition.items)
    typer.echo(
        f"loaded {definition.id} ({definition.title}, {items} item{'s' if items != 1 else ''}) "
        f"from {file} to {target}{' (replaced the previous text)' if replaced else ''}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(instruments_app, name="instruments")
