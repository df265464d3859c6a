"""Every table of coachctl, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

from coachctl.store.db import db
from coachctl.store.fields import JSONField, UTCDateTimeField


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = UTCDateTimeField(default=utcnow)


class Coach(BaseModel):
    id = AutoField()
    slug = CharField(unique=True, max_length=40)
    name = CharField(max_length=120)
    headline = CharField(max_length=200, default="")
    bio = TextField(default="")
    avatar_url = CharField(max_length=500, default="")
    email = CharField(max_length=254, default="")
    links = JSONField(default=list)
    timezone = CharField(max_length=64, default="UTC")
    currency = CharField(max_length=3, default="EUR")
    booking_enabled = BooleanField(default=True)
    products_enabled = BooleanField(default=True)
    active = BooleanField(default=True)
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)
    notices_off = JSONField(default=list)


class ApiToken(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="tokens", on_delete="CASCADE")
    name = CharField(max_length=80)
    token_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=12)
    scopes = JSONField(default=list)
    created_at = UTCDateTimeField(default=utcnow)
    last_used_at = UTCDateTimeField(null=True)
    revoked_at = UTCDateTimeField(null=True)


class AvailabilityWindow(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="windows", on_delete="CASCADE")
    weekday = SmallIntegerField()
    start = CharField(max_length=5)
    end = CharField(max_length=5)
    active = BooleanField(default=True)


class AvailabilityOverride(BaseModel):
    """One window of a coach's hours on one local date; a date's rows replace its weekly windows."""

    id = AutoField()
    coach = ForeignKeyField(Coach, backref="overrides", on_delete="CASCADE", index=False)
    day = DateField()
    start = CharField(max_length=5)
    end = CharField(max_length=5)

    class Meta:
        indexes = ((("coach", "day"), False),)


class Blackout(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="blackouts", on_delete="CASCADE")
    start = UTCDateTimeField(index=True)
    end = UTCDateTimeField()
    reason = CharField(max_length=200, default="")


class BookingType(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="booking_types", on_delete="CASCADE")
    slug = CharField(max_length=40)
    name = CharField(max_length=120)
    description = TextField(default="")
    duration = IntegerField(default=60)
    interval = IntegerField(default=60)
    buffer_before = IntegerField(default=0)
    buffer_after = IntegerField(default=0)
    notice = IntegerField(default=120)
    horizon_days = IntegerField(default=60)
    price_minor = BigIntegerField(null=True)
    currency = CharField(max_length=3, null=True)
    requires_payment = BooleanField(default=False)
    cancel_notice = IntegerField(default=1440)
    reminders = JSONField(default=lambda: [1440])
    active = BooleanField(default=True)
    location = CharField(max_length=500, default="")
    questions = JSONField(default=list)
    late_refund_percent = IntegerField(default=0)  # of the price, when cancelled after notice

    class Meta:
        indexes = ((("coach", "slug"), True),)


class Booking(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="bookings", on_delete="CASCADE")
    booking_type = ForeignKeyField(BookingType, backref="bookings", on_delete="RESTRICT")
    customer_name = CharField(max_length=120)
    customer_email = CharField(max_length=254, index=True)
    customer_timezone = CharField(max_length=64, default="UTC")
    start = UTCDateTimeField()
    end = UTCDateTimeField()
    buffer_before = IntegerField(default=0)
    buffer_after = IntegerField(default=0)
    status = CharField(max_length=12, default="CONFIRMED", index=True)
    hold_expires_at = UTCDateTimeField(null=True)
    credit_used = BooleanField(default=False)
    manage_token = CharField(max_length=64, unique=True)
    request_key = CharField(max_length=64, null=True, unique=True)
    notes = TextField(default="")
    sequence = IntegerField(default=0)
    created_at = UTCDateTimeField(default=utcnow)
    cancelled_at = UTCDateTimeField(null=True)
    location = CharField(max_length=500, default="")
    customer_phone = CharField(max_length=40, default="")
    answers = JSONField(default=dict)

    class Meta:
        indexes = ((("coach", "start"), False),)


class Product(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="products", on_delete="CASCADE")
    kind = CharField(max_length=8, default="PRODUCT")
    title = CharField(max_length=120)
    description = TextField(default="")
    price_minor = BigIntegerField()
    currency = CharField(max_length=3)
    active = BooleanField(default=True)
    credits = IntegerField(null=True)
    credit_type = ForeignKeyField(BookingType, null=True, on_delete="RESTRICT")
    valid_days = IntegerField(null=True)
    stripe_product_id = CharField(max_length=64, null=True)
    stripe_price_id = CharField(max_length=64, null=True)
    stripe_synced_price = CharField(max_length=40, null=True)
    created_at = UTCDateTimeField(default=utcnow)
    file_sha256 = CharField(max_length=64, default="")
    file_name = CharField(max_length=200, default="")
    file_type = CharField(max_length=100, default="")
    file_size = BigIntegerField(default=0)
    delivery_url = CharField(max_length=500, default="")
    image = CharField(max_length=500, default="")


class PackageItem(BaseModel):
    id = AutoField()
    package = ForeignKeyField(Product, backref="items", on_delete="CASCADE")
    item = ForeignKeyField(Product, backref="in_packages", on_delete="RESTRICT")


class Coupon(BaseModel):
    """A discount code: a percentage or a fixed amount off, maybe limited in what, when and how
    often it applies (empty ``products``/``booking_types`` lists mean everything)."""

    id = AutoField()
    coach = ForeignKeyField(Coach, backref="coupons", on_delete="CASCADE")
    code = CharField(max_length=40)
    percent_off = IntegerField(null=True)
    amount_off = BigIntegerField(null=True)
    currency = CharField(max_length=3, null=True)
    products = JSONField(default=list)
    booking_types = JSONField(default=list)
    expires_at = UTCDateTimeField(null=True)
    max_redemptions = IntegerField(null=True)
    once_per_customer = BooleanField(default=False)
    active = BooleanField(default=True)
    stripe_coupon_id = CharField(max_length=64, null=True)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "code"), True),)


class Order(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="orders", on_delete="CASCADE")
    product = ForeignKeyField(Product, null=True, backref="orders", on_delete="RESTRICT")
    booking = ForeignKeyField(Booking, null=True, backref="orders", on_delete="SET NULL")
    customer_email = CharField(max_length=254, index=True)
    customer_name = CharField(max_length=120, default="")
    description = CharField(max_length=200)
    amount_minor = BigIntegerField()
    currency = CharField(max_length=3)
    status = CharField(max_length=10, default="PENDING", index=True)
    provider = CharField(max_length=10)
    provider_session_id = CharField(max_length=255, null=True, unique=True)
    provider_payment_id = CharField(max_length=255, null=True, index=True)
    checkout_url = TextField(null=True)
    expires_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)
    paid_at = UTCDateTimeField(null=True)
    refunded_at = UTCDateTimeField(null=True)
    refunded_minor = BigIntegerField(default=0)  # confirmed by the provider, all refunds together
    discount_minor = BigIntegerField(default=0)
    coupon = ForeignKeyField(Coupon, null=True, backref="orders", on_delete="SET NULL")


class CouponRedemption(BaseModel):
    """A coupon used by a fulfilled order: one row per order, written when it is fulfilled."""

    id = AutoField()
    coupon = ForeignKeyField(Coupon, backref="redemptions", on_delete="CASCADE")
    order = ForeignKeyField(Order, unique=True, on_delete="CASCADE")
    customer_email = CharField(max_length=254)
    discount_minor = BigIntegerField()
    created_at = UTCDateTimeField(default=utcnow)


class Refund(BaseModel):
    """One refund asked of the provider for part or all of an order; its ``request_key`` makes a
    retry the same refund, and the provider's event confirms it."""

    id = AutoField()
    order = ForeignKeyField(Order, backref="refunds", on_delete="CASCADE")
    amount_minor = BigIntegerField()
    reason = CharField(max_length=20)
    request_key = CharField(max_length=64, unique=True)
    status = CharField(max_length=10, default="REQUESTED")
    provider_refund_id = CharField(max_length=255, null=True)
    last_error = TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)
    confirmed_at = UTCDateTimeField(null=True)


