"""From a fresh checkout's first `make run` to answered pages, against references measured in the
same run:

1. `make run` after setup, to the first /health: `spinetrack db upgrade`, `spinetrack demo
   --if-empty --patients 7500 --no-model` and `spinetrack serve --fit-demo-model`, as the Makefile
   runs them, on a new var/ folder (the server then fits the demo's model in a child process).
   Reference: `spinetrack serve` alone on the database that run left behind. Also the CPU seconds
   of the three processes to that moment (the machine is shared: wall time includes others'). With
   `--old-recipe`, also the recipe before the background fit (`demo --if-empty --patients 7500`,
   which fitted the model before the server started), once per run.
2. On that server, signed in as a demo surgeon over HTTP: the first `/library?q=stenoses` (the
   library is built at start-up, off the request path) and later ones; `/patients/{id}/letter`
   against the patient page of the same patient (medians of REPEATS requests after one warm-up).
3. Loading the demo clinic of DEMO_PATIENTS patients into a new SQLite file with `spinetrack demo
   --no-model` (a whole process), against generating the same cohort alone in a process of its
   own; medians of LOAD_RUNS.
Usage:
    python benchmarks/web_startup.py [--repeats N] [--runs N] [--make-run-patients N]
        [--old-recipe] [--demo-patients N] [--load-runs N]
"""

import argparse
import http.cookiejar
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from spinetrack.demo.load import DEMO_PASSWORD, demo_logins

PYTHON = sys.executable
SPINETRACK = [PYTHON, "-c", "from spinetrack.cli.main import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(var: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINETRACK_")}
    return env | {"SPINETRACK_VAR_DIR": str(var), "SPINETRACK_PORT": str(port)}


def _wait_for_health(port: int, server: subprocess.Popen[bytes], limit: float = 300) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before answering /health")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("no /health answer")


