"""When the outbox invites a patient to a follow-up, with which questionnaires, and when it sends
the one reminder.

The timing is clinic practice with a rationale, so it lives in knowledge/followup/reminders.yaml;
this module only reads it and answers "is anything due today", which the outbox service asks.
"""

from datetime import date, timedelta
from functools import cache
from typing import Annotated

from pydantic import Field, StringConstraints

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

REMINDERS_FILE = "followup/reminders.yaml"


class InvitationTiming(KnowledgeModel):
    send_from_days_before_due: int = Field(ge=0, le=60)
    link_valid_days: int = Field(ge=1, le=60)
    sources: Sources


class ReminderTiming(KnowledgeModel):
    after_days: int = Field(ge=1, le=60)
    at_most: int = Field(ge=0, le=3)
    rationale: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)]
    sources: Sources


class QuestionnaireSets(KnowledgeModel):
    lumbar: list[str] = Field(min_length=1)
    cervical: list[str] = Field(min_length=1)
    sources: Sources

    def for_region(self, region: str | None) -> list[str]:
        """The set for a cervical surgery, else the lumbar one (thoracic surgery is scored so)."""
        return list(self.cervical if region == "cervical" else self.lumbar)


class Timing(KnowledgeModel):
    invitation: InvitationTiming
    reminder: ReminderTiming
    questionnaires: QuestionnaireSets


@cache
def timing() -> Timing:
    return parse(REMINDERS_FILE, Timing)


def invitation_due(due_on: date, closes_on: date | None, today: date) -> bool:
    """A time point is worth inviting to from a few days before it is due until its window shuts."""
    opens = due_on - timedelta(days=timing().invitation.send_from_days_before_due)
    return opens <= today and (closes_on is None or today <= closes_on)


def reminder_due(invited_on: date, reminders_sent: int, today: date) -> bool:
    """The reminder goes once the wait has passed, and never more often than the file allows."""
    rule = timing().reminder
    return reminders_sent < rule.at_most and today >= invited_on + timedelta(days=rule.after_days)
