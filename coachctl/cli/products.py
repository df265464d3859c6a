"""``coachctl product add|list|show|edit|archive`` and ``coachctl package add``."""

from __future__ import annotations

from pathlib import Path

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Products: one-off things a coach sells.",
    no_args_is_help=True,
)
packages = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Packages: bundles of products and/or session credits.",
    no_args_is_help=True,
)

AllowCurrency = typer.Option(
    False, "--allow-currency", help="Sell in another currency than the coach's.", metavar=""
)
FileOption = typer.Option(None, "--file", help="A file buyers download (PDF, audio, …).")
UrlOption = typer.Option(None, "--url", help="A link buyers receive instead of a file.")
ImageOption = typer.Option(None, "--image", help="A picture for the page: image file or URL.")
PriceOption = typer.Option(..., "--price", help='"49.00 EUR", or minor units such as 4900.')


def _emit(products: list, as_json: bool, title: str, single: bool = False) -> None:
    from coachctl.engine.commerce.catalog import product_to_dict

    rows = [product_to_dict(p) for p in products]
    if as_json:
        emit_json(rows[0] if single else rows)
        return
    emit_table(
        title,
        ["id", "kind", "title", "price", "credits", "status"],
        [
            (
                r["id"],
                r["kind"].lower(),
                r["title"],
                r["price_display"],
                f"{r['credits']} × {r['type']}" if r.get("credits") else "",
                "on sale" if r["active"] else "archived",
            )
            for r in rows
        ],
        "No products yet. Add one: coachctl product add --title T --price '49.00 EUR'",
    )


