"""Statistics of 会风文风 per unit and month (issue 13 item 7): the one function behind the
statistics page and /api/brevity/stats/, and later the scores.

For a unit U and a year: one row for U's own meetings and documents, one row for each of
U's direct child units rolling up its whole subtree, and a total (U's subtree). Each row
has the twelve months and the year: meetings, their total and average duration, the share
within the rules (rules.within_q); documents, their average 字数, the share within the
limit (models.OVER_Q); and, from the fieldwork module when it is installed, visits, days,
findings and findings solved.

The number of queries does not grow with the units: one for the child units, one grouped
aggregate for the meetings, one for the documents (each grouped by the child unit — the
prefix of the organiser's path one level below U, computed in SQL — and by month), plus
what fieldwork.stats.monthly() costs.
"""

import datetime as dt

from django.db.models import Count, Func, IntegerField, Sum
from django.db.models.functions import ExtractMonth

from xiaoneng.brevity import rules
from xiaoneng.brevity.models import OVER_Q, Document, Meeting
from xiaoneng.core.figures import average, child_key, rate
from xiaoneng.units.models import Unit

MONTHS = range(1, 13)
VISIT_KEYS = ("visits", "days", "findings", "solved")


class Month(ExtractMonth):
    """The month of a date. On SQLite, the built-in strftime() rather than Django's
    django_date_extract(), a Python function called once per row that was half the time of
    the statistics over 100,000 rows; elsewhere Django's EXTRACT."""

    def as_sqlite(self, compiler, connection, **extra_context):
        inner = Func(
            self.lhs, function="strftime", template="%(function)s('%%%%m', %(expressions)s)"
        )
        cast = Func(inner, template="CAST(%(expressions)s AS integer)", output_field=IntegerField())
        return cast.as_sql(compiler, connection)


def _empty() -> dict:
    return {
        "meetings": 0,
        "meeting_minutes": 0,
        "meetings_within": 0,
        "documents": 0,
        "document_chars": 0,
        "documents_within": 0,
    }


def _finish(raw: dict, visits: dict | None) -> dict:
    """Counts → the published figures (rates and averages as Decimal or None)."""
    out = dict(raw)
    out["average_minutes"] = average(raw["meeting_minutes"], raw["meetings"])
    out["within_rules_rate"] = rate(raw["meetings_within"], raw["meetings"])
    out["average_chars"] = average(raw["document_chars"], raw["documents"], "1")
    out["within_limit_rate"] = rate(raw["documents_within"], raw["documents"])
    if visits is not None:
        out.update({key: visits.get(key, 0) for key in VISIT_KEYS})
    return out


def _add(into: dict, values: dict) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0) + (value or 0)


def _grouped(queryset, path_field: str, unit: Unit, year: int, aggregates: dict):
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return (
        queryset.filter(**{f"{path_field}__startswith": unit.path}, date__gte=start, date__lt=end)
        .order_by()
        .values(key=child_key(path_field, unit), month=Month("date"))
        .annotate(**aggregates)
    )


def _visits(units: list[Unit], year: int) -> dict | None:
    """fieldwork.stats.monthly() when the fieldwork module provides it, else None."""
    try:
        from xiaoneng.fieldwork.stats import monthly
    except ImportError:
        return None
    return monthly(units, year)


def unit_stats(unit: Unit, year: int) -> dict:
    """The statistics of `unit` (the caller checks that it may see it) for `year`."""
    children = list(Unit.objects.filter(parent=unit).order_by("sort_key"))
    by_path = {unit.path: unit, **{c.path: c for c in children}}
    raw: dict[tuple[str, int], dict] = {}
    meetings = _grouped(
        Meeting.objects.all(),
        "organiser__path",
        unit,
        year,
        {
            "meetings": Count("id"),
            "meeting_minutes": Sum(rules.length_expression()),
            "meetings_within": Count("id", filter=rules.within_q()),
        },
    )
    documents = _grouped(
        Document.objects.all(),
        "unit__path",
        unit,
        year,
        {
            "documents": Count("id"),
            "document_chars": Sum("chars"),
            "documents_within": Count("id", filter=~OVER_Q),
        },
    )
    for row in [*meetings, *documents]:
        key, month = row.pop("key"), row.pop("month")
        _add(raw.setdefault((key, month), {}), row)

    visits = _visits([unit, *children], year)
    rows: list[dict] = []
    total_months = {m: _empty() for m in MONTHS}
    for part in [unit, *children]:
        months = {}
        for m in MONTHS:
            counts = {**_empty(), **raw.get((part.path, m), {})}
            _add(total_months[m], counts)
            months[m] = counts
        rows.append({"unit": part, "own": part is unit, "months": months})
    # Rows of units no longer in the tree (a deleted child) count in the total only.
    for (key, m), counts in raw.items():
        if key not in by_path:
            _add(total_months[m], counts)

    def visit_figures(part: Unit, m: int | None, own: bool) -> dict | None:
        if visits is None:
            return None
        months = MONTHS if m is None else [m]
        got: dict = {}
        for month in months:
            _add(got, visits.get((part.pk, month), {}))
            if own:  # the unit's own: its subtree's less its children's
                for child in children:
                    for k, v in visits.get((child.pk, month), {}).items():
                        got[k] = got.get(k, 0) - (v or 0)
        return got

    def figures(months: dict, m: int | None) -> dict:
        if m is not None:
            return months[m]
        whole = _empty()
        for counts in months.values():
            _add(whole, counts)
        return whole

    result_rows = []
    for row in rows:
        part, own = row["unit"], row["own"]
        result_rows.append(
            {
                "unit": part,
                "own": own,
                "months": {
                    m: _finish(row["months"][m], visit_figures(part, m, own)) for m in MONTHS
                },
                "year": _finish(figures(row["months"], None), visit_figures(part, None, own)),
            }
        )
    total = {
        "months": {m: _finish(total_months[m], visit_figures(unit, m, False)) for m in MONTHS},
        "year": _finish(figures(total_months, None), visit_figures(unit, None, False)),
    }
    return {
        "unit": unit,
        "year": year,
        "rows": result_rows,
        "total": total,
        "visit_columns": visits is not None,
    }
