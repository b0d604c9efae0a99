"""Grassroots visit figures, derived (never re-reported): days, visits, findings and findings
solved, per leader, per unit (rolling up the leaders of its subtree) and per month, and
where the leaders went (by prefecture and county of the places).

Definitions, each with one home:

* days of a visit: end − start + 1, both included (`days_expression`; Visit.days in Python);
* a visit counts for the unit its leader served when it was recorded (Visit.unit), and for
  every unit above it; it falls in the year and month of its start date;
* a finding is solved when the problem item it became is closed (supervision's
  Status.CLOSED, the one definition of 办结/销号 that the item lists use).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from xiaoneng.fieldwork import conf
from xiaoneng.fieldwork.models import Finding, Visit, VisitPlace
from xiaoneng.supervision.lights import DayNumber
from xiaoneng.supervision.models import Status
from xiaoneng.units.models import Level, Unit

KEYS = ("visits", "days", "findings", "solved")


def days_expression(prefix: str = ""):
    """A visit's days at the grassroots in SQL: end − start + 1 (both ends included)."""
    return DayNumber(F(f"{prefix}end_date")) - DayNumber(F(f"{prefix}start_date")) + Value(1)


def solved_q(prefix: str = "") -> Q:
    """The findings (through `prefix`) whose problem item is closed (销号)."""
    return Q(**{f"{prefix}item__status": Status.CLOSED})


