"""Products and packages: what a coach sells, at integer prices in one currency each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peewee import JOIN

from coachctl.engine import media
from coachctl.engine.commerce import delivery
from coachctl.engine.commerce.money import Money, parse_money
from coachctl.engine.errors import Invalid, NotFound, problems
from coachctl.store.db import db
from coachctl.store.models import BookingType, Coach, PackageItem, Product

KINDS = ("PRODUCT", "PACKAGE")


def _check_text(title: str, description: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not title or len(title) > 120:
        raise Invalid("a product needs a title of at most 120 characters")
    if len(description or "") > 20_000:
        raise Invalid("the description is longer than 20,000 characters")
    return title, (description or "").strip()


def _check_price(coach: Coach, price: Money, allow_currency: bool = False) -> Money:
    if price.amount < 0:
        raise Invalid("a price cannot be negative")
    if price.currency != coach.currency and not allow_currency:
        raise Invalid(
            f"the price is in {price.currency} but {coach.slug} sells in {coach.currency}",
            hint=f"to sell in {price.currency} anyway: --allow-currency (API: allow_currency)",
        )
    return price


def _check_credits(credits: int) -> None:
    if not 1 <= credits <= 1000:
        raise Invalid("credits must be between 1 and 1000")


def _check_valid_days(valid_days: int | None) -> None:
    if valid_days is not None and not 1 <= valid_days <= 3650:
        raise Invalid("valid days must be between 1 and 3650")


def _whole(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise Invalid(f"{name} must be a whole number")
    return int(text)


def form_problems(coach: Coach, kind: str, fields: dict[str, str]) -> dict[str, str]:
    """What is wrong with a product or package typed as text (``title``, ``price``,
    ``description``, and for a package ``credits`` and ``valid_days``), field by field, in the
    words ``create_product`` and ``create_package`` would refuse it with; no database access."""
    checks = {
        "title": lambda: _check_text(fields.get("title", ""), fields.get("description", "")),
        "price": lambda: _check_price(
            coach, parse_money(fields.get("price", ""), default_currency=coach.currency)
        ),
    }
    if kind == "PACKAGE":
        checks["credits"] = lambda: _check_credits(
            _whole(fields.get("credits", ""), "credits") or 0
        )
        checks["valid_days"] = lambda: _check_valid_days(
            _whole(fields.get("valid_days", ""), "valid days")
        )
    return problems(checks)


def create_product(
    coach: Coach,
    title: str,
    price: Money,
    description: str = "",
    *,
    file: Path | None = None,
    url: str | None = None,
    image: str | None = None,
    allow_currency: bool = False,
) -> Product:
    """Add a one-off product, delivering ``file`` or ``url`` to its buyers when given; a price
    of 0 makes it free (no checkout), one in another currency than the coach's needs
    ``allow_currency``."""
    title, description = _check_text(title, description)
    price = _check_price(coach, price, allow_currency)
    with db.atomic():
        product = Product.create(
            coach=coach,
            kind="PRODUCT",
            title=title,
            description=description,
            price_minor=price.amount,
            currency=price.currency,
        )
        return set_image(set_delivery(product, file=file, url=url), image)


def set_image(product: Product, value: str | None) -> Product:
    """Show an image with ``product`` (an https URL or a local file; ``""`` removes it)."""
    if value is not None:
        product.image = media.image(value)
        product.save()
    return product


def set_delivery(product: Product, *, file: Path | None = None, url: str | None = None) -> Product:
    """Make ``product`` deliver ``file`` (stored by its hash) or ``url``; None changes nothing."""
    if file is not None and url is not None:
        raise Invalid("a product delivers a file or a link, not both")
    if product.kind != "PRODUCT" and (file is not None or url is not None):
        raise Invalid("packages deliver their items' files; attach the file to the product")
    if file is not None:
        return delivery.attach_file(product, file)
    if url is not None:
        return delivery.attach_url(product, url)
    return product


def create_package(
    coach: Coach,
    title: str,
    price: Money,
    *,
    description: str = "",
    credits: int | None = None,
    booking_type: BookingType | None = None,
    valid_days: int | None = None,
    items: list[int] | None = None,
    allow_currency: bool = False,
) -> Product:
    """Add a package: a bundle of products and/or ``credits`` sessions of ``booking_type``."""
    title, description = _check_text(title, description)
    price = _check_price(coach, price, allow_currency)
    items = items or []
    if credits is None and not items:
        raise Invalid("a package needs session credits (--credits) or items (--item)")
    if credits is not None:
        _check_credits(credits)
        if booking_type is None:
            raise Invalid("credits need a booking type (--type)")
    _check_valid_days(valid_days)
    with db.atomic():
        package = Product.create(
            coach=coach,
            kind="PACKAGE",
            title=title,
            description=description,
            price_minor=price.amount,
            currency=price.currency,
            credits=credits,
            credit_type=booking_type if credits else None,
            valid_days=valid_days,
        )
        for item_id in items:
            item = get_product(coach, item_id)
            if item.kind != "PRODUCT":
                raise Invalid(f"item {item_id} is a package; packages hold products")
            PackageItem.create(package=package, item=item)
    return package


def edit_product(
    product: Product,
    *,
    title: str | None = None,
    description: str | None = None,
    price: Money | None = None,
    active: bool | None = None,
    allow_currency: bool = False,
) -> Product:
    """Change the given fields of a product or package (None leaves a field as it is)."""
    if title is not None or description is not None:
        product.title, product.description = _check_text(
            title if title is not None else product.title,
            description if description is not None else product.description,
        )
    if price is not None:
        price = _check_price(product.coach, price, allow_currency)
        product.price_minor, product.currency = price.amount, price.currency
    if active is not None:
        product.active = active
    product.save()
    return product


def archive_product(product: Product) -> Product:
    """Take a product off sale; past orders keep pointing at it."""
    return edit_product(product, active=False)


def get_product(coach: Coach | None, product_id: int | str, *, public: bool = False) -> Product:
    """A product by id (of ``coach`` when given); with ``public`` it must be on sale."""
    gone = "This product is no longer available." if public else f"no product {product_id!r}"
    try:
        number = int(product_id)
    except (TypeError, ValueError):
        raise NotFound(gone) from None
    query = Product.select(Product, Coach).join(Coach).where(Product.id == number)
    if coach is not None:
        query = query.where(Product.coach == coach)
    if public:
        query = query.where(Product.active & Coach.active & Coach.products_enabled)
    product = query.first()
    if product is None:
        raise NotFound(gone)
    return product


def list_products(coach: Coach, *, include_archived: bool = False) -> list[Product]:
    """The coach's products in the order they were made, with what ``product_to_dict`` needs."""
    query = (
        Product.select(Product, Coach, BookingType)
        .join(Coach)
        .switch(Product)
        .join(BookingType, JOIN.LEFT_OUTER, on=(Product.credit_type == BookingType.id))
        .where(Product.coach == coach)
    )
    if not include_archived:
        query = query.where(Product.active == True)  # noqa: E712
    products = list(query.order_by(Product.id))
    packages = [p.id for p in products if p.kind == "PACKAGE"]
    items: dict[int, list[int]] = {}
    if packages:
        for row in PackageItem.select().where(PackageItem.package.in_(packages)):
            items.setdefault(row.package_id, []).append(row.item_id)
    for product in products:
        product.item_ids = items.get(product.id, [])
    return products


def price_of(product: Product) -> Money:
    """A product's price."""
    return Money(product.price_minor, product.currency)


def product_to_dict(product: Product) -> dict[str, Any]:
    """The JSON shape of a product or package."""
    data: dict[str, Any] = {
        "id": product.id,
        "coach": product.coach.slug,
        "kind": product.kind,
        "title": product.title,
        "description": product.description,
        "price": product.price_minor,
        "currency": product.currency,
        "price_display": price_of(product).display() if product.price_minor else "Free",
        "active": product.active,
        "delivers": "file" if product.file_sha256 else "link" if product.delivery_url else None,
        "image": product.image or None,
    }
    if product.kind == "PACKAGE":
        data["credits"] = product.credits
        data["type"] = product.credit_type.slug if product.credit_type_id else None
        data["valid_days"] = product.valid_days
        prefetched = getattr(product, "item_ids", None)  # set by list_products, maybe empty
        data["items"] = prefetched if prefetched is not None else [i.item_id for i in product.items]
    return data
