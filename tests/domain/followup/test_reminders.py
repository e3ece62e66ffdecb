"""Invitation and reminder timing from knowledge/followup/reminders.yaml: one reminder, after the
wait, and only while the time point's window is open."""

from datetime import date, timedelta

from spinetrack.domain.followup.reminders import invitation_due, reminder_due, timing
from spinetrack.domain.instruments import instrument_ids

DAY = date(2026, 3, 10)


def test_the_timing_is_data_with_a_rationale_and_sources() -> None:
    rule = timing()
    assert rule.reminder.at_most == 1
    assert rule.reminder.sources and rule.invitation.sources and rule.questionnaires.sources
    assert "90" in rule.reminder.rationale


def test_the_invited_questionnaires_are_built_in_instruments_of_the_region() -> None:
    sets = timing().questionnaires
    assert set(sets.lumbar) | set(sets.cervical) <= set(instrument_ids())
    assert sets.for_region("cervical")[0] == "ndi"
    assert sets.for_region("lumbar")[0] == sets.for_region(None)[0] == "odi"


def test_an_invitation_is_sent_from_a_week_before_the_due_day_until_the_window_closes() -> None:
    before = timing().invitation.send_from_days_before_due
    assert not invitation_due(DAY, DAY + timedelta(days=20), DAY - timedelta(days=before + 1))
    assert invitation_due(DAY, DAY + timedelta(days=20), DAY - timedelta(days=before))
    assert invitation_due(DAY, DAY + timedelta(days=20), DAY + timedelta(days=20))
    assert not invitation_due(DAY, DAY + timedelta(days=20), DAY + timedelta(days=21))


def test_exactly_one_reminder_after_the_wait() -> None:
    wait = timing().reminder.after_days
    assert not reminder_due(DAY, 0, DAY + timedelta(days=wait - 1))
    assert reminder_due(DAY, 0, DAY + timedelta(days=wait))
    assert not reminder_due(DAY, 1, DAY + timedelta(days=wait + 30))
