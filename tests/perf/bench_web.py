"""GET /{coachSlug} under gunicorn (requests/s, p99 at 50 connections) against a bottle
hello-world on the same server, and `coachctl --help` start-up time.

Run: python -m tests.perf.bench_web
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from tests.perf.harness import demo_served, free_port, served, wrk

GUNICORN = [
    "-m",
    "gunicorn",
    "--worker-class",
    "gthread",
    "--threads",
    "4",
    "--log-level",
    "warning",
]


def bench_bio_page(workers: int) -> None:
    with demo_served("/maya-lindqvist", workers) as base:
        wrk(base + "/maya-lindqvist", seconds=2)
        page = wrk(base + "/maya-lindqvist")
        api = wrk(base + "/api/coaches/maya-lindqvist")
    port = free_port()
    command = [
        sys.executable,
        *GUNICORN,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "tests.perf.hello_app:app",
    ]
    with served(command, "/", port) as base:
        wrk(base + "/", seconds=2)
        hello = wrk(base + "/")
    print(
        f"GET /maya-lindqvist      {page['rps']:8.0f} req/s  p50 {page['p50']:6.1f} ms  "
        f"p99 {page['p99']:6.1f} ms  (non-2xx {page['non_2xx']})"
    )
    print(
        f"GET /api/coaches/…       {api['rps']:8.0f} req/s  p50 {api['p50']:6.1f} ms  "
        f"p99 {api['p99']:6.1f} ms"
    )
    print(
        f"bottle hello-world       {hello['rps']:8.0f} req/s  p50 {hello['p50']:6.1f} ms  "
        f"p99 {hello['p99']:6.1f} ms"
    )
    print(f"bio page / hello-world   {page['rps'] / hello['rps']:.2f}")


def bench_help(runs: int = 15) -> None:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "coachctl.cli", "--help"], check=True, capture_output=True
        )
        timings.append((time.perf_counter() - started) * 1000)
    baseline = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append((time.perf_counter() - started) * 1000)
    print(
        f"coachctl --help          median {statistics.median(timings):.0f} ms "
        f"(bare python start-up {statistics.median(baseline):.0f} ms)"
    )


if __name__ == "__main__":
    bench_help()
    bench_bio_page(workers=4)
