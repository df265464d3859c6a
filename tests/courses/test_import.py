"""Importing a course folder: idempotent, keeps progress through edits and renumbering, and a
broken file is one clear error naming its line that changes nothing."""

from __future__ import annotations

import json

import pytest

from coachctl.engine.errors import Invalid
from coachctl.engine.learning.courses import get_course, lessons_of
from coachctl.engine.learning.enrolments import learners, mark_complete
from coachctl.engine.learning.importer import import_course
from coachctl.engine.learning.learners import grant
from coachctl.store.models import Course, Lesson, LessonProgress, utcnow
from tests.courses.conftest import write_course
from tests.support import run_cli


def _import(folder, *extra: str) -> dict:
    result = run_cli("course", "import", str(folder), "--coach", "jane", "--json", *extra)
    return json.loads(result.stdout)


def test_the_first_import_adds_every_lesson(coach, course_dir):
    report = _import(course_dir)
    assert {k: report[k] for k in ("course", "added", "changed", "removed")} == {
        "course": "calm-lead",
        "added": 3,
        "changed": 0,
        "removed": 0,
    }
    lessons = lessons_of(get_course(coach, "calm-lead"))
    assert [(x.position, x.slug, x.title, x.drip_days) for x in lessons] == [
        (1, "welcome", "Welcome", 0),
        (2, "listen", "Listening", 0),
        (3, "plan", "Your plan", 3),
    ]


def test_importing_twice_changes_nothing(coach, course_dir):
    _import(course_dir)
    before = [(x.id, x.position, x.body) for x in Lesson.select().order_by(Lesson.id)]
    report = _import(course_dir)
    assert (report["added"], report["changed"], report["removed"]) == (0, 0, 0)
    assert not report["course_changed"]
    assert [(x.id, x.position, x.body) for x in Lesson.select().order_by(Lesson.id)] == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(coach, course_dir):
    report = _import(course_dir, "--dry-run")
    assert report["added"] == 3 and report["dry_run"]
    assert Course.select().count() == 0 and Lesson.select().count() == 0


def test_progress_survives_edits_renumbering_and_removals(coach, course_dir, settings):
    import_course(coach, course_dir)
    course = get_course(coach, "calm-lead")
    enrolment = grant(course, "ana@example.com", settings)
    for lesson in lessons_of(course)[:2]:
        mark_complete(enrolment, lesson, utcnow())
    (course_dir / "01-welcome.md").rename(course_dir / "05-welcome.md")
    (course_dir / "02-listen.md").write_text("---\ntitle: Listening well\n---\nNew text.\n")
    (course_dir / "03-plan.md").unlink()
    (course_dir / "04-extra.md").write_text('+++\ntitle = "Extra"\n+++\nMore.\n')
    report = _import(course_dir)
    assert report["lessons"] == {
        "added": ["extra"],
        "changed": ["listen", "welcome"],
        "removed": ["plan"],
    }
    lessons = lessons_of(course)
    assert [x.slug for x in lessons] == ["listen", "extra", "welcome"]
    done = {p.lesson.slug for p in LessonProgress.select().join(Lesson)}
    assert done == {"welcome", "listen"}
    assert learners(course)[0]["lessons_done"] == 2


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("02-listen.md", '+++\ntitle = "Listening"\ndrip_days = = 2\n+++\nx\n', 3, "invalid TOML"),
        ("02-listen.md", "---\ntitle: Listening\nvideo: [unclosed\n---\nx\n", 3, "invalid YAML"),
        ("02-listen.md", "No front matter here.\n", 1, "front matter"),
        ("02-listen.md", '+++\ntitle = "x"\nnever closed\n', 1, "never closed"),
        ("02-listen.md", "+++\ndrip_days = 2\n+++\nx\n", 1, "title"),
        ("02-listen.md", '+++\ntitle = "x"\ndrip_days = -1\n+++\nx\n', 3, "drip_days"),
        ("02-listen.md", '+++\ntitle = "x"\nvideo = "https://evil.example/v"\n+++\n', 3, "video"),
        ("02-listen.md", '+++\ntitle = "x"\ncolour = "red"\n+++\n', 3, "unknown key"),
        ("2listen.md", '+++\ntitle = "x"\n+++\n', 1, "NN-slug.md"),
    ],
)
def test_a_broken_lesson_is_one_clear_error_and_changes_nothing(
    coach, course_dir, name, text, line, words
):
    import_course(coach, course_dir)
    before = [(x.id, x.position, x.title, x.body) for x in Lesson.select().order_by(Lesson.id)]
    (course_dir / "02-listen.md").unlink()
    (course_dir / name).write_text(text)
    (course_dir / "01-welcome.md").write_text('+++\ntitle = "Changed"\n+++\nChanged.\n')
    result = run_cli("course", "import", str(course_dir), "--coach", "jane", code=2)
    message = result.stderr.strip()
    assert message.startswith(f"Error: {course_dir / name}:{line}: "), message
    assert words in message and "\n" not in message
    after = [(x.id, x.position, x.title, x.body) for x in Lesson.select().order_by(Lesson.id)]
    assert after == before


def test_a_paid_course_is_sold_by_a_product_kept_at_its_price(coach, tmp_path):
    folder = write_course(tmp_path / "paid", access="paid", price="49.00 EUR")
    import_course(coach, folder)
    course = get_course(coach, "calm-lead")
    assert course.product.price_minor == 4900 and not course.product.active
    run_cli("course", "publish", "calm-lead", "--coach", "jane")
    write_course(folder, access="paid", price="59.00 EUR")
    assert _import(folder)["course_changed"]
    product = get_course(coach, "calm-lead").product
    assert (product.price_minor, product.active) == (5900, True)


def test_a_paid_course_needs_a_price(coach, tmp_path):
    folder = write_course(tmp_path / "paid", access="paid")
    with pytest.raises(Invalid, match=r"course\.toml:1: a paid course needs a price"):
        import_course(coach, folder)


def test_the_course_commands_speak_json(coach, course_dir, settings):
    _import(course_dir)
    assert json.loads(run_cli("course", "list", "--json").stdout)[0]["published"] is False
    published = json.loads(run_cli("course", "publish", "calm-lead", "--json").stdout)
    assert published["published"] is True
    shown = json.loads(run_cli("course", "show", "calm-lead", "--json").stdout)
    assert [x["slug"] for x in shown["lessons"]] == ["welcome", "listen", "plan"]
    run_cli("course", "grant", "calm-lead", "ana@example.com", "--coach", "jane")
    rows = json.loads(run_cli("course", "learners", "calm-lead", "--json").stdout)
    assert rows[0]["email"] == "ana@example.com" and rows[0]["status"] == "active"
    revoked = run_cli("course", "revoke", "calm-lead", "ana@example.com", "--json")
    assert json.loads(revoked.stdout)["status"] == "revoked"
    assert (
        json.loads(run_cli("course", "unpublish", "calm-lead", "--json").stdout)["published"]
        is False
    )
    assert json.loads(run_cli("course", "rm", "calm-lead", "--json").stdout)["removed"]
    assert Course.select().count() == 0


def test_a_grant_queues_the_welcome_email_that_outbox_show_prints(coach, course_dir):
    _import(course_dir)
    run_cli("course", "grant", "calm-lead", "ana@example.com", "--coach", "jane")
    rows = json.loads(run_cli("outbox", "list", "--json").stdout)
    welcome = next(r for r in rows if r["kind"] == "course_welcome")
    shown = run_cli("outbox", "show", str(welcome["id"])).stdout
    assert "http://coach.test/c/calm-lead/in/" in shown
