"""The patient's questionnaire pages, reached by the link the clinic sent: no sign-in, one question
per screen, answers kept on the server as the patient goes, a review screen, and a thank-you.

Everything works as plain forms (no JavaScript). The token in the address is the only credential,
so these pages are never cached, never indexed, send no referrer, and show nothing about the
patient; a link that is forged, expired, used or withdrawn gets the same kind page.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.domain.education import urgent_care
from spinetrack.domain.instruments import get_instrument, score
from spinetrack.domain.outcomes import schedule
from spinetrack.services.access.patient_links import (
    LinkForm,
    link_answered,
    open_form,
    save_answer,
    submit_draft,
)
from spinetrack.services.followup.patient_language import remember_language
from spinetrack.services.patient_side.patient_results import open_results
from spinetrack.services.patient_side.questionnaire_text import (
    Question,
    QuestionnaireText,
    questionnaire_text,
)
from spinetrack.web.charts import trajectory
from spinetrack.web.deps import PageSessions, sessions_of
from spinetrack.web.forms import FormRefused
from spinetrack.web.language import choose
from spinetrack.web.pages import answers, page_route
from spinetrack.web.templating import templates

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
SECONDS_PER_QUESTION = 20


@dataclass(frozen=True)
class Step:
    number: int
    part: int
    questionnaire: QuestionnaireText
    question: Question


def _steps(form: LinkForm, language: str | None = None) -> list[Step]:
    steps: list[Step] = []
    for part, instrument in enumerate(form.instruments, start=1):
        text = questionnaire_text(instrument, language)
        for question in text.questions:
            steps.append(Step(len(steps) + 1, part, text, question))
    return steps


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def _page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _gone(request: Request, _: Exception | None = None) -> HTMLResponse:
    """The one page for every unusable link (forged, expired, used, withdrawn)."""
    return _page(request, "patient/link_gone.html", 404, clinic_name="")


router = APIRouter(prefix="/q", include_in_schema=False, route_class=page_route(not_found=_gone))


def _redirect(target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _form(request: Request, sessions: PageSessions, token: str) -> LinkForm:
    """The link's questionnaires and draft; an unusable link raises `NotFound` (the gone page)."""
    return open_form(sessions=sessions, token=token, remote=_remote(request))


@router.get("/{token}", response_class=HTMLResponse)
def intro(request: Request, token: str, sessions: PageSessions) -> Response:
    form = _form(request, sessions, token)
    steps = _steps(form)
    done = [s.number for s in steps if s.question.id in form.draft[s.questionnaire.id]]
    resume = next((s.number for s in steps if s.number not in done), len(steps))
    return _page(
        request,
        "patient/q_intro.html",
        clinic_name=form.clinic_name,
        base=f"/q/{token}",
        total=len(steps),
        minutes=max(1, round(len(steps) * SECONDS_PER_QUESTION / 60)),
        expires=form.expires_at.strftime("%d %B %Y").lstrip("0"),
        answered=len(done),
        resume=resume,
    )


def _step_page(
    request: Request, token: str, form: LinkForm, number: int, error: str | None = None
) -> Response:
    steps = _steps(form, choose(request))
    if not 1 <= number <= len(steps):
        return _redirect(f"/q/{token}")
    step = steps[number - 1]
    chosen = form.draft[step.questionnaire.id].get(step.question.id)
    return _page(
        request,
        "patient/q_step.html",
        422 if error else 200,
        clinic_name=form.clinic_name,
        base=f"/q/{token}",
        n=number,
        total=len(steps),
        part=step.part,
        parts=len(form.instruments),
        questionnaire=step.questionnaire,
        question=step.question,
        recall=step.question.when,
        chosen=chosen,
        error=error,
    )


@router.get("/{token}/step/{number}", response_class=HTMLResponse)
def question(request: Request, token: str, number: int, sessions: PageSessions) -> Response:
    form = _form(request, sessions, token)
    return _step_page(request, token, form, number)


def _not_chosen(request: Request, _: dict[str, str]) -> Response:
    """A value that is not one of the question's answers: the same question, asked again."""
    token = request.path_params["token"]
    form = _form(request, sessions_of(request), token)
    return _step_page(request, token, form, int(request.path_params["number"]), error="choose")


def _value(answer: str) -> int:
    if not answer.strip().lstrip("-").isdigit():
        raise FormRefused({"answer": "choose"})
    return int(answer)


