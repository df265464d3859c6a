"""Helpers for the benchmarks: a throw-away home, a served app on a free port, wrk runs."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support import free_port, serve_command, wait_for_http


@contextlib.contextmanager
def scratch_home() -> Iterator[Path]:
    """A temporary COACHCTL_HOME with its own SQLite database, set in this process's environment."""
    home = Path(tempfile.mkdtemp(prefix="coachctl-bench-"))
    saved = {k: os.environ.get(k) for k in ("COACHCTL_HOME", "DATABASE_URL")}
    os.environ["COACHCTL_HOME"] = str(home)
    os.environ["DATABASE_URL"] = f"sqlite:///{home / 'coachctl.db'}"
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def served(args: list[str], probe: str, port: int) -> Iterator[str]:
    """Run a server command until the probe path answers; yield its base URL."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + probe, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextlib.contextmanager
def demo_served(probe: str, workers: int = 4) -> Iterator[str]:
    """The demo coach in a scratch home, served by `coachctl serve`; yields the base URL."""
    with scratch_home():
        subprocess.run(
            [sys.executable, "-m", "coachctl.cli", "demo", "--no-serve"],
            check=True,
            capture_output=True,
        )
        port = free_port()
        command = serve_command(port, workers)
        with served(command, probe, port) as base:
            yield base


BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)


def wrk(
    url: str,
    connections: int = 50,
    seconds: int = 10,
    script: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict:
    """Run wrk against ``url`` (sending ``headers``); return requests/s, p50 and p99 latency (ms)
    and non-2xx count. Requests carry a browser's user agent unless ``headers`` name another,
    so analytics counts them as visits."""
    if not shutil.which("wrk"):
        sys.exit("wrk is needed for this benchmark: apt-get install wrk")
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", script]
    for name, value in {"User-Agent": BROWSER_UA, **(headers or {})}.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }
