"""Soak: the submission endpoint at half its measured peak for ten minutes, served as in production.

First measures the peak (32 clients, as fast as the server answers), then paces 16 clients so that
together they send half that rate, for the whole duration, while sampling the server's resident
memory every few seconds. Prints the error count and the memory growth from the end of the first
minute (after warm-up: caches, connection pool, prepared statements) to the end.
Target (issue 11): no errors, memory growth under 10 %.

Usage: python benchmarks/soak.py [--minutes 10] [--database sqlite|postgresql] [--postgres-url URL]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from load import (
    POSTGRES_URL,
    SUBMIT,
    Plan,
    Server,
    cpu_times,
    drive,
    finish,
    prepare,
    start_drive,
    steal_share,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--warmup-minutes", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    cpu_before = cpu_times()
    with tempfile.TemporaryDirectory() as folder:
        url = (
            args.postgres_url
            if args.database == "postgresql"
            else f"sqlite:///{folder}/soak.sqlite3"
        )
        token, patients = prepare(url)
        server = Server(url, Path(folder), args.workers)
        try:
            peak = drive(Plan(server.port, SUBMIT, 32, 10.0, 2.0, token, patients))
            rate = peak["throughput"] / 2
            print(
                f"{args.database}: peak {peak['throughput']:.1f} submissions/s; soaking at {rate:.1f}/s"
            )
            seconds = 60 * args.minutes
            soak = Plan(server.port, SUBMIT, 16, seconds, 0.0, token, patients, rate=rate)
            process = start_drive(soak)
            began, samples = time.monotonic(), []
            while process.poll() is None:
                samples.append((time.monotonic() - began, server.rss_kib()))
                time.sleep(5)
            result = finish(process)
        finally:
            server.stop()
    settled = [rss for at, rss in samples if at >= 60 * args.warmup_minutes] or [samples[-1][1]]
    growth = (settled[-1] - settled[0]) / settled[0]
    print(
        f"{result['requests']} submissions in {args.minutes:g} min "
        f"({result['throughput']:.1f}/s, target {rate:.1f}/s), "
        f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"errors {result['failures']} {result['failure_kinds']}"
    )
    print(
        f"server RSS: {samples[0][1] / 1024:.1f} MiB at start, {settled[0] / 1024:.1f} MiB after "
        f"warm-up, {settled[-1] / 1024:.1f} MiB at the end (median {statistics.median(settled) / 1024:.1f}); "
        f"growth after warm-up {growth:+.1%} (target < 10 %)"
    )
    print(
        f"CPU stolen by the hypervisor during the run: {steal_share(cpu_before, cpu_times()):.1%}"
    )


if __name__ == "__main__":
    main()
