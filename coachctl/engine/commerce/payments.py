"""Payment providers behind one small interface: Stripe Checkout, and a local sandbox.

A provider opens checkout sessions, refunds, expires sessions, and turns what it reports into
``PaymentEvent``s; what an event does to orders and bookings is decided in
``engine.payment_events``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from coachctl.config import Settings
from coachctl.engine.errors import Malformed
from coachctl.engine.signing import sign
from coachctl.store.models import Order

PAID, PAYMENT_STARTED, FAILED, EXPIRED, REFUNDED, OTHER = (
    "paid",
    "payment_started",
    "failed",
    "expired",
    "refunded",
    "other",
)
KINDS = (PAID, PAYMENT_STARTED, FAILED, EXPIRED, REFUNDED)  # what moves an order; OTHER is noise


@dataclass(frozen=True)
class PaymentEvent:
    """What a provider reported, in our terms: which order, and what happened to its payment."""

    id: str
    kind: str  # PAID, PAYMENT_STARTED, FAILED, EXPIRED, REFUNDED or OTHER
    provider_type: str  # the provider's own name for it, kept for the record
    order_id: int | None = None
    session_id: str | None = None
    payment_id: str | None = None
    releases_slot: bool = False  # a failure that ends the checkout session
    refunded_minor: int | None = None  # REFUNDED: the total refunded so far, all refunds together


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_stripe_event(event: Any) -> PaymentEvent:
    """A verified Stripe event as a PaymentEvent; a malformed one is Invalid."""
    if not isinstance(event, dict):
        raise Malformed("a Stripe event is a JSON object")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    event_id, kind = _text(event.get("id")), _text(event.get("type"))
    if not event_id or not kind or not isinstance(obj, dict):
        raise Malformed("a Stripe event needs an id, a type and a data object")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    reference = _text(obj.get("client_reference_id")) or _text(metadata.get("order_id"))
    order_id = int(reference) if reference and reference.isdigit() and len(reference) < 16 else None
    session_id = _text(obj.get("id")) if obj.get("object") == "checkout.session" else None
    payment_id = _text(obj.get("payment_intent"))
    if obj.get("object") == "payment_intent":
        payment_id = _text(obj.get("id"))
    what, refunded_minor = OTHER, None
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        settled = kind.endswith("succeeded") or obj.get("payment_status") in (
            "paid",
            "no_payment_required",
        )
        what = PAID if settled else PAYMENT_STARTED
    elif kind in ("checkout.session.async_payment_failed", "payment_intent.payment_failed"):
        what = FAILED
    elif kind == "checkout.session.expired":
        what = EXPIRED
    elif kind == "charge.refunded":
        amount, refunded = obj.get("amount"), obj.get("amount_refunded")
        if isinstance(refunded, int) and not isinstance(refunded, bool) and refunded > 0:
            what, refunded_minor = REFUNDED, refunded
        elif obj.get("refunded") is True and isinstance(amount, int):
            what, refunded_minor = REFUNDED, amount
    return PaymentEvent(
        id=event_id,
        kind=what,
        provider_type=kind[:80],
        order_id=order_id,
        session_id=session_id,
        payment_id=payment_id,
        releases_slot=kind == "checkout.session.async_payment_failed",
        refunded_minor=refunded_minor,
    )


def sandbox_event(
    kind: str, order: Order, *, unique: str = "", refunded_minor: int | None = None
) -> PaymentEvent:
    """What the sandbox reports for ``order``; a fixed id makes a repeated click a replay."""
    return PaymentEvent(
        id=f"evt_sandbox_{order.id}_{kind}{unique}",
        kind=kind,
        provider_type=f"sandbox.{kind}",
        order_id=order.id,
        session_id=order.provider_session_id,
        payment_id=f"pi_sandbox_{order.id}",
        refunded_minor=refunded_minor,
    )


@dataclass(frozen=True)
class Session:
    """A provider's checkout session: its id and the URL to send the customer to."""

    id: str
    url: str


@dataclass(frozen=True)
class LineItem:
    """One thing being paid for, at our catalog price."""

    name: str
    amount_minor: int
    currency: str
    stripe_price_id: str | None = None


class Provider(Protocol):
    """Opens, refunds and expires checkouts; ``discount`` is the provider's own id of a coupon
    to apply to the catalog prices of ``items`` (the order already carries the discounted sum)."""

    name: str

    def create_session(
        self,
        order: Order,
        items: list[LineItem],
        success_url: str,
        cancel_url: str,
        expires_at: datetime,
        discount: str | None = None,
    ) -> Session: ...

    def refund(self, order: Order, amount_minor: int, key: str) -> str: ...

    def expire(self, order: Order) -> None: ...


class SandboxProvider:
    """A local test checkout: no money moves; its buttons drive the same fulfilment as Stripe."""

    name = "sandbox"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create_session(
        self,
        order: Order,
        items: list[LineItem],
        success_url: str,
        cancel_url: str,
        expires_at: datetime,
        discount: str | None = None,
    ) -> Session:
        session_id = "cs_sandbox_" + secrets.token_urlsafe(18)
        signed = sign(self.settings.secret, "sandbox", session_id)
        return Session(session_id, f"{self.settings.base_url}/checkout/sandbox/{signed}")

    def refund(self, order: Order, amount_minor: int, key: str) -> str:
        return "re_sandbox_" + secrets.token_urlsafe(12)

    def expire(self, order: Order) -> None:
        """Nothing to call: sandbox orders close through the event path (``abandon_checkout``)."""


class StripeProvider:
    """Stripe Checkout in payment mode, through Stripe's own SDK."""

    name = "stripe"

    def __init__(self, settings: Settings) -> None:
        import stripe

        options: dict[str, Any] = {"max_network_retries": 2}
        if settings.stripe_api_base:
            options["base_addresses"] = {"api": settings.stripe_api_base}
        self.client = stripe.StripeClient(settings.stripe_secret_key or "", **options)

    def create_session(
        self,
        order: Order,
        items: list[LineItem],
        success_url: str,
        cancel_url: str,
        expires_at: datetime,
        discount: str | None = None,
    ) -> Session:
        line_items = [
            {"price": item.stripe_price_id, "quantity": 1}
            if item.stripe_price_id
            else {
                "price_data": {
                    "currency": item.currency.lower(),
                    "unit_amount": item.amount_minor,
                    "product_data": {"name": item.name},
                },
                "quantity": 1,
            }
            for item in items
        ]
        metadata = {"order_id": str(order.id), "coach": str(order.coach_id)}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": line_items,
            "client_reference_id": str(order.id),
            "customer_email": order.customer_email,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int(expires_at.timestamp()),
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
        }
        if discount:
            params["discounts"] = [{"coupon": discount}]
        session = self.client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"coachctl-order-{order.id}-session"}
        )
        return Session(session.id, session.url)

    def refund(self, order: Order, amount_minor: int, key: str) -> str:
        """Refund ``amount_minor`` of the order's payment; the same ``key`` never refunds twice."""
        refund = self.client.v1.refunds.create(
            params={
                "payment_intent": order.provider_payment_id,
                "amount": amount_minor,
                "metadata": {"order_id": str(order.id)},
            },
            options={"idempotency_key": f"coachctl-{key}"},
        )
        return refund.id

    def expire(self, order: Order) -> None:
        self.client.v1.checkout.sessions.expire(order.provider_session_id)


def provider_for(settings: Settings) -> Provider:
    """Stripe when a secret key is configured, the sandbox otherwise."""
    return StripeProvider(settings) if settings.stripe_secret_key else SandboxProvider(settings)
