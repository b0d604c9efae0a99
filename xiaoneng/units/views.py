from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.versioning import StaleEdit
from xiaoneng.units import services
from xiaoneng.units.filters import UnitFilterSet
from xiaoneng.units.forms import UnitForm
from xiaoneng.units.models import Unit


def _staff_only(user) -> None:
    if not user.is_staff_member:
        raise PermissionDenied


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request.user)
    visible = Unit.objects.visible_to(request.user).filter(path__startswith=request.user.unit.path)
    filterset = UnitFilterSet(request.GET, queryset=visible.select_related("parent"))
    page = Paginator(filterset.qs.order_by("path"), 100).get_page(request.GET.get("page"))
    return render(request, "units/unit_list.html", {"filterset": filterset, "page": page})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request.user)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    in_subtree = unit.is_within(request.user.unit)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": unit.children.order_by("sort", "code") if in_subtree else [],
        "members": unit.members.prefetch_related("roles").order_by("username")
        if in_subtree
        else [],
        "branches": unit.party_branches.annotate(
            member_count=Count("members", filter=Q(members__deleted_at__isnull=True))
        )
        if in_subtree
        else [],
        "history": history_for(unit)[:50] if in_subtree else [],
        "can_manage": in_subtree
        and request.user.has_role(*services.UNIT_ADMIN_ROLES)
        and unit.parent_id is not None
        and unit.parent.is_within(request.user.unit),
        "can_add_child": in_subtree and request.user.has_role(*services.UNIT_ADMIN_ROLES),
    }
    return render(request, "units/unit_detail.html", context)


def _form_view(request, *, unit: Unit | None, parent: Unit | None):
    if not request.user.has_role(*services.UNIT_ADMIN_ROLES):
        raise PermissionDenied
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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("已保存：%s") % unit)
            return redirect("units:detail", unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    _staff_only(request.user)
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(
            Unit.objects.visible_to(request.user).filter(path__startswith=request.user.unit.path),
            pk=parse_id(request.GET["parent"]),
        )
    return _form_view(request, unit=None, parent=parent)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request.user)
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).filter(path__startswith=request.user.unit.path), pk=pk
    )
    return _form_view(request, unit=unit, parent=unit.parent)


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request.user)
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).filter(path__startswith=request.user.unit.path), pk=pk
    )
    try:
        services.delete_unit(unit, actor=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("units:detail", unit.pk)
    messages.success(request, _("已删除：%s（可在回收站恢复）") % unit)
    return redirect("units:detail", unit.parent_id)
