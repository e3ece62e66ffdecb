"""SQL, HTML and template injection strings in every text field the API accepts. A string is data:
it is either stored exactly as sent and read back the same, or refused with a 422 naming the field.
Never a 5xx, and never a change to anything but the one record the request was for.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.hostile import INJECTIONS, data_counts, unchanged
from tests.support.seeded import Seeded, seed
from tests.support.world import World

Body = Callable[[str, Seeded], dict[str, Any]]


def _patient(field: str) -> Body:
    def body(text: str, _: Seeded) -> dict[str, Any]:
        base = {"mrn": "I-1", "given_name": "Ann", "family_name": "Lee"}
        return {**base, "birth_date": "1960-01-01", "sex": "female", field: text}

    return body


SURGERY = {
    "performed_on": "2025-05-01",
    "region": "lumbar",
    "procedure": "discectomy",
    "approach": "posterior",
    "levels": ["L5-S1"],
}
DERIVED = frozenset({"patient_outcomes", "analytics_changes", "report_findings"})
"""Rows a write derives rather than stores as sent: the outcome row, the analytics change log and
what the reader makes of a report, which depends on the text."""
ALSO_STORED = {"assessment report": ("report_texts",)}
"""A report sent for assessment is also kept in the record as it was written."""
# (path under the seeded patient, body, the JSON field read back, the table that grows)
TEXT_FIELDS: dict[str, tuple[str, Body, str, str]] = {
    "patient mrn": ("", _patient("mrn"), "mrn", "patients"),
    "patient given name": ("", _patient("given_name"), "given_name", "patients"),
    "patient family name": ("", _patient("family_name"), "family_name", "patients"),
    "surgery notes": (
        "/surgeries",
        lambda text, _: {**SURGERY, "notes": text},
        "notes",
        "surgeries",
    ),
    "complication notes": (
        "/complications",
        lambda text, s: {
            "surgery_id": s.surgery,
            "kind": "dural_tear",
            "reported_by": "surgeon",
            "notes": text,
        },
        "notes",
        "complications",
    ),
    "finding note": (
        "/findings",
        lambda text, _: {"finding": "smoker", "observed_on": "2025-06-01", "note": text},
        "note",
        "clinical_findings",
    ),
    "assessment report": (
        "/assessments",
        lambda text, _: {"evaluation_date": "2025-06-02", "reports": [text]},
        "rules_version",
        "triage_assessments",
    ),
    "answer item id": (
        "/responses",
        lambda text, _: {
            "instrument": "nrs_back",
            "completed_at": "2025-06-01T09:00:00Z",
            "answers": {text: 3},
        },
        "answers",
        "prom_responses",
    ),
}


@pytest.mark.parametrize("where", sorted(TEXT_FIELDS))
def test_injection_strings_are_stored_verbatim_or_refused_never_executed(
    client: TestClient, world: World, where: str
) -> None:
    seeded = seed(world)
    suffix, body, read_back, table = TEXT_FIELDS[where]
    base = "/api/v1/patients" + (f"/{seeded.patient}{suffix}" if suffix else "")
    for text in INJECTIONS:
        before = data_counts(world.database)
        sent = body(text, seeded)
        response = client.post(base, json=sent, auth=auth("clinician"))
        assert response.status_code in {201, 422}, (text, response.text)
        expected = {**before}
        if response.status_code == 201:
            expected[table] += 1
            for kept in ALSO_STORED.get(where, ()):
                expected[kept] += 1
            got = response.json()[read_back]
            field = next(k for k, v in sent.items() if v is text or v == [text])
            if field in response.json():
                assert got == text, (text, got)
        else:
            assert response.json()["field"], response.text
        after = data_counts(world.database)
        assert {t: n for t, n in after.items() if t not in DERIVED} == {
            t: n for t, n in expected.items() if t not in DERIVED
        }


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_in_searches_and_headers_find_nothing_and_change_nothing(
    client: TestClient, world: World, text: str
) -> None:
    seed(world)
    with unchanged(world.database, reads=True):
        search = client.get(
            "/api/v1/fhir/Patient", params={"identifier": f"mrn|{text}"}, auth=auth("clinician")
        )
        assert search.status_code in {200, 422}, search.text
        if search.status_code == 200:
            assert search.json()["total"] == 0
        link = client.get(f"/api/v1/links/{quote(text, safe='')}.{quote(text, safe='')}")
        assert link.status_code in {404, 422}, link.text
        token = client.get("/api/v1/patients", headers={"Authorization": f"Bearer st_{text}"})
        assert token.status_code == 401
