from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.converters import parse_id
from xiaoneng.core.versioning import StaleEdit
from xiaoneng.notifications import services
from xiaoneng.notifications.forms import PreferenceForm, WebhookForm
from xiaoneng.notifications.models import (
    DeliveryStatus,
    EmailDelivery,
    Notification,
    Preference,
    Webhook,
    WebhookDelivery,
)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.restrict(request.user, "view")
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread": services.unread_count(request.user),
            "can_manage_robots": policy.can_any(request.user, "manage_robots", Webhook),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [i for i in map(parse_id, request.POST.getlist("id")) if i is not None] or None
    services.mark_read(request.user, ids)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = Preference.objects.restrict(request.user, "change").first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.set_preference(request.user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _admin(user):
    """The robot pages are for those who configure robots somewhere (core.policy)."""
    if not policy.can_any(user, "manage_robots", Webhook):
        raise PermissionDenied


@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    _admin(request.user)
    rows = Webhook.objects.restrict(request.user, "manage_robots").select_related("unit")
    # Messages and emails that did not get through (given up) or are waiting for a retry,
    # newest first.
    troubled = Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
    deliveries = (
        WebhookDelivery.objects.restrict(request.user, "manage_robots")
        .filter(troubled)
        .select_related("webhook__unit")
        .order_by("-last_attempt_at", "-id")[:50]
    )
    emails = (
        EmailDelivery.objects.restrict(request.user, "view")
        .filter(troubled)
        .select_related("recipient__unit")
        .order_by("-last_attempt_at", "-id")[:50]
    )
    return render(
        request,
        "notifications/webhook_list.html",
        {
            "rows": rows,
            "troubled": deliveries,
            "troubled_emails": emails,
            "max_attempts": len(services.RETRY_DELAYS) + 1,
            "retry_minutes": "、".join(
                f"{d.total_seconds() / 60:g}" for d in services.RETRY_DELAYS
            ),
        },
    )


@login_required
def webhook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _admin(request.user)
    hook = (
        get_object_or_404(Webhook.objects.restrict(request.user, "manage_robots"), pk=pk)
        if pk
        else None
    )
    form = WebhookForm(request.POST or None, instance=hook, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_webhook(
                Webhook.objects.get(pk=pk) if pk else None, actor=request.user, **form.cleaned_data
            )
        except StaleEdit as exc:
            form.stale(exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("notifications:webhook_list")
    return render(request, "notifications/webhook_form.html", {"form": form, "hook": hook})


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request.user)
    delivery = get_object_or_404(
        WebhookDelivery.objects.restrict(request.user, "manage_robots"), pk=pk
    )
    try:
        services.resend_delivery(delivery, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已重新发送。"))
    return redirect(f"{reverse('notifications:webhook_list')}#failed")
