"""Our Questionnaires in a standard FHIR form renderer: NLM LHC-Forms (npm package `lforms`, kept in
tests/interop/lhc/) renders the ODI in headless Chromium, answers are picked as a person would, and
the QuestionnaireResponse the renderer produces imports and is scored."""

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from playwright.sync_api import Browser
from tests.support.bundles import MRN, bundle, patient
from tests.support.world import build_world

from spinetrack.interop.fhir.elements import reference
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.questionnaire import to_questionnaire
from spinetrack.services.operations.database import Database
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.registry_io.import_fhir import import_fhir

HERE = Path(__file__).parent / "lhc"
LFORMS = HERE / "node_modules" / "lforms" / "dist" / "lforms"


def _install_lforms() -> None:
    """npm ci from the lock file, once; the package ships the built renderer in dist/. `make test`
    installs it before starting parallel workers, so they never run npm at the same time."""
    if LFORMS.is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install LHC-Forms (tests/interop/lhc) and was not found")
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts"], cwd=HERE, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0 or not LFORMS.is_dir():
        pytest.fail(f"installing LHC-Forms with npm failed:\n{done.stderr[-2000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not worth a line each in the test output."""


@pytest.fixture(scope="module")
def lforms_url() -> Iterator[str]:
    _install_lforms()
    handler = functools.partial(_Quiet, directory=str(LFORMS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _page_html(base: str) -> str:
    scripts = "".join(
        f'<script src="{base}/webcomponent/{name}.js" type="module"></script>'
        for name in ("runtime", "polyfills", "main")
    )
    return (
        f'<!doctype html><html><head><link href="{base}/webcomponent/styles.css" rel="stylesheet">'
        f'<script src="{base}/webcomponent/assets/lib/zone.min.js"></script>{scripts}</head>'
        '<body><div id="form"></div></body></html>'
    )


def _pick_second_option(page: Any, field: Any) -> None:
    """Open the answer list, move to its second option (level 1) and choose it, as a person would;
    a key press the page has not yet listened for is tried again."""
    for _ in range(5):
        field.click()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        if field.input_value():
            return
    pytest.fail("LHC-Forms did not take an answer")


def _filled_response(
    browser: Browser, base: str, questionnaire: dict[str, Any], answered: int
) -> dict[str, Any]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(
            f"{base}/page.html",
            lambda route: route.fulfill(body=_page_html(base), content_type="text/html"),
        )
        page.goto(f"{base}/page.html")
        page.wait_for_function(
            "() => !!(window.LForms && LForms.Util && LForms.Util.addFormToPage)"
        )
        page.add_script_tag(content=(LFORMS / "fhir" / "R4" / "lformsFHIR.min.js").read_text())
        page.evaluate("(q) => LForms.Util.addFormToPage(q, 'form')", questionnaire)
        page.wait_for_selector("#form input")
        shown = page.inner_text("#form")
        for item in questionnaire["item"]:
            assert item["text"] in shown
        for field in page.query_selector_all("#form input")[:answered]:
            _pick_second_option(page, field)
        page.keyboard.press("Tab")
        script = "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))"
        result: dict[str, Any] = page.evaluate(script)
        return result
    finally:
        context.close()


def test_lhc_forms_renders_our_odi_and_its_response_imports_and_scores(
    lforms_url: str, sqlite_only: Database, browser: Browser
) -> None:
    world = build_world(sqlite_only)
    questionnaire = json.loads(to_questionnaire("odi").model_dump_json())
    produced = _filled_response(browser, lforms_url, questionnaire, answered=10)
    assert produced["questionnaire"] == "https://spinetrack.example/fhir/Questionnaire/odi|2.1a"
    response = QuestionnaireResponse.model_validate(produced)
    response.subject = reference("Patient", patient_id(MRN))
    raw = bundle(to_patient(patient(), clinic="north"), response)
    import_fhir(
        sessions=sqlite_only.sessions, actor=world.staff, clinic_id=world.clinic, bundle=raw
    )
    with sqlite_only.sessions() as uow:
        stored = uow.patients(world.clinic).by_mrn(MRN)
        assert stored is not None
        stored_id = stored.id
    record = open_record(
        sessions=sqlite_only.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        patient_id=stored_id,
    )
    [scored] = record.responses
    assert scored.score_answered == 10
    assert (scored.score_status, scored.score_percent) == ("ok", 20.0)
    assert set(scored.answers.values()) == {1}
