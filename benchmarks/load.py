"""HTTP load: the response-submission endpoint against a trivial endpoint of the same app.

The server runs as in production (`spinetrack serve`: uvicorn; `--workers` processes, 1 by default)
on 127.0.0.1; the load comes from a separate process (asyncio, one keep-alive connection per client,
closed loop: each client sends its next request when the last one is answered), so the generator
does not share the server's interpreter. Each level runs the trivial endpoint (`GET /cds-services`:
static JSON through the same middleware, no database) and the submission
(`POST /api/v1/patients/{id}/responses`: sign in, validate, score, store, classify, audit) at 1, 8,
32 and 128 concurrent clients, on SQLite and on PostgreSQL, and prints throughput, p50 and p99
latency and the ratio submission / trivial measured in the same run.

In a closed loop, latency is clients / throughput (Little's law): 32 clients see p99 under 50 ms only
if the server answers more than 640 requests a second. So the run also paces 32 clients to send, all
together, half the submission peak it just measured (an open loop, as real clinics send), and prints
the latency a request sees at that load.

Beside each figure it prints the CPU time per request the server's processes and PostgreSQL's
spent (from /proc), and the ratio of those costs: on a shared host the hypervisor takes a varying
share of the CPU (printed at the end), which moves throughput from run to run but not the cost of a
request.

Clients are spread over `--clinics` clinics (4 by default; client n works in clinic n mod 4, with
a staff token of that clinic), so a lock two clinics share shows up as lost throughput.

Targets (issue 11): submission throughput >= 40 % of the trivial endpoint's; p99 < 50 ms at 32
clients on PostgreSQL (2-core machine). Issue 21: >= 40 % at 8 clients over 4 clinics and server
CPU <= 3 ms per submission. The machine's load average is printed with the figures; `--runs N`
repeats everything and the summary gives medians (throughput on a shared host moves several-fold
between runs minutes apart; CPU per request much less).

Every run starts from the same freshly prepared database (clinics, tokens, 300 operated patients,
no responses), as the figures have always assumed. Building it takes far longer than a run, so it
is built once and kept: on PostgreSQL as a second database `<name>__prepared` that each run copies
with CREATE DATABASE ... TEMPLATE, on SQLite as a file in the temporary folder that each run copies.
The copy is rebuilt when the migrations, this script or the number of clinics change, or with
`--fresh`.

Usage: python benchmarks/load.py [--seconds S] [--clients 1,8,32,128] [--databases sqlite,postgresql]
       [--workers N] [--clinics 4] [--runs 3] [--no-paced] [--postgres-url URL] [--fresh]
       (PostgreSQL is skipped with a note when it does not answer)
"""

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spinetrack.services.access.accounts import authenticate, create_clinic, create_user
from spinetrack.services.access.actor import Actor, system_actor
from spinetrack.services.access.sign_in import create_token
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.enrol_patient import NewPatient, register_patient
from spinetrack.services.records.register_surgery import NewSurgery, register_surgery
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

POSTGRES_URL = os.environ.get(
    "SPINETRACK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/spinetrack_bench"
)
"""A database of its own (created when missing, emptied on every run): never the tests' one."""
PATIENTS = 300
PASSWORD = "bench-password-2026"
TRIVIAL = "trivial"
SUBMIT = "submission"


# --- the server under test ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _create_if_missing(url: str) -> None:
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


Prepared = tuple[list[str], list[list[int]]]
"""One staff token and one list of patient ids per clinic."""


def _fingerprint(clinics: int) -> str:
    """What the prepared database depends on: the source tree that writes it (a base worktree
    and a branch keep copies of their own), its migrations, this script and the number of
    clinics. A change to any of them builds it again."""
    migrations = Path(sys.modules["spinetrack"].__file__ or "").parent / "storage" / "migrations"
    digest = hashlib.sha256(f"{clinics} {PATIENTS} {migrations.resolve()}".encode())
    for source in sorted(migrations.rglob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:24]