class ProcessedEvent(BaseModel):
    id = AutoField()
    provider = CharField(max_length=10)
    event_id = CharField(max_length=255)
    event_type = CharField(max_length=80)
    processed_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("provider", "event_id"), True),)


class CreditLedger(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="credit_entries", on_delete="CASCADE")
    booking_type = ForeignKeyField(BookingType, on_delete="CASCADE")
    customer_email = CharField(max_length=254)
    delta = IntegerField()
    reason = CharField(max_length=20)
    order = ForeignKeyField(Order, null=True, backref="credit_entries", on_delete="SET NULL")
    booking = ForeignKeyField(Booking, null=True, backref="credit_entries", on_delete="SET NULL")
    grant = ForeignKeyField("self", null=True, backref="uses", on_delete="SET NULL")
    expires_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "customer_email", "booking_type"), False),)


class Outbox(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, null=True, backref="outbox", on_delete="CASCADE")
    kind = CharField(max_length=40)
    recipient = CharField(max_length=254)
    subject = CharField(max_length=300)
    body_text = TextField()
    body_html = TextField(default="")
    attachments = JSONField(default=list)
    send_after = UTCDateTimeField(default=utcnow)
    status = CharField(max_length=10, default="PENDING")
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    dedupe_key = CharField(max_length=200, unique=True)
    booking = ForeignKeyField(Booking, null=True, backref="emails", on_delete="SET NULL")
    claimed_by = CharField(max_length=64, null=True)
    claimed_until = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)
    sent_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("status", "send_after"), False),)


