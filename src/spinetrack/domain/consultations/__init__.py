"""Consultation requests from patients: the red-flag screening asked before anything else."""

from spinetrack.domain.consultations.screening import (
    Instruction,
    Question,
    Screening,
    raised,
    screening,
    urgency_of,
)

__all__ = ["Instruction", "Question", "Screening", "raised", "screening", "urgency_of"]
