"""Stripe webhook events processed per second, signature verification included, through the WSGI
app in one process: fresh completed events (each fulfils an order) and replays of seen ones.

Run: python -m tests.perf.bench_webhooks
"""

from __future__ import annotations

import json
import os
import time

import stripe

from tests.perf.harness import scratch_home

SECRET = "whsec_bench"


def main(orders: int = 1000) -> None:
    with scratch_home():
        os.environ.update(STRIPE_WEBHOOK_SECRET=SECRET, COACHCTL_PAGE_CACHE_SECONDS="0")
        from webtest import TestApp

        from coachctl.config import ensure_secret
        from coachctl.engine import coaches
        from coachctl.engine.commerce import catalog
        from coachctl.engine.commerce.money import Money
        from coachctl.server.app import wsgi
        from coachctl.store.db import db, open_database
        from coachctl.store.migrations import migrate
        from coachctl.store.models import Order

        settings = ensure_secret()
        open_database(settings.database_url)
        migrate()
        coach = coaches.create_coach("bench", "Bench")
        product = catalog.create_product(coach, "Guide", Money(900, "EUR"))
        with db.atomic():
            ids = [
                Order.create(
                    coach=coach,
                    product=product,
                    customer_email=f"c{n}@x.test",
                    description="Guide",
                    amount_minor=900,
                    currency="EUR",
                    provider="stripe",
                ).id
                for n in range(orders)
            ]
        client = TestApp(wsgi(settings))
        payloads = []
        for order_id in ids:
            event = {
                "id": f"evt_{order_id}",
                "type": "checkout.session.completed",
                "data": {
                    "object": {
                        "id": f"cs_{order_id}",
                        "object": "checkout.session",
                        "client_reference_id": str(order_id),
                        "payment_status": "paid",
                        "payment_intent": f"pi_{order_id}",
                    }
                },
            }
            body = json.dumps(event)
            header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
            payloads.append(
                (body, {"Stripe-Signature": header, "Content-Type": "application/json"})
            )
        for label in ("fresh", "replay"):
            started = time.perf_counter()
            for body, headers in payloads:
                client.post("/webhooks/stripe", body, headers=headers)
            elapsed = time.perf_counter() - started
            print(
                f"webhooks ({label:6}): {len(payloads) / elapsed:7.0f} events/s "
                f"({elapsed / len(payloads) * 1000:.2f} ms each)"
            )
        paid = Order.select().where(Order.status == "PAID").count()
        print(f"orders paid: {paid} of {orders}")
        db.close()


if __name__ == "__main__":
    main()
