"""The traffic light, computed in SQL so that lists filter and count by it.

    red     open and the deadline has passed;
    yellow  open and the deadline is within N days (XIAONENG_LIGHT_YELLOW_DAYS), or progress
            is behind the expected pace by more than X points (XIAONENG_LIGHT_BEHIND_POINTS);
            the expected pace runs linearly from 0 % on assigned_on to 100 % on the deadline;
    green   otherwise (and open items without a deadline);
    none    closed.

The pace test is integer arithmetic on day numbers, with no division:
    100 × (today − assigned_on) − progress × (deadline − assigned_on) > X × (deadline − assigned_on)

`branches` is the light's only definition, and there is no copy in Python: the SQL CASE
(light_expression) and the list filter's predicates (filter_by_light) are built from it; the
counts, the list's rows, an item's page, the export, the API and the deadline scan's stored
light all evaluate that CASE.
"""

import datetime as dt

from django.db.models import Case, CharField, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from xiaoneng.supervision import conf
from xiaoneng.supervision.models import Status


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


def _conditions(on: dt.date, prefix: str = "") -> dict:
    """The rule's tests, named: what `branches` orders and `due_soon` reuses."""
    n_days = conf.yellow_days()
    points = conf.behind_points()
    t = DayNumber(Value(on, output_field=DateField()))
    a = DayNumber(F(f"{prefix}assigned_on"))
    d = DayNumber(F(f"{prefix}deadline"))
    span = d - a
    behind = GreaterThan(Value(100) * (t - a) - F(f"{prefix}progress") * span, Value(points) * span)
    return {
        "closed": Q(**{f"{prefix}status": Status.CLOSED}),
        "undated": Q(**{f"{prefix}deadline__isnull": True}),
        "overdue": Q(**{f"{prefix}deadline__lt": on}),
        "soon": Q(**{f"{prefix}deadline__lte": on + dt.timedelta(days=n_days)}),
        "behind": Q(behind),
    }


def branches(on: dt.date | None = None, prefix: str = "") -> list[tuple]:
    """The rule, in order: (condition, light); the first condition an item meets gives its
    light, GREEN if none does. light_expression and filter_by_light are both built from it."""
    c = _conditions(on or today(), prefix)
    return [
        (c["closed"], "none"),
        (c["undated"], "green"),
        (c["overdue"], "red"),
        (c["soon"], "yellow"),
        (c["behind"], "yellow"),
    ]


def due_soon(queryset, on: dt.date | None = None):
    """即将到期: the items yellow by their deadline (open, not overdue, due within the
    yellow window), not those yellow only for being behind pace."""
    c = _conditions(on or today())
    return queryset.filter(~c["closed"] & ~c["undated"] & ~c["overdue"] & c["soon"])


DEFAULT = "green"


def light_expression(on: dt.date | None = None, prefix: str = ""):
    """The light as one SQL CASE over the rule's branches."""
    return Case(
        *(When(condition, then=Value(light)) for condition, light in branches(on, prefix)),
        default=Value(DEFAULT),
        output_field=CharField(),
    )


def with_light(queryset, on: dt.date | None = None):
    return queryset.annotate(light_now=light_expression(on))


def filter_by_light(queryset, value: str, on: dt.date | None = None):
    """The items of `queryset` whose light is `value`. A light that only one branch of the rule
    gives, and that branch before any test of progress (none, red), is that branch's
    condition and the negation of those before it: plain comparisons, which the database
    estimates well and answers from its status and deadline indexes (the CASE in a WHERE has
    no estimate: PostgreSQL then sorts every overdue row for a page of 50). Yellow and green
    are the CASE itself, with what each implies (open; yellow: a deadline from today; green:
    none or after today) added so that the indexes are still used; the CASE decides."""
    on = on or today()
    rule = branches(on)
    lights = [light for _condition, light in rule]
    if value != DEFAULT and lights.count(value) == 1:
        index = lights.index(value)
        matched = rule[index][0]
        for condition, _light in rule[:index]:
            matched &= ~condition
        return queryset.filter(matched)
    implied = (
        ~Q(status=Status.CLOSED)
        & {
            "yellow": Q(deadline__gte=on),
            DEFAULT: Q(deadline__isnull=True) | Q(deadline__gt=on),
        }[value]
    )
    return queryset.alias(light_filter=light_expression(on)).filter(implied, light_filter=value)


# Attention first: the order of every item list. Red, then yellow, then green, then closed
# (the light's own branches, so the order cannot drift from the light); within each light
# the items with a deadline before those without; then by deadline, then id.
RANK = {"red": 0, "yellow": 1, "green": 2, "none": 3}


def attention_rank(on: dt.date | None = None, prefix: str = ""):
    """An integer for ORDER BY: 2 × the light's rank, + 1 without a deadline."""
    light_rank = Case(
        *(
            When(condition, then=Value(2 * RANK[light]))
            for condition, light in branches(on, prefix)
        ),
        default=Value(2 * RANK[DEFAULT]),
        output_field=IntegerField(),
    )
    undated = Case(
        When(Q(**{f"{prefix}deadline__isnull": True}), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return light_rank + undated


def attention_order(on: dt.date | None = None) -> tuple:
    """The default order of an item queryset (lists, 我的待办, export, the API)."""
    return (attention_rank(on), "deadline", "id")
