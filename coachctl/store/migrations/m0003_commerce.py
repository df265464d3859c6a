"""Products, packages, orders, webhook events, credits, the outbox and analytics events.

Frozen: the DDL that release 0.1.0 ran, per backend; never edit it.
"""

from coachctl.store.migrations.ddl import run_ddl

SQLITE = """
CREATE TABLE "product" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "description" TEXT NOT NULL,
    "price_minor" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "active" INTEGER NOT NULL,
    "credits" INTEGER,
    "credit_type_id" INTEGER,
    "valid_days" INTEGER,
    "stripe_product_id" VARCHAR(64),
    "stripe_price_id" VARCHAR(64),
    "stripe_synced_price" VARCHAR(40),
    "created_at" DATETIME NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("credit_type_id") REFERENCES "booking_type" ("id") ON DELETE RESTRICT
);

CREATE INDEX "product_coach_id"
    ON "product" ("coach_id");

CREATE INDEX "product_credit_type_id"
    ON "product" ("credit_type_id");

CREATE TABLE "order" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "product_id" INTEGER,
    "booking_id" INTEGER,
    "customer_email" VARCHAR(254) NOT NULL,
    "customer_name" VARCHAR(120) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "provider" VARCHAR(10) NOT NULL,
    "provider_session_id" VARCHAR(255),
    "provider_payment_id" VARCHAR(255),
    "checkout_url" TEXT,
    "expires_at" DATETIME,
    "created_at" DATETIME NOT NULL,
    "paid_at" DATETIME,
    "refunded_at" DATETIME,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL
);

CREATE INDEX "order_coach_id"
    ON "order" ("coach_id");

CREATE INDEX "order_product_id"
    ON "order" ("product_id");

CREATE INDEX "order_booking_id"
    ON "order" ("booking_id");

CREATE INDEX "order_customer_email"
    ON "order" ("customer_email");

CREATE INDEX "order_status"
    ON "order" ("status");

CREATE UNIQUE INDEX "order_provider_session_id"
    ON "order" ("provider_session_id");

CREATE INDEX "order_provider_payment_id"
    ON "order" ("provider_payment_id");

CREATE TABLE "analytics_event" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "type" VARCHAR(24) NOT NULL,
    "path" VARCHAR(500) NOT NULL,
    "referrer" VARCHAR(500) NOT NULL,
    "visitor" VARCHAR(64) NOT NULL,
    "amount_minor" INTEGER,
    "currency" VARCHAR(3),
    "order_id" INTEGER,
    "occurred_at" DATETIME NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL
);

CREATE INDEX "analytics_event_coach_id"
    ON "analytics_event" ("coach_id");

CREATE INDEX "analytics_event_order_id"
    ON "analytics_event" ("order_id");

CREATE INDEX "analytics_event_coach_id_occurred_at"
    ON "analytics_event" ("coach_id", "occurred_at");

CREATE TABLE "credit_ledger" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "booking_type_id" INTEGER NOT NULL,
    "customer_email" VARCHAR(254) NOT NULL,
    "delta" INTEGER NOT NULL,
    "reason" VARCHAR(20) NOT NULL,
    "order_id" INTEGER,
    "booking_id" INTEGER,
    "grant_id" INTEGER,
    "expires_at" DATETIME,
    "created_at" DATETIME NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_type_id") REFERENCES "booking_type" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("grant_id") REFERENCES "credit_ledger" ("id") ON DELETE SET NULL
);

CREATE INDEX "credit_ledger_coach_id"
    ON "credit_ledger" ("coach_id");

CREATE INDEX "credit_ledger_booking_type_id"
    ON "credit_ledger" ("booking_type_id");

CREATE INDEX "credit_ledger_order_id"
    ON "credit_ledger" ("order_id");

CREATE INDEX "credit_ledger_booking_id"
    ON "credit_ledger" ("booking_id");

CREATE INDEX "credit_ledger_grant_id"
    ON "credit_ledger" ("grant_id");

CREATE INDEX "credit_ledger_coach_id_customer_email_booking_type_id"
    ON "credit_ledger" ("coach_id", "customer_email", "booking_type_id");

CREATE TABLE "outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "coach_id" INTEGER,
    "kind" VARCHAR(40) NOT NULL,
    "recipient" VARCHAR(254) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "body_text" TEXT NOT NULL,
    "body_html" TEXT NOT NULL,
    "attachments" TEXT NOT NULL,
    "send_after" DATETIME NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NOT NULL,
    "dedupe_key" VARCHAR(200) NOT NULL,
    "booking_id" INTEGER,
    "claimed_by" VARCHAR(64),
    "claimed_until" DATETIME,
    "created_at" DATETIME NOT NULL,
    "sent_at" DATETIME,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL
);

CREATE INDEX "outbox_coach_id"
    ON "outbox" ("coach_id");

CREATE UNIQUE INDEX "outbox_dedupe_key"
    ON "outbox" ("dedupe_key");

CREATE INDEX "outbox_booking_id"
    ON "outbox" ("booking_id");

CREATE INDEX "outbox_status_send_after"
    ON "outbox" ("status", "send_after");

CREATE TABLE "package_item" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "package_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    FOREIGN KEY ("package_id") REFERENCES "product" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("item_id") REFERENCES "product" ("id") ON DELETE RESTRICT
);

CREATE INDEX "package_item_package_id"
    ON "package_item" ("package_id");

CREATE INDEX "package_item_item_id"
    ON "package_item" ("item_id");

CREATE TABLE "processed_event" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "provider" VARCHAR(10) NOT NULL,
    "event_id" VARCHAR(255) NOT NULL,
    "event_type" VARCHAR(80) NOT NULL,
    "processed_at" DATETIME NOT NULL
);

CREATE UNIQUE INDEX "processed_event_provider_event_id"
    ON "processed_event" ("provider", "event_id");
"""

