"""Message catalogues for the pages: every `_()` and `{% trans %}` string, ready for translation.

The catalogues are Babel `.po` files under `web/locale/<language>/LC_MESSAGES/messages.po`, read
at start-up (no compile step, so a translator's edit shows after a restart). English ships; a new
language is a copy of `messages.pot` with the `msgstr`s filled in. Patient-facing knowledge text
(the consultation screening questions) is added to the template strings, so it is translated too.

Refresh after changing templates: `python -m spinetrack.web.i18n` (writes messages.pot and merges
new strings into every shipped catalogue).
"""

import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from jinja2 import Environment

from spinetrack.domain.consultations import screening
from spinetrack.domain.education import entries, urgent_care
from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.instruments.registry import instrument_ids
from spinetrack.domain.outcomes.recovery import recovery_words
from spinetrack.services.patient_side.catalogues import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    cached_translations,
    po_path,
    read_catalogue,
    translations,
)
from spinetrack.services.patient_side.questionnaire_text import questionnaire_text

__all__ = ["DEFAULT_LANGUAGE", "LOCALE_DIR", "po_path", "read_catalogue", "translations"]

TEMPLATES_DIR = Path(__file__).with_name("templates")
EXTRACT_METHODS = [("**.html", "jinja2"), ("**.txt", "jinja2")]
EXTRACT_OPTIONS = {
    pattern: {"extensions": "jinja2.ext.i18n", "trim_blocks": "false"}
    for pattern in ("**.html", "**.txt")
}


def install(env: Environment, language: str = DEFAULT_LANGUAGE) -> None:
    """Make `_()` in every template answer from the shipped catalogue (read once per process, as
    the per-request language switch reads it: each app built, one per test, parsed it again)."""
    env.install_gettext_translations(cached_translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["language"] = language


def knowledge_messages() -> list[str]:
    """Patient-facing text that lives in knowledge files rather than templates: the consultation
    screening, the urgent-care advice, who reviewed the library's pages, the course of recovery on the results page, and
    spinetrack's own neutral descriptions of each questionnaire (never licensed wording)."""
    found = screening()
    texts: list[str] = []
    for instruction in found.instructions.values():
        texts += [instruction.title, instruction.action]
    for question in found.questions:
        texts.append(question.text)
        if question.hint:
            texts.append(question.hint)
    urgent = urgent_care()
    texts += [urgent.title, urgent.emergency.action, *urgent.emergency.signs]
    texts += [urgent.same_day.action, *urgent.same_day.signs]
    texts += [urgent.crisis.title, *urgent.crisis.lines]
    texts += sorted({page.meta.reviewed_by for page in entries()})
    texts += recovery_words().texts()
    for instrument in instrument_ids():
        texts.append(get_instrument(instrument).title)
        for item in questionnaire_text(instrument).questions:
            texts += [item.title, *([item.when] if item.when else [])]
            texts += [option.label for option in item.options if option.label]
    return list(dict.fromkeys(texts))


def template_messages(folder: Path = TEMPLATES_DIR) -> Iterable[tuple[str, str | tuple[str, ...]]]:
    """(file, message) of every translatable string in the templates under `folder`."""
    for filename, _, message, _, _ in extract_from_dir(folder, EXTRACT_METHODS, EXTRACT_OPTIONS):
        yield filename, message


def extracted() -> Catalog:
    """A template (.pot) of every message the pages and the knowledge files show."""
    catalog = Catalog(domain=DOMAIN, project="spinetrack", charset="utf-8")
    for filename, message in template_messages():
        catalog.add(message, locations=[(f"templates/{filename}", 0)])
    for text in knowledge_messages():
        catalog.add(text, locations=[("knowledge", 0)])
    return catalog


def refresh() -> None:
    """Write messages.pot and bring every shipped catalogue up to date with it.

    English, the source language, translates each message to itself."""
    template = extracted()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, no_location=True)
    languages = sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir()) or [DEFAULT_LANGUAGE]
    for language in languages:
        template = extracted()  # fresh per language: an update may adopt the template's messages
        path = po_path(language)
        # A fresh template per catalogue: Babel's update shares the template's new messages with
        # the catalogue, so filling English's msgstr would otherwise fill every other language's.
        template = extracted()
        if path.exists():
            catalog = read_catalogue(language)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="spinetrack")
            catalog.update(template, no_fuzzy_matching=True)
        if language == DEFAULT_LANGUAGE:
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        catalog.fuzzy = False
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, no_location=True)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    refresh()
    sys.stdout.write(f"catalogues refreshed under {LOCALE_DIR}\n")
