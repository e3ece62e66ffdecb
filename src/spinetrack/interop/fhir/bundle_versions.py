"""Which entries of a Bundle are the current state of their resource. A history Bundle (or a feed
that repeats a resource) carries several versions of one `Type/id`: only the newest is read, the
others are listed as earlier versions; a resource whose newest entry is a DELETE is not read at
all. Newest means the highest `meta.versionId` (or the entry's ETag), else the latest
`meta.lastUpdated`, else the Bundle's order (a history Bundle lists the newest first)."""

import re
from typing import Any

_ETAG = re.compile(r'^(?:W/)?"?([^"]+)"?$')


def _key(entry: dict[str, Any]) -> str | None:
    resource = entry.get("resource")
    if isinstance(resource, dict) and resource.get("resourceType") and resource.get("id"):
        return f"{resource['resourceType']}/{resource['id']}"
    request = entry.get("request")
    if isinstance(request, dict) and request.get("method") == "DELETE":
        url = str(request.get("url") or "").split("?")[0]
        return url if url.count("/") == 1 else None
    return None


def _part(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _version(entry: dict[str, Any]) -> tuple[int, str]:
    resource = _part(entry, "resource")
    meta = _part(resource, "meta")
    response = _part(entry, "response")
    version = str(meta.get("versionId") or "")
    if not version and isinstance(response.get("etag"), str):
        match = _ETAG.match(response["etag"])
        version = match[1] if match else ""
    updated = str(meta.get("lastUpdated") or response.get("lastModified") or "")
    return (int(version) if version.isdigit() else -1, updated)


def superseded(data: dict[str, Any]) -> dict[int, str]:
    """Position of each entry not to read -> why."""
    groups: dict[str, list[int]] = {}
    entries = data.get("entry") or []
    for position, entry in enumerate(entries):
        key = _key(entry) if isinstance(entry, dict) else None
        if key is not None:
            groups.setdefault(key, []).append(position)
    newest_first = data.get("type") == "history"
    found: dict[int, str] = {}
    for key, positions in groups.items():
        if len(positions) < 2:
            continue
        order = sorted(
            positions,
            key=lambda p: (*_version(entries[p]), -p if newest_first else p),
        )
        newest = order[-1]
        request = entries[newest].get("request")
        deleted = isinstance(request, dict) and request.get("method") == "DELETE"
        for position in positions:
            if deleted:
                found[position] = f"{key} is deleted by a later entry of the Bundle"
            elif position != newest:
                found[position] = f"an earlier version of {key}; entry {newest} is the current one"
    return found
