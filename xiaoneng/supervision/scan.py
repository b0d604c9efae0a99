"""The due-soon / overdue deadline scan: stores every changed traffic light and notifies,
set-based, for the lights that worsened."""

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.supervision.lights import light_expression
from xiaoneng.supervision.models import Item


@dataclass
class ScanResult:
    updated: int  # items whose stored light changed
    notifications: int  # inbox rows written for lights that worsened


def _notification_columns(recipient):
    from django.db.models import CharField, DateTimeField
    from django.db.models.functions import Cast, Concat

    now = Value(timezone.now(), output_field=DateTimeField())
    prefix = reverse("supervision:item_detail", args=[987654321]).split("987654321")
    red = Q(light="red")
    return [
        ("created_at", now),
        ("updated_at", now),
        ("recipient_id", recipient),
        ("verb", Case(When(red, then=Value("overdue")), default=Value("due_soon"))),
        (
            "title",
            Concat(
                F("code"),
                Value(" "),
                F("title"),
                Value("："),
                Case(When(red, then=Value(_("已超期"))), default=Value(_("临近时限或进度滞后"))),
                output_field=CharField(),
            ),
        ),
        (
            "url",
            Concat(
                Value(prefix[0]),
                Cast("pk", CharField()),
                Value(prefix[1]),
                output_field=CharField(),
            ),
        ),
        (
            "ref",
            Concat(Value("supervision.item:"), Cast("pk", CharField()), output_field=CharField()),
        ),
    ]


def _insert_select(queryset, columns) -> int:
    """INSERT INTO notifications (…) SELECT … — the ORM builds the SELECT, one statement runs."""
    from django.db import connection

    from xiaoneng.notifications.models import Notification

    names = [f"c_{name}" for name, _expr in columns]
    qs = queryset.annotate(**{n: expr for n, (_name, expr) in zip(names, columns, strict=True)})
    sql, params = qs.values_list(*names).query.sql_with_params()
    table = connection.ops.quote_name(Notification._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(name) for name, _expr in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({cols}) {sql}", params)
        return cursor.rowcount


def scan_deadlines(on: dt.date | None = None) -> ScanResult:
    """The due-soon / overdue scan, set-based, no Python loop over items: one UPDATE stores
    the lights (store_lights), two INSERT … SELECT notify the worsened ones (notify_worsened),
    in one transaction."""
    scan = time.time_ns() // 1000  # microseconds: unique per scan, increasing
    with transaction.atomic():
        updated = store_lights(scan, on)
        notifications = notify_worsened(scan)
    return ScanResult(updated=updated, notifications=notifications)


def store_lights(scan: int, on: dt.date | None = None) -> int:
    """One UPDATE stores every changed light (the SQL expression of lights.py) and stamps, in
    the same pass, the rows whose light worsened (green → yellow/red, yellow → red) with the
    scan's number. Returns the number of rows whose light changed."""
    from django.db.models import BigIntegerField
    from django.db.models.lookups import Exact, In

    expr = light_expression(on)
    stamp = Value(scan, output_field=BigIntegerField())
    keep = F("worsened_in_scan")
    worsened = Case(
        When(Q(light="red"), then=keep),
        When(Q(light="yellow") & Exact(expr, Value("red")), then=stamp),
        When(~Q(light="yellow") & In(expr, ["yellow", "red"]), then=stamp),
        default=keep,
        output_field=BigIntegerField(),
    )
    return Item.objects.exclude(light=expr).update(light=expr, worsened_in_scan=worsened)


def notify_worsened(scan: int) -> int:
    """Two INSERT … SELECT statements write the notifications for the rows the scan stamped
    (found through a partial index): to the lead unit's handlers, and to a named responsible
    person who is not one of them. Returns the number of notifications written."""
    flagged = Item.objects.filter(worsened_in_scan=scan).order_by()
    to_handlers = flagged.filter(
        lead_unit__members__roles__code="handler",
        lead_unit__members__is_active=True,
        lead_unit__members__deleted_at__isnull=True,
    )
    n = _insert_select(to_handlers, _notification_columns(F("lead_unit__members__id")))
    to_responsible = flagged.filter(responsible__isnull=False, responsible__is_active=True).exclude(
        responsible__in=_lead_unit_handlers()
    )
    return n + _insert_select(to_responsible, _notification_columns(F("responsible_id")))


def _lead_unit_handlers():
    from django.db.models import OuterRef

    from xiaoneng.accounts.models import User

    return User.objects.filter(unit_id=OuterRef("lead_unit_id"), roles__code="handler").values("pk")
