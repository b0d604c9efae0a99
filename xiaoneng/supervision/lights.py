"""The traffic light, computed in SQL so that lists filter and count by it.

    red     open and the deadline has passed;
    yellow  open and the deadline is within N days (XIAONENG_LIGHT_YELLOW_DAYS), or progress
            is behind the expected pace by more than X points (XIAONENG_LIGHT_BEHIND_POINTS);
            the expected pace runs linearly from 0 % on assigned_on to 100 % on the deadline;
    green   otherwise (and open items without a deadline);
    none    closed.

The pace test is integer arithmetic on day numbers, with no division:
    100 × (today − assigned_on) − progress × (deadline − assigned_on) > X × (deadline − assigned_on)
"""

import datetime as dt

from django.db.models import Case, CharField, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from xiaoneng.supervision import conf
from xiaoneng.supervision.models import OPEN_STATUSES, Status


class DayNumber(Func):
    """A date as a whole number of days (the same origin for columns and parameters)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::date - DATE '2000-01-01')", **extra
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:  # other backends: fall back to the PostgreSQL form
            template = "((%(expressions)s) - DATE '2000-01-01')"
        return super().as_sql(compiler, connection, template=template, **extra)


def today() -> dt.date:
    return timezone.localdate()


def light_expression(on: dt.date | None = None, prefix: str = ""):
    on = on or today()
    n_days = conf.yellow_days()
    points = conf.behind_points()
    t = DayNumber(Value(on, output_field=DateField()))
    a = DayNumber(F(f"{prefix}assigned_on"))
    d = DayNumber(F(f"{prefix}deadline"))
    span = d - a
    behind = GreaterThan(Value(100) * (t - a) - F(f"{prefix}progress") * span, Value(points) * span)
    return Case(
        When(Q(**{f"{prefix}status": Status.CLOSED}), then=Value("none")),
        When(Q(**{f"{prefix}deadline__isnull": True}), then=Value("green")),
        When(Q(**{f"{prefix}deadline__lt": on}), then=Value("red")),
        When(Q(**{f"{prefix}deadline__lte": on + dt.timedelta(days=n_days)}), then=Value("yellow")),
        When(behind, then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


def with_light(queryset, on: dt.date | None = None):
    return queryset.annotate(light_now=light_expression(on))


def light_in_python(item, on: dt.date | None = None) -> str:
    """The same rule for one item in memory (used right after a service changed it)."""
    on = on or today()
    if item.status not in OPEN_STATUSES:
        return "none"
    if item.deadline is None:
        return "green"
    if item.deadline < on:
        return "red"
    if item.deadline <= on + dt.timedelta(days=conf.yellow_days()):
        return "yellow"
    span = (item.deadline - item.assigned_on).days
    elapsed = (on - item.assigned_on).days
    if 100 * elapsed - item.progress * span > conf.behind_points() * span:
        return "yellow"
    return "green"
