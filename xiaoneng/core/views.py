from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.models import BaseModel
from xiaoneng.core.nav import entries_for
from xiaoneng.core.workbench import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workbench (工作台): per role, the counters of what needs attention, each a link to
    the list it counts (core.workbench). A resident, who sees no staff data, gets a page
    that says what they can do here."""
    user = request.user
    if not getattr(user, "is_staff_member", False):
        return render(
            request,
            "core/home_resident.html",
            {"modules": entries_for(user), "panels": panels_for(user)},
        )
    panels = [
        (panel, render_to_string(panel.template, panel.context, request) if panel.template else "")
        for panel in panels_for(user)
    ]
    return render(request, "core/home.html", {"panels": panels})


def _restorable_models():
    """The models whose rows come back from the trash: those with a "restore" rule."""
    ruled = {rule.model for rule in policy.rules() if rule.action == "restore"}
    return [m for m in apps.get_models() if issubclass(m, BaseModel) and m in ruled]


def _trash_users_only(user) -> None:
    if not policy.can(user, "use_trash"):
        raise PermissionDenied


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    """The deleted rows the user may restore, newest first (each model's "restore" rule)."""
    _trash_users_only(request.user)
    groups = []
    for model in _restorable_models():
        rows = list(
            model.all_objects.restrict(request.user, "restore")
            .filter(deleted_at__isnull=False)
            .order_by("-deleted_at")[:100]
        )
        if rows:
            groups.append(
                {"label": model._meta.label_lower, "name": model._meta.verbose_name, "rows": rows}
            )
    return render(request, "core/trash.html", {"groups": groups})


@login_required
@require_POST
def restore(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """Bring a row back: a row the user may not see is a 404; one they see but may not
    restore, a 403 that says why (the model's `restore_refusal`)."""
    _trash_users_only(request.user)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if model not in _restorable_models():
        raise Http404
    with transaction.atomic():
        obj = (
            model.all_objects.restrict(request.user, "view")
            .filter(pk=pk, deleted_at__isnull=False)
            # Only the row itself: a scope that joins a nullable relation (a user's unit)
            # cannot lock the outer join's side on PostgreSQL.
            .select_for_update(of=("self",))
            .first()
        )
        if obj is None:
            raise Http404
        refusal = obj.restore_refusal(request.user)
        if refusal or not policy.can(request.user, "restore", obj):
            raise PermissionDenied(refusal or _("无权恢复该对象。"))
        obj.restore(actor=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, _("已恢复：%s") % obj)
    return redirect("core:trash")


def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