def _process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux's /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serve(
    env: dict[str, str], port: int, options: list[str] | None = None
) -> tuple[subprocess.Popen[bytes], float, float]:
    """The server, started and answering /health, with the wall and CPU seconds that took."""
    started = time.perf_counter()
    server = subprocess.Popen(
        [*SPINETRACK, "serve", *(options or [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_health(port, server)
    return server, time.perf_counter() - started, _process_cpu(server.pid)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def _make_run(
    var: Path, port: int, patients: int, old_recipe: bool = False
) -> tuple[subprocess.Popen[bytes], float, float]:
    """The Makefile's run recipe after setup, timed to the first /health, wall and CPU (with
    ``old_recipe``, the recipe before the model was fitted in the background)."""
    env = _environment(var, port)
    started = time.perf_counter()
    cpu = _children_cpu()
    demo = ["demo", "--if-empty", "--patients", str(patients)]
    for step in (["db", "upgrade"], demo if old_recipe else [*demo, "--no-model"]):
        subprocess.run([*SPINETRACK, *step], env=env, check=True, capture_output=True)
    steps_cpu = _children_cpu() - cpu
    server, _, server_cpu = _serve(env, port, [] if old_recipe else ["--fit-demo-model"])
    return server, time.perf_counter() - started, steps_cpu + server_cpu


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _get_ms(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    with opener.open(url, timeout=60) as response:
        body = response.read().decode("utf-8")
    return (time.perf_counter() - started) * 1000, body


def _sign_in(opener: urllib.request.OpenerDirector, base: str) -> None:
    email = next(login.email for login in demo_logins() if login.role == "clinician")
    _, form = _get_ms(opener, f"{base}/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the login form carries a CSRF token"
    data = urllib.parse.urlencode(
        {"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    ).encode()
    opener.open(f"{base}/login", data=data, timeout=60).read()


def _median_ms(opener: urllib.request.OpenerDirector, url: str, repeats: int) -> float:
    _get_ms(opener, url)  # warm-up
    return statistics.median(_get_ms(opener, url)[0] for _ in range(repeats))


def _pages(port: int, repeats: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}"
    opener = _opener()
    library = f"{base}/library?q=stenoses"
    first_library, page = _get_ms(opener, library)
    print(f"  /library?q=stenoses finds spinal stenosis: {'/library/spinal-stenosis' in page}")
    later_library = _median_ms(opener, library, repeats)
    _sign_in(opener, base)
    _, worklist = _get_ms(opener, f"{base}/")
    patient = re.search(r'href="/patients/(\d+)"', worklist)
    assert patient, "the worklist links a patient"
    patient_page = f"{base}/patients/{patient.group(1)}"
    return {
        "library_first": first_library,
        "library_later": later_library,
        "letter": _median_ms(opener, f"{patient_page}/letter", repeats),
        "patient_page": _median_ms(opener, patient_page, repeats),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _demo_load(patients: int) -> tuple[float, float, float, float]:
    """Wall and CPU seconds for `spinetrack demo --patients N` into a new SQLite file, and for
    generating the same cohort alone (each a whole process)."""
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(Path(folder), _free_port())
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(
            [*SPINETRACK, "demo", "--patients", str(patients), "--no-model"],
            env=env,
            check=True,
            capture_output=True,
        )
        load = time.perf_counter() - started
        load_cpu = _children_cpu() - cpu
    generate = (
        "from datetime import date; from spinetrack.demo.cohort import generate_cohort; "
        f"generate_cohort({patients}, 7, date.today())"
    )
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", generate], check=True)
    return load, load_cpu, time.perf_counter() - started, _children_cpu() - cpu


def _print_pages(median: dict[str, float], runs: int, repeats: int) -> None:
    print(f"medians of {runs} fresh starts (pages: median of {repeats} requests each)")
    print(
        f"make run to first /health      {median['make_run']:7.1f} s    "
        f"serve alone {median['serve_only']:.1f} s "
        f"({median['make_run'] / median['serve_only']:.1f}x; target ≤ 15 s)"
    )
    print(
        f"  CPU of its processes           {median['make_run_cpu']:7.1f} s    "
        f"serve alone {median['serve_only_cpu']:.1f} s"
    )
    if "old_recipe" in median:
        print(
            f"  the recipe before (model fitted before serving) {median['old_recipe']:.1f} s "
            f"({median['make_run'] / median['old_recipe']:.2f}x of it)"
        )
    print(
        f"/library?q=stenoses first      {median['library_first']:7.0f} ms   "
        f"later {median['library_later']:.0f} ms ({median['library_first'] / median['library_later']:.1f}x; target ≤ 200 ms)"
    )
    print(
        f"/patients/{{id}}/letter          {median['letter']:7.0f} ms   "
        f"patient page {median['patient_page']:.0f} ms ({median['letter'] / median['patient_page']:.2f}x; target ≤ 100 ms)"
    )


def _fresh_start(args: argparse.Namespace, figures: dict[str, list[float]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        server, make_run, make_run_cpu = _make_run(Path(folder), port, args.make_run_patients)
        try:
            for key, value in _pages(port, args.repeats).items():
                figures.setdefault(key, []).append(value)
        finally:
            _stop(server)
        again, serve_only, serve_only_cpu = _serve(_environment(Path(folder), port), port)
        _stop(again)
    figures.setdefault("make_run", []).append(make_run)
    figures.setdefault("make_run_cpu", []).append(make_run_cpu)
    figures.setdefault("serve_only", []).append(serve_only)
    figures.setdefault("serve_only_cpu", []).append(serve_only_cpu)
    if args.old_recipe:
        with tempfile.TemporaryDirectory() as folder:
            port = _free_port()
            server, old, _ = _make_run(Path(folder), port, args.make_run_patients, old_recipe=True)
            _stop(server)
        figures.setdefault("old_recipe", []).append(old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10, help="requests per page median")
    parser.add_argument("--runs", type=int, default=3, help="fresh make-run starts")
    parser.add_argument("--make-run-patients", type=int, default=7500, help="as the Makefile")
    parser.add_argument("--old-recipe", action="store_true", help="also time the old recipe")
    parser.add_argument("--demo-patients", type=int, default=100_000)
    parser.add_argument("--load-runs", type=int, default=3, help="demo loads for the median")
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    for _ in range(args.runs):
        _fresh_start(args, figures)
    median = {key: statistics.median(values) for key, values in figures.items()}
    if args.runs:
        _print_pages(median, args.runs, args.repeats)
    if args.demo_patients and args.load_runs:
        loads = [_demo_load(args.demo_patients) for _ in range(args.load_runs)]
        load, load_cpu, generate, generate_cpu = (
            statistics.median(run[i] for run in loads) for i in range(4)
        )
        print(
            f"demo --patients {args.demo_patients:,} (SQLite), median of {args.load_runs}  "
            f"{load:7.1f} s    generation alone {generate:.1f} s ({load / generate:.1f}x; "
            f"target ≤ 45 s at 100,000)"
        )
        print(
            f"  CPU: demo {load_cpu:.1f} s, generation alone {generate_cpu:.1f} s "
            f"({load_cpu / generate_cpu:.1f}x)"
        )


if __name__ == "__main__":
    main()
