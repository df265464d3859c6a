"""A CLI that catches mistakes: reversed windows, typos, usage errors, and links that point home."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request

import pytest

from coachctl.engine.coaches import create_coach
from coachctl.engine.scheduling import schedule
from coachctl.store.db import db
from tests.support import free_port, run_cli, serve_command, wait_for_http

BOX = set("╭╮╰╯│─")


@pytest.fixture
def jane(store):
    coach = create_coach("jane", "Jane Doe", "Europe/London", email="jane@coach.test")
    db.close()
    return coach


def test_a_reversed_window_is_refused_unless_it_runs_overnight(jane):
    refused = run_cli("windows", "add", "wed", "17:00-09:00", code=2)
    assert refused.stderr.strip() == (
        "Error: window 17:00-09:00 ends before it starts (add --overnight if it runs past midnight)"
    )
    assert schedule.list_windows(jane) == []
    run_cli("windows", "add", "wed", "22:00-02:00", "--overnight")
    assert [(w.start, w.end) for w in schedule.list_windows(jane)] == [("22:00", "02:00")]


def test_overlapping_and_touching_windows_merge_with_a_line_saying_so(jane):
    run_cli("windows", "add", "mon", "09:00-12:00")
    merged = run_cli("windows", "add", "mon", "11:00-14:00").stdout
    assert "Merged with Mon 09:00-12:00 → Mon 09:00–14:00." in merged
    touching = run_cli("windows", "add", "mon", "14:00-15:00").stdout
    assert "→ Mon 09:00–15:00" in touching
    run_cli("windows", "add", "mon", "16:00-17:00")
    assert [(w.start, w.end) for w in schedule.list_windows(jane)] == [
        ("09:00", "15:00"),
        ("16:00", "17:00"),
    ]


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["windws", "list"], "did you mean 'windows'?"),
        (["windows", "ad", "mon", "09:00-10:00"], "Did you mean 'add'?"),
        (["coach", "edit", "janee", "--name", "J"], "did you mean jane?"),
        (["coach", "edit", "jane", "--timezone", "Europe/Londn"], "did you mean Europe/London?"),
        (["coach", "edit", "jane", "--timezone", "new york"], "did you mean America/New_York?"),
    ],
)
def test_typos_get_the_nearest_match_in_one_line(jane, args, suggestion):
    result = run_cli(*args, code=2)
    assert suggestion in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_several_coaches_are_listed_when_none_is_named(jane):
    run_cli("coach", "create", "sam", "--name", "Sam", "--timezone", "UTC", "--email", "s@x.test")
    result = run_cli("windows", "list", code=2)
    assert "several coaches exist (jane, sam); name one with --coach SLUG" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["bookings", "show", "x"],
        ["bookings", "show", "1", "2"],
        ["types", "edit"],
        ["windows", "add", "mon", "09:00-10:00", "--nope"],
    ],
)
def test_usage_errors_are_one_line_with_a_hint_and_exit_2(jane, args):
    result = run_cli(*args, code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert f"Try 'coachctl {args[0]} " in lines[0] or "Try 'root" in lines[0]
    assert not BOX & set(result.stderr)


def test_version_and_help_without_noise(store):
    from importlib.metadata import version

    assert run_cli("--version").stdout.strip() == f"coachctl {version('coachctl')}"
    shown = run_cli("types", "edit", "--help").stdout
    assert "<bool>" not in shown and "--install-completion" not in shown
    assert "--show-completion" not in run_cli("windows", "--help").stdout


def test_types_list_shows_every_setting_with_its_unit(jane, monkeypatch):
    run_cli("types", "edit", "session", "--notice", "1440", "--location", "phone")
    monkeypatch.setenv("COLUMNS", "120")
    listed = run_cli("types", "list").stdout
    for shown in ("1 h", "1 d", "0 min / 0 min", "60 d", "free", "Phone call", "cancel"):
        assert shown in listed, shown
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run_cli("types", "list").stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "0 min / 0 min" in narrow and "cancel" not in narrow, "the least important goes"
    run_cli("types", "rm", "session")
    assert "session" not in run_cli("types", "list").stdout
    assert "session (archived)" in run_cli("types", "list", "--all").stdout


def test_serve_without_a_base_url_links_to_its_own_port(jane, monkeypatch):
    monkeypatch.delenv("COACHCTL_BASE_URL")
    for day in range(7):
        schedule.add_window(jane, day, "00:00", "24:00")
    db.close()
    port = free_port()
    server = subprocess.Popen(
        serve_command(port, 1),
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/api/coaches/jane", server)
        slots = json.load(urllib.request.urlopen(f"{base}/api/availability/slots?coach=jane"))
        body = {
            "coach": "jane",
            "start": slots["slots"][0]["start"],
            "name": "A",
            "email": "a@x.io",
        }
        request = urllib.request.Request(
            f"{base}/api/bookings", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        made = json.load(urllib.request.urlopen(request))
        assert made["booking"]["manage_url"].startswith(f"{base}/booking/")
        bio = urllib.request.urlopen(f"{base}/jane").read().decode()
        assert f'content="{base}/jane"' in bio or f"{base}/" in bio
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"Links in pages, emails and invites will use {base}" in output
    shown = run_cli("bookings", "show", str(made["booking"]["id"])).stdout
    assert f"{base}/booking/" in shown, "the CLI uses the address the server announced"


def test_blackouts_read_inclusively_and_past_ones_wait_behind_all(jane):
    from datetime import date

    year = date.today().year + 1
    run_cli("blackout", "add", f"{year}-12-24..{year}-12-26", "--reason", "Holidays")
    run_cli("blackout", "add", "2020-03-01")
    listed = run_cli("blackout", "list").stdout
    assert f"24–26 Dec {year}" in listed and "Holidays" in listed
    assert "2020" not in listed
    assert "1 past blackout not shown; --all shows them." in listed
    assert "1 Mar 2020" in run_cli("blackout", "list", "--all").stdout
