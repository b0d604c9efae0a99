"""The due-soon / overdue deadline scan: stores every changed traffic light and notifies,
set-based, for the lights that worsened; after commit, delivers what it wrote by email and
to the lead units' group robots (one summary per robot)."""

import datetime as dt
import time
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.supervision.lights import light_expression
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.services.recipients import handler_rows


@dataclass
class ScanResult:
    updated: int  # items whose stored light changed
    notifications: int  # inbox rows written for lights that worsened


SCAN_VERBS = ("overdue", "due_soon")


def _ref():
    from django.db.models import CharField
    from django.db.models.functions import Cast, Concat

    return Concat(Value("supervision.item:"), Cast("pk", CharField()), output_field=CharField())


def _notification_columns(recipient, created_at: dt.datetime):
    from django.db.models import CharField, DateTimeField
    from django.db.models.functions import Cast, Concat

    now = Value(created_at, output_field=DateTimeField())
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
        ("ref", _ref()),
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


def scan_deadlines(on: dt.date | None = None, *, actor) -> ScanResult:
    """The due-soon / overdue scan, set-based, no Python loop over items: one UPDATE stores
    the lights (store_lights), two INSERT … SELECT notify the worsened ones (notify_worsened),
    in one transaction. After commit — never while the UPDATE's locks are held — what the
    scan wrote is delivered by email and to the robots (deliver_worsened), in the foreground,
    so a command run without a worker delivers too.

    `actor`: who runs it — policy.SYSTEM from the schedule (`xiaoneng cron`), the
    `scan-deadlines` command, the worker and the demo. What the scan writes is bookkeeping
    the change log leaves out (the stored light is `Item.history_hidden`; inbox rows and
    robot messages are not audited), so no change-log row names it; a write added here that
    records a change takes it."""
    scan = time.time_ns() // 1000  # microseconds: unique per scan, increasing
    created_at = timezone.now()
    with transaction.atomic():
        updated = store_lights(scan, on)
        notifications = notify_worsened(scan, created_at)
        if updated:
            # robust: a mail server or robot that is down must not fail the scan (or break
            # the daily chain); robot messages that fail are retried as usual.
            transaction.on_commit(partial(deliver_worsened, scan, created_at), robust=True)
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


def notify_worsened(scan: int, created_at: dt.datetime | None = None) -> int:
    """INSERT … SELECT statements write the notifications for the rows the scan stamped
    (found through a partial index) to each item's handlers — the rows of
    services.recipients.handler_rows, the rule the services use — all stamped `created_at`.
    Returns the number written."""
    created_at = created_at or timezone.now()
    flagged = Item.objects.filter(worsened_in_scan=scan).order_by()
    return sum(
        _insert_select(rows, _notification_columns(person, created_at))
        for rows, person in handler_rows(flagged)
    )


def deliver_worsened(scan: int, created_at: dt.datetime) -> dict[str, int]:
    """Deliver what scan `scan` wrote (run after its commit): an email to each recipient who
    chose immediate email, listing their items (digest users get them in the daily digest),
    and ONE message per active robot of each lead unit, counting its items that turned red
    or yellow — robots take about 20 messages a minute, a unit may have hundreds of items.
    A few set-based queries whatever the number of items; the robot messages go through
    the usual delivery rows and retries (notifications.services.deliver_inserted)."""
    from xiaoneng.notifications import services
    from xiaoneng.notifications.models import Notification

    flagged = Item.objects.filter(worsened_in_scan=scan).order_by()
    written = Notification.objects.filter(
        created_at=created_at,
        verb__in=SCAN_VERBS,
        ref__in=flagged.annotate(item_ref=_ref()).values("item_ref"),
    )
    return services.deliver_inserted(
        written, subject=_("效能平台提醒：事项临近时限或已超期"), unit_texts=robot_texts(flagged)
    )


def robot_texts(flagged) -> dict[int, str]:
    """Lead unit id → one summary for its robots, for the units among `flagged` that have an
    active robot: one GROUP BY, however many items."""
    from django.db.models import Count

    from xiaoneng.notifications.models import Webhook
    from xiaoneng.notifications.services import absolute_url

    rows = (
        flagged.filter(lead_unit_id__in=Webhook.objects.filter(active=True).values("unit_id"))
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            red=Count("pk", filter=Q(light="red")), yellow=Count("pk", filter=Q(light="yellow"))
        )
        .order_by()
    )
    base = reverse("supervision:item_list")
    texts = {}
    for row in rows:
        unit = row["lead_unit_id"]
        lines = [
            _("【效能平台】%(unit)s：新增时限预警 %(n)d 项，请及时办理。")
            % {"unit": row["lead_unit__name"], "n": row["red"] + row["yellow"]}
        ]
        if row["red"]:
            lines.append(
                _("已超期 %(n)d 项：%(url)s")
                % {"n": row["red"], "url": absolute_url(f"{base}?unit={unit}&light=red")}
            )
        if row["yellow"]:
            lines.append(
                _("临近时限或进度滞后 %(n)d 项：%(url)s")
                % {"n": row["yellow"], "url": absolute_url(f"{base}?unit={unit}&light=yellow")}
            )
        texts[unit] = "\n".join(lines)
    return texts
