"""Weekly windows, blackouts, booking types and bookings.

Frozen: the DDL that release 0.1.0 ran, per backend; never edit it.
"""

from coachctl.store.migrations.ddl import run_ddl

SQLITE = """
CREATE TABLE "availability_window" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "weekday" INTEGER NOT NULL,
    "start" VARCHAR(5) NOT NULL,
    "end" VARCHAR(5) NOT NULL,
    "active" INTEGER NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "availability_window_coach_id"
    ON "availability_window" ("coach_id");

CREATE TABLE "blackout" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "start" DATETIME NOT NULL,
    "end" DATETIME NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "blackout_coach_id"
    ON "blackout" ("coach_id");

CREATE INDEX "blackout_start"
    ON "blackout" ("start");

CREATE TABLE "booking_type" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "slug" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "description" TEXT NOT NULL,
    "duration" INTEGER NOT NULL,
    "interval" INTEGER NOT NULL,
    "buffer_before" INTEGER NOT NULL,
    "buffer_after" INTEGER NOT NULL,
    "notice" INTEGER NOT NULL,
    "horizon_days" INTEGER NOT NULL,
    "price_minor" INTEGER,
    "currency" VARCHAR(3),
    "requires_payment" INTEGER NOT NULL,
    "cancel_notice" INTEGER NOT NULL,
    "reminders" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "booking_type_coach_id"
    ON "booking_type" ("coach_id");

CREATE UNIQUE INDEX "booking_type_coach_id_slug"
    ON "booking_type" ("coach_id", "slug");

CREATE TABLE "booking" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "booking_type_id" INTEGER NOT NULL,
    "customer_name" VARCHAR(120) NOT NULL,
    "customer_email" VARCHAR(254) NOT NULL,
    "customer_timezone" VARCHAR(64) NOT NULL,
    "start" DATETIME NOT NULL,
    "end" DATETIME NOT NULL,
    "buffer_before" INTEGER NOT NULL,
    "buffer_after" INTEGER NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "hold_expires_at" DATETIME,
    "credit_used" INTEGER NOT NULL,
    "manage_token" VARCHAR(64) NOT NULL,
    "request_key" VARCHAR(64),
    "notes" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL,
    "cancelled_at" DATETIME,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_type_id") REFERENCES "booking_type" ("id") ON DELETE RESTRICT
);

CREATE INDEX "booking_coach_id"
    ON "booking" ("coach_id");

CREATE INDEX "booking_booking_type_id"
    ON "booking" ("booking_type_id");

CREATE INDEX "booking_customer_email"
    ON "booking" ("customer_email");

CREATE INDEX "booking_status"
    ON "booking" ("status");

CREATE UNIQUE INDEX "booking_manage_token"
    ON "booking" ("manage_token");

CREATE UNIQUE INDEX "booking_request_key"
    ON "booking" ("request_key");

CREATE INDEX "booking_coach_id_start"
    ON "booking" ("coach_id", "start");
"""

POSTGRES = """
CREATE TABLE "availability_window" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "start" VARCHAR(5) NOT NULL,
    "end" VARCHAR(5) NOT NULL,
    "active" BOOLEAN NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "availability_window_coach_id"
    ON "availability_window" ("coach_id");

CREATE TABLE "blackout" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "start" TIMESTAMP NOT NULL,
    "end" TIMESTAMP NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "blackout_coach_id"
    ON "blackout" ("coach_id");

CREATE INDEX "blackout_start"
    ON "blackout" ("start");

CREATE TABLE "booking_type" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "slug" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "description" TEXT NOT NULL,
    "duration" INTEGER NOT NULL,
    "interval" INTEGER NOT NULL,
    "buffer_before" INTEGER NOT NULL,
    "buffer_after" INTEGER NOT NULL,
    "notice" INTEGER NOT NULL,
    "horizon_days" INTEGER NOT NULL,
    "price_minor" INTEGER,
    "currency" VARCHAR(3),
    "requires_payment" BOOLEAN NOT NULL,
    "cancel_notice" INTEGER NOT NULL,
    "reminders" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE
);

CREATE INDEX "booking_type_coach_id"
    ON "booking_type" ("coach_id");

CREATE UNIQUE INDEX "booking_type_coach_id_slug"
    ON "booking_type" ("coach_id", "slug");

CREATE TABLE "booking" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "booking_type_id" INTEGER NOT NULL,
    "customer_name" VARCHAR(120) NOT NULL,
    "customer_email" VARCHAR(254) NOT NULL,
    "customer_timezone" VARCHAR(64) NOT NULL,
    "start" TIMESTAMP NOT NULL,
    "end" TIMESTAMP NOT NULL,
    "buffer_before" INTEGER NOT NULL,
    "buffer_after" INTEGER NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "hold_expires_at" TIMESTAMP,
    "credit_used" BOOLEAN NOT NULL,
    "manage_token" VARCHAR(64) NOT NULL,
    "request_key" VARCHAR(64),
    "notes" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "cancelled_at" TIMESTAMP,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_type_id") REFERENCES "booking_type" ("id") ON DELETE RESTRICT
);

CREATE INDEX "booking_coach_id"
    ON "booking" ("coach_id");

CREATE INDEX "booking_booking_type_id"
    ON "booking" ("booking_type_id");

CREATE INDEX "booking_customer_email"
    ON "booking" ("customer_email");

CREATE INDEX "booking_status"
    ON "booking" ("status");

CREATE UNIQUE INDEX "booking_manage_token"
    ON "booking" ("manage_token");

CREATE UNIQUE INDEX "booking_request_key"
    ON "booking" ("request_key");

CREATE INDEX "booking_coach_id_start"
    ON "booking" ("coach_id", "start");
"""


def apply() -> None:
    run_ddl(sqlite=SQLITE, postgres=POSTGRES)
