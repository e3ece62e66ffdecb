"""Install spinetrack with its tools into the virtualenv this script runs in (`make setup`).

uv resolves and installs the same packages as pip in a fraction of the time (it fetches the
indexes' pages side by side where pip asks for them one after another: on a busy 2-core machine
94 s against 23-35 s), so setup installs uv with pip and lets uv do the rest. uv does not read
pip's configuration, so this script hands it pip's: the index, the extra indexes, the find-links
folders, the constraint files, the certificate bundle, the time-out and the proxy, and it lets uv
take the best version over all indexes, as pip does, rather than the first index's. If pip's
configuration holds a setting this script cannot hand on, or uv cannot be installed or fails,
pip installs as before.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = ["-e", ".[dev]"]
"""What setup installs: the package in editable mode with its development tools."""

OPTIONS = {
    "index-url": "--index-url",
    "extra-index-url": "--extra-index-url",
    "find-links": "--find-links",
    "constraint": "--constraint",
    "trusted-host": "--allow-insecure-host",
    "only-binary": "--only-binary",
    "no-binary": "--no-binary",
}
"""pip settings that name indexes, folders, files or hosts (one or several, apart by spaces), and
the uv option each is given with."""

ENVIRONMENT = {
    "cert": ("SSL_CERT_FILE",),
    "timeout": ("UV_HTTP_TIMEOUT",),
    "default-timeout": ("UV_HTTP_TIMEOUT",),
    "proxy": ("HTTPS_PROXY", "HTTP_PROXY"),
}
"""pip settings that uv takes from its environment instead, and the variables that carry them."""

HARMLESS = frozenset(
    {
        "cache-dir",
        "disable-pip-version-check",
        "no-cache-dir",
        "no-color",
        "no-input",
        "no-warn-script-location",
        "progress-bar",
        "quiet",
        "retries",
        "root-user-action",
        "verbose",
    }
)
"""pip settings that change only how pip talks or caches, not which packages it installs."""


def pip_settings() -> dict[str, str]:
    """pip's effective settings (`pip config list`): environment over the install section over
    the global section, as pip reads them."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ranked: dict[str, tuple[int, str]] = {}
    rank = {"global": 0, "install": 1, ":env:": 2}
    for line in listed.splitlines():
        name, _, quoted = line.partition("=")
        section, _, key = name.rpartition(".")
        if section not in rank or not quoted:
            continue
        value = " ".join(str(ast.literal_eval(quoted)).split())
        if key not in ranked or rank[section] >= ranked[key][0]:
            ranked[key] = (rank[section], value)
    return {key: value for key, (_, value) in ranked.items()}


def uv_command(settings: dict[str, str]) -> tuple[list[str], dict[str, str]] | None:
    """The uv options and environment that give pip's settings, or None if one has no match."""
    options = ["--index-strategy", "unsafe-best-match"]
    environment: dict[str, str] = {}
    for key, value in settings.items():
        if key in OPTIONS:
            options += [part for item in value.split() for part in (OPTIONS[key], item)]
        elif key in ENVIRONMENT:
            environment.update(dict.fromkeys(ENVIRONMENT[key], value))
        elif key == "no-index" and value.lower() in {"1", "true", "yes", "on"}:
            options.append("--no-index")
        elif key not in HARMLESS:
            print(f"install_venv: pip's setting {key!r} has no uv option here", file=sys.stderr)
            return None
    return options, environment


def with_pip() -> int:
    """The install as it was before uv: pip upgraded, then the package, without byte-compiling."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    upgraded = subprocess.run([*pip, "--upgrade", "pip"], check=False)
    if upgraded.returncode != 0:
        return upgraded.returncode
    return subprocess.run([*pip, "--no-compile", *REQUIREMENTS], check=False).returncode


def with_uv() -> int | None:
    """uv's exit code, or None when uv cannot stand in for pip here."""
    try:
        settings = pip_settings()
    except (subprocess.CalledProcessError, ValueError, SyntaxError) as unread:
        print(f"install_venv: pip's configuration could not be read ({unread})", file=sys.stderr)
        return None
    command = uv_command(settings)
    if command is None:
        return None
    options, environment = command
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "uv"], check=False
    )
    uv = Path(sys.executable).parent / "uv"
    if installed.returncode != 0 or not uv.exists():
        return None
    return subprocess.run(
        [
            str(uv),
            "pip",
            "install",
            "--quiet",
            "--python",
            sys.executable,
            *options,
            "--upgrade-package",
            "pip",
            "pip",
            *REQUIREMENTS,
        ],
        env={**os.environ, **environment},
        check=False,
    ).returncode


def main() -> int:
    code = with_uv()
    if code == 0:
        return 0
    if code is not None:
        print(f"install_venv: uv failed (exit {code}); installing with pip", file=sys.stderr)
    return with_pip()


if __name__ == "__main__":
    sys.exit(main())