def _count_of(queryset) -> Subquery:
    """A correlated COUNT(*) of `queryset` (rows filtered by OuterRef), 0 when none."""
    counted = (
        queryset.order_by().values("visit").annotate(n=Count("pk")).values("n")  # one group
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_figures(visits):
    """Visits annotated with `n_days`, `n_findings` and `n_solved` (one row per visit, so
    the sums over them count each visit once)."""
    findings = Finding.objects.filter(visit=OuterRef("pk"))
    return visits.annotate(
        n_days=days_expression(),
        n_findings=_count_of(findings),
        n_solved=_count_of(findings.filter(solved_q())),
    )


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def in_year(visits, year: int):
    first, last = year_range(year)
    return visits.filter(start_date__gte=first, start_date__lte=last)


def _sums():
    return {
        "visits": Count("pk"),
        "days": Sum("n_days"),
        "findings": Sum("n_findings"),
        "solved": Sum("n_solved"),
    }


def _figures(row: dict) -> dict[str, int]:
    return {k: int(row.get(k) or 0) for k in KEYS}


def _rollup_case(units: list[Unit]) -> Case:
    """Each visit's deepest listed unit whose subtree holds the leader's unit (NULL: none)."""
    deepest_first = sorted(units, key=lambda u: (-u.depth, u.pk))
    return Case(
        *(When(unit__path__startswith=u.path, then=Value(u.pk)) for u in deepest_first),
        default=Value(None),
        output_field=IntegerField(),
    )


def monthly(units: list[Unit], year: int) -> dict[tuple[int, int], dict[str, int]]:
    """{(unit.pk, month): {"visits", "days", "findings", "solved"}} for `year`, month 1–12 (of
    the start date), each unit rolling up the visits of the leaders in its subtree. Every
    (unit, month) pair is present, zeros included. One aggregate query, grouped by the
    roll-up unit and the month, whatever the number of units (a listed unit inside another
    listed unit is added to it in Python, from the same rows).

    Scope is the caller's: pass the units the person may see (Unit.objects.restrict)."""
    units = list(units)
    result = {(u.pk, m): dict.fromkeys(KEYS, 0) for u in units for m in range(1, 13)}
    if not units:
        return result
    rows = (
        with_figures(in_year(Visit.objects.all(), year))
        .annotate(rollup=_rollup_case(units), month=ExtractMonth("start_date"))
        .filter(rollup__isnull=False)
        .order_by()
        .values("rollup", "month")
        .annotate(**_sums())
    )
    own = {(row["rollup"], row["month"]): _figures(row) for row in rows}
    by_pk = {u.pk: u for u in units}
    for (pk, month), figures in own.items():
        below = by_pk[pk]
        for unit in units:
            if below.path.startswith(unit.path):
                total = result[(unit.pk, month)]
                for k in KEYS:
                    total[k] += figures[k]
    return result


def totals(units: list[Unit], year: int) -> dict[int, dict[str, int]]:
    """{unit.pk: figures} for the whole year (the sum of monthly())."""
    out: dict[int, dict[str, int]] = {u.pk: dict.fromkeys(KEYS, 0) for u in units}
    for (pk, _month), figures in monthly(units, year).items():
        for k in KEYS:
            out[pk][k] += figures[k]
    return out


# --- Per leader ---------------------------------------------------------------------------


@dataclass
class LeaderRow:
    leader_id: int
    name: str
    unit: str
    level: str
    required: int
    visits: int = 0
    days: int = 0
    findings: int = 0
    solved: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def days_met(self) -> bool:
        return self.days >= self.required

    @property
    def days_share(self) -> int:
        """Days as a whole percentage of the requirement, at most 100 (for a bar)."""
        if not self.required:
            return 100
        return min(100, self.days * 100 // self.required)


def per_leader(visits, year: int) -> list[LeaderRow]:
    """One row per leader with visits in `visits` (already restricted to what the person may
    see) in `year`: visits, days against the requirement of the leader's unit's level,
    findings and findings solved. Solved first, then days (the point is solved problems)."""
    rows = (
        with_figures(in_year(visits, year))
        .order_by()
        .values("leader", "leader__name", "leader__username", "unit__name", "unit__level")
        .annotate(**_sums())
    )
    found: dict[int, LeaderRow] = {}
    for row in rows:
        leader = found.get(row["leader"])
        level = row["unit__level"]
        if leader is None:
            leader = found[row["leader"]] = LeaderRow(
                leader_id=row["leader"],
                name=row["leader__name"] or row["leader__username"],
                unit=row["unit__name"],
                level=str(Level(level).label) if level in Level.values else level,
                required=conf.required_days(level),
            )
        for k in KEYS:
            setattr(leader, k, getattr(leader, k) + int(row[k] or 0))
    return sorted(found.values(), key=lambda r: (-r.solved, -r.findings, -r.days, r.name))


# --- Where the leaders went -------------------------------------------------------------


def _ancestor_at(unit_path: str, ids_by_level: dict[int, str], level: str) -> int | None:
    for part in unit_path.split("/"):
        if part and ids_by_level.get(int(part)) == level:
            return int(part)
    return None


def where_they_went(visits, year: int) -> dict[str, list[dict]]:
    """Visits and days by the prefecture and by the county of the places, for `visits` (the
    person's) in `year`: {"prefectures": [...], "counties": [...]}, each row {"unit",
    "visits", "days"}, most days first. A visit to two places of one county counts once for
    that county; a visit to two counties counts for each. Two queries: the (visit, place
    path) pairs with the visit's days, then the names of the prefectures and counties."""
    pairs = (
        VisitPlace.objects.filter(visit__in=in_year(visits, year).values("pk"))
        .annotate(n_days=days_expression("visit__"))
        .values_list("visit_id", "unit__path", "n_days")
    )
    pairs = list(pairs)
    ids = {int(p) for _v, path, _d in pairs for p in path.split("/") if p}
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=ids, level__in=[Level.PREFECTURE, Level.COUNTY]).only(
            "pk", "name", "level", "sort_key"
        )
    }
    levels = {pk: u.level for pk, u in units.items()}
    out: dict[str, list[dict]] = {}
    for level, key in ((Level.PREFECTURE, "prefectures"), (Level.COUNTY, "counties")):
        seen: dict[int, set[int]] = defaultdict(set)
        days: dict[int, int] = defaultdict(int)
        for visit_id, path, n_days in pairs:
            at = _ancestor_at(path, levels, level)
            if at is None or visit_id in seen[at]:
                continue
            seen[at].add(visit_id)
            days[at] += int(n_days)
        rows = [{"unit": units[pk], "visits": len(seen[pk]), "days": days[pk]} for pk in seen]
        out[key] = sorted(rows, key=lambda r: (-r["days"], -r["visits"], r["unit"].sort_key))
    return out


def leaders_in(units: Iterable[Unit]) -> Q:
    """Visits whose leader's unit lies in one of `units`' subtrees."""
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    return q
