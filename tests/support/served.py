"""`spinetrack serve` as a real process on a free port, for tests that must kill it mid-request.

The process gets its own environment (database URL, secret key, var directory), so what it does is
what production does with the same settings.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

SPINETRACK = Path(sys.executable).with_name("spinetrack")


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
        self.process: subprocess.Popen[bytes] | None = None
        self.log = var_dir / "server.log"

    def start(self, timeout: float = 60.0) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(SPINETRACK), "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early: {self.log.read_text()[-2000:]}")
            try:
                if httpx2.get(f"{self.base}/health", timeout=1.0).status_code == 200:
                    return
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /health in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; whatever was in flight is cut off."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
