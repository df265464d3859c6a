"""Mini-courses: courses and their lessons, learners' enrolments and progress, and the
sign-in links that work once."""

from coachctl.store.db import db, is_postgres


def apply() -> None:
    pg = is_postgres()
    key = "SERIAL NOT NULL PRIMARY KEY" if pg else "INTEGER NOT NULL PRIMARY KEY"
    stamp = "TIMESTAMP" if pg else "DATETIME"
    flag = "BOOLEAN" if pg else "INTEGER"
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "course" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        '"slug" VARCHAR(40) NOT NULL, '
        '"title" VARCHAR(120) NOT NULL, '
        '"summary" TEXT NOT NULL, '
        '"cover_url" VARCHAR(500) NOT NULL, '
        '"access" VARCHAR(8) NOT NULL, '
        '"product_id" INTEGER REFERENCES "product" ("id") ON DELETE SET NULL, '
        f'"published" {flag} NOT NULL, '
        f'"created_at" {stamp} NOT NULL, '
        f'"updated_at" {stamp} NOT NULL)'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "lesson" ('
        f'"id" {key}, '
        '"course_id" INTEGER NOT NULL REFERENCES "course" ("id") ON DELETE CASCADE, '
        '"position" INTEGER NOT NULL, '
        '"slug" VARCHAR(60) NOT NULL, '
        '"title" VARCHAR(120) NOT NULL, '
        '"body" TEXT NOT NULL, '
        '"video_url" VARCHAR(500) NOT NULL, '
        '"drip_days" INTEGER NOT NULL)'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "enrolment" ('
        f'"id" {key}, '
        '"course_id" INTEGER NOT NULL REFERENCES "course" ("id") ON DELETE CASCADE, '
        '"email" VARCHAR(254) NOT NULL, '
        '"source" VARCHAR(8) NOT NULL, '
        '"status" VARCHAR(8) NOT NULL, '
        '"order_id" INTEGER REFERENCES "order" ("id") ON DELETE SET NULL, '
        f'"created_at" {stamp} NOT NULL, '
        f'"granted_at" {stamp}, '
        f'"revoked_at" {stamp}, '
        f'"completed_at" {stamp}, '
        f'"active_at" {stamp})'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "lesson_progress" ('
        f'"id" {key}, '
        '"enrolment_id" INTEGER NOT NULL REFERENCES "enrolment" ("id") ON DELETE CASCADE, '
        '"lesson_id" INTEGER NOT NULL REFERENCES "lesson" ("id") ON DELETE CASCADE, '
        f'"completed_at" {stamp} NOT NULL)'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "magic_link" ('
        f'"id" {key}, '
        '"enrolment_id" INTEGER NOT NULL REFERENCES "enrolment" ("id") ON DELETE CASCADE, '
        '"nonce" VARCHAR(64) NOT NULL, '
        f'"created_at" {stamp} NOT NULL, '
        f'"used_at" {stamp})'
    )
    for table, name, columns, unique in (
        ("course", "course_coach_id", '"coach_id"', False),
        ("course", "course_slug", '"slug"', True),
        ("course", "course_product_id", '"product_id"', False),
        ("lesson", "lesson_course_id_slug", '"course_id", "slug"', True),
        ("enrolment", "enrolment_course_id_email", '"course_id", "email"', True),
        ("enrolment", "enrolment_order_id", '"order_id"', False),
        (
            "lesson_progress",
            "lesson_progress_enrolment_id_lesson_id",
            '"enrolment_id", "lesson_id"',
            True,
        ),
        ("lesson_progress", "lesson_progress_lesson_id", '"lesson_id"', False),
        ("magic_link", "magic_link_enrolment_id", '"enrolment_id"', False),
        ("magic_link", "magic_link_nonce", '"nonce"', True),
    ):
        kind = "UNIQUE INDEX" if unique else "INDEX"
        db.execute_sql(f'CREATE {kind} IF NOT EXISTS "{name}" ON "{table}" ({columns})')
