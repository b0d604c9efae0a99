"""Statistics of 社区共治 per community, street and county (issue 14 item 9): the one function
behind the statistics page, its export and /api/community/stats/, and `unit_figures()`, the
figures scoring reads.

Any unit: its figures are those of the communities in its subtree. `unit_stats(unit, year,
month)` gives one row per child unit that holds communities (a street's rows are its
communities; a county's, its streets and townships) and the total of the subtree.

Each figure counts what happened in the period (the year, or one month of it), on the day it
happened (local time):

* raised (提出): matters created in the period;
* adopted (采纳): matters decided in the period (`Matter.decided_on`) with an adopt decision,
  whatever became of them since (being handled, closed, or escalated to the street);
* referred up (提交街道): matters referred in the period (`Matter.referred_at`), by the
  council's decision (`Referral.DECISION`) and by escalation past the deadline
  (`Referral.ESCALATION`), shown apart, and their sum;
* solved (办结): matters solved in the period by `models.solved_q()` (closed by the community,
  or referred up and the street's item closed), on the day `Matter.solved_on()` gives;
* working days to solve (平均办结用时): for the matters solved in the period, the working days
  from the day the matter was raised to the day it was solved, on the platform's calendar
  (`supervision.workdays.Calendar.workdays_between`: the working days after the first day up
  to and including the last; solved the day it was raised is 0), averaged to one decimal;
* satisfaction (满意度): the ratings of the matters solved in the period: counts of 满意,
  基本满意 and 不满意, and the share of 满意 + 基本满意 among them (one decimal);
* comments (评论): comments posted in the period, replies included, except those hidden by
  moderation (what moderation took away is not participation).

Hidden matters (隐藏) count in every figure: a hidden matter was still raised, and may still
be handled; hiding keeps it off the public board (board.py), not out of the staff's
statistics. Deleted rows (soft delete) count nowhere.

Scope is the caller's: pass a unit the person may see (`Unit.objects.restrict(user,
"view")`); every matter of a unit's subtree is visible to whoever may see the unit.

The number of queries does not grow with the units: two for the child units and their
communities, one grouped aggregate for the matters, one for the solved matters (grouped by
raised and solved day), one for the ratings, one for the comments, and the calendar's
holiday table (two small queries per calendar year the solved matters span).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from xiaoneng.community.models import (
    Comment,
    Decision,
    DecisionKind,
    Matter,
    Rating,
    RatingValue,
    Referral,
    solved_on_expression,
    solved_q,
)
from xiaoneng.core import figures
from xiaoneng.core.figures import average, child_key, rate
from xiaoneng.supervision.workdays import Calendar
from xiaoneng.units.models import Level, Unit

FIRST_YEAR = 2000  # the earliest year the page and the API accept

# The counts summed over rows; the rates and averages are made from them (`finish`).
COUNTS = (
    "raised",
    "adopted",
    "referred_decision",
    "referred_escalation",
    "solved",
    "solve_workdays",  # the working days of the solved matters, summed
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "comments",
)
# The published figures, in the order the page, the export and the API show them.
FIGURES = (
    "raised",
    "adopted",
    "referred",
    "referred_decision",
    "referred_escalation",
    "solved",
    "average_workdays",
    "rated",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "satisfaction_rate",
    "comments",
)


def period(year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """[first day, day after the last) of the year, or of one month of it."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    first = dt.date(year, month, 1)
    return first, (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))


def _moments(first: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's bounds as local midnights (for the datetime fields)."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min), tz),
    )


def _solved_in(matters, first: dt.date, end: dt.date):
    return (
        matters.filter(solved_q())
        .annotate(solved_day=solved_on_expression())
        .filter(solved_day__gte=first, solved_day__lt=end)
    )


def _add(into: dict, key: str, name: str, value) -> None:
    counts = into.setdefault(key, dict.fromkeys(COUNTS, 0))
    counts[name] += int(value or 0)


