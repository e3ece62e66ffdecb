"""Bodies no client should send: not JSON, not UTF-8, nested without end, the wrong types, answers
out of range, ids that do not exist. Each gets a clear 4xx naming the reason, and nothing changes.

(The 2 MiB limit itself is tested in tests/api/test_hygiene.py; the patient fields' 422s in
tests/api/test_patients.py. This catalogue aims at every write route, the submission most of all.)
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.hostile import unchanged
from tests.support.seeded import Seeded, seed
from tests.support.world import World

ODI_ANSWERS = {f"odi_{i}": 2 for i in range(1, 11)}
WRITES = (
    "/api/v1/patients",
    "/api/v1/patients/{patient}/surgeries",
    "/api/v1/patients/{patient}/complications",
    "/api/v1/patients/{patient}/responses",
    "/api/v1/patients/{patient}/findings",
    "/api/v1/patients/{patient}/assessments",
    "/api/v1/patients/{patient}/links",
    "/api/v1/links/{token}/responses",
    "/api/v1/triage",
    "/cds-services/spinetrack-triage",
)
UNPARSABLE: dict[str, tuple[bytes, str]] = {
    "truncated": (b'{"instrument": "odi", "answers": {', "JSON decode error"),
    "trailing comma": (b'{"instrument": "odi",}', "JSON decode error"),
    "single quotes": (b"{'instrument': 'odi'}", "JSON decode error"),
    "empty": (b"", "Field required"),
    "deeply nested object": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply"),
    "deeply nested array": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "invalid UTF-8": (b'{"instrument": "od\xff\xfei"}', "not valid UTF-8"),
    "overlong UTF-8": (b'{"instrument": "\xc0\xafodi"}', "not valid UTF-8"),
    "a 5000-digit number": (b'{"answers": {"odi_1": ' + b"9" * 5000 + b"}}", "digits"),
}


def _path(template: str, seeded: Seeded) -> str:
    return template.format(patient=seeded.patient, token=seeded.link_token)


def _response(answers: Any, **changes: Any) -> dict[str, Any]:
    return {
        "instrument": "odi",
        "completed_at": "2025-06-01T09:00:00Z",
        "answers": answers,
        **changes,
    }


@pytest.mark.parametrize("kind", sorted(UNPARSABLE))
def test_a_body_that_is_not_usable_json_is_refused_on_every_write_route(
    client: TestClient, world: World, kind: str
) -> None:
    seeded = seed(world)
    raw, reason = UNPARSABLE[kind]
    with unchanged(world.database):
        for template in WRITES:
            response = client.post(
                _path(template, seeded),
                content=raw,
                headers={"content-type": "application/json"},
                auth=auth("admin"),
            )
            assert response.status_code in {400, 422}, (template, response.text)
            assert reason in response.json()["detail"], (template, response.text)


WRONG: dict[str, tuple[Any, str | None]] = {
    "a list instead of an object": ([ODI_ANSWERS], None),
    "answers as a string": (_response("all fine"), "answers"),
    "an answer as a string": (_response({**ODI_ANSWERS, "odi_1": "two"}), "answers.odi_1"),
    "an answer as a boolean": (_response({**ODI_ANSWERS, "odi_1": True}), "answers.odi_1"),
    "an answer as an object": (_response({**ODI_ANSWERS, "odi_1": {"$gt": 0}}), "answers.odi_1"),
    "the instrument as a number": (_response(ODI_ANSWERS, instrument=7), "instrument"),
    "a date that is not one": (_response(ODI_ANSWERS, completed_at="31/02/2025"), "completed_at"),
    "an unknown field": (_response(ODI_ANSWERS, score=0), "score"),
    "no answers at all": (_response({}), "answers"),
    "65 answers": (_response({f"x{i}": 1 for i in range(65)}), "answers"),
    "an answer above the scale": (_response({**ODI_ANSWERS, "odi_1": 6}), "answers"),
    "an answer below the scale": (_response({**ODI_ANSWERS, "odi_1": -1}), "answers"),
    "a fractional answer": (_response({**ODI_ANSWERS, "odi_1": 2.5}), "answers"),
    "a huge answer": (_response({**ODI_ANSWERS, "odi_1": 10**30}), "answers"),
    "an item of another instrument": (_response({**ODI_ANSWERS, "ndi_1": 1}), "answers.ndi_1"),
    "an unknown instrument": (_response(ODI_ANSWERS, instrument="sf36"), "instrument"),
    "completed in the future": (_response(ODI_ANSWERS, completed_at="2999-01-01T00:00:00Z"), None),
    "an unknown source": (_response(ODI_ANSWERS, source="fax"), "source"),
}


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_a_submission_with_wrong_types_or_values_is_a_422_that_stores_nothing(
    client: TestClient, world: World, kind: str
) -> None:
    seeded = seed(world)
    body, field = WRONG[kind]
    with unchanged(world.database):
        response = client.post(
            f"/api/v1/patients/{seeded.patient}/responses", json=body, auth=auth("staff")
        )
    assert response.status_code == 422, response.text
    payload = response.json()
    assert payload["detail"]
    if field is not None:
        assert payload["field"] == field
    elif kind == "completed in the future":
        assert payload["field"] == "completed_at"


def test_nan_and_infinity_are_not_answers(client: TestClient, world: World) -> None:
    """Python's JSON reader accepts NaN and Infinity, which JSON itself does not; neither scores."""
    seeded = seed(world)
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        raw = (
            b'{"instrument": "nrs_back", "completed_at": "2025-06-01T09:00:00Z", '
            b'"answers": {"nrs_back": ' + literal + b"}}"
        )
        with unchanged(world.database):
            response = client.post(
                f"/api/v1/patients/{seeded.patient}/responses",
                content=raw,
                headers={"content-type": "application/json"},
                auth=auth("staff"),
            )
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "answers"


