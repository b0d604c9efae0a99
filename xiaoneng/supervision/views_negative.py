"""Pages of the negative list (负面清单), violations and the exposure board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.supervision import negative
from xiaoneng.supervision.filters import ViolationFilterSet
from xiaoneng.supervision.forms import BehaviourForm, ViolationForm
from xiaoneng.supervision.models import Behaviour, Item, Violation
from xiaoneng.supervision.views import staff_only
from xiaoneng.units.models import Unit


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    # The records of one's own subtree (others' published cases are on the board), with
    # the API's filters (ViolationFilterSet): an invalid one is named and left out.
    qs = Violation.objects.restrict(request.user, "view_record").select_related(
        "behaviour", "unit", "person"
    )
    filterset = ViolationFilterSet(request.GET or None, queryset=qs, request=request)
    page = Paginator(filterset.qs.order_by("-date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/violation_list.html",
        {
            "page": page,
            "form": filterset.form,
            "behaviours": Behaviour.objects.restrict(request.user, "view"),
            "can_record": policy.can_any(request.user, "record_violation", Unit),
        },
    )


@login_required
def exposure_board(request: HttpRequest) -> HttpResponse:
    """曝光台: the cases supervisors chose to publish."""
    staff_only(request.user)
    qs = (
        Violation.objects.restrict(request.user, "view")
        .filter(published=True)
        .select_related("behaviour", "unit", "person")
        .order_by("-published_on", "-id")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "supervision/exposure_board.html", {"page": page})


@login_required
def violation_create(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "record_violation", Unit):
        raise PermissionDenied
    initial = {}
    if item_id := parse_id(request.GET.get("item")):  # from an item's page: its code, lead unit
        item = Item.objects.restrict(request.user, "view").filter(pk=item_id).first()
        if item is not None:
            initial.update(item=item.code, unit=item.lead_unit_id)
    form = ViolationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            v = negative.record_violation(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("supervision:violation_detail", v.pk)
    return render(request, "supervision/violation_form.html", {"form": form})


@login_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    v = get_object_or_404(
        Violation.objects.restrict(request.user, "view").select_related(
            "behaviour", "unit", "item", "person__unit"
        ),
        pk=pk,
    )
    return render(
        request,
        "supervision/violation_detail.html",
        {
            "v": v,
            "can_publish": policy.can(request.user, "publish", v),
            # Someone else's published case: what the board shows, not its history.
            "history": history_for(v)[:50] if policy.can(request.user, "view_record", v) else [],
        },
    )


@login_required
@require_POST
def violation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    v = get_object_or_404(Violation.objects.restrict(request.user, "publish"), pk=pk)
    publish = request.POST.get("published", "1") == "1"
    negative.set_published(v, actor=request.user, published=publish)
    messages.success(request, _("已曝光。") if publish else _("已撤下。"))
    return redirect("supervision:violation_detail", v.pk)


@login_required
def behaviour_list(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    return render(
        request,
        "supervision/behaviour_list.html",
        {
            "behaviours": Behaviour.objects.restrict(request.user, "view"),
            "can_edit": policy.can_any(request.user, "change", Behaviour),
        },
    )


@login_required
def behaviour_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "change", Behaviour):
        raise PermissionDenied(_("负面行为目录全省统一，只有省效能办可以维护。"))
    behaviour = (
        get_object_or_404(Behaviour.objects.restrict(request.user, "change"), pk=pk) if pk else None
    )
    form = BehaviourForm(request.POST or None, instance=behaviour)
    if request.method == "POST" and form.is_valid():
        negative.save_behaviour(
            Behaviour.objects.get(pk=pk) if pk else None, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("已保存。"))
        return redirect("supervision:behaviour_list")
    return render(
        request, "supervision/behaviour_form.html", {"form": form, "behaviour": behaviour}
    )
