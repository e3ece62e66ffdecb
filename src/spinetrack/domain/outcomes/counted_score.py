"""The one number a scored questionnaire counts with, wherever scores are compared or charted.

A response keeps both its raw score and, for instruments reported on 0-100, its percentage. The
percentage is the comparable figure when there is one; otherwise the raw score is. A response whose
scoring did not succeed (status other than "ok": incomplete, invalid) counts with nothing, even if
a partial number was stored beside it.
"""

SCORED = "ok"
"""The scoring status of a response whose score counts."""


def counted_score(
    score_status: str, score_raw: float | None, score_percent: float | None
) -> float | None:
    """The percentage, else the raw score, and only for a response scored "ok"; else None."""
    if score_status != SCORED:
        return None
    return score_percent if score_percent is not None else score_raw
