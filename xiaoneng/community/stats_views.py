"""The statistics page of 社区共治 (community/stats.py) and its .xlsx export: for the staff
who may see matters in their subtree; any unit of that subtree (?unit=), drilled down from a
county to its streets to their communities; a year (?year=) and optionally a month
(?month=)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.community import stats
from xiaoneng.community.nav import module_nav, sees_stats
from xiaoneng.core import policy
from xiaoneng.core.converters import parse_id, year_and_month
from xiaoneng.core.xlsx import write_xlsx, xlsx_response
from xiaoneng.units.models import Unit

YEARS_SHOWN = 6  # this year and the five before it, in the year selector


def staff_only(user) -> None:
    if not sees_stats(user):
        raise PermissionDenied


def chosen_unit(request: HttpRequest) -> Unit:
    """The unit named by ?unit= among those the user sees (404 otherwise, a bad number
    too); their own unit by default."""
    text = request.GET.get("unit", "")
    if not text:
        own = policy.unit_of(request.user)
        if own is None:
            raise PermissionDenied
        return own
    unit_id = parse_id(text)
    unit = None
    if unit_id is not None:
        unit = Unit.objects.restrict(request.user, "view").filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("找不到该单位，或不在您的查看范围内。"))
    return unit


def _trail(user, unit: Unit) -> list[Unit]:
    """The units from the user's own unit down to `unit`'s parent (the way back up)."""
    ids = unit.ancestor_ids()
    if not ids:
        return []
    found = {u.pk: u for u in Unit.objects.restrict(user, "view").filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    unit = chosen_unit(request)
    year, month, errors = year_and_month(request.GET, stats.FIRST_YEAR)
    data = stats.unit_stats(unit, year, month)
    this_year = timezone.localdate().year
    return render(
        request,
        "community/stats/stats.html",
        {
            **module_nav(request.user),
            "data": data,
            "unit": unit,
            "trail": _trail(request.user, unit),
            "year": year,
            "month": month,
            "errors": errors,
            "years": sorted({*range(this_year, this_year - YEARS_SHOWN, -1), year}, reverse=True),
            "months": range(1, 13),
        },
    )


def headers() -> list[str]:
    return [
        _("单位"),
        _("社区数"),
        _("提出议题"),
        _("采纳"),
        _("提交街道合计"),
        _("议事会决定提交"),
        _("逾期自动提交"),
        _("办结"),
        _("平均办结用时（工作日）"),
        _("评价数"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("满意率（%）"),
        _("评论数"),
    ]


def export_rows(data: dict) -> list[list]:
    """The page's table as spreadsheet rows: the total first, then the rows."""
    rows = [[_("合计"), data["total"]["communities"], *(data["total"][k] for k in stats.FIGURES)]]
    for row in data["rows"]:
        rows.append([row["unit"].name, row["communities"], *(row[k] for k in stats.FIGURES)])
    return rows


@login_required
def stats_export(request: HttpRequest) -> HttpResponse:
    """The same table as an .xlsx (formula-free: core.xlsx writes every text as text)."""
    staff_only(request.user)
    unit = chosen_unit(request)
    year, month, _errors = year_and_month(request.GET, stats.FIRST_YEAR)
    data = stats.unit_stats(unit, year, month)
    when = _("%(y)d年") % {"y": year}
    if month:
        when += _("%(m)d月") % {"m": month}
    content = write_xlsx(headers(), export_rows(data), sheet=_("社区共治统计"))
    return xlsx_response(content, f"{unit.name}社区共治统计-{when}.xlsx")
