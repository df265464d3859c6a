"""Mirror the catalog into Stripe: one Stripe product per product, one price per catalog price."""

from __future__ import annotations

from dataclasses import dataclass

from coachctl.config import Settings
from coachctl.engine.commerce.catalog import price_of
from coachctl.engine.commerce.payments import StripeProvider
from coachctl.engine.errors import Invalid, Unavailable
from coachctl.store.models import Coach, Product


@dataclass(frozen=True)
class SyncResult:
    """What one product's sync did: ``created``, ``updated`` or ``unchanged``."""

    product_id: int
    title: str
    action: str
    stripe_product: str
    stripe_price: str


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
