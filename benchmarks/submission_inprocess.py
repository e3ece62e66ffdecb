"""A questionnaire submission's use case in one process, without HTTP: CPU per submission.

`benchmarks/load.py` measures the whole server (HTTP, the worker-thread hop, the sealer) and on a
shared host its throughput moves several-fold between runs. This calls
`record_response_by_token` (sign-in, lock, status read, insert, outcome row, audit entry, commit:
what a submission's worker thread runs) in blocks on the load benchmark's prepared database (same
clinics, tokens and patients; copied fresh first) and prints the calling thread's CPU per
submission for each block and their median, so a change to the use case or its storage can be
compared back to back in blocks run by the same process. Its baseline, measured in the same run on
the same sessions, is the cheapest unit of work there is (one `SELECT 1` in a committed
transaction): the ratio says how many bare transactions a submission costs. `--profile FILE`
writes a cProfile of the measured submission blocks.

Usage: python benchmarks/submission_inprocess.py [--postgres-url URL | --sqlite] [--per-block 200]
       [--blocks 5] [--profile FILE]
"""

import argparse
import cProfile
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

import load

from spinetrack.services.audit.audit_log import sealer
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.record_response import (
    NewResponse,
    record_response_by_token,
)

WARM_UP = 300
"""Submissions before measuring: psycopg prepares a statement server-side after a few runs."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=load.POSTGRES_URL)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead")
    parser.add_argument("--per-block", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--profile", help="write a cProfile of the measured blocks here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("SPINETRACK_VAR_DIR", folder)
        url = f"sqlite:///{folder}/inprocess.sqlite3" if args.sqlite else args.postgres_url
        tokens, patients = load.prepare(url)
        database = open_database(url)
        sessions = database.sessions
        sealer(sessions).start_background(0.1)  # as the server seals: a thread, every 100 ms
        rng = random.Random(21)
        count = WARM_UP + args.per_block * args.blocks
        requests = []
        for n in range(count):
            clinic = n % len(tokens)
            answers = {f"odi_{i}": rng.randint(0, 5) for i in range(1, 11)}
            moment = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
            body = json.dumps({"instrument": "odi", "completed_at": moment, "answers": answers})
            requests.append(
                (
                    tokens[clinic],
                    rng.choice(patients[clinic]),
                    NewResponse.model_validate_json(body),
                )
            )

        def submit(start: int, stop: int) -> None:
            for token, patient, response in requests[start:stop]:
                record_response_by_token(
                    sessions=sessions,
                    token=token,
                    remote="127.0.0.1",
                    clinic_id=None,
                    patient_id=patient,
                    response=response,
                )

        submit(0, WARM_UP)
        profile = cProfile.Profile() if args.profile else None
        print(f"load average before: {load._load_average()}; {url.split('://')[0]}")
        cpu, wall = [], []
        for block in range(args.blocks):
            start = WARM_UP + block * args.per_block
            began, clock = time.thread_time(), time.perf_counter()
            if profile is not None:
                profile.enable()
            submit(start, start + args.per_block)
            if profile is not None:
                profile.disable()
            cpu.append(1000 * (time.thread_time() - began) / args.per_block)
            wall.append(1000 * (time.perf_counter() - clock) / args.per_block)
            print(f"block {block + 1}: {cpu[-1]:.3f} ms CPU, {wall[-1]:.2f} ms wall per submission")
        print(
            f"median of {args.blocks} blocks of {args.per_block}: {statistics.median(cpu):.3f} ms"
            f" of the calling thread's CPU per submission ({statistics.median(wall):.2f} ms wall);"
            f" load average after: {load._load_average()}"
        )
        bare = []
        for _ in range(args.blocks):
            began = time.thread_time()
            for _ in range(args.per_block):
                with sessions() as work:
                    work.session.execute(text("SELECT 1"))
                    work.commit()
            bare.append(1000 * (time.thread_time() - began) / args.per_block)
        print(
            f"baseline, a bare transaction (SELECT 1, commit): {statistics.median(bare):.3f} ms;"
            f" a submission costs {statistics.median(cpu) / statistics.median(bare):.1f}x"
        )
        if profile is not None:
            profile.dump_stats(args.profile)
        database.close()


if __name__ == "__main__":
    main()
