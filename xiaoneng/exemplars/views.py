"""Pages of 典型引路法: the library (search and filters), a case, writing a case and its
status steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.forms import refused_on
from xiaoneng.exemplars import services
from xiaoneng.exemplars.filters import ExemplarFilterSet
from xiaoneng.exemplars.forms import ExemplarForm, StepForm
from xiaoneng.exemplars.models import Exemplar, ExemplarAttachment
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit


def staff_only(user) -> None:
    if not policy.can_any(user, "view", Exemplar):
        raise PermissionDenied


@login_required
def exemplar_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff_only(user)
    qs = (
        Exemplar.objects.restrict(user, "view")
        .select_related("unit")
        .order_by("-updated_at", "-id")
    )
    filterset = ExemplarFilterSet(request.GET or None, queryset=qs, request=request)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "exemplars/exemplar_list.html",
        {
            "page": page,
            "form": filterset.form,
            "can_write": policy.can_any(user, "write_exemplar", Unit),
        },
    )


@login_required
def exemplar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from xiaoneng.fieldwork.models import Visit

    user = request.user
    staff_only(user)
    exemplar = get_object_or_404(
        Exemplar.objects.restrict(user, "view").select_related("unit", "created_by"), pk=pk
    )
    # The linked visits and items the reader may see (a promoted case is read province-wide,
    # its county's items are not).
    visits = (
        Visit.objects.restrict(user, "view").filter(exemplars=exemplar).select_related("leader")
    )
    items = Item.objects.restrict(user, "view").filter(exemplars=exemplar)
    in_scope = policy.within(exemplar.unit, user)
    return render(
        request,
        "exemplars/exemplar_detail.html",
        {
            "exemplar": exemplar,
            "visits": visits,
            "items": items,
            "attachments": exemplar.attachments.all(),
            "steps": services.steps_for(user, exemplar),
            "can_change": policy.can(user, "change", exemplar),
            "can_publish": policy.can(user, "publish", exemplar) and exemplar.status == "promoted",
            "history": history_for(exemplar)[:50] if in_scope else [],
        },
    )


def _form_view(request, exemplar: Exemplar | None):
    form = ExemplarForm(
        request.POST or None, request.FILES or None, instance=exemplar, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            if exemplar is None:
                exemplar = services.create_exemplar(actor=request.user, **form.values())
            else:
                exemplar = services.update_exemplar(exemplar, actor=request.user, **form.values())
        except ValidationError as exc:
            refused_on(form, exc)
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("exemplars:exemplar_detail", exemplar.pk)
    return render(request, "exemplars/exemplar_form.html", {"form": form, "exemplar": exemplar})


@login_required
def exemplar_create(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "write_exemplar", Unit):
        raise PermissionDenied(_("您不能登记典型案例。"))
    return _form_view(request, None)


@login_required
def exemplar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    exemplar = get_object_or_404(Exemplar.objects.restrict(request.user, "change"), pk=pk)
    return _form_view(request, exemplar)


@login_required
@require_POST
def exemplar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    exemplar = get_object_or_404(Exemplar.objects.restrict(request.user, "change"), pk=pk)
    services.delete_exemplar(exemplar, actor=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, _("已删除（可在回收站恢复）。"))
    return redirect("exemplars:exemplar_list")


@login_required
@require_POST
def exemplar_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A status step. One the person may not take is refused with the reason, changing
    nothing; a case they may not see is a 404."""
    staff_only(request.user)
    exemplar = get_object_or_404(Exemplar.objects.restrict(request.user, "view"), pk=pk)
    if action not in services.STEPS:
        raise PermissionDenied(_("未知的操作。"))
    form = StepForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.take_step(exemplar, action, actor=request.user, comment=comment)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已%s。") % services.STEPS[action].label)
    return redirect("exemplars:exemplar_detail", exemplar.pk)


@login_required
@require_POST
def exemplar_publish(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    exemplar = get_object_or_404(Exemplar.objects.restrict(request.user, "view"), pk=pk)
    public = request.POST.get("public", "1") == "1"
    try:
        services.set_public(exemplar, actor=request.user, public=public)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已对外公开。") if public else _("已取消公开。"))
    return redirect("exemplars:exemplar_detail", exemplar.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    att = get_object_or_404(ExemplarAttachment.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )
