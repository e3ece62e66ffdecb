"""What every data-entry form of a patient reads from its request before the service sees it:
the posted fields (trimmed, and cut to a length no field needs more than), the clinic the page
was opened for, the patient in the path, and the address to go back to with that clinic kept.

The patient's data-entry forms (data_entry.py) and the pre-operative form (preop.py) share these,
so a form shown again after a refusal keeps what was typed in the same way on every page."""

from fastapi import Request
from starlette.datastructures import FormData

TEXT_LIMIT = 4000


def posted_text(form: FormData, name: str) -> str:
    """One posted field as text, trimmed; an absent field or an uploaded file is empty."""
    value = form.get(name, "")
    return value[:TEXT_LIMIT].strip() if isinstance(value, str) else ""


def posted_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: posted_text(form, name) for name in names}


def with_clinic(path: str, clinic: int | None, **query: object) -> str:
    """`path` with the query given and the page's clinic, so the next page stays in that clinic."""
    pairs = [f"{k}={v}" for k, v in query.items()]
    if clinic is not None:
        pairs.append(f"clinic={clinic}")
    return path + ("?" + "&".join(pairs) if pairs else "")


def page_clinic(request: Request) -> int | None:
    """The page's `clinic` query (already checked by the route) for a form shown again."""
    raw = request.query_params.get("clinic")
    return int(raw) if raw else None


def path_patient_id(request: Request) -> int:
    """The patient in the path (already checked by the route) for a form shown again."""
    return int(request.path_params["patient_id"])