def prepare(url: str, clinics: int = 4, fresh: bool = False) -> Prepared:
    """The database at `url` as `build` leaves it, copied from the kept prepared copy (built first
    when missing, stale or `fresh` is asked)."""
    if make_url(url).get_backend_name() == "postgresql":
        return _prepare_postgresql(url, clinics, fresh)
    target = Path(make_url(url).database or "")
    kept = Path(tempfile.gettempdir()) / f"spinetrack-load-{_fingerprint(clinics)}.sqlite3"
    meta = kept.with_suffix(".json")
    if fresh or not (kept.exists() and meta.exists()):
        target.unlink(missing_ok=True)
        prepared = build(url, clinics)
        shutil.copyfile(target, kept)
        meta.write_text(json.dumps(prepared))
        return prepared
    shutil.copyfile(kept, target)
    tokens, patients = json.loads(meta.read_text())
    return tokens, patients


def _prepare_postgresql(url: str, clinics: int, fresh: bool) -> Prepared:
    target = make_url(url)
    kept = f"{target.database}__prepared"
    fingerprint = _fingerprint(clinics)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            note = connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    " WHERE datname = :name"
                ),
                {"name": kept},
            ).scalar()
            found = json.loads(note) if note else {}
            if fresh or found.get("fingerprint") != fingerprint:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{kept}"'))
                tokens, patients = build(url, clinics)
                # the server's processes are gone; the copy needs no one connected to its source
                connection.execute(text(f'CREATE DATABASE "{kept}" TEMPLATE "{target.database}"'))
                note = json.dumps(
                    {"fingerprint": fingerprint, "tokens": tokens, "patients": patients}
                )
                quoted = note.replace("'", "''")
                connection.exec_driver_sql(f"COMMENT ON DATABASE \"{kept}\" IS '{quoted}'")
                return tokens, patients
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{kept}"'))
            return found["tokens"], found["patients"]
    finally:
        server.dispose()


def build(url: str, clinics: int = 4) -> Prepared:
    """A fresh, migrated database with `clinics` clinics, each with a staff token and operated
    patients (PATIENTS in all); returns one token and one patient list per clinic."""
    database = open_database(url)
    if database.engine.dialect.name == "postgresql":
        _create_if_missing(url)
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    database.upgrade()
    system, sessions = system_actor("benchmark"), database.sessions
    tokens, patients = [], []
    for number in range(clinics):
        clinic = create_clinic(
            sessions=sessions, actor=system, slug=f"bench-{number}", name=f"Bench {number}"
        )
        actors = {}
        for role in ("staff", "clinician"):
            email = f"{role}{number}@bench.example"
            create_user(
                sessions=sessions,
                actor=system,
                email=email,
                full_name=f"Bench {role}",
                password=PASSWORD,
                clinic_id=clinic,
                role=role,
            )
            actors[role] = authenticate(sessions=sessions, email=email, password=PASSWORD)
        tokens.append(
            create_token(
                sessions=sessions, actor=system, name="load", user_id=actors["staff"].user_id
            )[1]
        )
        patients.append(
            [
                _operated_patient(sessions, actors, clinic, i)
                for i in range(number, PATIENTS, clinics)
            ]
        )
    database.close()
    return tokens, patients


def _operated_patient(
    sessions: UnitOfWorkFactory, actors: dict[str, Actor], clinic: int, i: int
) -> int:
    patient = register_patient(
        sessions=sessions,
        actor=actors["staff"],
        clinic_id=clinic,
        patient=NewPatient(
            mrn=f"B-{i}",
            given_name="Load",
            family_name=f"Test{i}",
            birth_date=date(1940, 1, 1) + timedelta(days=53 * i),
            sex="female" if i % 2 else "male",
        ),
    ).id
    register_surgery(
        sessions=sessions,
        actor=actors["clinician"],
        clinic_id=clinic,
        patient_id=patient,
        surgery=NewSurgery(
            performed_on=date(2025, 1, 6) + timedelta(days=i % 200),
            region="lumbar",
            procedure="fusion",
            approach="posterior",
            levels=["L4-L5"],
            instrumented=True,
        ),
    )
    return patient


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        found.extend(int(child) for child in children)
    return found


