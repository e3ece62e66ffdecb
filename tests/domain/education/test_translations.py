"""Translated education pages: found from the folders, merged with their English page, kept current.

Written to hold over whatever translations exist in ``knowledge/education/<language>/``: the three
Spanish translators' pages are merged one group at a time, and a third language is only a folder.
"""

import re

import pytest

from spinetrack.domain.education import (
    SOURCE_LANGUAGE,
    entries,
    entry,
    languages,
    search,
    stale_pages,
    terms,
    translated_pages,
    urgent_care,
)
from spinetrack.domain.education.glossary import _library, translate
from spinetrack.domain.education.languages import headings, localized_file
from spinetrack.domain.education.page import (
    REQUIRED_SECTIONS,
    TREATMENT_OPTIONS,
    URGENT_SECTION,
)
from spinetrack.domain.education.search import stem
from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import digest, list_files, read_text

OTHER = [language for language in languages() if language != SOURCE_LANGUAGE]
TRANSLATED = [(language, page) for language in OTHER for page in translated_pages(language)]
CONDITIONS = [
    (lang, page) for lang, page in TRANSLATED if entry(page).kind in {"condition", "cause"}
]

SPANISH_HEADINGS = {
    "What it is": "Qué es",
    "When to get help": "Cuándo pedir ayuda",
    "Frequently asked questions": "Preguntas frecuentes",
    "Risks": "Riesgos",
    "Why it is done": "Por qué se hace",
    "What happens": "Qué ocurre",
    "Treatment options": "Opciones de tratamiento",
    "Surgery": "Cirugía",
    "Physical therapy and exercise": "Fisioterapia y ejercicio",
    "Non-surgical care": "Tratamiento sin cirugía",
    "Medicines": "Medicamentos",
    "Injections": "Inyecciones",
    "Symptoms": "Síntomas",
    "Research": "Investigación",
    "Recovery and rehabilitation": "Recuperación y rehabilitación",
    "Prevention": "Prevención",
    "Living with it": "Vivir con esto",
    "How it is diagnosed": "Cómo se diagnostica",
    "Complementary therapies": "Terapias complementarias",
    "Causes": "Causas",
    "Recovery": "Recuperación",
    "How well it works": "Cuánto ayuda",
    "Results": "Resultados",
    "Why it matters": "Por qué es importante",
    "What you can do": "Qué puede hacer usted",
}
"""The map the three Spanish translators agreed on (docs/translation/es.md), pinned."""

SURGERY_WORDS = {
    "es": ("revisión", "fusión", "prótesis de disco", "estabilización dinámica"),
}
"""What a condition or cause page's surgery option must still name, per language (the English
test holds "revision", "fusion", "artificial disc replacement", "dynamic stabilisation")."""

META_FROM_ENGLISH = ("kind", "regions", "related", "references", "last_reviewed", "reviewed_by")


