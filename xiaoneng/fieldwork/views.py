"""Pages of 下基层: the list, recording and changing a visit, its page (findings, each turned
into a problem item in one step), the figures per leader and per unit, where leaders went."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accounts.models import User
from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id, parse_number
from xiaoneng.core.forms import refused_on
from xiaoneng.fieldwork import services, stats
from xiaoneng.fieldwork.filters import VisitFilterSet
from xiaoneng.fieldwork.forms import FINDING_BOXES, FindingForm, ToItemForm, VisitForm
from xiaoneng.fieldwork.models import Finding, Visit, VisitPlace
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit


def staff_only(user) -> None:
    """The module's pages are the staff's: whoever may see visits at all (residents not)."""
    if not policy.can_any(user, "view", Visit):
        raise PermissionDenied


def _visits(user):
    return (
        Visit.objects.restrict(user, "view")
        .select_related("leader", "unit")
        .prefetch_related(
            Prefetch("visitplace_set", queryset=VisitPlace.objects.select_related("unit"))
        )
    )


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    return parse_number(request.GET.get("year"), 2000, this + 1) or this


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    qs = stats.with_figures(_visits(request.user))
    filterset = VisitFilterSet(request.GET or None, queryset=qs, request=request)
    page = Paginator(filterset.qs.order_by("-start_date", "-id"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "fieldwork/visit_list.html",
        {
            "page": page,
            "form": filterset.form,
            "can_record": policy.can_any(request.user, "record_visit", User),
        },
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "record_visit", User):
        raise PermissionDenied(_("只有领导干部本人或本单位办公室可以登记下基层。"))
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.record_visit(actor=request.user, findings=form.findings, **data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("下基层记录已登记。"))
            return redirect("fieldwork:visit_detail", visit.pk)
    findings = form.findings if form.is_bound else []
    boxes = findings + [""] * max(FINDING_BOXES - len(findings), 1 if findings else 0)
    return render(request, "fieldwork/visit_form.html", {"form": form, "boxes": boxes})


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    visit = get_object_or_404(Visit.objects.restrict(request.user, "change"), pk=pk)
    initial = {
        "start_date": visit.start_date,
        "end_date": visit.end_date,
        "kind": visit.kind,
        "places": [vp.unit_id for vp in visit.visitplace_set.all()],
        "met": visit.met,
        "notes": visit.notes,
    }
    form = VisitForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_visit(visit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("fieldwork:visit_detail", visit.pk)
    return render(request, "fieldwork/visit_form.html", {"form": form, "visit": visit})


def _detail(request, visit: Visit, *, bound: dict | None = None, status: int = 200):
    """The visit's page; `bound`: a form posted with errors, by its finding's pk (or "add")."""
    bound = bound or {}
    user = request.user
    findings = list(visit.findings.select_related("item"))
    may_change = policy.can(user, "change", visit)
    seen_items = set(
        Item.objects.restrict(user, "view")
        .filter(pk__in=[f.item_id for f in findings if f.item_id])
        .values_list("pk", flat=True)
    )
    may_assign = policy.can_any(user, "assign", Unit)
    for f in findings:
        f.item_seen = f.item_id in seen_items
        f.to_item_form = None
        if f.item_id is None and may_change and may_assign:
            f.to_item_form = bound.get(f.pk) or ToItemForm(user=user, finding=f)
    return render(
        request,
        "fieldwork/visit_detail.html",
        {
            "visit": visit,
            "places": visit.place_list(),
            "findings": findings,
            "may_change": may_change,
            "finding_form": bound.get("add") or (FindingForm() if may_change else None),
            "history": history_for(visit)[:30],
        },
        status=status,
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    visit = get_object_or_404(_visits(request.user), pk=pk)
    return _detail(request, visit)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    visit = get_object_or_404(_visits(request.user).restrict(request.user, "change"), pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.add_finding(visit, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已补充发现的问题。"))
            return redirect("fieldwork:visit_detail", visit.pk)
    return _detail(request, visit, bound={"add": form}, status=400)


@login_required
@require_POST
def finding_to_item(request: HttpRequest, pk: int) -> HttpResponse:
    """转为问题清单: the finding becomes a problem item; then the item's page."""
    staff_only(request.user)
    finding = get_object_or_404(
        Finding.objects.restrict(request.user, "view").select_related("visit"), pk=pk
    )
    visit = get_object_or_404(_visits(request.user), pk=finding.visit_id)
    if not policy.can(request.user, "convert", finding):
        raise PermissionDenied(_("您不能将该问题转为问题清单。"))
    form = ToItemForm(request.POST, user=request.user, finding=finding)
    if form.is_valid():
        try:
            item = services.finding_to_item(finding, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已转为问题清单：%s") % item.code)
            return redirect("supervision:item_detail", item.pk)
    return _detail(request, visit, bound={finding.pk: form}, status=400)


# --- Figures ------------------------------------------------------------------------------


def _scope_unit(request: HttpRequest) -> Unit:
    """The unit whose figures are shown: ?unit= among those the person sees, else their own."""
    own = policy.unit_of(request.user)
    if own is None:
        raise PermissionDenied
    chosen = parse_id(request.GET.get("unit"))
    if chosen:
        found = Unit.objects.restrict(request.user, "view").filter(pk=chosen).first()
        if found is not None:
            return found
    return own


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


@login_required
def visit_stats(request: HttpRequest) -> HttpResponse:
    """Per leader and per unit this year: days against the requirement, visits, findings and
    findings solved, side by side (solved first: solved problems, not days, are the point)."""
    staff_only(request.user)
    year, unit = _year(request), _scope_unit(request)
    children = list(
        Unit.objects.restrict(request.user, "view").filter(parent=unit).order_by("sort_key")
    )
    units = [unit, *children]
    figures = stats.totals(units, year)
    unit_rows = [{"unit": u, **figures[u.pk]} for u in units]
    leaders = stats.per_leader(
        Visit.objects.restrict(request.user, "view").filter(unit__path__startswith=unit.path),
        year,
    )
    return render(
        request,
        "fieldwork/visit_stats.html",
        {
            "year": year,
            "years": _years(),
            "unit": unit,
            "unit_rows": unit_rows,
            "leaders": leaders,
        },
    )


@login_required
def visit_where(request: HttpRequest) -> HttpResponse:
    """Where the leaders of a unit's subtree went: by prefecture and county of the places."""
    staff_only(request.user)
    year, unit = _year(request), _scope_unit(request)
    visits = Visit.objects.restrict(request.user, "view").filter(unit__path__startswith=unit.path)
    went = stats.where_they_went(visits, year)
    charts = []
    for key, title in (("prefectures", _("按州（市）")), ("counties", _("按县（市、区）"))):
        rows = went[key]
        spec = {
            "title": title,
            "labels": [r["unit"].name for r in rows],
            "series": [
                {"name": _("天数"), "data": [r["days"] for r in rows]},
                {"name": _("次数"), "data": [r["visits"] for r in rows]},
            ],
        }
        charts.append({"id": key, "title": title, "rows": rows, "spec": json.dumps(spec)})
    return render(
        request,
        "fieldwork/visit_where.html",
        {"year": year, "years": _years(), "unit": unit, "charts": charts},
    )
