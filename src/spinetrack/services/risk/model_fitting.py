"""Fitting a clinic's outcome model in the background of a running server, in a child process.

A fit takes about a minute on the 7,500-patient demo clinic. `make run` used to fit it before the
server started, so a newcomer waited for it before seeing any page; then `spinetrack serve
--fit-demo-model` fitted it on a thread, where it held the interpreter lock against every request
(the library's first page took 3 s instead of 0.02 s). Now the fit runs in a child process started
with the spawn method (no copy of the server's threads, locks or open connections) and a lower
scheduling priority, so on a busy machine requests still go first: it opens the
database afresh, fits and stores the model in its own transactions, and sends back one line of
news that the server writes to its log. A failure is logged with the child's traceback; a child
that dies without a word (killed, out of memory) is logged with its exit code.

While a child runs, the risk pages ask `fitting_now` and say the model is being fitted instead of
"no model"; the clinic leaves that state as soon as the child has finished, however it finished.
`stop_fits` ends the children when the server stops (they are daemonic too, so even a server that
exits without stopping them does not leave one behind).

The state is per process: with several server processes each would fit its own copy, so the
serve command only offers this with one worker (the demo's case).
"""

import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from spinetrack.services.access.actor import system_actor
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.risk.clinic_model import model_history
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

Job = Callable[[str, int, str], str]
"""What the child runs: (database URL, clinic id, actor name) -> the news for the server's log;
TooSmall and every other exception are reported by the child's wrapper."""

_lock = threading.Lock()
_fitting: dict[int, "_Fit"] = {}


@dataclass
class _Fit:
    process: BaseProcess
    watcher: threading.Thread | None = None
    stopping: bool = False


def fitting_now(clinic_id: int) -> bool:
    """Whether a child of this process is fitting the clinic's model at this moment."""
    with _lock:
        return clinic_id in _fitting


def children() -> list[BaseProcess]:
    """The child processes fitting a model right now (for a status line, and the tests)."""
    with _lock:
        return [fit.process for fit in _fitting.values()]


def fit_and_store(database_url: str, clinic_id: int, actor_name: str) -> str:
    """The child's work: fit the clinic's model on its stored outcomes and store it (audited)."""
    from spinetrack.services.operations.database import open_database
    from spinetrack.services.risk.clinic_model import fit_clinic

    database = open_database(database_url)
    try:
        _, stored = fit_clinic(
            sessions=database.sessions, actor=system_actor(actor_name), clinic_id=clinic_id
        )
    finally:
        database.close()
    return f"outcome model {stored.version_id} fitted on {stored.n_patients} patients"


def _child(job: Job, database_url: str, clinic_id: int, actor_name: str, out: Connection) -> None:
    """Run ``job`` and send the server ("ok" | "small" | "failed", text): a spawned child has no
    logging set up, and its parent is where the news must be read."""
    from spinetrack.prediction import TooSmall

    try:
        reply = ("ok", job(database_url, clinic_id, actor_name))
    except TooSmall as exc:
        reply = ("small", f"no outcome model: {exc.message}")
    except BaseException:  # everything, even an interrupt: the parent logs it, then it ends
        reply = ("failed", traceback.format_exc())
    out.send(reply)
    out.close()


def _watch(clinic_id: int, fit: _Fit, news: Connection) -> None:
    """Wait for the child's news (or the end of its pipe, when it dies without a word), reap it,
    log how it went, and unmark the clinic."""
    try:
        try:
            reply: tuple[str, str] | None = news.recv()
        except EOFError:
            reply = None
        fit.process.join()
        if reply is not None and reply[0] in ("ok", "small"):
            log.warning("%s", reply[1])
        elif reply is not None:
            log.error("fitting the outcome model of clinic %d failed:\n%s", clinic_id, reply[1])
        elif fit.stopping:
            log.warning("fitting the outcome model of clinic %d stopped with the server", clinic_id)
        else:
            log.error(
                "fitting the outcome model of clinic %d failed: its process ended with code %s",
                clinic_id,
                fit.process.exitcode,
            )
    finally:
        news.close()
        with _lock:
            _fitting.pop(clinic_id, None)


def _lower_priority(pid: int | None) -> None:
    """Let the server's requests go first on a busy machine (idle, it changes nothing): set from
    here, it holds from the child's first instruction, its imports included."""
    if pid is not None and hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0) + 10)
        except OSError:  # a platform or sandbox that refuses: the fit runs at our priority
            log.info("could not lower the priority of the model fit's process %d", pid)


def fit_in_background(
    database_url: str,
    clinic_id: int,
    actor_name: str = "model-fitter",
    job: Job = fit_and_store,
) -> threading.Thread | None:
    """Start fitting the clinic's model in a child process; returns the thread that waits for the
    child (join it to wait for the fit), or None when this process is already fitting it.
    ``database_url`` must carry its password: the child opens the database itself."""
    with _lock:
        if clinic_id in _fitting:
            return None
        spawn = multiprocessing.get_context("spawn")
        news, out = spawn.Pipe(duplex=False)
        process = spawn.Process(
            target=_child,
            args=(job, database_url, clinic_id, actor_name, out),
            name=f"model-fit-{clinic_id}",
            daemon=True,
        )
        process.start()
        _lower_priority(process.pid)
        out.close()  # the child holds the sending end now; its end means EOF here
        fit = _Fit(process)
        watcher = fit.watcher = threading.Thread(
            target=_watch, args=(clinic_id, fit, news), name="model-fit-watch", daemon=True
        )
        _fitting[clinic_id] = fit
        watcher.start()
    return watcher


def stop_fits(timeout: float = 10.0) -> None:
    """End every fit this process started (the server is stopping) and wait until each child is
    reaped; a child that ignores the polite signal is killed."""
    with _lock:
        fits = list(_fitting.values())
    for fit in fits:
        fit.stopping = True
        if fit.process.is_alive():
            fit.process.terminate()
    for fit in fits:
        fit.process.join(timeout)
        if fit.process.is_alive():
            fit.process.kill()
            fit.process.join()
        if fit.watcher is not None:
            fit.watcher.join(timeout)


def fit_missing_model(
    sessions: UnitOfWorkFactory, database_url: str, slug: str
) -> threading.Thread | None:
    """Fit, in the background, the model of the clinic named by ``slug`` if it has none yet (the
    demo clinic after `spinetrack demo --no-model`); None when there is nothing to do."""
    clinic_id = find_clinic(sessions=sessions, slug=slug)
    if clinic_id is None:
        return None
    actor = system_actor("model-fitter")
    if model_history(sessions=sessions, actor=actor, clinic_id=clinic_id):
        return None
    return fit_in_background(database_url, clinic_id)
