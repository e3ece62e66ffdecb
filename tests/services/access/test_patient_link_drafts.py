"""Answers kept on the link as the patient goes: checked one by one, found again with the same
link, stored as responses on submission, and gone with the link afterwards."""

import pytest
from tests.support.links import issued_link
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.patient_links import (
    link_answered,
    list_links,
    open_form,
    save_answer,
    submit_draft,
)
from spinetrack.services.records.patient_record import open_record


def _save(world: World, token: str, instrument: str, item: str, value: int | None) -> None:
    save_answer(
        sessions=world.database.sessions,
        token=token,
        instrument=instrument,
        item=item,
        value=value,
        remote=None,
    )


def test_answers_are_kept_between_visits_and_stored_on_submission(world: World) -> None:
    patient, token = issued_link(world, ["nrs_back", "nrs_leg"], timepoint="3m")
    _save(world, token, "nrs_back", "nrs_back", 5)
    _save(world, token, "nrs_back", "nrs_back", 3)  # changed on the review screen
    form = open_form(sessions=world.database.sessions, token=token, remote=None)
    assert form.draft == {"nrs_back": {"nrs_back": 3}, "nrs_leg": {}}
    assert form.clinic_name == "North Spine"
    [summary] = list_links(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert (summary.state, summary.started, summary.timepoint) == ("open", True, "3m")

    with pytest.raises(InvalidInput, match="no question"):
        submit_draft(sessions=world.database.sessions, token=token, remote=None)
    _save(world, token, "nrs_leg", "nrs_leg", 8)
    assert submit_draft(sessions=world.database.sessions, token=token, remote=None) == 2
    assert link_answered(sessions=world.database.sessions, token=token)
    record = open_record(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert {r.instrument: r.answers for r in record.responses} == {
        "nrs_back": {"nrs_back": 3},
        "nrs_leg": {"nrs_leg": 8},
    }
    with pytest.raises(NotFound):
        _save(world, token, "nrs_leg", "nrs_leg", 1)
    with pytest.raises(NotFound):
        open_form(sessions=world.database.sessions, token=token, remote=None)


@pytest.mark.parametrize(
    ("instrument", "item", "value", "field"),
    [
        ("odi", "odi_1", 1, "instrument"),
        ("nrs_back", "odi_1", 1, "item"),
        ("nrs_back", "nrs_back", 11, "value"),
        ("nrs_back", "nrs_back", -1, "value"),
    ],
)
def test_an_answer_outside_the_link_or_the_scale_is_refused(
    world: World, instrument: str, item: str, value: int, field: str
) -> None:
    _, token = issued_link(world, ["nrs_back"], timepoint="3m")
    with pytest.raises(InvalidInput) as refused:
        _save(world, token, instrument, item, value)
    assert refused.value.field == field
    assert open_form(sessions=world.database.sessions, token=token, remote=None).draft == {
        "nrs_back": {}
    }


def test_clearing_an_answer_removes_it(world: World) -> None:
    _, token = issued_link(world, ["nrs_back"], timepoint="3m")
    _save(world, token, "nrs_back", "nrs_back", 4)
    _save(world, token, "nrs_back", "nrs_back", None)
    assert open_form(sessions=world.database.sessions, token=token, remote=None).draft == {
        "nrs_back": {}
    }


def test_a_forged_token_is_not_answered_and_reveals_nothing(world: World) -> None:
    _, token = issued_link(world, ["nrs_back"], timepoint="3m")
    assert not link_answered(sessions=world.database.sessions, token=token)
    assert not link_answered(sessions=world.database.sessions, token="x" + token)
    assert not link_answered(sessions=world.database.sessions, token="no-dot")
