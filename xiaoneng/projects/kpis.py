"""KPIs over any scope (item 4/5 of the issue), computed by SQL aggregates.

`summary()` is the one function used by the `projects summary` command, the API and the
dashboard. It reads only the project table (completed investment is the figure each
project keeps up to date from its monthly reports), in three aggregate queries:
totals with the brackets as conditional aggregates, by prefecture, by industry.

Rates are percentages with one decimal, rounded half up with Decimal arithmetic from the
counts and sums the database returns (SQLite has no decimal type, so dividing there
would round differently on the two backends); a zero denominator gives None ("—").
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiaoneng.core import policy
from xiaoneng.core.converters import parse_id
from xiaoneng.projects import conf
from xiaoneng.projects.industries import AmbiguousIndustry, IndustryIndex
from xiaoneng.projects.models import (
    IN_STATS_Q,
    STARTED_Q,
    Batch,
    Industry,
    MonthlyReport,
    Project,
)
from xiaoneng.units.models import Level, Unit
from xiaoneng.units.names import AmbiguousName, NameIndex

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_KEYS = ("total_investment", "annual_plan", "completed_ytd")


def rate(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def _sum(field, **filter_kw):
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
    if filter_kw:
        return Coalesce(Sum(field, filter=Q(**filter_kw)), zero)
    return Coalesce(Sum(field), zero)


def kpi_aggregates(year: int) -> dict:
    """The counts and sums of the KPIs. Completed investment is this year's only: a project
    whose latest figure is of another year (last December's, before January's report)
    counts 0 against this year's plan."""
    return {
        "n_projects": Count("id"),
        "sum_total": _sum("total_investment"),
        "sum_annual": _sum("annual_plan"),
        "n_started": Count("id", filter=STARTED_Q),
        "n_in_stats": Count("id", filter=IN_STATS_Q),
        "sum_completed": _sum("completed_ytd", completed_year=year),
    }


def _yi_key(value: Decimal) -> str:
    return str(value).replace(".", "_")


def bracket_aggregates() -> dict:
    aggs = {}
    for prefix, field, thresholds in (
        ("tb", "total_investment", conf.get("TOTAL_BRACKETS_YI")),
        ("ab", "annual_plan", conf.get("ANNUAL_BRACKETS_YI")),
    ):
        for yi in thresholds:
            limit = {f"{field}__gte": yi * conf.WAN_PER_YI}
            key = f"{prefix}_{_yi_key(yi)}"
            aggs[f"{key}_n"] = Count("id", filter=Q(**limit))
            aggs[f"{key}_total"] = _sum("total_investment", **limit)
            aggs[f"{key}_annual"] = _sum("annual_plan", **limit)
    return aggs


def kpi_row(values: dict) -> dict:
    """Counts and sums → the published KPI keys (money as Decimal, rates as Decimal or None)."""
    n, started, in_stats = values["n_projects"], values["n_started"], values["n_in_stats"]
    annual = _money(values["sum_annual"])
    completed = _money(values["sum_completed"])
    return {
        "projects": n,
        "total_investment": _money(values["sum_total"]),
        "annual_plan": annual,
        "started": started,
        "start_rate": rate(started, n),
        "in_stats": in_stats,
        "in_stats_rate": rate(in_stats, n),
        "in_stats_rate_of_started": rate(in_stats, started),
        "completed_ytd": completed,
        "completion_rate": rate(completed, annual),
    }