@app.command()
def add(
    title: str = typer.Option(..., "--title"),
    price: str = PriceOption,
    description: str = typer.Option("", "--description", help="Markdown."),
    file: Path = FileOption,
    url: str = UrlOption,
    image: str = ImageOption,
    allow_currency: bool = AllowCurrency,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a product; with --file or --url its buyers receive it; --price free gives it away."""
    from coachctl.engine.commerce.catalog import create_product
    from coachctl.engine.commerce.money import parse_money

    _, found = load_coach(coach)
    product = create_product(
        found,
        title,
        parse_money(price, found.currency),
        description,
        file=file,
        url=url,
        image=image,
        allow_currency=allow_currency,
    )
    if as_json:
        _emit([product], True, "", single=True)
    else:
        typer.echo(f"Added product {product.id}: {product.title}.")


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Include archived products.", metavar=""),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """List products and packages."""
    from coachctl.engine.commerce.catalog import list_products

    _, found = load_coach(coach)
    _emit(list_products(found, include_archived=all_), as_json, f"Products of {found.slug}")


@app.command()
def show(
    product_id: int = typer.Argument(...), coach: str = CoachOption, as_json: bool = JsonOption
) -> None:
    """Show one product."""
    from coachctl.engine.commerce.catalog import get_product, product_to_dict

    _, found = load_coach(coach)
    product = get_product(found, product_id)
    data = product_to_dict(product)
    if as_json:
        emit_json(data)
        return
    shown = {
        "id": product.id,
        "kind": product.kind.lower(),
        "title": product.title,
        "price": data["price_display"],
        "status": "on sale" if product.active else "archived",
        "credits": f"{product.credits} × {data['type']}" if product.credits else None,
        "valid for": f"{product.valid_days} days" if product.valid_days else None,
        "items": ", ".join(map(str, data.get("items", []))) or None,
        "delivers": (
            f"{product.file_name} ({product.file_size:,} bytes)"
            if product.file_sha256
            else product.delivery_url or None
        ),
        "description": product.description or None,
    }
    for key, value in shown.items():
        if value is not None:
            typer.echo(f"{key:12} {value}")


@app.command()
def edit(
    product_id: int = typer.Argument(...),
    title: str = typer.Option(None, "--title"),
    price: str = typer.Option(None, "--price"),
    description: str = typer.Option(None, "--description"),
    active: bool = typer.Option(None, "--active/--archived", metavar=""),
    file: Path = FileOption,
    url: str = UrlOption,
    image: str = ImageOption,
    allow_currency: bool = AllowCurrency,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a product; options not given stay as they are."""
    from coachctl.engine.commerce.catalog import (
        edit_product,
        get_product,
        set_delivery,
        set_image,
    )
    from coachctl.engine.commerce.money import parse_money
    from coachctl.store.db import db

    _, found = load_coach(coach)
    product = get_product(found, product_id)
    with db.atomic():
        edited = edit_product(
            product,
            title=title,
            description=description,
            active=active,
            price=parse_money(price, product.currency) if price else None,
            allow_currency=allow_currency,
        )
        edited = set_image(set_delivery(edited, file=file, url=url), image)
    if as_json:
        _emit([edited], True, "", single=True)
    else:
        typer.echo(f"Updated product {edited.id}.")


@app.command()
def archive(product_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Take a product off sale (past orders keep it)."""
    from coachctl.engine.commerce.catalog import archive_product, get_product

    _, found = load_coach(coach)
    archive_product(get_product(found, product_id))
    typer.echo(f"Archived product {product_id}.")


@packages.command("add")
def add_package(
    title: str = typer.Option(..., "--title"),
    price: str = PriceOption,
    credits: int = typer.Option(None, "--credits", help="Sessions included."),
    booking_type: str = typer.Option(None, "--type", help="Booking type the credits are for."),
    valid_days: int = typer.Option(
        None, "--valid-days", help="Credits expire after this many days."
    ),
    item: list[int] = typer.Option(None, "--item", help="Product id to include; repeat."),
    description: str = typer.Option("", "--description"),
    allow_currency: bool = AllowCurrency,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a package of session credits and/or products."""
    from coachctl.engine.commerce.catalog import create_package
    from coachctl.engine.commerce.money import parse_money
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    kind = get_booking_type(found, booking_type) if credits else None
    package = create_package(
        found,
        title,
        parse_money(price, found.currency),
        description=description,
        credits=credits,
        booking_type=kind,
        valid_days=valid_days,
        items=item or [],
        allow_currency=allow_currency,
    )
    if as_json:
        _emit([package], True, "", single=True)
    else:
        typer.echo(f"Added package {package.id}: {package.title}.")


@packages.command("list")
def list_packages(
    all_: bool = typer.Option(False, "--all", help="Include archived packages.", metavar=""),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """List packages (on sale unless --all)."""
    from coachctl.engine.commerce.catalog import list_products

    _, found = load_coach(coach)
    rows = [p for p in list_products(found, include_archived=all_) if p.kind == "PACKAGE"]
    _emit(rows, as_json, f"Packages of {found.slug}")


@packages.command("edit")
def edit_package(
    package_id: int = typer.Argument(...),
    title: str = typer.Option(None, "--title"),
    price: str = typer.Option(None, "--price"),
    description: str = typer.Option(None, "--description"),
    active: bool = typer.Option(None, "--active/--archived", metavar=""),
    allow_currency: bool = AllowCurrency,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a package; options not given stay as they are (buyers keep what they bought)."""
    from coachctl.engine.commerce.catalog import edit_product, get_product
    from coachctl.engine.commerce.money import parse_money
    from coachctl.engine.errors import NotFound

    _, found = load_coach(coach)
    package = get_product(found, package_id)
    if package.kind != "PACKAGE":
        raise NotFound(f"no package {package_id}", hint="products change with `product edit`")
    edited = edit_product(
        package,
        title=title,
        description=description,
        active=active,
        price=parse_money(price, package.currency) if price else None,
        allow_currency=allow_currency,
    )
    if as_json:
        _emit([edited], True, "", single=True)
    else:
        typer.echo(f"Updated package {edited.id}.")


@packages.command("archive")
def archive_package(package_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Take a package off sale; credits already bought stay usable."""
    from coachctl.engine.commerce.catalog import archive_product, get_product

    _, found = load_coach(coach)
    archive_product(get_product(found, package_id))
    typer.echo(f"Archived package {package_id}; `package list --all` still shows it.")
