"""Digital products are delivered: a stored file or a link, behind signed links that expire and
stop working after a refund."""

from __future__ import annotations

import hashlib
import re

import pytest

from coachctl.engine import sales
from coachctl.engine.commerce import catalog, delivery
from coachctl.engine.commerce.money import Money
from coachctl.store import files
from coachctl.store.models import Order, Outbox, Product
from tests.commerce.test_sandbox_flows import _buy
from tests.support import run_cli

PDF = b"%PDF-1.4 the first 90 days workbook\n" * 100


@pytest.fixture
def workbook(shop, tmp_path):
    source = tmp_path / "first-90-days.pdf"
    source.write_bytes(PDF)
    said = run_cli("product", "edit", str(shop["workbook"].id), "--file", str(source)).stdout
    assert "Updated product" in said
    return Product.get_by_id(shop["workbook"].id)


def _paid(client, product):
    success = _buy(client, product).forms[0].submit("action", value="pay").follow()
    return success, Order.get(Order.product == product)


def test_the_file_is_kept_once_under_its_hash(workbook, tmp_path):
    digest = hashlib.sha256(PDF).hexdigest()
    assert workbook.file_sha256 == digest and workbook.file_size == len(PDF)
    assert files.path_of(digest).read_bytes() == PDF
    assert workbook.file_type == "application/pdf"
    shown = run_cli("product", "show", str(workbook.id)).stdout
    assert f"first-90-days.pdf ({len(PDF):,} bytes)" in shown
    assert "True" not in shown and "2900" not in shown and "€29.00" in shown


def test_a_buyer_downloads_from_the_page_and_the_email(client, workbook):
    success, _order = _paid(client, workbook)
    link = success.html.select_one(".downloads a")
    assert link.text == "Download first-90-days.pdf"
    got = client.get(link["href"].replace("http://coach.test", ""))
    assert got.body == PDF
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "first-90-days.pdf" in got.headers["Content-Disposition"]
    assert got.content_type == "application/pdf"
    email = Outbox.get(Outbox.kind == "purchase")
    emailed = re.search(r"Download Workbook: (\S+)", email.body_text)
    assert emailed and client.get(emailed.group(1).replace("http://coach.test", "")).body == PDF


def test_the_link_fails_after_a_refund_when_tampered_and_when_expired(
    client, workbook, settings, monkeypatch
):
    success, order = _paid(client, workbook)
    href = success.html.select_one(".downloads a")["href"].replace("http://coach.test", "")
    token = href.rsplit("/", 1)[1]
    client.get(href[:-3] + ("AAA" if not href.endswith("AAA") else "BBB"), status=404)
    forged = delivery.sign_expiring("another-secret", "download", f"{order.id}:{workbook.id}")
    client.get(f"/download/{forged}", status=404)
    import itsdangerous.timed

    now = itsdangerous.timed.time.time()
    with monkeypatch.context() as later:
        later.setattr(itsdangerous.timed.time, "time", lambda: now + 8 * 24 * 3600)
        late = client.get(f"/download/{token}", status=410)
    assert "expired" in late.text
    sales.refund_order(order, settings)
    refunded = client.get(href, status=410)
    assert "refunded" in refunded.text


def test_a_link_product_redirects_and_packages_deliver_their_items(client, shop, settings):
    guide = catalog.create_product(
        shop["coach"], "Video course", Money(1500, "EUR"), url="https://videos.example.com/c/1"
    )
    bundle = catalog.create_package(
        shop["coach"], "Starter bundle", Money(3000, "EUR"), items=[guide.id]
    )
    success, _ = _paid(client, bundle)
    link = success.html.select_one(".downloads a")
    assert link.text == "Open Video course"
    assert client.get(link["href"].replace("http://coach.test", ""), status=303).location == (
        "https://videos.example.com/c/1"
    )


def test_a_missing_file_or_both_kinds_are_refused(shop, tmp_path):
    result = run_cli(
        "product", "add", "--title", "X", "--price", "5 EUR", "--file", "nope.pdf", code=2
    )
    assert "nope.pdf is not a file" in result.stderr
    assert Product.select().where(Product.title == "X").count() == 0
    both = run_cli(
        "product", "add", "--title", "Y", "--price", "5 EUR", "--file", __file__, "--url",
        "https://x.example",
        code=2,
    )  # fmt: skip
    assert "not both" in both.stderr
