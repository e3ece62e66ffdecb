"""Compile, once at setup, every module spinetrack imports, so no later process compiles them.

A shell may set PYTHONDONTWRITEBYTECODE (this workplace's machines do). Python then still reads
the compiled files it finds but never writes any, and setup's installer (uv) does not compile
either: every `spinetrack` command, server and test worker compiled spaCy, SQLAlchemy, pydantic
and the rest from source on every start (about 0.9 s of a triage with reports, more for the
server). Importing every spinetrack module here, with writing turned back on, leaves a compiled
file beside each module they use and no more (compiling the whole virtualenv would cost half a
minute for files never imported). Building the report reader's pipeline imports what medSpaCy
loads only then. Best effort: a module that fails to import is named and skipped, and setup goes
on; the command that needs it will say why.
"""

import importlib
import pkgutil
import sys
import time

SKIPPED = ("spinetrack.storage.migrations",)
"""Alembic's scripts, which run a migration when imported; Alembic loads them itself."""


def main() -> int:
    sys.dont_write_bytecode = False
    began = time.process_time()
    import spinetrack

    failed = []
    for module in pkgutil.walk_packages(spinetrack.__path__, "spinetrack."):
        if module.name.startswith(SKIPPED):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as error:  # named below; setup goes on
            failed.append(f"{module.name} ({type(error).__name__}: {error})")
    try:
        from spinetrack.domain.reports.findings import read_mentions

        read_mentions(["MRI: no recurrent disc. CRP 12 on day 20; power 4/5 in the left EHL."])
    except Exception as error:
        failed.append(f"the report reader ({type(error).__name__}: {error})")
    for failure in failed:
        print(f"warm_bytecode: not compiled: {failure}", file=sys.stderr)
    print(
        f"compiled the modules spinetrack imports ({len(sys.modules)} loaded, "
        f"{time.process_time() - began:.1f} s CPU)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
