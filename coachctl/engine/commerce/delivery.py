"""What a purchase delivers: a product's file or link, handed out only through signed links
that expire, and only while the order stands paid (a refund stops them)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from coachctl.config import Settings
from coachctl.engine.commerce.checkout import PAID, REFUNDED
from coachctl.engine.errors import Forbidden, Gone, Invalid, NotFound
from coachctl.engine.parse import web_url
from coachctl.engine.signing import sign_expiring, unsign_expiring
from coachctl.store import files
from coachctl.store.models import Order, PackageItem, Product

DAY = 24 * 3600


@dataclass(frozen=True)
class Download:
    """One thing a buyer may fetch: a stored file (``path``) or a link elsewhere (``url``)."""

    product: Product
    link: str
    path: Path | None = None
    url: str | None = None


def attach_file(product: Product, source: Path) -> Product:
    """Deliver ``source`` with ``product``: kept once under its hash in the data directory."""
    if not source.is_file():
        raise Invalid(f"{source} is not a file that can be read")
    stored = files.put(source)
    product.file_sha256, product.file_size = stored.sha256, stored.size
    product.file_name = stored.name[:200]
    product.file_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    product.delivery_url = ""
    product.save()
    return product


def attach_url(product: Product, url: str) -> Product:
    """Deliver a link elsewhere (a course platform, a shared folder) with ``product``."""
    product.delivery_url = web_url(url.strip()) if url.strip() else ""
    product.file_sha256, product.file_name, product.file_type, product.file_size = "", "", "", 0
    product.save()
    return product


def delivers(product: Product) -> bool:
    """Whether ``product`` hands the buyer a file or a link."""
    return bool(product.file_sha256 or product.delivery_url)


def deliverables(order: Order) -> list[Product]:
    """What ``order`` delivers: its product, or its package's items, that have a file or link."""
    if not order.product_id:
        return []
    product = Product.get_by_id(order.product_id)
    if product.kind == "PACKAGE":
        items = (
            Product.select()
            .join(PackageItem, on=(PackageItem.item == Product.id))
            .where(PackageItem.package == product)
            .order_by(Product.id)
        )
        return [item for item in items if delivers(item)]
    return [product] if delivers(product) else []


def download_links(order: Order, settings: Settings) -> list[Download]:
    """Fresh signed links for what a paid order delivers (none unless it is paid)."""
    if order.status != PAID:
        return []
    return [
        Download(item, f"{settings.base_url}/download/{_sign(order, item, settings)}")
        for item in deliverables(order)
    ]


def _sign(order: Order, product: Product, settings: Settings) -> str:
    return sign_expiring(settings.secret, "download", f"{order.id}:{product.id}")


def open_download(signed: str, settings: Settings) -> Download:
    """What a download link hands out, checked now: untampered, not expired, order still paid."""
    order_id, _, product_id = unsign_expiring(
        settings.secret, "download", signed, settings.download_days * DAY
    ).partition(":")
    order = Order.get_or_none(Order.id == int(order_id))
    if order is None:
        raise NotFound("this download link is not valid")
    if order.status == REFUNDED:
        raise Gone("this purchase was refunded, so its download is no longer available")
    if order.status != PAID:
        raise Forbidden("this purchase is not paid")
    product = next((p for p in deliverables(order) if str(p.id) == product_id), None)
    if product is None:
        raise NotFound("this download is no longer part of the purchase")
    if product.delivery_url:
        return Download(product, "", url=product.delivery_url)
    path = files.path_of(product.file_sha256)
    if not path.is_file():
        raise NotFound("the file is missing from the coach's data directory")
    return Download(product, "", path=path)
