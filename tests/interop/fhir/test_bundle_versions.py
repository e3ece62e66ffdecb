"""Several versions of one resource in a Bundle: only the newest is read; a DELETE removes it."""

from typing import Any

from spinetrack.interop.fhir.bundle_versions import superseded


def _version(resource_id: str, version: str | None, **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Procedure", "id": resource_id}
    if version is not None:
        resource["meta"] = {"versionId": version}
    return {"resource": resource, **extra}


def test_the_highest_version_id_is_read_whatever_the_order() -> None:
    bundle = {
        "type": "collection",
        "entry": [_version("p", "3"), _version("p", "1"), _version("q", "1")],
    }
    assert superseded(bundle) == {
        1: "an earlier version of Procedure/p; entry 0 is the current one"
    }


def test_a_history_bundle_without_versions_lists_the_newest_first() -> None:
    bundle = {"type": "history", "entry": [_version("p", None), _version("p", None)]}
    assert list(superseded(bundle)) == [1]


def test_a_later_delete_removes_every_version() -> None:
    delete = {"request": {"method": "DELETE", "url": "Procedure/p"}, "response": {"etag": 'W/"3"'}}
    bundle = {"type": "history", "entry": [delete, _version("p", "2"), _version("p", "1")]}
    assert sorted(superseded(bundle)) == [0, 1, 2]
    assert "deleted" in superseded(bundle)[1]
