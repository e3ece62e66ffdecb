"""CDS Hooks as an EHR calls it: a patient-view request shaped like the specification's examples
(hookInstance, fhirServer, context.patientId, prefetch), the declared prefetch templates, CORS and
preflight, the client JWT checked against the configured issuer's JWKS, our record used when the
issuer's clinic holds the patient, the feedback endpoint, and other hooks refused."""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.bundles import MRN, record_bundle
from tests.support.world import World

from spinetrack.api.cds_auth import _keys
from spinetrack.api.cds_hooks import Card
from spinetrack.config import get_settings
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.storage.tables import AuditEntry

SERVICE = "/cds-services/spinetrack-triage"
AUDIENCE = f"http://testserver{SERVICE}"
ISSUER = "https://ehr.riverside-hospital.example"
TODAY = date.today()


def _search_bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources],
    }


def spec_request(patient: str = "pt-77120", hook: str = "patient-view") -> dict[str, Any]:
    """A patient-view call the way the CDS Hooks examples shape it, about a discectomy ten days
    ago, with two Conditions charted since."""
    surgery_day = (TODAY - timedelta(days=10)).isoformat()
    return {
        "hookInstance": str(uuid.uuid4()),
        "fhirServer": "https://ehr.riverside-hospital.example/fhir",
        "hook": hook,
        "fhirAuthorization": {
            "access_token": "some-opaque-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Procedure.read",
            "subject": "spinetrack-triage",
        },
        "context": {"userId": "Practitioner/dr-4410", "patientId": patient, "encounterId": "e1"},
        "prefetch": {
            "patient": {
                "resourceType": "Patient",
                "id": patient,
                "gender": "female",
                "birthDate": "1966-02-11",
            },
            "conditions": _search_bundle(
                {
                    "resourceType": "Condition",
                    "subject": {"reference": f"Patient/{patient}"},
                    "code": {
                        "text": "New urinary retention and saddle anaesthesia since yesterday"
                    },
                }
            ),
            "procedures": _search_bundle(
                {
                    "resourceType": "Procedure",
                    "status": "completed",
                    "subject": {"reference": f"Patient/{patient}"},
                    "code": {
                        "coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "63030"}],
                        "text": "Microdiscectomy L4-L5",
                    },
                    "performedDateTime": surgery_day,
                }
            ),
            "observations": _search_bundle(),
        },
    }


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[rsa.RSAPrivateKey]:
    """An EHR's signing key, its JWKS served over HTTP on loopback (as an EHR publishes it), and
    the issuer configured for clinic north."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    document = json.dumps({"keys": [{**public, "kid": "k1", "alg": "RS384", "use": "sig"}]})

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    issuers = [{"iss": ISSUER, "jwks_url": url, "clinic": "north"}]
    monkeypatch.setenv("SPINETRACK_CDS_ISSUERS", json.dumps(issuers))
    get_settings.cache_clear()
    _keys.cache_clear()
    yield key
    server.shutdown()
    server.server_close()
    monkeypatch.delenv("SPINETRACK_CDS_ISSUERS")
    get_settings.cache_clear()
    _keys.cache_clear()


def token(key: Any, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 300,
        "iat": now,
        "jti": str(uuid.uuid4()),
    }
    claims |= changes
    return jwt.encode(claims, key, algorithm="RS384", headers={"kid": "k1"})


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def _cards(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    cards: list[dict[str, Any]] = answer.json()["cards"]
    for card in cards:
        Card.model_validate(card)
    return cards


def test_discovery_declares_prefetch_for_the_patient_view(client: TestClient) -> None:
    [service] = client.get("/cds-services").json()["services"]
    assert service["prefetch"] == {
        "patient": "Patient/{{context.patientId}}",
        "conditions": "Condition?patient={{context.patientId}}",
        "procedures": "Procedure?patient={{context.patientId}}",
        "observations": "Observation?patient={{context.patientId}}",
    }


def test_a_spec_shaped_call_gets_cards_from_its_prefetch(client: TestClient) -> None:
    cards = _cards(client.post(SERVICE, json=spec_request()))
    assert cards[0]["indicator"] == "critical" and "cauda equina" in cards[0]["summary"]
    assert cards[-1]["indicator"] == "info"


def test_other_hooks_and_calls_without_data_are_refused(client: TestClient) -> None:
    wrong = client.post(SERVICE, json=spec_request(hook="order-sign"))
    assert wrong.status_code == 400 and "patient-view" in wrong.json()["detail"]
    bare = spec_request()
    bare["prefetch"]["procedures"] = _search_bundle()
    empty = client.post(SERVICE, json=bare)
    assert empty.status_code == 422 and empty.json()["field"] == "prefetch.procedures"


def test_cors_headers_and_preflight(client: TestClient) -> None:
    origin = {"Origin": "https://sandbox.cds-hooks.org"}
    preflight = client.options(SERVICE, headers={**origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin["Origin"]
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Authorization" in preflight.headers["access-control-allow-headers"]
    answer = client.get("/cds-services", headers=origin)
    assert answer.headers["access-control-allow-origin"] == origin["Origin"]


def test_a_verified_ehr_gets_our_record_of_a_patient_its_clinic_holds(
    client: TestClient, world: World, keys: rsa.RSAPrivateKey
) -> None:
    import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=record_bundle("north"),
    )
    call = spec_request(patient=patient_id(MRN))
    call["prefetch"]["procedures"] = _search_bundle()  # nothing prefetched: our record answers
    cards = _cards(client.post(SERVICE, json=call, headers=bearer(token(keys))))
    assert cards[0]["indicator"] == "critical"  # the prefetched Condition's words still count
    with world.database.sessions() as uow:
        audited = uow.session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "cds.patient_view")
        ).all()
    assert audited == [f"cds-hooks:{ISSUER}"]


def test_bad_tokens_are_refused(client: TestClient, keys: rsa.RSAPrivateKey) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = {
        "signature": token(stranger),
        "expired": token(keys, exp=int(time.time()) - 10),
        "audience": token(keys, aud="https://elsewhere.example/cds"),
        "issuer": token(keys, iss="https://unknown.example"),
        "jti": jwt.encode(
            {"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60, "iat": int(time.time())},
            keys,
            algorithm="RS384",
            headers={"kid": "k1"},
        ),
    }
    for why, bad in cases.items():
        answer = client.post(SERVICE, json=spec_request(), headers=bearer(bad))
        assert answer.status_code == 401, why
    assert client.post(SERVICE, json=spec_request(), headers=bearer("nonsense")).status_code == 401


def test_only_the_development_setting_skips_the_signature(
    client: TestClient, keys: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    monkeypatch.setenv("SPINETRACK_CDS_DEVELOPMENT", "true")
    get_settings.cache_clear()
    try:
        answer = client.post(SERVICE, json=spec_request(), headers=bearer(token(stranger)))
        assert answer.status_code == 200
    finally:
        monkeypatch.delenv("SPINETRACK_CDS_DEVELOPMENT")
        get_settings.cache_clear()


def test_feedback_is_acknowledged_and_audited(
    client: TestClient, world: World, keys: rsa.RSAPrivateKey
) -> None:
    url = f"{SERVICE}/feedback"
    body = {
        "feedback": [
            {
                "card": str(uuid.uuid4()),
                "outcome": "overridden",
                "overrideReason": {"reason": {"code": "alt", "display": "treated elsewhere"}},
                "outcomeTimestamp": "2026-03-01T10:00:00Z",
            }
        ]
    }
    assert client.post(url, json=body).status_code == 401
    audience = f"http://testserver{url}"
    answer = client.post(url, json=body, headers=bearer(token(keys, aud=audience)))
    assert answer.status_code == 200
    with world.database.sessions() as uow:
        [detail] = uow.session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "cds.feedback")
        ).all()
    assert "overridden" in str(detail)
    wrong = client.post(
        url, json={"feedback": [{"card": "x"}]}, headers=bearer(token(keys, aud=audience))
    )
    assert wrong.status_code == 422
