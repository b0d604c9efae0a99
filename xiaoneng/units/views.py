from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.forms import refused_on
from xiaoneng.core.versioning import StaleEdit
from xiaoneng.units import search, services
from xiaoneng.units.filters import UnitFilterSet
from xiaoneng.units.forms import UnitForm
from xiaoneng.units.models import Unit


def json_response(data: dict, status: int = 200) -> JsonResponse:
    """JSON with the Chinese as written (not \\u escapes): smaller, and readable in tests."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _unit_pages(user) -> None:
    """The unit pages are for staff: someone who may see some unit (not a resident)."""
    if not policy.can_any(user, "view", Unit):
        raise PermissionDenied


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _unit_pages(request.user)
    visible = Unit.objects.restrict(request.user, "view")
    filterset = UnitFilterSet(request.GET, queryset=visible.select_related("parent"))
    page = Paginator(filterset.qs.order_by("sort_key"), 100).get_page(request.GET.get("page"))
    return render(request, "units/unit_list.html", {"filterset": filterset, "page": page})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit of one's subtree in full; a unit above (a breadcrumb's link) by its name only."""
    _unit_pages(request.user)
    user = request.user
    unit = get_object_or_404(
        Unit.objects.restrict(user, "view_ancestors").select_related("parent"), pk=pk
    )
    in_subtree = policy.can(user, "view", unit)
    members = (
        list(unit.members.prefetch_related("roles").order_by("username")) if in_subtree else []
    )
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": unit.children.order_by("sort_key") if in_subtree else [],
        "members": members,
        "branches": unit.party_branches.annotate(
            member_count=Count("members", filter=Q(members__deleted_at__isnull=True))
        )
        if in_subtree
        else [],
        "history": history_for(unit)[:50] if in_subtree else [],
        # Who must belong to a party branch (the policy: every leader) and belongs to none.
        "leaders_without_branch": [
            m for m in members if m.party_branch_id is None and policy.can(m, "belong_to_branch")
        ],
        "can_manage": policy.can(user, "change", unit),
        "can_add_child": policy.can(user, "manage_units", unit),
    }
    return render(request, "units/unit_detail.html", context)


def _managers_only(user) -> None:
    if not policy.can_any(user, "manage_units", Unit):
        raise PermissionDenied(_("只有单位管理员或效能办可以维护单位。"))


def _form_view(request, *, unit: Unit | None, parent: Unit | None):
    initial = {"parent": parent, "level": parent.level if parent else None}
    form = UnitForm(request.POST or None, instance=unit, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if unit is None:
                unit = services.create_unit(actor=request.user, **data)
            else:
                unit = services.update_unit(
                    Unit.objects.get(pk=unit.pk), actor=request.user, **data
                )
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已保存：%s") % unit)
            return redirect("units:detail", unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    _unit_pages(request.user)
    _managers_only(request.user)
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(
            Unit.objects.restrict(request.user, "manage_units"),
            pk=parse_id(request.GET["parent"]),
        )
    return _form_view(request, unit=None, parent=parent)


def _changeable(request, pk: int) -> Unit:
    """A unit the user may edit or delete: one they may see but not change is a 403 (their
    own unit is the level above's to maintain); one they may not see, a 404."""
    _managers_only(request.user)
    unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=pk)
    if not policy.can(request.user, "change", unit):
        raise PermissionDenied(_("只能在本单位之下维护单位。"))
    return unit


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _unit_pages(request.user)
    unit = _changeable(request, pk)
    return _form_view(request, unit=unit, parent=unit.parent)


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _unit_pages(request.user)
    unit = _changeable(request, pk)
    try:
        services.delete_unit(unit, actor=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("units:detail", unit.pk)
    messages.success(request, _("已删除：%s（可在回收站恢复）") % unit)
    return redirect("units:detail", unit.parent_id)


@login_required
def unit_search(request: HttpRequest) -> HttpResponse:
    """The pickers' search: `q` (words: name, short name, pinyin initials, code prefix),
    `action` (the policy's action the field needs: "view" for a filter, "assign" for the
    assign form's units …), `within` (a unit's id: its subtree only), `level` (one or more,
    comma separated). At most LIMIT units in the standard order, each with its path;
    `more` says there are others (type more to narrow)."""
    _unit_pages(request.user)
    action = request.GET.get("action") or "view"
    try:
        units = Unit.objects.restrict(request.user, action[:40])
    except ImproperlyConfigured:
        return json_response({"error": _("参数 action 无效。")}, status=400)
    within = None
    if "within" in request.GET and request.GET["within"] != "":
        within_id = parse_id(request.GET["within"])
        if within_id is None:
            return json_response({"error": _("参数 within 应为单位编号。")}, status=400)
        # A unit above the user's names a chain they may read; one outside matches nothing.
        within = Unit.objects.restrict(request.user, "view_ancestors").filter(pk=within_id).first()
        if within is None:
            return json_response({"results": [], "more": False})
    levels = [x for x in request.GET.get("level", "").split(",") if x]
    if any(level not in search.LEVELS for level in levels):
        return json_response({"error": _("参数 level 无效。")}, status=400)
    found = list(
        search.search(units, request.GET.get("q", "")[:200], within=within, levels=levels)[
            : search.LIMIT + 1
        ]
    )
    return json_response(
        {"results": search.as_results(found[: search.LIMIT]), "more": len(found) > search.LIMIT}
    )