def _ids(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{language}/{page}" for language, page in pairs]


def test_languages_are_the_folders_of_the_library_english_first() -> None:
    assert languages()[0] == SOURCE_LANGUAGE == "en"
    assert "es" in languages()
    for language in OTHER:
        assert f"education/{language}/sections.yaml" in list_files(f"education/{language}")


def test_the_spanish_headings_are_the_agreed_ones_and_cover_every_required_section() -> None:
    assert headings("es") == SPANISH_HEADINGS
    for language in OTHER:
        required = {URGENT_SECTION, *TREATMENT_OPTIONS}
        for titles in REQUIRED_SECTIONS.values():
            required |= set(titles)
        assert required <= set(headings(language)), language


@pytest.mark.parametrize(("language", "page_id"), TRANSLATED, ids=_ids(TRANSLATED))
def test_a_translated_page_takes_its_metadata_from_its_english_page(
    language: str, page_id: str
) -> None:
    english, translated = entry(page_id), entry(page_id, language)
    assert translated.language == language and translated.translation is not None
    for field in META_FROM_ENGLISH:
        assert getattr(translated.meta, field) == getattr(english.meta, field), field
    assert translated.title != english.title or translated.meta.summary != english.meta.summary
    assert translated.file == f"education/{language}/{page_id}.md"


@pytest.mark.parametrize(("language", "page_id"), TRANSLATED, ids=_ids(TRANSLATED))
def test_a_translated_page_keeps_the_english_structure_under_its_own_headings(
    language: str, page_id: str
) -> None:
    english, translated = entry(page_id), entry(page_id, language)
    local = headings(language)
    assert len(translated.sections) == len(english.sections)
    for translated_section, english_section in zip(
        translated.sections, english.sections, strict=True
    ):  # the same sections in the same order; a page's own sections are translated freely
        if english_section.title in local:
            assert translated_section.key == english_section.title
        else:
            assert translated_section.key not in local
    for section in translated.sections:
        if section.key in local:
            assert section.title == local[section.key]
        else:  # a page's own section: translated freely, but never as one of the listed ones
            assert section.title not in local.values()
    # The listed sections keep the English page's anchors, so a link to #risks works in any language.
    for translated_section, english_section in zip(
        translated.sections, english.sections, strict=True
    ):
        if translated_section.key in local:
            assert translated_section.slug == english_section.slug
    if translated.kind in {"condition", "cause"}:
        options = next(s for s in translated.sections if s.key == "Treatment options")
        found = re.findall(r"^### (.+)$", options.markdown, re.MULTILINE)
        assert found == [local[option] for option in TREATMENT_OPTIONS]


@pytest.mark.parametrize(("language", "page_id"), TRANSLATED, ids=_ids(TRANSLATED))
def test_a_translated_page_cites_every_reference_of_its_english_page(
    language: str, page_id: str
) -> None:
    english, translated = entry(page_id), entry(page_id, language)
    assert [r.key for r in translated.references] and {r.key for r in translated.references} == {
        r.key for r in english.references
    }
    assert (
        translated.urgent is not None
        and translated.urgent.title == headings(language)[URGENT_SECTION]
    )


@pytest.mark.parametrize(("language", "page_id"), TRANSLATED, ids=_ids(TRANSLATED))
def test_every_link_on_a_translated_page_resolves(language: str, page_id: str) -> None:
    ids = {page.id for page in entries(language)}
    words = terms.terms(language)
    for section in entry(page_id, language).sections:
        for target in re.findall(r"\]\(([^)\s]+)\)", section.markdown):
            if target.startswith("glossary#"):
                assert target.removeprefix("glossary#") in words, target
            else:
                assert target in ids, target


@pytest.mark.parametrize(("language", "page_id"), CONDITIONS, ids=_ids(CONDITIONS))
def test_a_translated_condition_page_still_names_every_kind_of_surgery(
    language: str, page_id: str
) -> None:
    page = entry(page_id, language)
    if language not in SURGERY_WORDS:
        pytest.skip(f"no surgery words listed for {language!r}")
    options = next(s for s in page.sections if s.key == "Treatment options").markdown
    surgery = options[options.index(f"### {headings(language)['Surgery']}") :].lower()
    for word in SURGERY_WORDS[language]:
        assert word in surgery, word


def _own_glossary(language: str) -> bool:
    return localized_file(language, "glossary.yaml") != "education/glossary.yaml"


@pytest.mark.parametrize(("language", "page_id"), TRANSLATED, ids=_ids(TRANSLATED))
def test_every_glossary_word_is_linked_where_a_translated_page_first_uses_it(
    language: str, page_id: str
) -> None:
    if not _own_glossary(language):
        pytest.skip(f"no glossary in {language!r} yet: the English one stands in")
    page = entry(page_id, language)
    body = "\n\n".join(f"## {s.title}\n\n{s.markdown}" for s in page.sections)
    assert terms.unexplained(body, page_id, language) == []


@pytest.mark.parametrize("language", OTHER)
def test_a_languages_glossary_and_urgent_box_have_the_english_ids_and_shape(language: str) -> None:
    own, english = terms.terms(language), terms.terms()
    assert set(own) == set(english)
    assert {i: t.page for i, t in own.items()} == {i: t.page for i, t in english.items()}
    for term in own.values():
        assert all(form == form.lower() for form in term.forms), term.id
    box, source = urgent_care(language), urgent_care()
    assert len(box.emergency.signs) == len(source.emergency.signs)
    assert len(box.same_day.signs) == len(source.same_day.signs)
    assert len(box.crisis.lines) == len(source.crisis.lines)
    phones = re.compile(r"\b\d{3}(?: \d{3})?\b")
    said = " ".join(source.crisis.lines)
    for line in box.crisis.lines:  # crisis lines: only the numbers the English gives
        assert set(phones.findall(line)) <= set(phones.findall(said)), line


@pytest.mark.parametrize("language", OTHER)
def test_no_translation_is_stale(language: str) -> None:
    """A translation records the digest of the English file it was made from; when the English
    page changes, the translation must be brought up to date (it is still served meanwhile, with a
    notice). This lists the pages to redo."""
    assert stale_pages(language) == []


def test_a_translation_of_an_older_english_text_is_marked_stale() -> None:
    if not TRANSLATED:
        pytest.skip("no translated page yet")
    language, page_id = TRANSLATED[0]
    file = f"education/{language}/{page_id}.md"
    digests = {p: digest(f"education/{p}.md") for p in _library().by_id}
    current = translate(_library(), language, {file: read_text(file)}, digests)
    assert not current.by_id[page_id].stale
    digests[page_id] = "0" * 64  # the English page has changed since
    older = translate(_library(), language, {file: read_text(file)}, digests)
    assert older.by_id[page_id].stale and older.by_id[page_id].language == language
    untranslated = next(p for p in older.by_id.values() if p.id != page_id)
    assert untranslated.language == SOURCE_LANGUAGE and not untranslated.stale


def _spanish_page(body: str, page_id: str = "blood-tests-for-infection") -> dict[str, str]:
    front = (
        f"---\nid: {page_id}\nlanguage: es\ntitle: Una página de prueba\nsummary: >-\n"
        "  Un resumen de prueba bastante largo para cumplir la regla.\n"
        f"source_sha256: {digest(f'education/{page_id}.md')}\n"
        'translation:\n  forward: "prueba, 2026-12-06"\n---\n'
    )
    return {f"education/es/{page_id}.md": front + body}


_VALID_BODY = """## Qué es

Texto [@mok-2008] y [@chahoud-2014].

## Cuándo pedir ayuda

Llame hoy.

## Por qué se hace

Texto.

## Qué ocurre

Texto.

## Riesgos

Texto.

## Resultados

Texto.

## Preguntas frecuentes

### ¿Una pregunta?

Una respuesta.
"""


def _translate(texts: dict[str, str]) -> None:
    digests = {p: digest(f"education/{p}.md") for p in _library().by_id}
    translate(_library(), "es", texts, digests)


def test_a_minimal_spanish_page_loads() -> None:
    _translate(_spanish_page(_VALID_BODY))


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (_VALID_BODY.replace("## Qué es", "## Que es"), "missing section 'Qué es'"),
        (_VALID_BODY.replace("## Riesgos", "## Risks"), "missing section 'Riesgos'"),
        (_VALID_BODY.replace("## Cuándo pedir ayuda\n\nLlame hoy.\n\n", ""), "Cuándo pedir ayuda"),
        (_VALID_BODY.replace("[@mok-2008]", "[@nadie-2020]"), "[@nadie-2020] resolves to no"),
        (_VALID_BODY.replace(" y [@chahoud-2014]", ""), "'chahoud-2014' is never cited"),
        (_VALID_BODY.replace("Texto.", "[Otra](no-such-page)", 1), "link to no entry"),
        (_VALID_BODY.replace("Texto.", "[x](glossary#no-such-word)", 1), "no glossary word"),
    ],
)
def test_a_broken_spanish_page_fails_naming_its_file_and_what_is_wrong(
    body: str, says: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        _translate(_spanish_page(body))
    assert "education/es/blood-tests-for-infection.md" in str(caught.value)
    assert says in str(caught.value)


def test_a_translated_page_needs_an_english_page_and_the_language_of_its_folder() -> None:
    with pytest.raises(KnowledgeError, match="no English page"):
        _translate({"education/es/no-such-page.md": "---\n---\n"})
    wrong = _spanish_page(_VALID_BODY)
    file = next(iter(wrong))
    with pytest.raises(KnowledgeError, match="in the 'es' folder"):
        _translate({file: wrong[file].replace("language: es", "language: fr")})


def test_a_third_language_needs_only_its_folder() -> None:
    """Nothing in the loader names Spanish: another language is a folder with its headings file.
    Without that file a language does not load; with its headings, the same call loads it (the
    Spanish headings stand in for French ones here, since only the folder's files differ)."""
    source = _library()
    texts = _spanish_page(_VALID_BODY)
    file = next(iter(texts))
    french = {file.replace("/es/", "/fr/"): texts[file].replace("language: es", "language: fr")}
    digests = {p: digest(f"education/{p}.md") for p in source.by_id}
    with pytest.raises(KnowledgeError, match="needs its section headings"):
        translate(source, "fr", french, digests)
    library = translate(source, "fr", french, digests, SPANISH_HEADINGS)
    assert library.by_id["blood-tests-for-infection"].language == "fr"
    assert len(library.by_id) == len(source.by_id)


def test_spanish_search_finds_pages_with_or_without_accents() -> None:
    if "es" not in languages() or "spinal-stenosis" not in translated_pages("es"):
        pytest.skip("the Spanish stenosis page is not here")
    assert search("estenosis", "es")[0].id == "spinal-stenosis"
    assert [p.id for p in search("radiografías", "es")][:1] == [
        p.id for p in search("radiografias", "es")
    ][:1]
    assert stem("operaciones", "es") == stem("operación", "es")
    assert search("de la", "es") == []  # stop words only: nothing to look for


def test_a_page_without_a_translation_stands_in_english() -> None:
    for language in OTHER:
        for page in entries(language):
            if page.language == SOURCE_LANGUAGE:
                assert page == entry(page.id)
                assert not page.stale and page.translation is None
