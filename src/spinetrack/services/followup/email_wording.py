"""The words of the follow-up e-mails, in the patient's language.

The e-mails are written as text templates beside the pages (`web/templates/email/`), marked for
translation like every page, so a translator works in one catalogue and a third language needs
no code. They are read by path, as the report templates are, so services never import the web
layer. A message carries only the clinic's name and the link, never anything about the patient.
"""

from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from spinetrack.services.patient_side.catalogues import (
    DEFAULT_LANGUAGE,
    cached_translations,
    date_locale,
    languages,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
Kind = Literal["invitation", "reminder"]
LINK_PLACEHOLDER = "{link}"
"""Stands for the link in a stored message; the sender puts the real link in at sending."""


@cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(cached_translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def follow_up_email(
    kind: Kind, *, clinic: str, expires: date, link: str, language: str | None
) -> tuple[str, str]:
    """Subject and body of an invitation or reminder in `language` (the source language when the
    patient has none or it is not shipped)."""
    chosen = language if language in languages() else DEFAULT_LANGUAGE
    env = _environment(chosen)
    context = {
        "kind": kind,
        "clinic": clinic,
        "until": format_date(expires, format="long", locale=date_locale(chosen)),
        "link": link,
    }
    subject = env.get_template("email/follow_up_subject.txt").render(context).strip()
    body = env.get_template("email/follow_up_body.txt").render(context)
    return subject, body
