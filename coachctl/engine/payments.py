"""Payment providers behind one small interface: Stripe Checkout, and a local sandbox."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from coachctl.config import Settings
from coachctl.engine.signing import sign
from coachctl.store.models import Order


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
    name: str

    def create_session(
        self,
        order: Order,
        items: list[LineItem],
        success_url: str,
        cancel_url: str,
        expires_at: datetime,
    ) -> Session: ...

    def refund(self, order: Order) -> str: ...

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
    ) -> Session:
        session_id = "cs_sandbox_" + secrets.token_urlsafe(18)
        signed = sign(self.settings.secret, "sandbox", session_id)
        return Session(session_id, f"{self.settings.base_url}/checkout/sandbox/{signed}")

    def refund(self, order: Order) -> str:
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
        session = self.client.v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": line_items,
                "client_reference_id": str(order.id),
                "customer_email": order.customer_email,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "expires_at": int(expires_at.timestamp()),
                "metadata": metadata,
                "payment_intent_data": {"metadata": metadata},
            },
            options={"idempotency_key": f"coachctl-order-{order.id}-session"},
        )
        return Session(session.id, session.url)

    def refund(self, order: Order) -> str:
        refund = self.client.v1.refunds.create(
            params={
                "payment_intent": order.provider_payment_id,
                "metadata": {"order_id": str(order.id)},
            },
            options={"idempotency_key": f"coachctl-order-{order.id}-refund"},
        )
        return refund.id

    def expire(self, order: Order) -> None:
        self.client.v1.checkout.sessions.expire(order.provider_session_id)


def provider_for(settings: Settings) -> Provider:
    """Stripe when a secret key is configured, the sandbox otherwise."""
    return StripeProvider(settings) if settings.stripe_secret_key else SandboxProvider(settings)