class AnalyticsEvent(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="events", on_delete="CASCADE")
    type = CharField(max_length=24)
    path = CharField(max_length=500, default="")
    referrer = CharField(max_length=500, default="")
    visitor = CharField(max_length=64, default="")
    amount_minor = BigIntegerField(null=True)
    currency = CharField(max_length=3, null=True)
    order = ForeignKeyField(Order, null=True, on_delete="SET NULL")
    occurred_at = UTCDateTimeField(default=utcnow)
    source = CharField(max_length=200, default="")  # utm_source, else the referrer's host
    utm_source = CharField(max_length=100, default="")
    utm_medium = CharField(max_length=100, default="")
    utm_campaign = CharField(max_length=100, default="")
    country = CharField(max_length=2, default="")
    product = ForeignKeyField(Product, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("coach", "occurred_at"), False),)


class AnalyticsDaily(BaseModel):
    """A coach's events of one local day counted along one dimension: all, page, source, product."""

    id = AutoField()
    coach = ForeignKeyField(Coach, on_delete="CASCADE")
    day = DateField()
    dim = CharField(max_length=8)
    key = CharField(max_length=500)
    type = CharField(max_length=24)
    currency = CharField(max_length=3, default="")
    events = IntegerField()
    visitors = IntegerField()
    amount_minor = BigIntegerField(default=0)

    class Meta:
        indexes = ((("coach", "day", "dim", "key", "type", "currency"), True),)


class AnalyticsDay(BaseModel):
    """A local day whose rollup rows are complete; its raw events may then be pruned."""

    id = AutoField()
    coach = ForeignKeyField(Coach, on_delete="CASCADE")
    day = DateField()
    rolled_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "day"), True),)


class AnalyticsSalt(BaseModel):
    """The random salt of one UTC day's visitor hashes; deleted once the day is over."""

    id = AutoField()
    day = DateField(unique=True)
    salt = CharField(max_length=64)


class BusyCalendar(BaseModel):
    id = AutoField()
    coach = ForeignKeyField(Coach, backref="busy_calendars", on_delete="CASCADE")
    name = CharField(max_length=120)
    kind = CharField(max_length=8, default="ICS")
    url = TextField()
    username = CharField(max_length=254, default="")
    all_day_busy = BooleanField(default=True)
    etag = CharField(max_length=255, default="")
    last_modified = CharField(max_length=64, default="")
    synced_at = UTCDateTimeField(null=True)
    fetched_at = UTCDateTimeField(null=True)
    last_error = TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)