def _min_yi(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def _brackets(values: dict, prefix: str, thresholds) -> list[dict]:
    rows = []
    for yi in thresholds:
        key = f"{prefix}_{_yi_key(yi)}"
        rows.append(
            {
                "min_yi": _min_yi(yi),
                "projects": values[f"{key}_n"],
                "total_investment": _money(values[f"{key}_total"]),
                "annual_plan": _money(values[f"{key}_annual"]),
            }
        )
    return rows


def breakdown(qs, field: str, year: int) -> list[dict]:
    """KPIs grouped by a foreign key (prefecture, county, industry), most projects first."""
    rows = list(qs.order_by().values(field).annotate(**kpi_aggregates(year)))
    model = Industry if field == "industry" else Unit
    names = {
        pk: (name, sort)
        for pk, name, sort in model.all_objects.filter(pk__in=[r[field] for r in rows]).values_list(
            "pk", "name", "sort"
        )
    }
    result = []
    for row in rows:
        name, sort = names.get(row[field], ("—", 0))
        result.append({"id": row[field], "name": name, **kpi_row(row), "_sort": sort})
    result.sort(key=lambda r: (-r["projects"], r["_sort"], r["name"]))
    for r in result:
        del r["_sort"]
    return result


def summary(
    qs, *, batch: str = "", scope: str = "", by_county: bool = False, year: int | None = None
) -> dict:
    """All of item 5 for a (scoped, filtered) Project queryset. Values stay Decimal.

    `year`: the year of the annual plan and of the completed investment (default: today's).
    """
    year = year or timezone.localdate().year
    totals = qs.order_by().aggregate(**kpi_aggregates(year), **bracket_aggregates())
    data = {"batch": batch, "scope": scope, "year": year, **kpi_row(totals)}
    data["by_prefecture"] = breakdown(qs, "prefecture", year)
    if by_county:
        data["by_county"] = breakdown(qs.filter(county__isnull=False), "county", year)
    data["by_industry"] = breakdown(qs, "industry", year)
    data["total_investment_brackets"] = _brackets(totals, "tb", conf.get("TOTAL_BRACKETS_YI"))
    data["annual_plan_brackets"] = _brackets(totals, "ab", conf.get("ANNUAL_BRACKETS_YI"))
    return data


def jsonable(data: dict) -> dict:
    def convert(key, value):
        if isinstance(value, dict):
            return {k: convert(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(key, v) for v in value]
        if isinstance(value, Decimal):
            if key.endswith("_rate") or key.startswith("in_stats_rate"):
                return float(value)
            return f"{value:.2f}"
        return value

    return {k: convert(k, v) for k, v in data.items()}


# --- Scopes from request parameters or command options ---------------------------------------


class ScopeError(ValueError):
    pass


def find_unit(text: str, level: str, parent: Unit | None = None, *, user) -> Unit:
    """A prefecture or county by id, code, name, short name or a common short form
    ("红河州", "版纳", "石林县": `units.names`); a form that fits two units is refused.
    Only the units `user` may see (their subtree, the dashboard's choices; SYSTEM: all): a
    unit outside it gets the answer of a unit that does not exist."""
    units = Unit.objects.filter(level=level).restrict(user, "view")
    if parent is not None:
        units = units.filter(parent=parent)
    text = str(text).strip()
    what = "州市" if level == Level.PREFECTURE else "县市区"
    candidates = list(units)
    if text.isascii() and text.isdigit() and len(text) < 6:
        by_pk = [u for u in candidates if u.pk == int(text)]
        if by_pk:
            return by_pk[0]
    try:
        found = NameIndex(candidates).find(text)
    except AmbiguousName as exc:
        raise ScopeError(
            f"{what}“{text}”不明确：可指{'、'.join(u.name for u in exc.units)}，请写全称"
        ) from None
    if found is None:
        raise ScopeError(f"找不到{what}：{text}")
    return found


def find_industry(text) -> Industry:
    """An industry by id, or by name or alias through the ledger's rule
    (`industries.IndustryIndex`: 旅游业 → 文化旅游; an alias of two industries is refused)."""
    text = str(text).strip()
    pk = parse_id(text)
    if pk is not None:
        by_pk = Industry.objects.filter(pk=pk).first()
        if by_pk is not None:
            return by_pk
    try:
        industry = IndustryIndex().find(text)
    except AmbiguousIndustry as exc:
        raise ScopeError(str(exc)) from None
    if industry is None:
        raise ScopeError(f"没有这个行业：{text}")
    return industry


def scope_labels(
    user,
    *,
    batches=(),
    prefecture: Unit | None = None,
    county: Unit | None = None,
    industry: Industry | None = None,
) -> tuple[str, str]:
    """(batch label, scope label) of a summary: "2022Q1、2022Q2", "昆明市·西山区·交通"."""
    unit = policy.unit_of(user)
    scope = unit.name if unit is not None and unit.parent_id else "全省"
    if prefecture:
        scope = prefecture.name
    if county:
        scope = f"{scope}·{county.name}" if prefecture else county.name
    if industry:
        scope = f"{scope}·{industry.name}"
    return "、".join(batches) or "全部批次", scope


def scoped_projects(
    user,
    *,
    batches=(),
    prefecture: str | None = None,
    county: str | None = None,
    industry: str | None = None,
) -> tuple:
    """(queryset, batch label, scope label, prefecture unit or None) for filters given as
    text (names, codes or ids: the command and the summary API; the pages use
    `filters.ScopeFilterSet`). `user`: who asks (SYSTEM for the command: every project)."""
    qs = Project.objects.restrict(user, "view")
    batch_codes = [b for b in batches if b]
    if batch_codes:
        known = set(
            Batch.objects.restrict(user, "view")
            .filter(code__in=batch_codes)
            .values_list("code", flat=True)
        )
        unknown = [b for b in batch_codes if b not in known]
        if unknown:
            raise ScopeError(f"没有这个批次：{'、'.join(unknown)}")
        qs = qs.filter(batch__code__in=batch_codes)
    pref_unit = county_unit = ind = None
    if prefecture:
        pref_unit = find_unit(prefecture, Level.PREFECTURE, user=user)
        qs = qs.filter(prefecture=pref_unit)
    if county:
        county_unit = find_unit(county, Level.COUNTY, pref_unit, user=user)
        qs = qs.filter(county=county_unit)
    if industry:
        ind = find_industry(industry)
        qs = qs.filter(industry=ind)
    batch_label, scope = scope_labels(
        user, batches=batch_codes, prefecture=pref_unit, county=county_unit, industry=ind
    )
    return qs, batch_label, scope, pref_unit


def monthly_trend(qs, year: int | None = None) -> tuple[int | None, list[dict]]:
    """Completed investment and reports by month, for the projects in `qs`."""
    reports = MonthlyReport.objects.filter(project__in=qs.order_by().values("pk"))
    if year is None:
        year = reports.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            return None, []
    rows = (
        reports.filter(year=year)
        .order_by("month")
        .values("month")
        .annotate(completed=_sum("completed_this_month"), reports=Count("id"))
    )
    by_month = {r["month"]: r for r in rows}
    trend = []
    running = ZERO
    for month in range(1, 13):
        row = by_month.get(month)
        if row is None and month > max(by_month or [0]):
            break
        done = _money(row["completed"]) if row else ZERO
        running += done
        trend.append(
            {
                "month": month,
                "completed": done,
                "completed_cumulative": running,
                "reports": row["reports"] if row else 0,
            }
        )
    return year, trend
