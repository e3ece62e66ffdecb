"""Before the operation, in the browser: the pre-operative form (staff or surgeon), the patient's
printable page of their own chances, the model's card, and the analyst's model performance page
with its history of refits. The surgeon's view of the prediction sits on the patient page itself
(templates/clinic/_outlook.html), filled by `outlook_of` below."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from spinetrack.domain.registry.preop import PREOP_FIELDS
from spinetrack.prediction.figures import calibration_svg, decision_svg
from spinetrack.services.access.actor import Actor
from spinetrack.services.risk.clinic_model import (
    FittedModel,
    model_card_of,
    model_history,
    predict_patient,
)
from spinetrack.services.risk.model_fitting import fitting_now
from spinetrack.services.risk.preop_record import NewPreop, read_preop, save_preop
from spinetrack.web import language as page_language
from spinetrack.web.deps import ClinicQuery, CsrfChecked, PageId, PageSessions, SignedIn, member
from spinetrack.web.forms import FormWords, Label
from spinetrack.web.pages import answers, page_route
from spinetrack.web.routes.clinic_pages import clinic_for, render
from spinetrack.web.routes.posted_form import (
    page_clinic,
    path_patient_id,
    posted_values,
    with_clinic,
)
from spinetrack.web.templating import templates

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient (or clinic) among yours.",
        denied="Your role may not see or record this.",
    ),
)

FLAGS = (
    "smoker",
    "diabetes",
    "prior_spine_surgery",
    "compensation_claim",
    "psychological_distress",
    "opioid_use",
)
FLAG_LABELS = {
    "smoker": "Smokes tobacco now?",
    "diabetes": "Diabetes?",
    "prior_spine_surgery": "Earlier spine surgery?",
    "compensation_claim": "Workers' compensation claim or litigation?",
    "psychological_distress": "Psychological distress (depression, anxiety, catastrophizing)?",
    "opioid_use": "Regular opioid use?",
}
PREOP_WORDS = FormWords(
    {
        "bmi": Label("BMI (kg/m²)", "write a number such as 27.5"),
        "asa": Label("ASA grade", "choose 1 to 4"),
        "symptom_duration_months": Label("Duration of the main symptom (months)", "a number"),
        "phq9": Label("PHQ-9 total (0–27)", "a whole number"),
        "gad7": Label("GAD-7 total (0–21)", "a whole number"),
        "baseline_pain_axial": Label("Back or neck pain now (0–10)", "a whole number 0–10"),
        "baseline_pain_limb": Label("Leg or arm pain now (0–10)", "a whole number 0–10"),
        **{name: Label(text, "choose yes, no or not known") for name, text in FLAG_LABELS.items()},
    }
)
PREDICTOR_LABELS = {
    "baseline_score": "Baseline disability score",
    "age": "Age",
    "sex": "Sex",
    "bmi": "BMI",
    "asa": "ASA grade",
    "smoker": "Smoking",
    "diabetes": "Diabetes",
    "symptom_duration_months": "Symptom duration (months)",
    "prior_spine_surgery": "Earlier spine surgery",
    "compensation_claim": "Compensation claim or litigation",
    "psychological_distress": "Psychological distress",
    "opioid_use": "Regular opioid use",
    "baseline_pain_axial": "Back or neck pain",
    "baseline_pain_limb": "Leg or arm pain",
    "region": "Region",
    "procedure": "Procedure",
    "instrumented": "Instrumented",
    "n_levels": "Number of levels",
    "instrument": "Instrument",
}


def outlook_of(actor: Actor, sessions: PageSessions, clinic_id: int, patient_id: int) -> Any:
    """The prediction and the pre-operative record the patient page shows, or None for a patient
    without a planned operation (nothing is predicted after the fact)."""
    risk = predict_patient(
        sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id
    )
    preop = read_preop(sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id)
    return {
        "risk": risk,
        "preop": preop,
        "labels": PREDICTOR_LABELS,
        "fitting": risk is None and fitting_now(clinic_id),
    }


def _form_values(preop: NewPreop) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in PREOP_FIELDS:
        value = getattr(preop, name)
        if value is None:
            values[name] = ""
        elif isinstance(value, bool):
            values[name] = "yes" if value else "no"
        else:
            values[name] = f"{value:g}" if isinstance(value, float) else str(value)
    return values


def _form(
    request: Request, visitor: Any, patient_id: int, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    clinic = page_clinic(request)
    return render(
        request,
        "clinic/preop_form.html",
        visitor,
        422 if errors else 200,
        values=values,
        errors=errors,
        flags=FLAGS,
        flag_labels=FLAG_LABELS,
        patient_id=patient_id,
        action=with_clinic(f"/patients/{patient_id}/preop", clinic),
        back=with_clinic(f"/patients/{patient_id}", clinic),
    )


@router.get("/patients/{patient_id}/preop", response_class=HTMLResponse)
def preop_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    actor = visitor.actor
    stored = read_preop(
        sessions=sessions, actor=actor, clinic_id=clinic_for(actor, clinic), patient_id=patient_id
    )
    return _form(request, visitor, patient_id, _form_values(stored), {})


def _parse(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, raw in values.items():
        if not raw:
            continue
        data[name] = {"yes": True, "no": False}.get(raw, raw) if name in FLAGS else raw
    return data


async def _refill(request: Request, errors: dict[str, str]) -> Response:
    values = posted_values(await request.form(), PREOP_FIELDS)
    return _form(request, member(request), path_patient_id(request), values, errors)


@router.post(
    "/patients/{patient_id}/preop", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
@answers(refill=_refill, words=PREOP_WORDS)
async def save_preop_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = visitor.actor
    values = posted_values(await request.form(), PREOP_FIELDS)
    preop = PREOP_WORDS.parse(NewPreop, _parse(values))
    save_preop(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        preop=preop,
    )
    return RedirectResponse(
        with_clinic(f"/patients/{patient_id}", clinic, done="preop") + "#outlook", status_code=303
    )


@router.get("/patients/{patient_id}/chances", response_class=HTMLResponse)
def chances_page(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    lang: str | None = None,
) -> HTMLResponse:
    """The patient's own printable page, in their language (`lang`, else English)."""
    actor = visitor.actor
    risk = predict_patient(
        sessions=sessions, actor=actor, clinic_id=clinic_for(actor, clinic), patient_id=patient_id
    )
    language = lang if lang in page_language.available() else "en"
    context = dict(page_language.template_globals(language))
    context.update(risk=risk, of_100=risk.of_100() if risk else None)
    # Rendered here rather than as a TemplateResponse: the page context processor would put the
    # staff pages' English back in place of the patient's language.
    return HTMLResponse(templates.get_template("patient/chances.html").render(**context))


