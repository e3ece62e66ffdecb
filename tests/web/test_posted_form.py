"""What a data-entry form reads from its post: trimmed, capped text, and the way back that keeps
the page's clinic."""

from starlette.datastructures import FormData, UploadFile

from spinetrack.web.routes.posted_form import TEXT_LIMIT, posted_values, with_clinic


def test_posted_text_is_trimmed_capped_and_empty_when_absent_or_a_file() -> None:
    upload = UploadFile(file=None)  # type: ignore[arg-type]
    form = FormData([("bmi", "  27.5 "), ("notes", "x" * (TEXT_LIMIT + 50)), ("scan", upload)])
    values = posted_values(form, ("bmi", "notes", "scan", "asa"))
    assert values["bmi"] == "27.5"
    assert len(values["notes"]) == TEXT_LIMIT
    assert (values["scan"], values["asa"]) == ("", "")


def test_the_way_back_keeps_the_clinic_only_when_the_page_had_one() -> None:
    assert with_clinic("/patients/4", None) == "/patients/4"
    assert with_clinic("/patients/4", None, done="preop") == "/patients/4?done=preop"
    assert with_clinic("/patients/4", 2, done="preop") == "/patients/4?done=preop&clinic=2"
