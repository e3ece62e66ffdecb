"""Patient pages in the patient's language: every shipped catalogue covers every patient-facing
message with the same placeholders, the browser's language or the switch chooses, and staff pages
stay in the clinic's language."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.links import issued_link
from tests.support.world import World

from spinetrack.storage.tables import Patient
from spinetrack.web.i18n import (
    DEFAULT_LANGUAGE,
    TEMPLATES_DIR,
    knowledge_messages,
    read_catalogue,
    template_messages,
)
from spinetrack.web.language import LANGUAGE_COOKIE, available

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
OTHER_LANGUAGES = [code for code in available() if code != DEFAULT_LANGUAGE]


def _patient_messages() -> set[str]:
    found: set[str] = set(knowledge_messages())
    for _, message in template_messages(TEMPLATES_DIR / "patient"):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_spanish_ships() -> None:
    assert "es" in OTHER_LANGUAGES


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_patient_message_is_translated_with_its_placeholders(language: str) -> None:
    catalogue = read_catalogue(language)
    wanted = _patient_messages()
    missing = []
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if not any(i in wanted for i in ids):
            continue
        wanted -= set(ids)
        if not all(strings):
            missing.append(ids[0])
            continue
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(ids[-1])), ids
    assert not missing, f"{language}: untranslated {missing[:5]}"
    assert not wanted, f"{language}: not in the catalogue {sorted(wanted)[:5]}"


@pytest.fixture
def client(world: World) -> TestClient:
    return TestClient(shared_app(world.database), follow_redirects=False)


def test_the_browser_language_chooses_the_page_language(client: TestClient) -> None:
    spanish = client.get("/consult", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in spanish.text and "Pedir una cita" in spanish.text
    english = client.get("/consult", headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert '<html lang="en">' in english.text and "Ask for a consultation" in english.text


def test_the_switch_remembers_the_choice_and_only_goes_back_to_this_site(
    client: TestClient,
) -> None:
    switched = client.get("/language/es", params={"next": "/consult"})
    assert switched.status_code == 303 and switched.headers["location"] == "/consult"
    assert client.cookies.get(LANGUAGE_COOKIE) == "es"
    assert "Pedir una cita" in client.get("/consult").text
    for outside in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert (
            client.get("/language/en", params={"next": outside}).headers["location"] == "/consult"
        )
    assert client.get("/language/xx").status_code == 303
    assert client.cookies.get(LANGUAGE_COOKIE) == "en"


def test_the_questionnaire_speaks_spanish_and_staff_pages_stay_english(
    world: World, client: TestClient
) -> None:
    _, token = issued_link(world, ["nrs_back"])
    headers = {"Accept-Language": "es"}
    page = client.get(f"/q/{token}/step/1", headers=headers).text
    assert "Pregunta 1 de 1" in page and "Intensidad del dolor, espalda" in page
    login = client.get("/login", headers=headers).text
    assert '<html lang="en">' in login


def test_the_language_a_patient_answers_in_is_remembered_for_their_e_mails(
    world: World, client: TestClient
) -> None:
    patient_id, token = issued_link(world, ["nrs_back"])
    headers = {"Accept-Language": "es"}
    client.post(f"/q/{token}/step/1", data={"answer": "3"}, headers=headers)
    assert client.post(f"/q/{token}/submit", headers=headers).status_code == 303
    with world.database.sessions.sessionmaker() as session:
        assert session.get(Patient, patient_id).language == "es"  # type: ignore[union-attr]
    thanks = client.get(f"/q/{token}/thanks", headers=headers).text
    assert "Gracias" in thanks and "Ver sus resultados hasta ahora" in thanks
    results = client.get(f"/q/{token}/results", headers=headers).text
    assert "Sus resultados" in results and '<html lang="es">' in results
