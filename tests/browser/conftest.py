"""Browser tests: a real `coachctl demo` server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support import free_port, wait_for_http

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def demo_server(tmp_path, database_url) -> Iterator[str]:
    """`coachctl demo` on a free port in its own home; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "COACHCTL_HOME": str(tmp_path / "home"),
        "DATABASE_URL": database_url,
        "COACHCTL_BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "coachctl.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/api/coaches/maya-lindqvist", process)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
