"""The message catalogues: every translatable string of the patient pages (and the screening
questions from knowledge/) is in the shipped English catalogue, and the pages render from it."""

import re
from pathlib import Path

import pytest

from spinetrack.web.i18n import (
    TEMPLATES_DIR,
    knowledge_messages,
    read_catalogue,
    template_messages,
    translations,
)

PATIENT_TEMPLATES = TEMPLATES_DIR / "patient"


def _ids(messages: list[str | tuple[str, ...]]) -> set[str]:
    return {m if isinstance(m, str) else m[0] for m in messages}


def test_every_patient_page_string_is_in_the_english_catalogue() -> None:
    shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in read_catalogue("en") if m.id}
    wanted = _ids([message for _, message in template_messages(PATIENT_TEMPLATES)])
    assert len(wanted) > 80  # the extractor really read the patient pages
    assert wanted - shipped == set(), "run `python -m spinetrack.web.i18n` to refresh"


def test_the_screening_questions_are_in_the_catalogue() -> None:
    shipped = {m.id for m in read_catalogue("en") if isinstance(m.id, str)}
    assert set(knowledge_messages()) - shipped == set()


def test_english_translates_each_message_to_itself() -> None:
    english = translations("en")
    assert english.gettext("Send my answers") == "Send my answers"
    one, many = "%(num)d question, one per screen.", "%(num)d questions, one per screen."
    assert english.ngettext(one, many, 1) == one
    assert english.ngettext(one, many, 2) == many


@pytest.mark.parametrize("template", sorted(PATIENT_TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_patient_templates_mark_their_text_for_translation(template: Path) -> None:
    """No bare English sentence between tags: visible text goes through _()."""
    source = template.read_text()
    without_tags = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]+>", " ", source, flags=re.S)
    words = [w for w in re.findall(r"[A-Za-z]{3,}", without_tags) if w != "spinetrack"]
    assert words == [], f"{template.name}: untranslated text {words[:8]}"
