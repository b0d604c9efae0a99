"""Yellow/red warnings of projects, as SQL conditions so lists filter and count by them.

- late start: not started and the planned month is over (yellow), or more than
  START_RED_MONTHS months past it (red);
- late 入库: started, not 入库, STATS_YELLOW_MONTHS (yellow) / STATS_RED_MONTHS (red)
  months after the actual start;
- completion pace: started projects with an annual plan whose year-to-date completion is
  PACE_YELLOW_POINTS or more (yellow) / more than PACE_RED_POINTS (red) percentage points
  behind the expected share, the months already due for reporting ÷ 12;
- missing report: started, and no report for the latest month already due.
"""

import datetime as dt
import operator
from decimal import Decimal
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)

from xiaoneng.projects import conf
from xiaoneng.projects.models import COMPLETED_Q, IN_STATS_Q, STARTED_Q, month_index
from xiaoneng.projects.parsing import add_months

NEVER = Q(pk__in=[])
ACTIVE = ~COMPLETED_Q
# A level as the list, the export and the detail page name it.
LEVEL_TEXT = {0: "", 1: "黄灯", 2: "红灯"}


def start_q(today: dt.date, months: int) -> Q:
    """Not started, and the planned month lies `months` or more months before this month."""
    cutoff = add_months(today.replace(day=1), -months)
    return ~STARTED_Q & Q(planned_start__isnull=False, planned_start__lte=cutoff)


def stats_q(today: dt.date, months: int) -> Q:
    return ~IN_STATS_Q & STARTED_Q & Q(actual_start__lte=add_months(today, -months))


def expected_share(today: dt.date) -> Decimal:
    """Share of the annual plan expected by now: months already due for reporting ÷ 12."""
    from xiaoneng.projects.services import required_report_month

    due = required_report_month(today) - month_index(today.year, 1) + 1
    return Decimal(max(0, min(12, due))) / 12


def pace_q(today: dt.date, points: int, *, strict: bool) -> Q:
    factor = expected_share(today) - Decimal(points) / 100
    if factor <= 0:
        return NEVER
    limit = ExpressionWrapper(
        F("annual_plan") * Value(factor, output_field=DecimalField(max_digits=8, decimal_places=6)),
        output_field=DecimalField(max_digits=24, decimal_places=8),
    )
    behind = Q(completed_ytd__lt=limit) if strict else Q(completed_ytd__lte=limit)
    year = today.year
    return (
        Q(annual_plan__gt=0)
        & STARTED_Q
        & (Q(completed_year=year) & behind | ~Q(completed_year=year))
    )


def outstanding_q(index: int) -> Q:
    """Started by the end of the month `index` (month_index) and without its report yet:
    the projects that owe that month's 月度调度表."""
    year, month0 = divmod(index, 12)
    first_after = add_months(dt.date(year, month0 + 1, 1), 1)
    return (
        STARTED_Q
        & Q(actual_start__lt=first_after)
        & (Q(last_report_month__isnull=True) | Q(last_report_month__lt=index))
    )


def missing_report_q(today: dt.date) -> Q:
    """缺报: the latest month already due (its deadline passed) has no report."""
    from xiaoneng.projects.services import required_report_month

    return outstanding_q(required_report_month(today))


def report_month(today: dt.date) -> dt.date:
    """The month whose report is asked for now: last month (due by REPORT_DUE_DAY of this
    month; after that day, missing)."""
    return add_months(today.replace(day=1), -1)


def report_deadline(today: dt.date) -> dt.date:
    """The deadline of `report_month(today)`'s report (services.report_due_date)."""
    from xiaoneng.projects.services import report_due_date

    month = report_month(today)
    return report_due_date(month.year, month.month)


def due_report_q(today: dt.date) -> Q:
    """待报: active projects that owe last month's report (before or after its deadline)."""
    month = report_month(today)
    return ACTIVE & outstanding_q(month_index(month.year, month.month))


def conditions(today: dt.date) -> dict[str, tuple[Q, Q]]:
    """kind → (yellow-or-worse, red) conditions."""
    active = ACTIVE
    return {
        "start": (
            active & start_q(today, conf.get("START_YELLOW_MONTHS")),
            active & start_q(today, conf.get("START_RED_MONTHS") + 1),
        ),
        "stats": (
            active & stats_q(today, conf.get("STATS_YELLOW_MONTHS")),
            active & stats_q(today, conf.get("STATS_RED_MONTHS")),
        ),
        "pace": (
            active & pace_q(today, conf.get("PACE_YELLOW_POINTS"), strict=False),
            active & pace_q(today, conf.get("PACE_RED_POINTS"), strict=True),
        ),
    }


def _any(conds) -> tuple[Q, Q]:
    yellows = [y for y, _r in conds.values()]
    reds = [r for _y, r in conds.values()]
    return reduce(operator.or_, yellows), reduce(operator.or_, reds)


def _level(yellow: Q, red: Q):
    return Case(
        When(red, then=Value(2)),
        When(yellow, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def annotate(qs, today: dt.date):
    conds = conditions(today)
    any_yellow, any_red = _any(conds)
    return qs.annotate(
        start_level=_level(*conds["start"]),
        stats_level=_level(*conds["stats"]),
        pace_level=_level(*conds["pace"]),
        warning=_level(any_yellow, any_red),
        report_missing=Case(
            When(ACTIVE & missing_report_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def filter_level(qs, level: str, today: dt.date):
    """level: "red", "yellow" (exactly yellow), "warned" (yellow or red), "missing",
    "due" (last month's report not in yet)."""
    conds = conditions(today)
    any_yellow, any_red = _any(conds)
    if level == "red":
        return qs.filter(any_red)
    if level == "yellow":
        return qs.filter(any_yellow).exclude(any_red)
    if level == "warned":
        return qs.filter(any_yellow | any_red)
    if level == "missing":
        return qs.filter(ACTIVE & missing_report_q(today))
    if level == "due":
        return qs.filter(due_report_q(today))
    return qs


def counts(qs, today: dt.date) -> dict:
    from django.db.models import Count

    conds = conditions(today)
    any_yellow, any_red = _any(conds)
    return qs.order_by().aggregate(
        red=Count("id", filter=any_red),
        yellow=Count("id", filter=any_yellow & ~any_red),
        missing=Count("id", filter=ACTIVE & missing_report_q(today)),
    )
