"""Fitting a clinic's outcome model in the background of a running server.

A fit takes about a minute on the 7,500-patient demo clinic. `make run` used to fit it before the
server started, so a newcomer waited for it before seeing any page; now `spinetrack serve
--fit-demo-model` answers at once and fits the model on a thread. While the fit runs, the risk
pages ask `fitting_now` and say the model is being fitted instead of "no model".

The state is per process: with several server processes each would fit its own copy, so the
serve command only offers this with one worker (the demo's case).
"""

import logging
import threading

from spinetrack.services.access.actor import system_actor
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.risk.clinic_model import fit_clinic, model_history
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

_lock = threading.Lock()
_fitting: set[int] = set()


def fitting_now(clinic_id: int) -> bool:
    """Whether this process is fitting the clinic's model at this moment."""
    with _lock:
        return clinic_id in _fitting


def _fit(sessions: UnitOfWorkFactory, clinic_id: int, actor_name: str) -> None:
    """Fit and store the model, and say in the server's log how it went; the clinic leaves the
    'being fitted' state whatever happens, so a failed fit never leaves a page waiting."""
    from spinetrack.prediction import TooSmall

    try:
        _, stored = fit_clinic(
            sessions=sessions, actor=system_actor(actor_name), clinic_id=clinic_id
        )
        log.warning("outcome model %s fitted on %d patients", stored.version_id, stored.n_patients)
    except TooSmall as exc:
        log.warning("no outcome model: %s", exc.message)
    except Exception:  # a background thread has no caller to raise to: the log is its voice
        log.exception("fitting the outcome model of clinic %d failed", clinic_id)
    finally:
        with _lock:
            _fitting.discard(clinic_id)


def fit_in_background(
    sessions: UnitOfWorkFactory, clinic_id: int, actor_name: str = "model-fitter"
) -> threading.Thread | None:
    """Start fitting the clinic's model on a daemon thread; None (nothing started) when this
    process is already fitting it."""
    with _lock:
        if clinic_id in _fitting:
            return None
        _fitting.add(clinic_id)
    thread = threading.Thread(
        target=_fit, args=(sessions, clinic_id, actor_name), name="model-fit", daemon=True
    )
    thread.start()
    return thread


def fit_missing_model(sessions: UnitOfWorkFactory, slug: str) -> threading.Thread | None:
    """Fit, in the background, the model of the clinic named by ``slug`` if it has none yet (the
    demo clinic after `spinetrack demo --no-model`); None when there is nothing to do."""
    clinic_id = find_clinic(sessions=sessions, slug=slug)
    if clinic_id is None:
        return None
    actor = system_actor("model-fitter")
    if model_history(sessions=sessions, actor=actor, clinic_id=clinic_id):
        return None
    return fit_in_background(sessions, clinic_id)
