"""`spinetrack serve` as a real process on a free port, for tests that must kill it mid-request.

The process gets its own environment (database URL, secret key, var directory), so what it does is
what production does with the same settings.

Each start is a fork of one pre-loaded parent per test process (the "zygote"), which has imported
the command line, the web app and uvicorn once and done nothing else: no settings read, no
database opened, no thread started. A start was a fresh interpreter importing the analytics stack
again (the crash test starts three servers per database); the forked child still runs the whole
`spinetrack serve` command from its first line (settings from its own environment, migration
check, app start-up with its lifespan, uvicorn), and a SIGKILL still ends a separate process
mid-write without shutdown handlers or flushing.
"""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx2

ZYGOTE = r"""
import json, os, signal, sys
def reap(*_):  # waited for, so their CPU time counts in the zygote's and then the test's
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return
signal.signal(signal.SIGCHLD, reap)
from spinetrack.cli import main, serve  # the command and what it imports
import spinetrack.app  # what uvicorn imports in the child
print("ready", flush=True)
for line in sys.stdin:
    order = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(order["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        log = os.open(order["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        code = 1
        try:
            main.app(order["args"], prog_name="spinetrack")
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    print(pid, flush=True)
"""
"""Forks `spinetrack <args>` on request: one JSON line in (env, args, log path), the pid out."""

_zygote: subprocess.Popen[str] | None = None


def _forked(env: dict[str, str], args: list[str], log: Path) -> int:
    """The pid of a new `spinetrack <args>` process, forked from the per-process zygote."""
    global _zygote
    if _zygote is None or _zygote.poll() is not None:
        _zygote = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        atexit.register(_close, _zygote)
        if _read(_zygote.stdout) != "ready":
            raise RuntimeError("the server zygote did not start")
    assert _zygote.stdin is not None
    _zygote.stdin.write(json.dumps({"env": env, "args": args, "log": str(log)}) + "\n")
    _zygote.stdin.flush()
    return int(_read(_zygote.stdout))


def _close(zygote: subprocess.Popen[str]) -> None:
    """End of the test process: the zygote's input closes, so it exits."""
    for stream in (zygote.stdin, zygote.stdout):
        if stream is not None:
            stream.close()
    zygote.wait(timeout=10)


def _read(stream: IO[str] | None) -> str:
    assert stream is not None
    return stream.readline().strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """One server process at a time on a fixed port; start, kill -9, start again."""

    def __init__(self, database_url: str, var_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SPINETRACK_DATABASE_URL": database_url,
            "SPINETRACK_VAR_DIR": str(var_dir),
            "SPINETRACK_SECRET_KEY": "crash-test-secret-key-0123456789abcdef",
        }
        self.pid: int | None = None
        self.log = var_dir / "server.log"

    def start(self, timeout: float = 60.0) -> None:
        self.pid = _forked(self.env, ["serve", "--port", str(self.port)], self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(self.pid):
                raise RuntimeError(f"the server exited early: {self.log.read_text()[-2000:]}")
            try:
                if httpx2.get(f"{self.base}/health", timeout=1.0).status_code == 200:
                    return
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /health in time")

    def _signal_and_wait(self, signum: int, timeout: float) -> bool:
        """Send the signal and wait until the process is gone; whether it went in time."""
        if self.pid is None or not _alive(self.pid):
            return True
        os.kill(self.pid, signum)
        deadline = time.monotonic() + timeout
        while _alive(self.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; whatever was in flight is cut off."""
        if not self._signal_and_wait(signal.SIGKILL, 30):
            raise RuntimeError(f"the server {self.pid} outlived SIGKILL")

    def stop(self) -> None:
        if not self._signal_and_wait(signal.SIGTERM, 10):
            self.kill()
