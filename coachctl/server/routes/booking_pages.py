"""Public booking pages: pick a type, a day and a time in your own zone; confirm; manage it."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode

import bottle

from coachctl.engine import booking_desk, coaches, formats, links, locations, parse, zones
from coachctl.engine.commerce.credits import balance
from coachctl.engine.commerce.money import Money
from coachctl.engine.errors import Conflict, DomainError, Invalid, NotFound
from coachctl.engine.messaging.ics import invite
from coachctl.engine.scheduling import bookings, cancel_policy
from coachctl.engine.scheduling.booking_flow import month_view, next_free_month
from coachctl.engine.scheduling.booking_types import (
    booking_type_to_dict,
    get_booking_type,
    list_booking_types,
)
from coachctl.engine.signing import request_key
from coachctl.server.csrf import COOKIE, check_csrf, csrf_token
from coachctl.server.web import Web
from coachctl.store.models import Order, utcnow


def _month(text: str | None) -> date | None:
    if not text:
        return None
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise Invalid(f"month {text!r} is not YYYY-MM") from None


def _calendar_links(booking, coach, kind, manage: str) -> dict[str, str]:
    start, end = (f"{t:%Y%m%dT%H%M%SZ}" for t in (booking.start, booking.end))
    title = f"{kind.name} with {coach.name}"
    details = f"Change or cancel: {manage}"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {"action": "TEMPLATE", "text": title, "dates": f"{start}/{end}", "details": details}
    )
    outlook = "https://outlook.live.com/calendar/0/action/compose?" + urlencode(
        {
            "subject": title,
            "startdt": parse.format_instant(booking.start),
            "enddt": parse.format_instant(booking.end),
            "body": details,
        }
    )
    return {"google": google, "outlook": outlook}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _conflict_message(error: Conflict) -> str:
    if error.code in ("taken", "blackout"):
        return "That time was just taken — please pick another."
    return _sentence(error.message)


def _form_key(settings, nonce: str | None) -> str | None:
    """The form's nonce bound to this browser (its CSRF cookie) and this server's secret."""
    if not nonce:
        return None
    return request_key(
        settings.secret, "booking-form", bottle.request.get_cookie(COOKIE) or "", nonce
    )


def _form_answers(questions: list[dict[str, Any]], form: Any) -> dict[str, Any]:
    """The intake answers a booking form sent, keyed by question id (a tick is True)."""
    return {
        q["id"]: (
            form.getunicode(f"answer-{q['id']}") == "yes"
            if q["kind"] == "checkbox"
            else form.getunicode(f"answer-{q['id']}") or ""
        )
        for q in questions
    }


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    def bookable(slug: str):
        coach = coaches.get_coach(slug, public=True)
        if not coach.booking_enabled:
            raise NotFound(f"{coach.name} is not taking bookings online right now")
        return coach

    def zone_of_request(default: str) -> tuple[str, bool, str | None]:
        """The visitor's zone from ?tz= (an IANA name, a picker label or something typed), else
        ``default``; whether one was given; and what to say when it could not be found."""
        asked = bottle.request.query.getunicode("tz") or ""
        found = zones.find(asked)
        if found:
            return found, True, None
        if asked:
            return default, False, f"We could not find the time zone “{asked[:80]}”."
        return default, False, None

    def reader() -> tuple[str, bool]:
        """The visitor's locale (Accept-Language) and clock: ?clock=12|24 wins over the locale."""
        locale = formats.accept_language(bottle.request.get_header("Accept-Language"))
        asked = bottle.request.query.get("clock")
        if asked in ("12", "24"):
            return locale, asked == "12"
        return locale, formats.uses_12_hour_clock(locale)

    def picker(
        coach,
        kind,
        *,
        action: str,
        base: str,
        mode: str = "book",
        error: str | None = None,
        status: int = 200,
        values: dict[str, str] | None = None,
        booking=None,
        slot: str | None = None,
    ) -> str:
        query = bottle.request.query
        tz_name, tz_given, zone_note = zone_of_request(coach.timezone)
        tz = parse.zone(tz_name)
        locale, hour12 = reader()
        clock_asked = query.get("clock") if query.get("clock") in ("12", "24") else ""
        day = parse.day(query.get("date")) if query.get("date") else None
        view = month_view(coach, kind, tz, _month(query.get("month")), day)
        pass_token = query.get("pass") or ""
        holder, credits, credits_until = None, 0, None
        if pass_token:
            holder = links.email_from_pass(settings, coach, pass_token)
            held = balance(coach, holder, kind)
            credits = held.available
            if held.next_expiry:
                local = held.next_expiry.astimezone(tz).date()
                this_year = local.year == datetime.now(tz).year
                credits_until = formats.day(local, weekday=False, year=not this_year)
        chosen = None
        if slot:
            wanted = parse.instant(slot)
            chosen = next((s for s in view.slots if s.start == wanted), None)
            if chosen is None:
                error, status = "That time is no longer available — please pick another.", 409

        def url(**params: Any) -> str:
            merged = {"tz": tz_name, "pass": pass_token, "clock": clock_asked, **params}
            return base + "?" + urlencode({k: v for k, v in merged.items() if v})

        price = (
            Money(kind.price_minor, kind.currency).display(locale)
            if kind.requires_payment and kind.price_minor
            else None
        )
        return web.render(
            "book.html",
            status,
            coach=coach,
            kind=booking_type_to_dict(kind, public=True),
            mode=mode,
            types=[booking_type_to_dict(t, public=True) for t in list_booking_types(coach)],
            view=view,
            tz_name=tz_name,
            tz_given=tz_given,
            zone_note=zone_note,
            zone_label=zones.label(tz_name, view.month),
            zone_choices=[(z, zones.label(z, view.month)) for z in {tz_name, coach.timezone}],
            hour12=hour12,
            clock_asked=clock_asked,
            chosen=chosen,
            url=url,
            base=base,
            action=action,
            error=error,
            price=price,
            credits=credits,
            credits_until=credits_until,
            holder=holder,
            pass_token=pass_token,
            csrf=csrf_token(),
            request_key=secrets.token_urlsafe(16),
            values=values or {},
            booking=booking,
            next_month=None if view.free_days else next_free_month(coach, kind, tz, view.month),
            policy=cancel_policy.policy_words(kind),
            label=lambda instant: formats.clock(instant, tz_name, locale, hour12),
            when=lambda instant, end=None: formats.span(instant, end, tz_name, locale, hour12),
            long_day=lambda day: formats.long_day(day, locale),
            month_name=lambda month: formats.month(month, locale),
        )

    @app.get("/api/zones")
    def zone_list() -> str:
        """Every zone for the picker's search, with offsets as on ?date= (default today)."""
        on = (
            parse.day(bottle.request.query.get("date"))
            if bottle.request.query.get("date")
            else None
        )
        listed = zones.choices(on or datetime.now(UTC).date())
        bottle.response.set_header("Cache-Control", "public, max-age=86400")
        return web.json({"zones": [{"zone": z, "label": text} for z, text in listed]})

    @app.get("/book/<slug>")
    def choose_type(slug: str):
        coach = bookable(slug)
        types = list_booking_types(coach)
        if len(types) == 1:
            query = bottle.request.query_string
            return bottle.redirect(f"/book/{slug}/{types[0].slug}" + (f"?{query}" if query else ""))
        return web.render(
            "book_types.html",
            coach=coach,
            query=bottle.request.query_string,
            types=[booking_type_to_dict(t, public=True) for t in types],
        )

    @app.get("/book/<slug>/<type_slug>")
    def book(slug: str, type_slug: str) -> str:
        coach = bookable(slug)
        kind = get_booking_type(coach, type_slug, public=True)
        path = f"/book/{slug}/{type_slug}"
        return picker(coach, kind, action=path, base=path, slot=bottle.request.query.get("slot"))

    @app.post("/book/<slug>/<type_slug>")
    def book_submit(slug: str, type_slug: str):
        check_csrf()
        coach = bookable(slug)
        kind = get_booking_type(coach, type_slug, public=True)
        path = f"/book/{slug}/{type_slug}"
        form = bottle.request.forms
        fields = ("name", "email", "phone", "notes", "slot", "pass", "coupon")
        values: dict[str, Any] = {k: form.getunicode(k) or "" for k in fields}
        values["answers"] = _form_answers(kind.questions, form)
        tz_name, _, _ = zone_of_request(coach.timezone)
        web.limit("booking", values["email"])
        try:
            made = booking_desk.request_booking(
                coach,
                kind,
                parse.instant(values["slot"]),
                bookings.Customer.checked(
                    values["name"], values["email"], tz_name, values["phone"]
                ),
                settings=settings,
                notes=values["notes"],
                credits_pass=values["pass"],
                answers=values["answers"],
                request_key=_form_key(settings, form.getunicode("request_key")),
                coupon=values["coupon"],
            )
        except Conflict as error:
            return picker(
                coach,
                kind,
                action=path,
                base=path,
                error=_conflict_message(error),
                status=409,
                values=values,
                slot=values["slot"] if error.code.startswith("coupon_") else None,
            )
        except Invalid as error:
            values["invalid"] = getattr(error, "question", None) or error.code
            return picker(
                coach,
                kind,
                action=path,
                base=path,
                error=_sentence(error.message),
                status=422,
                values=values,
                slot=values["slot"],
            )
        if made.order is not None:
            return bottle.redirect(made.order.checkout_url, 303)
        return bottle.redirect(links.manage_url(made.booking, settings), 303)

    def manage_page(
        signed: str,
        *,
        done: str = "",
        error: str | None = None,
        status: int = 200,
        confirm_cancel: bool = False,
    ) -> str:
        booking = links.booking_from_link(signed, settings)
        coach, kind = booking.coach, booking.booking_type
        tz_name, _, _ = zone_of_request(booking.customer_timezone)
        locale, hour12 = reader()
        manage = links.manage_url(booking, settings)
        pay_url = None
        if booking.status == "PENDING":
            order = (
                Order.select()
                .where((Order.booking == booking) & (Order.status == "PENDING"))
                .order_by(Order.id.desc())
                .first()
            )
            pay_url = order.checkout_url if order else None
        settled = cancel_policy.settled(booking)
        notice = {
            "cancelled": f"Your booking is cancelled. {settled.done if settled else ''}".strip(),
            "moved": "Your booking has moved.",
            "paid": "Payment received: you're booked. A confirmation is on its way.",
        }.get(done)
        return web.render(
            "booking.html",
            status,
            booking=booking,
            coach=coach,
            kind=kind,
            signed=signed,
            when=formats.span(booking.start, booking.end, tz_name, locale, hour12),
            tz_name=tz_name,
            calendar_links=_calendar_links(booking, coach, kind, manage),
            refusal=bookings.client_change_refusal(booking),
            cancel_refusal=bookings.client_cancel_refusal(booking),
            cancel_preview=cancel_policy.outcome(booking, by_coach=False, now=utcnow()).preview
            if booking.status in ("PENDING", "CONFIRMED")
            else "",
            settled=settled,
            policy=cancel_policy.policy_words(kind),
            csrf=csrf_token(),
            notice=notice,
            error=error,
            pay_url=pay_url,
            start_iso=parse.format_instant(booking.start),
            where=locations.booking_location(booking),
            confirm_cancel=confirm_cancel,
        )

    @app.get("/booking/<signed>")
    def manage(signed: str) -> str:
        return manage_page(signed, done=bottle.request.query.get("done", ""))

    @app.get("/booking/<signed>/invite.ics")
    def booking_ics(signed: str) -> bytes:
        booking = links.booking_from_link(signed, settings)
        bottle.response.content_type = "text/calendar; charset=utf-8"
        bottle.response.set_header("Content-Disposition", 'attachment; filename="session.ics"')
        return invite(booking, links.manage_url(booking, settings))

    @app.post("/booking/<signed>/cancel")
    def cancel(signed: str):
        check_csrf()
        booking = links.booking_from_link(signed, settings)
        if bottle.request.forms.get("confirm") != "yes":
            return manage_page(signed, confirm_cancel=True)
        try:
            booking_desk.cancel_booking(booking, by_client=True, settings=settings)
        except DomainError as error:
            return manage_page(signed, error=error.message, status=error.status)
        return bottle.redirect(f"/booking/{quote(signed)}?done=cancelled", 303)

    def reschedule_picker(booking, signed: str, **extra: Any) -> str:
        path = f"/booking/{signed}/reschedule"
        return picker(
            booking.coach,
            booking.booking_type,
            action=path,
            base=path,
            mode="reschedule",
            booking=booking,
            **extra,
        )

    @app.get("/booking/<signed>/reschedule")
    def reschedule(signed: str) -> str:
        booking = links.booking_from_link(signed, settings)
        refusal = bookings.client_change_refusal(booking)
        if refusal:
            return manage_page(signed, error=refusal, status=403)
        return reschedule_picker(booking, signed, slot=bottle.request.query.get("slot"))

    @app.post("/booking/<signed>/reschedule")
    def reschedule_submit(signed: str):
        check_csrf()
        booking = links.booking_from_link(signed, settings)
        try:
            start = parse.instant(bottle.request.forms.getunicode("slot") or "")
            bookings.reschedule_booking(booking, start, by_client=True, settings=settings)
        except Conflict as error:
            return reschedule_picker(booking, signed, error=_conflict_message(error), status=409)
        except DomainError as error:
            return manage_page(signed, error=error.message, status=error.status)
        return bottle.redirect(f"/booking/{quote(signed)}?done=moved", 303)