@router.post("/{token}/step/{number}", response_class=HTMLResponse)
@answers(refill=_not_chosen)
def answer(
    request: Request,
    token: str,
    number: int,
    sessions: PageSessions,
    answer: Annotated[str, Form(max_length=8)] = "",
    go: Annotated[str, Form(max_length=8)] = "next",
) -> Response:
    form = _form(request, sessions, token)
    steps = _steps(form)
    if not 1 <= number <= len(steps):
        return _redirect(f"/q/{token}")
    step = steps[number - 1]
    if answer.strip():
        save_answer(
            sessions=sessions,
            token=token,
            instrument=step.questionnaire.id,
            item=step.question.id,
            value=_value(answer),
            remote=_remote(request),
        )
    if go == "back":
        return _redirect(f"/q/{token}/step/{max(1, number - 1)}")
    if number >= len(steps) or go == "review":
        return _redirect(f"/q/{token}/review")
    return _redirect(f"/q/{token}/step/{number + 1}")


@dataclass(frozen=True)
class ReviewRow:
    step: int
    title: str
    answer: int | None
    label: str


@dataclass(frozen=True)
class ReviewPart:
    title: str
    rows: list[ReviewRow]
    short: int
    """How many more answers the questionnaire needs before it can be scored (0 when enough)."""


def _review_parts(form: LinkForm, language: str | None = None) -> list[ReviewPart]:
    steps = _steps(form, language)
    parts = []
    for instrument in form.instruments:
        answers = form.draft[instrument]
        mine = [s for s in steps if s.questionnaire.id == instrument]
        rows = []
        for s in mine:
            value = answers.get(s.question.id)
            label = next((o.label for o in s.question.options if o.value == value), "")
            rows.append(ReviewRow(s.number, s.question.prompt or s.question.title, value, label))
        parts.append(ReviewPart(mine[0].questionnaire.title, rows, _short_of(instrument, answers)))
    return parts


def _short_of(instrument: str, answers: dict[str, int]) -> int:
    """Answers still needed for a scorable questionnaire (the instrument's missing-item rule)."""
    definition = get_instrument(instrument)
    given: dict[str, int | float | None] = dict(answers)
    missing = [item.id for item in definition.items if item.id not in answers]
    needed = 0
    while score(instrument, given).status != "ok" and needed < len(missing):
        given[missing[needed]] = definition.item(missing[needed]).min
        needed += 1
    return needed


def _review_page(
    request: Request, token: str, form: LinkForm, error: str | None = None, status: int = 200
) -> HTMLResponse:
    return _page(
        request,
        "patient/q_review.html",
        status,
        clinic_name=form.clinic_name,
        base=f"/q/{token}",
        parts=_review_parts(form, choose(request)),
        total=len(_steps(form)),
        error=error,
    )


@router.get("/{token}/review", response_class=HTMLResponse)
def review(request: Request, token: str, sessions: PageSessions) -> Response:
    form = _form(request, sessions, token)
    return _review_page(request, token, form)


def _refused(request: Request, _: dict[str, str]) -> Response:
    token = request.path_params["token"]
    form = _form(request, sessions_of(request), token)
    return _review_page(request, token, form, error="refused", status=422)


@router.post("/{token}/submit", response_class=HTMLResponse)
@answers(refill=_refused)
def submit(request: Request, token: str, sessions: PageSessions) -> Response:
    form = _form(request, sessions, token)
    if any(part.short for part in _review_parts(form)):
        return _review_page(request, token, form, error="short")
    submit_draft(sessions=sessions, token=token, remote=_remote(request))
    remember_language(
        sessions=sessions, token=token, language=choose(request), remote=_remote(request)
    )
    return _redirect(f"/q/{token}/thanks")


@router.get("/{token}/thanks", response_class=HTMLResponse)
def thanks(request: Request, token: str, sessions: PageSessions) -> Response:
    if not link_answered(sessions=sessions, token=token):
        return _redirect(f"/q/{token}")
    return _page(request, "patient/q_thanks.html", clinic_name="", base=f"/q/{token}")


def _to_questions(request: Request, _: Exception) -> Response:
    """Not answered yet (or not a link at all): the questions' own page says which, in the same
    words for every unusable link."""
    return _redirect(f"/q/{request.path_params['token']}")


@router.get("/{token}/results", response_class=HTMLResponse)
@answers(not_found=_to_questions)
def results(request: Request, token: str, sessions: PageSessions) -> Response:
    """The patient's own scores over time, on the link they answered, until it would expire."""
    found = open_results(sessions=sessions, token=token, remote=_remote(request))
    return _page(
        request,
        "patient/results.html",
        clinic_name=found.clinic_name,
        results=found,
        charts={s.instrument: trajectory(s.chart) for s in found.series},
        timepoints=[t.id for t in schedule()],
        urgent=urgent_care(),
        expires=found.expires_at.date(),
    )