class BusyInterval(BaseModel):
    id = AutoField()
    calendar = ForeignKeyField(BusyCalendar, backref="intervals", on_delete="CASCADE")
    coach = ForeignKeyField(Coach, on_delete="CASCADE")
    start = UTCDateTimeField()
    end = UTCDateTimeField()
    all_day = BooleanField(default=False)

    class Meta:
        indexes = ((("coach", "start"), False),)


class Course(BaseModel):
    """A short course a coach publishes: lessons behind a free, email or paid gate."""

    id = AutoField()
    coach = ForeignKeyField(Coach, backref="courses", on_delete="CASCADE")
    slug = CharField(max_length=40, unique=True)
    title = CharField(max_length=120)
    summary = TextField(default="")
    cover_url = CharField(max_length=500, default="")
    access = CharField(max_length=8, default="FREE")
    product = ForeignKeyField(Product, null=True, backref="courses", on_delete="SET NULL")
    published = BooleanField(default=False)
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)


class Lesson(BaseModel):
    """One lesson of a course; its slug is its identity across re-imports."""

    id = AutoField()
    course = ForeignKeyField(Course, backref="lessons", on_delete="CASCADE", index=False)
    position = IntegerField()
    slug = CharField(max_length=60)
    title = CharField(max_length=120)
    body = TextField(default="")
    video_url = CharField(max_length=500, default="")
    drip_days = IntegerField(default=0)

    class Meta:
        indexes = ((("course", "slug"), True),)


class Enrolment(BaseModel):
    """A learner's access to a course: how it came (free, email, order, grant) and its status."""

    id = AutoField()
    course = ForeignKeyField(Course, backref="enrolments", on_delete="CASCADE", index=False)
    email = CharField(max_length=254)
    source = CharField(max_length=8)
    status = CharField(max_length=8, default="PENDING")
    order = ForeignKeyField(Order, null=True, backref="enrolments", on_delete="SET NULL")
    created_at = UTCDateTimeField(default=utcnow)
    granted_at = UTCDateTimeField(null=True)
    revoked_at = UTCDateTimeField(null=True)
    completed_at = UTCDateTimeField(null=True)
    active_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("course", "email"), True),)


class LessonProgress(BaseModel):
    """A lesson a learner marked complete."""

    id = AutoField()
    enrolment = ForeignKeyField(Enrolment, backref="progress", on_delete="CASCADE", index=False)
    lesson = ForeignKeyField(Lesson, backref="progress", on_delete="CASCADE")
    completed_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("enrolment", "lesson"), True),)


class MagicLink(BaseModel):
    """A sign-in link sent to a learner; ``used_at`` makes it work once."""

    id = AutoField()
    enrolment = ForeignKeyField(Enrolment, backref="links", on_delete="CASCADE")
    nonce = CharField(max_length=64, unique=True)
    created_at = UTCDateTimeField(default=utcnow)
    used_at = UTCDateTimeField(null=True)


class RateLimit(BaseModel):
    key = CharField(max_length=255, primary_key=True)
    count = BigIntegerField()
    expires_at = DoubleField(index=True)


ALL_MODELS = [
    SchemaVersion,
    Coach,
    ApiToken,
    AvailabilityWindow,
    Blackout,
    BookingType,
    Booking,
    Product,
    PackageItem,
    Coupon,
    Order,
    CouponRedemption,
    Refund,
    ProcessedEvent,
    CreditLedger,
    Outbox,
    AnalyticsEvent,
    AnalyticsDaily,
    AnalyticsDay,
    AnalyticsSalt,
    AvailabilityOverride,
    BusyCalendar,
    BusyInterval,
    RateLimit,
    Course,
    Lesson,
    Enrolment,
    LessonProgress,
    MagicLink,
]
