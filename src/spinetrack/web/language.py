"""Which language a patient-facing page speaks, chosen per request.

Patients never sign in, so the choice comes from what their browser asks for (`Accept-Language`)
unless they picked one with the switch on the page, which is remembered in a cookie. Staff pages
stay in the source language: the clinic works in one language, and a half-translated worklist
would help nobody. A language is offered as soon as `web/locale/<code>/` holds a catalogue, so a
third language needs nothing but its folder.
"""

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request

from spinetrack.services.patient_side import catalogues
from spinetrack.web import i18n

LANGUAGE_COOKIE = "spinetrack_language"
PATIENT_PATHS = ("/q/", "/consult", "/r/", "/library")
"""Pages a patient reads that are translated; only these follow the visitor's language. The
library's own text is knowledge (``knowledge/education/<language>/``); its frame is catalogue."""


def available() -> tuple[str, ...]:
    """The shipped catalogues, source language first."""
    return catalogues.languages()


@cache
def native_name(code: str) -> str:
    """The language's name in itself ("Español"), for the switch."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def _accepted(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most preferred first."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def choose(request: Request) -> str:
    """The language of this request: the patient's own pick, then the browser's, then English."""
    offered = available()
    picked = request.cookies.get(LANGUAGE_COOKIE, "")
    if picked in offered:
        return picked
    wanted = _accepted(request.headers.get("accept-language", ""))
    wanted += [tag.split("_")[0] for tag in wanted]
    return negotiate_locale(wanted, list(offered)) or i18n.DEFAULT_LANGUAGE


def is_patient_page(path: str) -> bool:
    return path.startswith(PATIENT_PATHS)


def _translations(language: str) -> Translations:
    return catalogues.cached_translations(language)


def gettext_for(language: str) -> Callable[[str], str]:
    """Plain gettext in `language` (for text built outside templates, such as e-mails)."""
    return _translations(language).gettext


def _newstyle(translate: Callable[[str], str]) -> Callable[..., str]:
    """gettext as Jinja's new-style `_()`: marked safe where the page autoescapes, then
    %-formatted (always, as Jinja's own new-style gettext does: `{% trans %}` doubles every `%`)."""

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        text = str(context.call(translate, message))
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def _newstyle_plural(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", n)
        text = str(context.call(translate, singular, plural, n))
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return ngettext


def long_date(on: date, language: str) -> str:
    """A date as people write it in `language` ("6 December 2026", "6 de diciembre de 2026")."""
    return format_date(on, format="long", locale=catalogues.date_locale(language))


@cache
def template_globals(language: str) -> dict[str, object]:
    translations = _translations(language)
    return {
        "gettext": _newstyle(translations.gettext),
        "ngettext": _newstyle_plural(translations.ngettext),
        "language": language,
        "long_date": lambda on: long_date(on, language),
        "short_date": lambda on: format_date(
            on, format="medium", locale=catalogues.date_locale(language)
        ),
    }


def page_language(request: Request) -> dict[str, object]:
    """Jinja context processor: patient pages speak the visitor's language."""
    language = choose(request) if is_patient_page(request.url.path) else i18n.DEFAULT_LANGUAGE
    context = dict(template_globals(language))
    context["languages"] = [(code, native_name(code)) for code in available()]
    return context
