"""Mirror the catalog into Stripe: one Stripe product per product, one price per catalog price,
one Stripe coupon per coupon in use (Checkout applies it; our own rules decide when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coachctl.config import Settings
from coachctl.engine.commerce.catalog import price_of
from coachctl.engine.commerce.payments import StripeProvider
from coachctl.engine.errors import Invalid, Unavailable
from coachctl.store.models import Coach, Coupon, Product, utcnow


@dataclass(frozen=True)
class SyncResult:
    """What one product's sync did: ``created``, ``updated`` or ``unchanged``."""

    product_id: int
    title: str
    action: str
    stripe_product: str
    stripe_price: str


@dataclass(frozen=True)
class CouponSync:
    """What one coupon's sync did: ``created`` or ``unchanged``."""

    code: str
    action: str
    stripe_coupon: str


def sync_catalog(coach: Coach, settings: Settings) -> list[SyncResult]:
    """Create or update Stripe products and prices; running it twice changes nothing."""
    if not settings.stripe_secret_key:
        raise Invalid("set STRIPE_SECRET_KEY to sync the catalog with Stripe")
    client = StripeProvider(settings).client
    results = []
    for product in Product.select().where(Product.coach == coach).order_by(Product.id):
        try:
            results.append(_sync_one(client, product))
        except Exception as error:
            raise Unavailable(f"Stripe refused product {product.id}: {error}") from None
    return results


def _sync_one(client, product: Product) -> SyncResult:
    price = price_of(product)
    fields = {
        "name": product.title,
        "active": product.active,
        "metadata": {"coachctl_product": str(product.id)},
    }
    action = "unchanged"
    if product.stripe_product_id is None:
        created = client.v1.products.create(
            params=fields, options={"idempotency_key": f"coachctl-product-{product.id}"}
        )
        product.stripe_product_id, action = created.id, "created"
    else:
        client.v1.products.update(product.stripe_product_id, params=fields)
    if product.stripe_synced_price != str(price):
        new_price = client.v1.prices.create(
            params={
                "product": product.stripe_product_id,
                "currency": price.currency.lower(),
                "unit_amount": price.amount,
                "metadata": {"coachctl_product": str(product.id)},
            },
            options={
                "idempotency_key": f"coachctl-price-{product.id}-{price.amount}-{price.currency}"
            },
        )
        old = product.stripe_price_id
        product.stripe_price_id, product.stripe_synced_price = new_price.id, str(price)
        if old:
            client.v1.prices.update(old, params={"active": False})
        action = action if action == "created" else "updated"
    product.save()
    return SyncResult(
        product.id, product.title, action, product.stripe_product_id, product.stripe_price_id
    )


def sync_coupons(
    coach: Coach, settings: Settings, *, now: datetime | None = None
) -> list[CouponSync]:
    """Create a Stripe coupon for each of the coach's usable coupons that has none yet."""
    if not settings.stripe_secret_key:
        raise Invalid("set STRIPE_SECRET_KEY to sync the catalog with Stripe")
    now = now or utcnow()
    client = StripeProvider(settings).client
    results = []
    for coupon in Coupon.select().where(Coupon.coach == coach).order_by(Coupon.id):
        if not coupon.active or (coupon.expires_at is not None and coupon.expires_at <= now):
            continue
        action = "unchanged" if coupon.stripe_coupon_id else "created"
        try:
            results.append(CouponSync(coupon.code, action, stripe_coupon(client, coupon)))
        except Exception as error:
            raise Unavailable(f"Stripe refused coupon {coupon.code}: {error}") from None
    return results


def stripe_coupon(client: Any, coupon: Coupon) -> str:
    """The Stripe coupon for ``coupon`` (used once per checkout), created the first time."""
    if coupon.stripe_coupon_id:
        return coupon.stripe_coupon_id
    params: dict[str, Any] = {
        "duration": "once",
        "name": coupon.code,
        "metadata": {"coachctl_coupon": str(coupon.id)},
    }
    if coupon.percent_off is not None:
        params["percent_off"] = coupon.percent_off
    else:
        params["amount_off"], params["currency"] = coupon.amount_off, coupon.currency.lower()
    created = client.v1.coupons.create(
        params=params, options={"idempotency_key": f"coachctl-coupon-{coupon.id}"}
    )
    Coupon.update(stripe_coupon_id=created.id).where(Coupon.id == coupon.id).execute()
    coupon.stripe_coupon_id = created.id
    return created.id