UNKNOWN_IDS = (
    ("get", "/api/v1/patients/{unknown}"),
    ("post", "/api/v1/patients/{unknown}/responses"),
    ("post", "/api/v1/patients/{unknown}/surgeries"),
    ("post", "/api/v1/patients/{unknown}/links"),
    ("get", "/api/v1/patients/{unknown}/assessments"),
    ("put", "/api/v1/patients/{patient}/assessments/{unknown}/conclusion"),
    ("delete", "/api/v1/patients/{patient}/links/{unknown}"),
    ("get", "/api/v1/fhir/Patient/{unknown}"),
)
BODIES = {
    "responses": _response(ODI_ANSWERS),
    "surgeries": {
        "performed_on": "2025-01-15",
        "region": "lumbar",
        "procedure": "discectomy",
        "approach": "posterior",
        "levels": ["L5-S1"],
    },
    "links": {"instruments": ["odi"]},
    "conclusion": {"confirmed_cause": "pseudarthrosis"},
}


@pytest.mark.parametrize("unknown", ["424242", "2147483647"])
def test_unknown_and_other_clinics_ids_are_404_and_change_nothing(
    client: TestClient, world: World, unknown: str
) -> None:
    seeded = seed(world)
    with unchanged(world.database):
        for method, template in UNKNOWN_IDS:
            path = template.format(unknown=unknown, patient=seeded.patient)
            body = BODIES.get(path.rsplit("/", 1)[-1])
            response = client.request(method, path, json=body, auth=auth("admin"))
            assert response.status_code == 404, (path, response.text)
            assert response.json()["detail"], path
        # The same real patient seen from the other clinic does not exist either.
        response = client.post(
            f"/api/v1/patients/{seeded.patient}/responses",
            json=_response(ODI_ANSWERS),
            auth=auth("clinician", "south"),
        )
        assert response.status_code == 404


@pytest.mark.parametrize("unknown", ["0", "-1", "2147483648", "9" * 30, "1e3", "one"])
def test_ids_that_cannot_exist_are_refused_before_any_query(
    client: TestClient, world: World, unknown: str
) -> None:
    with unchanged(world.database):
        for method, template in UNKNOWN_IDS[:-1]:
            path = template.format(unknown=unknown, patient=unknown)
            body = BODIES.get(path.rsplit("/", 1)[-1])
            response = client.request(method, path, json=body, auth=auth("admin"))
            assert response.status_code == 422, (path, response.text)
            assert response.json()["field"] in {"patient_id", "assessment_id", "link_id"}
        listing = client.get(f"/api/v1/patients?clinic={unknown}", auth=auth("admin"))
        assert listing.status_code == 422 and listing.json()["field"] == "clinic"


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_numbers_beyond_what_the_database_holds_are_422_not_500(
    client: TestClient, world: World, number: int
) -> None:
    seeded = seed(world)
    base = f"/api/v1/patients/{seeded.patient}"
    with unchanged(world.database):
        for path, body, field in (
            (
                f"{base}/complications",
                {"surgery_id": number, "kind": "dural_tear", "reported_by": "surgeon"},
                "surgery_id",
            ),
            (
                f"{base}/surgeries",
                {**BODIES["surgeries"], "revision_of_id": number},
                "revision_of_id",
            ),
            (f"{base}/surgeries", {**BODIES["surgeries"], "surgeon_id": number}, "surgeon_id"),
        ):
            response = client.post(path, json=body, auth=auth("clinician"))
            assert response.status_code == 422, (path, response.text)
            assert response.json()["field"] == field
        listing = client.get(f"/api/v1/patients?offset={number}", auth=auth("clinician"))
        assert listing.status_code == 422 and listing.json()["field"] == "offset"