POSTGRES = """
CREATE TABLE "product" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "description" TEXT NOT NULL,
    "price_minor" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "credits" INTEGER,
    "credit_type_id" INTEGER,
    "valid_days" INTEGER,
    "stripe_product_id" VARCHAR(64),
    "stripe_price_id" VARCHAR(64),
    "stripe_synced_price" VARCHAR(40),
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("credit_type_id") REFERENCES "booking_type" ("id") ON DELETE RESTRICT
);

CREATE INDEX "product_coach_id"
    ON "product" ("coach_id");

CREATE INDEX "product_credit_type_id"
    ON "product" ("credit_type_id");

CREATE TABLE "order" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "product_id" INTEGER,
    "booking_id" INTEGER,
    "customer_email" VARCHAR(254) NOT NULL,
    "customer_name" VARCHAR(120) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "provider" VARCHAR(10) NOT NULL,
    "provider_session_id" VARCHAR(255),
    "provider_payment_id" VARCHAR(255),
    "checkout_url" TEXT,
    "expires_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "paid_at" TIMESTAMP,
    "refunded_at" TIMESTAMP,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL
);

CREATE INDEX "order_coach_id"
    ON "order" ("coach_id");

CREATE INDEX "order_product_id"
    ON "order" ("product_id");

CREATE INDEX "order_booking_id"
    ON "order" ("booking_id");

CREATE INDEX "order_customer_email"
    ON "order" ("customer_email");

CREATE INDEX "order_status"
    ON "order" ("status");

CREATE UNIQUE INDEX "order_provider_session_id"
    ON "order" ("provider_session_id");

CREATE INDEX "order_provider_payment_id"
    ON "order" ("provider_payment_id");

CREATE TABLE "analytics_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "type" VARCHAR(24) NOT NULL,
    "path" VARCHAR(500) NOT NULL,
    "referrer" VARCHAR(500) NOT NULL,
    "visitor" VARCHAR(64) NOT NULL,
    "amount_minor" INTEGER,
    "currency" VARCHAR(3),
    "order_id" INTEGER,
    "occurred_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL
);

CREATE INDEX "analytics_event_coach_id"
    ON "analytics_event" ("coach_id");

CREATE INDEX "analytics_event_order_id"
    ON "analytics_event" ("order_id");

CREATE INDEX "analytics_event_coach_id_occurred_at"
    ON "analytics_event" ("coach_id", "occurred_at");

CREATE TABLE "credit_ledger" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER NOT NULL,
    "booking_type_id" INTEGER NOT NULL,
    "customer_email" VARCHAR(254) NOT NULL,
    "delta" INTEGER NOT NULL,
    "reason" VARCHAR(20) NOT NULL,
    "order_id" INTEGER,
    "booking_id" INTEGER,
    "grant_id" INTEGER,
    "expires_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_type_id") REFERENCES "booking_type" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("grant_id") REFERENCES "credit_ledger" ("id") ON DELETE SET NULL
);

CREATE INDEX "credit_ledger_coach_id"
    ON "credit_ledger" ("coach_id");

CREATE INDEX "credit_ledger_booking_type_id"
    ON "credit_ledger" ("booking_type_id");

CREATE INDEX "credit_ledger_order_id"
    ON "credit_ledger" ("order_id");

CREATE INDEX "credit_ledger_booking_id"
    ON "credit_ledger" ("booking_id");

CREATE INDEX "credit_ledger_grant_id"
    ON "credit_ledger" ("grant_id");

CREATE INDEX "credit_ledger_coach_id_customer_email_booking_type_id"
    ON "credit_ledger" ("coach_id", "customer_email", "booking_type_id");

CREATE TABLE "outbox" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "coach_id" INTEGER,
    "kind" VARCHAR(40) NOT NULL,
    "recipient" VARCHAR(254) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "body_text" TEXT NOT NULL,
    "body_html" TEXT NOT NULL,
    "attachments" TEXT NOT NULL,
    "send_after" TIMESTAMP NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NOT NULL,
    "dedupe_key" VARCHAR(200) NOT NULL,
    "booking_id" INTEGER,
    "claimed_by" VARCHAR(64),
    "claimed_until" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("booking_id") REFERENCES "booking" ("id") ON DELETE SET NULL
);

CREATE INDEX "outbox_coach_id"
    ON "outbox" ("coach_id");

CREATE UNIQUE INDEX "outbox_dedupe_key"
    ON "outbox" ("dedupe_key");

CREATE INDEX "outbox_booking_id"
    ON "outbox" ("booking_id");

CREATE INDEX "outbox_status_send_after"
    ON "outbox" ("status", "send_after");

CREATE TABLE "package_item" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "package_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    FOREIGN KEY ("package_id") REFERENCES "product" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("item_id") REFERENCES "product" ("id") ON DELETE RESTRICT
);

CREATE INDEX "package_item_package_id"
    ON "package_item" ("package_id");

CREATE INDEX "package_item_item_id"
    ON "package_item" ("item_id");

CREATE TABLE "processed_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "provider" VARCHAR(10) NOT NULL,
    "event_id" VARCHAR(255) NOT NULL,
    "event_type" VARCHAR(80) NOT NULL,
    "processed_at" TIMESTAMP NOT NULL
);

CREATE UNIQUE INDEX "processed_event_provider_event_id"
    ON "processed_event" ("provider", "event_id");
"""


def apply() -> None:
    run_ddl(sqlite=SQLITE, postgres=POSTGRES)
