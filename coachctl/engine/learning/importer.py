"""Writing a course as a folder: ``course.toml`` and ``NN-slug.md`` lessons with TOML (``+++``)
or YAML (``---``) front matter, imported as one change that keeps every learner's progress.

A lesson is known by its slug, so renumbering its file moves it without losing who completed
it. The whole folder is read and checked before anything is written: a broken file names its
line and changes nothing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachctl.engine.coaches import validate_slug
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money, parse_money
from coachctl.engine.errors import Conflict, DomainError, Invalid
from coachctl.engine.learning.courses import ACCESS, PAID
from coachctl.engine.learning.videos import video_for
from coachctl.engine.parse import web_url
from coachctl.store.db import write_transaction
from coachctl.store.models import Coach, Course, Lesson, Product, utcnow

_FILE = re.compile(r"^(\d{1,4})-([a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?)\.md$")
_LINE = re.compile(r"at line (\d+)")
FENCES = {"+++": "TOML", "---": "YAML"}
LESSON_FIELDS = ("position", "title", "body", "video_url", "drip_days")


@dataclass(frozen=True)
class LessonFile:
    """A lesson as its file describes it."""

    position: int
    slug: str
    title: str
    body: str
    video_url: str
    drip_days: int


@dataclass(frozen=True)
class CourseFolder:
    """A course as its folder describes it."""

    slug: str
    title: str
    summary: str
    access: str
    price: Money | None
    cover_url: str
    lessons: list[LessonFile]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do) to the course and its lessons."""

    course: str
    created: bool = False
    course_changed: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: counts, and the lesson slugs behind them."""
        return {
            "course": self.course,
            "created": self.created,
            "course_changed": self.course_changed,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "lessons": {"added": self.added, "changed": self.changed, "removed": self.removed},
            "dry_run": self.dry_run,
        }


def _fail(path: Path, line: int, message: str) -> Invalid:
    return Invalid(f"{path}:{line}: {message}")


def _toml(text: str, path: Path, first_line: int) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _LINE.search(str(error))
        line = first_line + int(found.group(1)) - 1 if found else first_line
        reason = _LINE.sub("", str(error)).replace("()", "").strip(" (")
        raise _fail(path, line, f"invalid TOML: {reason}") from None


def _yaml(text: str, path: Path, first_line: int) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        raise _fail(path, line, f"invalid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise _fail(path, first_line, "the front matter must be a table of keys and values")
    return data


def _front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, list[str]]:
    lines = text.splitlines()
    fence = lines[0].strip() if lines else ""
    if fence not in FENCES:
        raise _fail(path, 1, "a lesson starts with front matter between +++ (TOML) or --- (YAML)")
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == fence), None)
    if end is None:
        raise _fail(path, 1, f"the front matter opened with {fence} is never closed")
    header = "\n".join(lines[1:end])
    data = _toml(header, path, 2) if fence == "+++" else _yaml(header, path, 2)
    return data, "\n".join(lines[end + 1 :]).strip() + "\n", lines[:end]


def _line_of(key: str, header: list[str]) -> int:
    return next((n + 1 for n, line in enumerate(header) if line.lstrip().startswith(key)), 1)


def read_lesson(path: Path, position: int, slug: str) -> LessonFile:
    """One lesson file, checked; an error names the file and line."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(path, 1, f"cannot be read as UTF-8 text ({error})") from None
    data, body, header = _front_matter(path, text)
    unknown = sorted(set(data) - {"title", "drip_days", "video"})
    if unknown:
        raise _fail(path, _line_of(unknown[0], header), f"unknown key {unknown[0]!r}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 120:
        raise _fail(path, _line_of("title", header), "title must be text of 1–120 characters")
    drip = data.get("drip_days", 0)
    if isinstance(drip, bool) or not isinstance(drip, int) or not 0 <= drip <= 3650:
        raise _fail(path, _line_of("drip_days", header), "drip_days must be 0–3650 days")
    video = data.get("video", "") or ""
    try:
        if not isinstance(video, str):
            raise Invalid("video must be a link")
        if video:
            video_for(video)
    except DomainError as error:
        raise _fail(path, _line_of("video", header), error.message) from None
    if len(body) > 200_000:
        raise _fail(path, len(header) + 2, "the lesson is longer than 200,000 characters")
    return LessonFile(position, slug, " ".join(title.split()), body, video.strip(), drip)


def read_folder(folder: Path) -> CourseFolder:
    """The course a folder describes, every file checked before anything is written."""
    manifest = folder / "course.toml"
    if not manifest.is_file():
        raise Invalid(f"{folder} has no course.toml")
    data = _toml(manifest.read_text("utf-8"), manifest, 1)
    try:
        slug = validate_slug(str(data.get("slug", "")))
    except DomainError as error:
        raise _fail(manifest, 1, error.message) from None
    access = str(data.get("access", "free")).upper()
    if access not in ACCESS:
        raise _fail(manifest, 1, 'access must be "free", "email" or "paid"')
    title = " ".join(str(data.get("title", "")).split())
    if not title or len(title) > 120:
        raise _fail(manifest, 1, "title must be text of 1–120 characters")
    price = None
    if access == PAID:
        if not data.get("price"):
            raise _fail(manifest, 1, 'a paid course needs a price, e.g. price = "49.00 EUR"')
        try:
            price = parse_money(str(data["price"]))
        except DomainError as error:
            raise _fail(manifest, 1, error.message) from None
    cover = str(data.get("cover", "") or "")
    try:
        cover = web_url(cover, schemes=("https",)) if cover else ""
    except DomainError as error:
        raise _fail(manifest, 1, f"cover: {error.message}") from None
    found = []
    for path in sorted(folder.glob("*.md")):
        match = _FILE.match(path.name)
        if match is None:
            raise _fail(path, 1, "lesson files are named NN-slug.md, e.g. 01-welcome.md")
        found.append((int(match.group(1)), match.group(2), path))
    found.sort()
    slugs = [slug for _, slug, _ in found]
    for _, lesson_slug, path in found:
        if slugs.count(lesson_slug) > 1:
            raise _fail(path, 1, f"another lesson file has the slug {lesson_slug!r}")
    if not found:
        raise Invalid(f"{folder} has no lessons (NN-slug.md files)")
    lessons = [read_lesson(path, n, s) for n, (_, s, path) in enumerate(found, start=1)]
    return CourseFolder(
        slug,
        title,
        str(data.get("summary", "")).strip(),
        access,
        price,
        cover,
        lessons,
    )


def import_course(coach: Coach, folder: Path, *, dry_run: bool = False) -> ImportReport:
    """Create or update the course in ``folder`` for ``coach``, in one transaction; a dry run
    reports the same changes and writes nothing."""
    spec = read_folder(folder)
    with write_transaction(lock_key=coach.id) as txn:
        report = _apply(coach, spec)
        report.dry_run = dry_run
        if dry_run:
            txn.rollback()
    return report


def _apply(coach: Coach, spec: CourseFolder) -> ImportReport:
    report = ImportReport(spec.slug)
    course = Course.get_or_none(Course.slug == spec.slug)
    if course is not None and course.coach_id != coach.id:
        raise Conflict(f"the course slug {spec.slug!r} is taken by another coach")
    fields = {
        "title": spec.title,
        "summary": spec.summary,
        "access": spec.access,
        "cover_url": spec.cover_url,
    }
    if course is None:
        course = Course.create(coach=coach, slug=spec.slug, **fields)
        report.created = True
    elif any(getattr(course, key) != value for key, value in fields.items()):
        Course.update(updated_at=utcnow(), **fields).where(Course.id == course.id).execute()
        report.course_changed = True
    report.course_changed |= _sync_product(coach, course, spec)
    existing = {lesson.slug: lesson for lesson in Lesson.select().where(Lesson.course == course)}
    for lesson in spec.lessons:
        values = {name: getattr(lesson, name) for name in LESSON_FIELDS}
        old = existing.pop(lesson.slug, None)
        if old is None:
            Lesson.create(course=course, slug=lesson.slug, **values)
            report.added.append(lesson.slug)
        elif any(getattr(old, name) != value for name, value in values.items()):
            Lesson.update(**values).where(Lesson.id == old.id).execute()
            report.changed.append(lesson.slug)
    for gone in existing.values():
        gone.delete_instance()
        report.removed.append(gone.slug)
    return report


def _sync_product(coach: Coach, course: Course, spec: CourseFolder) -> bool:
    """Keep the product that sells a paid course at the folder's price; True when it changed."""
    product = Product.get_or_none(Product.id == course.product_id) if course.product_id else None
    if spec.price is None:
        if product is not None and product.active:
            catalog.edit_product(product, active=False)
            return True
        return False
    if product is None:
        product = catalog.create_product(coach, spec.title, spec.price, spec.summary)
        catalog.edit_product(product, active=course.published)
        Course.update(product=product).where(Course.id == course.id).execute()
        return True
    if (product.title, catalog.price_of(product), product.active) == (
        spec.title,
        spec.price,
        course.published,
    ):
        return False
    catalog.edit_product(product, title=spec.title, price=spec.price, active=course.published)
    return True
