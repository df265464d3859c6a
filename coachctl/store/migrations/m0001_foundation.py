"""Coaches and API tokens.

Frozen: the DDL that release 0.1.0 ran, per backend; never edit it.
"""

from coachctl.store.migrations.ddl import run_ddl

SQLITE = """
CREATE TABLE "coach" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "slug" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "headline" VARCHAR(200) NOT NULL,
    "bio" TEXT NOT NULL,
    "avatar_url" VARCHAR(500) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "links" TEXT NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "booking_enabled" INTEGER NOT NULL,
    "products_enabled" INTEGER NOT NULL,
    "active" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

CREATE UNIQUE INDEX "coach_slug"
    ON "coach" ("slug");

CREATE TABLE "api_token" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "prefix" VARCHAR(12) NOT NULL,
    "scopes" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "api_token_coach_id"
    ON "api_token" ("coach_id");

CREATE UNIQUE INDEX "api_token_token_hash"
    ON "api_token" ("token_hash");
"""

POSTGRES = """
CREATE TABLE "coach" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "slug" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "headline" VARCHAR(200) NOT NULL,
    "bio" TEXT NOT NULL,
    "avatar_url" VARCHAR(500) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "links" TEXT NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "booking_enabled" BOOLEAN NOT NULL,
    "products_enabled" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
);

CREATE UNIQUE INDEX "coach_slug"
    ON "coach" ("slug");

CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "prefix" VARCHAR(12) NOT NULL,
    "scopes" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "api_token_coach_id"
    ON "api_token" ("coach_id");

CREATE UNIQUE INDEX "api_token_token_hash"
    ON "api_token" ("token_hash");
"""


def apply() -> None:
    run_ddl(sqlite=SQLITE, postgres=POSTGRES)
