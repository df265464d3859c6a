"""Rate-limit counters shared by every server process: a key, its count, when its window ends."""

from coachctl.store.migrations.ddl import run_ddl

SQLITE = """
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "expires_at" REAL NOT NULL
);
CREATE INDEX "rate_limit_expires_at" ON "rate_limit" ("expires_at");
"""

POSTGRES = """
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL PRIMARY KEY,
    "count" BIGINT NOT NULL,
    "expires_at" DOUBLE PRECISION NOT NULL
);
CREATE INDEX "rate_limit_expires_at" ON "rate_limit" ("expires_at");
"""


def apply() -> None:
    run_ddl(sqlite=SQLITE, postgres=POSTGRES)
