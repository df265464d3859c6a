"""``coachctl course import|list|show|publish|unpublish|rm|learners|grant|revoke``: mini-courses
written as a folder of markdown lessons."""

from __future__ import annotations

from pathlib import Path

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Courses: markdown lessons, published behind a free, email or paid gate.",
    no_args_is_help=True,
)
CourseArgument = typer.Argument(..., help="The course's slug.")


@app.command("import")
def import_(
    folder: Path = typer.Argument(..., help="A folder with course.toml and NN-slug.md lessons."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the changes without writing them.", metavar=""
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Create or update a course from a folder; learners keep their progress."""
    from coachctl.engine.learning.importer import import_course

    _, found = load_coach(coach)
    report = import_course(found, folder, dry_run=dry_run)
    if as_json:
        emit_json(report.to_dict())
        return
    verb = "Would import" if dry_run else "Imported"
    state = "new course" if report.created else "updated" if report.course_changed else "course"
    typer.echo(f"{verb} {report.course} ({state}).")
    for label, slugs in (
        ("added", report.added),
        ("changed", report.changed),
        ("removed", report.removed),
    ):
        typer.echo(f"  {label:8} {len(slugs)}" + (f": {', '.join(slugs)}" if slugs else ""))


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List the coach's courses."""
    from coachctl.engine.learning.courses import course_to_dict, lessons_of, list_courses

    _, found = load_coach(coach)
    courses = list_courses(found)
    rows = [{**course_to_dict(c), "lessons": len(lessons_of(c))} for c in courses]
    if as_json:
        emit_json(rows)
        return
    emit_table(
        f"Courses of {found.slug}",
        ["slug", "title", "access", "price", "lessons", "status"],
        [
            (
                r["slug"],
                r["title"],
                r["access"],
                r["price"] or "free",
                r["lessons"],
                "published" if r["published"] else "draft",
            )
            for r in rows
        ],
        "No courses yet. Import one: coachctl course import examples/courses/first-90-days",
        whole=("slug", "price"),
        optional=("title",),
    )


@app.command()
def show(course: str = CourseArgument, coach: str = CoachOption, as_json: bool = JsonOption):
    """Show a course and its lessons with their drip days."""
    from coachctl.engine.learning.courses import course_to_dict, get_course, lessons_of

    settings, found = load_coach(coach)
    item = get_course(found, course)
    data = {**course_to_dict(item, lessons_of(item)), "url": f"{settings.base_url}/c/{item.slug}"}
    if as_json:
        emit_json(data)
        return
    status = "published" if data["published"] else "draft (not public)"
    typer.echo(f"{data['title']} · {data['access']} · {data['price'] or 'free'} · {status}")
    typer.echo(data["url"])
    emit_table(
        "Lessons",
        ["#", "slug", "title", "opens", "video"],
        [
            (
                lesson["position"],
                lesson["slug"],
                lesson["title"],
                f"day {lesson['drip_days']}" if lesson["drip_days"] else "right away",
                "yes" if lesson["video_url"] else "",
            )
            for lesson in data["lessons"]
        ],
        "No lessons.",
        whole=("#", "opens"),
        optional=("video",),
    )


def _publish(course: str, coach: str | None, as_json: bool, published: bool) -> None:
    from coachctl.engine.learning.courses import course_to_dict, get_course, set_published

    settings, found = load_coach(coach)
    item = set_published(get_course(found, course), published)
    if as_json:
        emit_json(course_to_dict(item))
    elif published:
        typer.echo(f"Published {item.slug}: {settings.base_url}/c/{item.slug}")
    else:
        typer.echo(f"Unpublished {item.slug}; its pages and lessons are no longer served.")


@app.command()
def publish(course: str = CourseArgument, coach: str = CoachOption, as_json: bool = JsonOption):
    """Publish a course: its landing page and lessons go live, its product on sale."""
    _publish(course, coach, as_json, True)


@app.command()
def unpublish(course: str = CourseArgument, coach: str = CoachOption, as_json: bool = JsonOption):
    """Take a course offline; learners keep their enrolments and progress."""
    _publish(course, coach, as_json, False)


@app.command()
def rm(course: str = CourseArgument, coach: str = CoachOption, as_json: bool = JsonOption):
    """Delete a course with its lessons, enrolments and progress."""
    from coachctl.engine.learning.courses import get_course, remove_course

    _, found = load_coach(coach)
    item = get_course(found, course)
    remove_course(item)
    if as_json:
        emit_json({"course": item.slug, "removed": True})
    else:
        typer.echo(f"Removed course {item.slug}.")


@app.command()
def learners(course: str = CourseArgument, coach: str = CoachOption, as_json: bool = JsonOption):
    """List a course's learners with their progress and last activity."""
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.enrolments import learners as list_learners

    _, found = load_coach(coach)
    rows = list_learners(get_course(found, course))
    if as_json:
        emit_json(rows)
        return
    emit_table(
        f"Learners of {course} (UTC)",
        ["email", "status", "source", "progress", "last active"],
        [
            (
                r["email"],
                r["status"],
                r["source"],
                f"{r['lessons_done']}/{r['lessons']} ({r['percent']}%)",
                (r["last_active_at"] or "never").replace("T", " ").removesuffix("Z"),
            )
            for r in rows
        ],
        "No learners yet.",
        whole=("progress", "last active"),
        optional=("source",),
    )


@app.command()
def grant(
    course: str = CourseArgument,
    email: str = typer.Argument(..., help="The learner's email address."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Give someone access for free; they get a welcome email with a sign-in link."""
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.learners import grant as grant_access

    settings, found = load_coach(coach)
    enrolment = grant_access(get_course(found, course), email, settings)
    if as_json:
        emit_json({"course": course, "email": enrolment.email, "status": "active"})
    else:
        typer.echo(f"Granted {course} to {enrolment.email}; the welcome email is in the outbox.")


@app.command()
def revoke(
    course: str = CourseArgument,
    email: str = typer.Argument(..., help="The learner's email address."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Take away someone's access at once, open sessions included."""
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.learners import revoke as revoke_access

    _, found = load_coach(coach)
    enrolment = revoke_access(get_course(found, course), email)
    if as_json:
        emit_json({"course": course, "email": enrolment.email, "status": "revoked"})
    else:
        typer.echo(f"Revoked {enrolment.email}'s access to {course}.")
