"""GET /c/{course}/learn/{lesson} for a signed-in learner against GET /{coachSlug} (the bio page)
on the same `coachctl serve`, requests/s and p99 at 50 connections.

Run: python -m tests.perf.bench_course
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request

from tests.perf.harness import demo_served, wrk

COURSE = "first-90-days"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def learner_cookie(base: str) -> str:
    """Grant the demo course to a learner and sign in with the emailed link: the cookie."""
    cli = [sys.executable, "-m", "coachctl.cli"]
    subprocess.run([*cli, "course", "grant", COURSE, "bench@example.com"], check=True)
    rows = json.loads(subprocess.check_output([*cli, "outbox", "list", "--json"], text=True))
    email = next(r for r in rows if r["kind"] == "course_welcome")
    shown = subprocess.check_output([*cli, "outbox", "show", str(email["id"])], text=True)
    path = re.search(rf"/c/{COURSE}/in/\S+", shown).group(0)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(base + path)
    except urllib.error.HTTPError as answer:
        header = answer.headers["Set-Cookie"]
        return header.split(";", 1)[0]
    raise RuntimeError("signing in did not redirect")


def bench_lesson_page(workers: int) -> None:
    with demo_served("/maya-lindqvist", workers) as base:
        cookie = learner_cookie(base)
        lesson = f"{base}/c/{COURSE}/learn/welcome"
        wrk(lesson, seconds=2, headers={"Cookie": cookie})
        page = wrk(lesson, headers={"Cookie": cookie})
        landing = wrk(f"{base}/c/{COURSE}")
        wrk(base + "/maya-lindqvist", seconds=2)
        bio = wrk(base + "/maya-lindqvist")
    for label, result in (("lesson page", page), ("course landing", landing), ("bio page", bio)):
        print(
            f"{label:16} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
            f"p99 {result['p99']:6.1f} ms  (non-2xx {result['non_2xx']})"
        )
    print(f"lesson page / bio page   {page['rps'] / bio['rps']:.2f}")


if __name__ == "__main__":
    bench_lesson_page(workers=4)
