"""Public pages preview well when shared, say what they offer, and miss politely."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from tests.booking.test_booking_pages import _in_days


@pytest.fixture
def shop(open_coach):
    edit_booking_type(
        get_booking_type(open_coach),
        price_minor=9000,
        currency="EUR",
        requires_payment=True,
        description='Sixty minutes <b>"on you"</b>.',
    )
    return catalog.create_product(
        open_coach, "Workbook", Money(2900, "EUR"), "A 40-page workbook <script>x</script>."
    )


@pytest.mark.parametrize(
    "path",
    ["/jane", "/book/jane", "/book/jane/session", "/checkout/{product}"],
)
def test_public_pages_carry_a_description_and_open_graph_tags(client, shop, path):
    page = client.get(path.format(product=shop.id)).maybe_follow()
    head = page.html.head
    description = head.select_one('meta[name="description"]')["content"]
    assert description
    assert "<b>" not in page.text.split("</head>")[0], "what the coach typed is escaped"
    for prop in ("og:title", "og:description", "og:image", "og:url"):
        assert head.select_one(f'meta[property="{prop}"]')["content"], prop
    assert head.select_one('meta[property="og:image"]')["content"].startswith("http://coach.test/")
    assert head.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"


def test_the_bio_lists_sessions_with_length_and_price_and_products_with_their_description(
    client, shop
):
    bio = client.get("/jane")
    session = bio.html.select_one("#sessions-title").find_parent("section")
    assert "60 minutes · €90.00" in session.text
    assert 'Sixty minutes <b>"on you"</b>.' in session.text, "shown as text, never as markup"
    assert session.select_one('a[data-cta="book"]')["href"] == "/book/jane/session"
    offers = bio.html.select_one("#offers-title").find_parent("section")
    assert "A 40-page workbook" in offers.text and "<script>" not in str(offers)


def test_misses_read_as_sentences_with_the_coachs_name(client, shop):
    gone = client.get("/book/jane/nope", status=404)
    assert "Jane Doe does not offer this session any more." in gone.text
    catalog.archive_product(shop)
    sold_out = client.get(f"/checkout/{shop.id}", status=404)
    assert "This product is no longer available." in sold_out.text
    assert "There is no coach page at this address." in client.get("/nobody", status=404).text
    assert "no product" not in sold_out.text


def test_greyed_out_days_meet_aa_contrast(client, shop, open_coach):
    css = client.get("/static/style.css").text
    assert ".calendar span { color: #6f6a61; }" in css  # 5.37:1 on white, 4.89:1 on paper
    day = date.fromisoformat(_in_days(3))
    start = datetime.combine(day, time(), tzinfo=UTC) - timedelta(days=1)
    schedule.add_blackout(open_coach, start, start + timedelta(days=3), "Away")
    page = client.get(f"/book/jane/session?date={day}")
    assert page.html.select(".calendar span")


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_a_coach_photo_and_a_product_image_are_served_from_the_data_directory(
    client, shop, tmp_path
):
    from tests.support import run_cli

    photo = tmp_path / "me.png"
    photo.write_bytes(PNG)
    run_cli("coach", "edit", "jane", "--avatar", str(photo))
    cover = tmp_path / "cover.png"
    cover.write_bytes(PNG + b"cover")
    run_cli("product", "edit", str(shop.id), "--image", str(cover))
    bio = client.get("/jane")
    avatar = bio.html.select_one("img.avatar")
    assert avatar["alt"] == "Photo of Jane Doe" and avatar["src"].startswith("/media/")
    og = bio.html.select_one('meta[property="og:image"]')["content"]
    assert og == "http://coach.test" + avatar["src"]
    served = client.get(avatar["src"])
    assert served.body == PNG and served.content_type == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    image = bio.html.select_one("img.offer-image")["src"]
    assert client.get(image).body.endswith(b"cover")
    run_cli("coach", "edit", "jane", "--avatar", "")
    client.get(avatar["src"], status=404)  # no longer used: no longer served
    client.get("/media/" + "0" * 64 + ".png", status=404)


def test_only_images_are_taken_as_photos(shop, tmp_path):
    from tests.support import run_cli

    script = tmp_path / "x.svg"
    script.write_text("<svg onload=alert(1)>")
    refused = run_cli("coach", "edit", "jane", "--avatar", str(script), code=2)
    assert "not a PNG, JPEG or WebP image" in refused.stderr