class Server:
    """`spinetrack serve` in its own process, as production runs it."""

    def __init__(self, url: str, folder: Path, workers: int = 1) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "SPINETRACK_DATABASE_URL": url,
            "SPINETRACK_VAR_DIR": str(folder),
            "SPINETRACK_SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
        }
        command = [str(Path(sys.executable).with_name("spinetrack")), "serve"]
        self.log = (folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--workers", str(workers)],
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the server did not start; see server.log") from None
                time.sleep(0.2)
        raise RuntimeError("the server did not open its port in time")

    def rss_kib(self) -> int:
        """Resident memory of the server and its worker processes."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def stop(self) -> None:
        workers = _children(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        deadline = time.monotonic() + 15
        while any(Path(f"/proc/{pid}").exists() for pid in workers):
            if time.monotonic() > deadline:
                for pid in workers:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.1)  # the next run drops the schema: no worker may still hold it
        self.log.close()


# --- the load generator (runs in its own process) ----------------------------------------------


@dataclass
class Plan:
    port: int
    endpoint: str
    clients: int
    seconds: float
    warmup: float
    tokens: list[str]
    """One staff token per clinic; client n works in clinic n mod len(tokens)."""
    patients: list[list[int]]
    rate: float = 0.0
    """Requests per second for all clients together (0: as fast as the server answers)."""


def _request(plan: Plan, rng: random.Random, n: int, clinic: int) -> bytes:
    if plan.endpoint == TRIVIAL:
        return b"GET /cds-services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    answers = {f"odi_{i}": rng.randint(0, 5) for i in range(1, 11)}
    moment = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
    body = json.dumps({"instrument": "odi", "completed_at": moment, "answers": answers}).encode()
    head = (
        f"POST /api/v1/patients/{rng.choice(plan.patients[clinic])}/responses HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {plan.tokens[clinic]}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _answer(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _client(plan: Plan, number: int, start: float, results: dict[str, list[Any]]) -> None:
    rng = random.Random(number)
    stop, measure_from = start + plan.warmup + plan.seconds, start + plan.warmup
    interval = plan.clients / plan.rate if plan.rate else 0.0
    next_at = start + rng.uniform(0, interval) if interval else start
    reader, writer = await asyncio.open_connection("127.0.0.1", plan.port)
    n = number * 1_000_000
    while (now := time.perf_counter()) < stop:
        if interval:
            if next_at > now:
                await asyncio.sleep(next_at - now)
            next_at += interval
        began = time.perf_counter()
        try:
            writer.write(_request(plan, rng, n, number % len(plan.tokens)))
            await writer.drain()
            status = await _answer(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            results["failures"].append(type(exc).__name__)
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", plan.port)
            continue
        n += 1
        if began >= measure_from:
            results["latencies"].append(time.perf_counter() - began)
            if not 200 <= status < 300:
                results["failures"].append(str(status))
    writer.close()


async def _drive(plan: Plan) -> dict[str, Any]:
    results: dict[str, list[Any]] = {"latencies": [], "failures": []}
    start = time.perf_counter()
    await asyncio.gather(*(_client(plan, i, start, results) for i in range(plan.clients)))
    latencies = sorted(results["latencies"])
    ms = [1000 * x for x in latencies]
    return {
        "endpoint": plan.endpoint,
        "clients": plan.clients,
        "requests": len(latencies),
        "throughput": len(latencies) / plan.seconds,
        "p50_ms": statistics.median(ms) if ms else float("nan"),
        "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else float("nan"),
        "failures": len(results["failures"]),
        "failure_kinds": sorted(set(results["failures"]))[:5],
    }


def start_drive(plan: Plan) -> "subprocess.Popen[str]":
    """Start the generator in a separate process and return once it starts sending (its start-up
    takes seconds on a loaded host, and CPU counted before then would be no one's); `finish`
    collects its figures."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--drive", json.dumps(plan.__dict__)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "sending":
        raise RuntimeError("the load generator did not start")
    return process


def finish(process: "subprocess.Popen[str]") -> dict[str, Any]:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed with status {process.returncode}")
    result: dict[str, Any] = json.loads(out)
    return result


def drive(plan: Plan) -> dict[str, Any]:
    return finish(start_drive(plan))


# --- the run -------------------------------------------------------------------------------------


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def cpu_times() -> list[int]:
    return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def steal_share(before: list[int], after: list[int]) -> float:
    """The share of CPU time the hypervisor gave to other guests (`st` in top): on a shared
    host it makes every figure here smaller, and it varies from run to run."""
    spent = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(spent)
    return spent[7] / total if len(spent) > 7 and total > 0 else 0.0


def _process_seconds(pid: int) -> float:
    """CPU seconds a process has used, with those of its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _postgres_pids(database: str | None) -> list[int]:
    """PostgreSQL's processes serving `database` (the backends' titles name it): on a shared host
    other people's sessions would count too. All of PostgreSQL's when no name is given."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                title = (entry / "cmdline").read_bytes()
                if title.startswith(b"postgres") and (
                    database is None or f" {database} ".encode() in title.replace(b"\0", b" ")
                ):
                    found.append(int(entry.name))
    return found


def cpu_spent(server: "Server", database: str | None) -> tuple[float, float]:
    """CPU seconds used so far by the server's processes and by PostgreSQL's for `database`."""
    mine = sum(
        _process_seconds(pid) for pid in [server.process.pid, *_children(server.process.pid)]
    )
    return mine, sum(_process_seconds(pid) for pid in _postgres_pids(database))


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(
    name: str, url: str, folder: Path, args: argparse.Namespace, fresh: bool = False
) -> list[dict[str, Any]]:
    tokens, patients = prepare(url, args.clinics, fresh)
    server = Server(url, folder, args.workers)
    database = make_url(url).database if name == "postgresql" else "(sqlite: in the server)"
    rows = []
    try:
        for clients in args.clients:
            for endpoint in (TRIVIAL, SUBMIT):
                plan = Plan(server.port, endpoint, clients, args.seconds, 1.0, tokens, patients)
                process = start_drive(plan)
                time.sleep(plan.warmup)
                before, began = cpu_spent(server, database), time.monotonic()
                time.sleep(plan.seconds * 0.9)
                after, took = cpu_spent(server, database), time.monotonic() - began
                row = {"database": name, **finish(process)}
                served = row["throughput"] * took
                row["server_cpu_ms"] = 1000 * (after[0] - before[0]) / served if served else 0.0
                row["db_cpu_ms"] = 1000 * (after[1] - before[1]) / served if served else 0.0
                rows.append(row)
                print(_line(row), flush=True)
        if not args.paced:
            return rows
        peak = max(r["throughput"] for r in rows if r["endpoint"] == SUBMIT)
        paced = Plan(server.port, SUBMIT, 32, args.seconds, 1.0, tokens, patients, rate=peak / 2)
        row = {"database": name, **drive(paced), "offered": peak / 2}
        rows.append(row)
        print(_line(row) + f"   (paced: 32 clients offering {peak / 2:.0f}/s together)", flush=True)
    finally:
        server.stop()
    return rows


def _line(row: dict[str, Any]) -> str:
    cpu = (
        f" {row['server_cpu_ms']:>10.2f} {row['db_cpu_ms']:>8.2f}" if "server_cpu_ms" in row else ""
    )
    return (
        f"{row['database']:<10} {row['endpoint']:<10} {row['clients']:>7} "
        f"{row['throughput']:>9.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['failures']:>8}"
        + cpu
    )


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(rows: list[dict[str, Any]]) -> None:
    """Ratios per level and run, then their medians over the runs (the host is shared, so one
    run proves little; CPU per request moves least)."""
    runs = sorted({r.get("run", 0) for r in rows})
    print(f"\nratio submission / trivial (throughput, same run), median of {len(runs)} run(s):")
    for database in sorted({r["database"] for r in rows}):
        mine = [r for r in rows if r["database"] == database and "offered" not in r]
        for clients in sorted({r["clients"] for r in mine}):
            ratios, by_cost, cpu = [], [], []
            for run in runs:
                pair = {
                    r["endpoint"]: r
                    for r in mine
                    if r["clients"] == clients and r.get("run", 0) == run
                }
                if len(pair) < 2:
                    continue
                ratios.append(pair[SUBMIT]["throughput"] / pair[TRIVIAL]["throughput"])
                cost = {e: r["server_cpu_ms"] + r["db_cpu_ms"] for e, r in pair.items()}
                by_cost.append(cost[TRIVIAL] / cost[SUBMIT] if cost[SUBMIT] else float("nan"))
                cpu.append(pair[SUBMIT]["server_cpu_ms"])
            print(
                f"  {database:<10} {clients:>4} clients: {_median(ratios):6.1%}"
                f"   (by CPU per request, server and database: {_median(by_cost):6.1%});"
                f" server CPU per submission {_median(cpu):.2f} ms (target <= 3 ms)"
                f"   runs: {', '.join(f'{x:.1%}' for x in ratios)}"
            )
        peaks = []
        for run in runs:
            ran = [r for r in mine if r.get("run", 0) == run]
            peak = {
                e: max(r["throughput"] for r in ran if r["endpoint"] == e)
                for e in (SUBMIT, TRIVIAL)
            }
            peaks.append((peak[SUBMIT], peak[TRIVIAL]))
        print(
            f"  {database:<10} peak: submission {_median([p[0] for p in peaks]):.0f}/s,"
            f" trivial {_median([p[1] for p in peaks]):.0f}/s,"
            f" ratio {_median([p[0] / p[1] for p in peaks]):.1%} (target >= 40 %)"
        )
    for row in rows:
        if row["database"] == "postgresql" and row["endpoint"] == SUBMIT and row["clients"] == 32:
            kind = (
                f"paced at {row['offered']:.0f}/s" if "offered" in row else "closed loop, flat out"
            )
            print(
                f"  postgresql submission p99 at 32 clients, {kind}: {row['p99_ms']:.1f} ms"
                " (target < 50 ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per level")
    parser.add_argument("--clients", default="1,8,32,128")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--clinics", type=int, default=4, help="clinics the clients are spread over (issue 21)"
    )
    parser.add_argument(
        "--no-paced", dest="paced", action="store_false", help="skip the paced 32-client run"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="build the prepared database again before the first run",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat the whole run; the summary gives medians"
    )
    args = parser.parse_args()
    if args.drive:
        print("sending", flush=True)
        print(json.dumps(asyncio.run(_drive(Plan(**json.loads(args.drive))))))
        return
    args.clients = [int(c) for c in args.clients.split(",")]
    print(
        f"load average before: {_load_average()} on {os.cpu_count()} CPUs;"
        f" server processes: {args.workers}; clients spread over {args.clinics} clinic(s)"
    )
    print(
        f"{'database':<10} {'endpoint':<10} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'failures':>8} {'server CPU':>10} {'DB CPU':>8}   (CPU: ms per request)"
    )
    rows: list[dict[str, Any]] = []
    cpu_before = cpu_times()
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            for name in args.databases.split(","):
                if name == "postgresql" and not _postgres_answers():
                    print("postgresql: not answering on 127.0.0.1:5432; skipped")
                    continue
                url = (
                    args.postgres_url
                    if name == "postgresql"
                    else f"sqlite:///{folder}/load.sqlite3"
                )
                fresh = args.fresh and run == 0
                measured = measure(name, url, Path(folder), args, fresh)
                rows.extend({**row, "run": run} for row in measured)
    summary(rows)
    print(
        f"load average after: {_load_average()};"
        f" CPU stolen by the hypervisor during the run: {steal_share(cpu_before, cpu_times()):.1%}"
    )


if __name__ == "__main__":
    main()
