"""/health, the home page and the OpenAPI document answer without signing in."""

from fastapi.testclient import TestClient


def test_health_reports_a_migrated_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_openapi_document_lists_the_patient_endpoints(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/patients" in document["paths"]
    assert "/api/v1/patients/{patient_id}/responses" in document["paths"]


def test_the_home_page_says_what_spinetrack_is(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "spine surgery" in response.text
    assert client.get("/static/css/site.css").status_code == 200


def test_the_api_docs_work_offline(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/api/v1/docs-assets/swagger-ui-bundle.js").status_code == 200