def _counts_by_key(unit: Unit, first: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """{child key: the counts} of `unit`'s subtree in [first, end): four queries."""
    start, stop = _moments(first, end)
    found: dict[str, dict[str, int]] = {}
    matters = Matter.objects.filter(community__path__startswith=unit.path).order_by()

    raised = Q(created_at__gte=start, created_at__lt=stop)
    decided = Q(decided_on__gte=first, decided_on__lt=end)
    referred = Q(referred_at__gte=start, referred_at__lt=stop)
    adopt = Exists(
        Decision.objects.filter(matter=OuterRef("pk"), decision=DecisionKind.ADOPT).order_by()
    )
    for row in (
        matters.filter(raised | decided | referred)
        .annotate(adopt_decision=adopt)
        .values(key=child_key("community__path", unit))
        .annotate(
            raised=Count("pk", filter=raised),
            adopted=Count("pk", filter=decided & Q(adopt_decision=True)),
            referred_decision=Count("pk", filter=referred & Q(referral=Referral.DECISION)),
            referred_escalation=Count("pk", filter=referred & Q(referral=Referral.ESCALATION)),
        )
    ):
        for name in ("raised", "adopted", "referred_decision", "referred_escalation"):
            _add(found, row["key"], name, row[name])

    # Solved: grouped by the raised and solved days, so that the working days are counted
    # once for each pair of days (one calendar for all of them: supervision.listing's way).
    calendar = Calendar()
    for row in (
        _solved_in(matters, first, end)
        .values(
            "solved_day",
            key=child_key("community__path", unit),
            raised_day=TruncDate("created_at"),
        )
        .annotate(n=Count("pk"))
    ):
        days = calendar.workdays_between(row["raised_day"], row["solved_day"])
        _add(found, row["key"], "solved", row["n"])
        _add(found, row["key"], "solve_workdays", days * row["n"])

    solved_ids = _solved_in(matters, first, end).values("pk")
    names: dict[str, str] = {
        RatingValue.SATISFIED.value: "satisfied",
        RatingValue.BASICALLY.value: "basically_satisfied",
        RatingValue.DISSATISFIED.value: "dissatisfied",
    }
    for row in (
        Rating.objects.filter(matter__in=solved_ids)
        .order_by()
        .values("rating", key=child_key("matter__community__path", unit))
        .annotate(n=Count("pk"))
    ):
        if row["rating"] in names:
            _add(found, row["key"], names[row["rating"]], row["n"])

    for row in (
        Comment.objects.filter(
            matter__community__path__startswith=unit.path,
            matter__deleted_at__isnull=True,
            hidden_at__isnull=True,
            created_at__gte=start,
            created_at__lt=stop,
        )
        .order_by()
        .values(key=child_key("matter__community__path", unit))
        .annotate(n=Count("pk"))
    ):
        _add(found, row["key"], "comments", row["n"])
    return found


def finish(counts: dict[str, int]) -> dict:
    """The counts → the published figures (FIGURES; rates and averages Decimal or None)."""
    rated = counts["satisfied"] + counts["basically_satisfied"] + counts["dissatisfied"]
    return {
        "raised": counts["raised"],
        "adopted": counts["adopted"],
        "referred": counts["referred_decision"] + counts["referred_escalation"],
        "referred_decision": counts["referred_decision"],
        "referred_escalation": counts["referred_escalation"],
        "solved": counts["solved"],
        "average_workdays": average(counts["solve_workdays"], counts["solved"]),
        "rated": rated,
        "satisfied": counts["satisfied"],
        "basically_satisfied": counts["basically_satisfied"],
        "dissatisfied": counts["dissatisfied"],
        "satisfaction_rate": rate(counts["satisfied"] + counts["basically_satisfied"], rated),
        "comments": counts["comments"],
    }


def _sum(parts) -> dict[str, int]:
    total = dict.fromkeys(COUNTS, 0)
    for counts in parts:
        for name in COUNTS:
            total[name] += counts[name]
    return total


def unit_stats(unit: Unit, year: int, month: int | None = None) -> dict:
    """The statistics of `unit` (the caller checks that it may see it) for `year`, or one
    `month` of it:

        {"unit", "year", "month", "rows": [{"unit", "communities", **figures}],
         "total": {"communities", **figures}}

    rows: each child unit holding communities, in the tree's order (a community itself has
    none: the total is its own figures)."""
    first, end = period(year, month)
    children = list(Unit.objects.filter(parent=unit).order_by("sort_key"))
    communities = {
        row["key"]: row["n"]
        for row in Unit.objects.filter(level=Level.COMMUNITY, path__startswith=unit.path)
        .order_by()
        .values(key=child_key("path", unit))
        .annotate(n=Count("pk"))
    }
    counts = _counts_by_key(unit, first, end)
    empty = dict.fromkeys(COUNTS, 0)
    rows = [
        {
            "unit": child,
            "communities": communities.get(child.path, 0),
            **finish(counts.get(child.path, empty)),
        }
        for child in children
        if child.path in communities or child.path in counts
    ]
    return {
        "unit": unit,
        "year": year,
        "month": month,
        "rows": rows,
        "total": {
            "communities": sum(communities.values()),
            **finish(_sum(counts.values())),
        },
    }


def unit_figures(unit: Unit, year: int) -> dict:
    """The figures of `unit`'s subtree for the whole `year`, for scoring (and anyone else who
    needs one unit's numbers): a flat dict with the keys of `FIGURES`:

        raised, adopted, referred (= referred_decision + referred_escalation), solved: int
        average_workdays: Decimal (one decimal) or None when nothing was solved
        rated, satisfied, basically_satisfied, dissatisfied: int (ratings)
        satisfaction_rate: Decimal percentage (one decimal) or None when nobody rated
        comments: int

    Definitions as in this module's docstring. Four queries, plus the calendar's."""
    first, end = period(year)
    return finish(_sum(_counts_by_key(unit, first, end).values()))


def jsonable(data: dict) -> dict:
    """The statistics as the API answers them: units as {id, code, name}, rates as numbers."""
    return figures.jsonable(data, unit_fields=("id", "code", "name"))