def _any_clinic(actor: Actor, clinic: int | None) -> int:
    """The clinic of a page analysts see too (they have no clinical clinic)."""
    return clinic if clinic is not None else actor.default_clinic()


def subgroup_label(group: str) -> str:
    """A calibration group as a reader names it: `sex=female` -> `Sex: female`."""
    kind, _, value = group.partition("=")
    return f"{kind.capitalize()}: {value}" if value else group


def _plots(model: FittedModel) -> dict[str, tuple[Markup, Markup]]:
    """The newest model's calibration and decision curves per outcome, as inline SVG (models
    stored before the curves were kept in the summary have none)."""
    plots: dict[str, tuple[Markup, Markup]] = {}
    for outcome, figures in model.summary.get("validation", {}).items():
        calibration, decision = figures.get("calibration_curve"), figures.get("decision_curve")
        if calibration and decision:
            plots[outcome] = (
                Markup(calibration_svg(calibration, f"Calibration: {outcome}")),
                Markup(decision_svg(decision, f"Decision curve: {outcome}")),
            )
    return plots


@router.get("/analytics/risk", response_class=HTMLResponse)
def performance_page(
    request: Request, visitor: SignedIn, sessions: PageSessions, clinic: ClinicQuery = None
) -> HTMLResponse:
    actor = visitor.actor
    clinic_id = _any_clinic(actor, clinic)
    history = model_history(sessions=sessions, actor=actor, clinic_id=clinic_id)
    return render(
        request,
        "analytics/risk.html",
        visitor,
        history=history,
        plots=_plots(history[0]) if history else {},
        subgroup_label=subgroup_label,
        fitting=fitting_now(clinic_id),
        clinic_query=f"?clinic={clinic}" if clinic is not None else "",
    )


@router.get("/analytics/risk/card", response_class=HTMLResponse)
def card_page(
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    version: str | None = None,
) -> HTMLResponse:
    actor = visitor.actor
    return HTMLResponse(
        model_card_of(
            sessions=sessions, actor=actor, clinic_id=_any_clinic(actor, clinic), version=version
        )
    )
