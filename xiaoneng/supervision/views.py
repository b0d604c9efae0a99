"""Pages of 督查督办. Thin: fetch through restrict(), call services, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.forms import refused_on
from xiaoneng.core.versioning import StaleEdit
from xiaoneng.core.xlsx import ImportFailed, xlsx_response
from xiaoneng.supervision import ledger, listing, services
from xiaoneng.supervision.filters import DUE_CHOICES, LIGHT_CHOICES, MINE_CHOICES
from xiaoneng.supervision.forms import (
    ActionForm,
    AssignForm,
    DecomposeForm,
    ImportForm,
    ItemForm,
    UrgeForm,
)
from xiaoneng.supervision.lights import attention_order, today, with_light
from xiaoneng.supervision.models import (
    KIND_LIST_LABEL,
    OPEN_STATUSES,
    Attachment,
    Item,
    ItemKind,
    Source,
    Status,
)
from xiaoneng.supervision.workdays import Calendar
from xiaoneng.units.models import Unit

PAGE_SIZE = 50


def staff_only(user) -> None:
    """The module's pages are the staff's: whoever may see items at all (residents not)."""
    if not policy.can_any(user, "view", Item):
        raise PermissionDenied


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def items_for(user, action: str = "view"):
    """The items `user` may take `action` on, each with its light."""
    return with_light(Item.objects.restrict(user, action))


# --- lists ---------------------------------------------------------------------------------


def filtered(request):
    return listing.filtered(request.user, request.GET)


def unit_choices(user):
    """The list's unit filter: the user's own subtree, two levels down."""
    return (
        Unit.objects.restrict(user, "view").filter(depth__lte=user.unit.depth + 2).order_by("path")
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    filterset = filtered(request)
    # A filter the form could not read is named on the page (core/_filter_errors.html) and
    # left out; the others apply (django-filter's own rule).
    filterset.is_valid()
    base = listing.without_light(filterset)
    counts = listing.light_counts(base)
    light = filterset.form.cleaned_data.get("light", "")
    # Attention first, a page fetched segment by segment from the light counts it shows
    # (listing.AttentionList): the counts hold the number of rows, so no COUNT(*) either.
    paginator = Paginator(listing.AttentionList(base, counts, light), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    kind = request.GET.get("kind", "")
    # Filters the form has no control for (a workbench counter's link): kept as hidden
    # fields, shown as a note with a link that drops them.
    narrowing = {
        "mine": dict(MINE_CHOICES),
        "due": dict(DUE_CHOICES),
    }
    narrowed = [
        (name, request.GET[name], labels[request.GET[name]])
        for name, labels in narrowing.items()
        if request.GET.get(name) in labels
    ]
    rest = request.GET.copy()
    for name in narrowing:
        rest.pop(name, None)
    rest.pop("page", None)
    return render(
        request,
        "supervision/item_list.html",
        {
            "filterset": filterset,
            "page": page,
            "counts": counts,
            "kind": kind,
            "heading": KIND_LIST_LABEL.get(kind, _("督查督办")),
            "kinds": ItemKind.choices,
            "sources": Source.choices,
            "statuses": [("open", _("未办结")), *Status.choices],
            "lights": LIGHT_CHOICES,
            "units": unit_choices(request.user),
            "query": request.GET.urlencode(),
            "narrowed": narrowed,
            "query_without_narrowing": rest.urlencode(),
            "can_assign": policy.can_any(request.user, "assign", Unit),
            "can_import": policy.can(request.user, "import_items"),
        },
    )


@login_required
def item_export(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    filterset = filtered(request)
    if not filterset.form.is_valid():
        # A file cannot say that a filter was left out: back to the list, which names it.
        messages.error(request, _("筛选条件有误，未导出；请修改后再导出。"))
        return redirect(f"{reverse('supervision:item_list')}?{request.GET.urlencode()}")
    qs = with_light(filterset.qs).order_by(*attention_order())
    name = f"督办台账-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(ledger.export_bytes(qs), name)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    on, calendar = today(), Calendar()
    sections = {}
    for name, qs in listing.my_work_lists(request.user).items():
        shown = listing.rows(
            qs.order_by(*attention_order(on))[: listing.MY_WORK_SHOWN], on, calendar
        )
        sections[name] = {
            "rows": shown,
            "count": qs.count() if len(shown) == listing.MY_WORK_SHOWN else len(shown),
        }
    titles = {
        "to_handle": _("待办理（签收、报方案、反馈进展、申请办结）"),
        "to_review": _("待审核（办结申请）"),
        "to_urge": _("已超期（红灯），可催办"),
    }
    sides = {"to_handle": "handle", "to_review": "review", "to_urge": "urge"}
    for name, section in sections.items():
        section.update(key=name, title=titles[name])
    return render(
        request,
        "supervision/my_work.html",
        {
            **sections,
            # What has work first; the empty lists in one line at the end.
            "busy": [section for section in sections.values() if section["count"]],
            "empty": [
                section
                for section in sections.values()
                if not section["count"]
                and policy.can_any(request.user, sides[section["key"]], Item)
            ],
            "total": sum(section["count"] for section in sections.values()),
            "shown": listing.MY_WORK_SHOWN,
        },
    )


# --- one item ------------------------------------------------------------------------------


def get_item(request, pk, action: str = "view") -> Item:
    """The item, among those the user may take `action` on (a write looks its row up by its
    own action: 404 for anyone else, as for a row out of sight)."""
    staff_only(request.user)
    return get_object_or_404(
        items_for(request.user, action).select_related(
            "lead_unit", "assigning_unit", "responsible", "assigned_by", "parent"
        ),
        pk=pk,
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_item(request, pk))


def _detail_page(
    request, item: Item, refused: ActionForm | None = None, urge_form: UrgeForm | None = None
) -> HttpResponse:
    """The item's page; `refused`: an action's form sent back with its errors and what was
    typed (the other actions' forms fresh); `urge_form`: the urge form sent back so."""
    # Only the child items the viewer may see, and only those are counted.
    children = list(
        items_for(request.user)
        .filter(parent=item)
        .select_related("lead_unit")
        .order_by("lead_unit__code")
    )
    item.open_children = sum(1 for c in children if c.status != Status.CLOSED)
    on, calendar = today(), Calendar()
    listing.with_due([item, *children], on, calendar)
    actions = services.allowed_actions(request.user, item)
    may_force = "approve" in actions and policy.can(request.user, "force_close", item)
    forms = [
        (
            name,
            services.RULES[name].label,
            refused
            if refused is not None and refused.action == name
            else ActionForm(action=name, item=item, may_force=may_force),
        )
        for name in actions
    ]
    user = request.user
    context = {
        "item": item,
        "co_units": item.co_units.all(),
        "events": item.events.select_related("actor", "actor_unit").prefetch_related("attachments"),
        "attachments": item.attachments.all(),
        "children": children,
        "forms": forms,
        **_urge_context(user, item, urge_form),
        "can_change": policy.can(user, "change", item) and not services.frozen_reason(item),
        "can_assign_child": item.is_open and policy.can(user, "assign_child", item),
        "can_decompose": item.is_open
        and policy.can(user, "decompose", item)
        and item.lead_unit.children.exists(),
        "history": history_for(item)[:50],
        # Against any unit of the user's subtree (a co-unit's failings on this item too).
        "can_record_violation": policy.can_any(user, "record_violation", Unit),
    }
    return render(request, "supervision/item_detail.html", context)


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.RULES:
        raise Http404
    item = get_item(request, pk, services.RULES[action].who)
    item.open_children = (
        Item.objects.restrict(request.user, "view")
        .filter(parent=item, status__in=OPEN_STATUSES)
        .count()
    )
    may_force = action == "approve" and policy.can(request.user, "force_close", item)
    form = ActionForm(request.POST, request.FILES, action=action, item=item, may_force=may_force)
    label = services.RULES[action].label
    if not form.is_valid():
        messages.error(request, _("未能%s：请按提示修改后重新提交。") % label)
        return _detail_page(request, item, refused=form)
    data = form.cleaned_data
    try:
        services.transition(
            item,
            actor=request.user,
            action=action,
            comment=data.get("comment", ""),
            percent=data.get("percent"),
            plan=data.get("plan"),
            rectification=data.get("rectification"),
            evidence=data.get("evidence"),
            override_reason=data.get("override_reason", ""),
            lower_reason=data.get("lower_reason", ""),
            files=data.get("files") or [],
            version=data.get("version"),
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行该操作。"))
    except StaleEdit as exc:
        # What was typed stays, now at the item's current version: saving again goes through.
        messages.error(
            request, _("未能%(action)s：%(reason)s") % {"action": label, "reason": _errors(exc)}
        )
        form.stale(exc)
        return _detail_page(request, item, refused=form)
    except ValidationError as exc:
        # Back to the page with what was typed (a redirect would lose it).
        messages.error(
            request, _("未能%(action)s：%(reason)s") % {"action": label, "reason": _errors(exc)}
        )
        form.add_error(None, exc.messages)
        return _detail_page(request, item, refused=form)
    else:
        messages.success(request, services.RULES[action].done)
    return redirect("supervision:item_detail", item.pk)


@login_required
@require_POST
def item_urge(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk, "urge")
    form = UrgeForm(request.POST, escalates=services.urge_escalates(item))
    form.is_valid()
    try:
        services.urge(
            item,
            actor=request.user,
            comment=form.cleaned_data.get("comment", ""),
            confirm_escalation=form.cleaned_data.get("confirm_escalation", False),
        )
    except ValidationError as exc:
        # Back to the page with what was typed and why (nothing was written).
        messages.error(request, _("未能催办：%s") % _errors(exc))
        form.add_error(None, exc.messages)
        return _detail_page(request, item, urge_form=form)
    messages.success(request, _("已催办，已通知牵头单位承办人。"))
    return redirect("supervision:item_detail", item.pk)


def _urge_context(user, item: Item, form: UrgeForm | None) -> dict:
    """The urge section of an item's page: shown to whoever may urge the open item (the
    reviewers and the supervisors above its lead unit: the policy's "urge"), with the day
    it may be urged again if it was urged too recently, and the escalation's confirmation
    when this urge would escalate."""
    if not (item.is_open and policy.can(user, "urge", item)):
        return {"urge_form": None}
    escalates = services.urge_escalates(item)
    return {
        "urge_form": form or UrgeForm(escalates=escalates),
        "urge_again_on": services.next_urge_on(item),
        "urge_escalates": escalates,
    }


@login_required
def item_decompose(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk, "decompose")
    form = DecomposeForm(request.POST or None, item=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            children = services.decompose(
                item,
                actor=request.user,
                units=form.cleaned_data["units"],
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已分解交办 %d 个下级事项。") % len(children))
            return redirect("supervision:item_detail", item.pk)
    return render(request, "supervision/item_decompose.html", {"item": item, "form": form})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改事项: the ledger's updatable columns, with the import's rules
    (services.update_item). An item the user may see but not change is a 403 (who assigned
    it is no secret to them); one they may not see, a 404."""
    item = get_item(request, pk)
    if not Item.objects.restrict(request.user, "change").filter(pk=item.pk).exists():
        raise PermissionDenied(_("只有交办单位的督查人员可以修改该事项。"))
    frozen = services.frozen_reason(item)
    form = None if frozen else ItemForm(request.POST or None, item=item, actor=request.user)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = services.update_item(
                item, actor=request.user, version=form.cleaned_data["version"], **form.changes()
            )
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            refused_on(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("无权修改该事项。"))
        else:
            changed = saved.updated_at != item.updated_at
            messages.success(request, _("已保存修改。") if changed else _("未作修改。"))
            return redirect("supervision:item_detail", item.pk)
    if form is not None and form.errors:
        messages.error(request, _("未能保存：请按提示修改后重新提交。"))
    return render(
        request, "supervision/item_edit.html", {"item": item, "form": form, "frozen": frozen}
    )


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    """交办. GET takes initial values from the query string (kind, lead_unit, title,
    description, source, ref, parent): the projects module links here from a warning, an
    item's page links here to assign a child item."""
    staff_only(request.user)
    if not policy.can_any(request.user, "assign", Unit):
        raise PermissionDenied
    initial = {
        k: request.GET[k]
        for k in ("kind", "title", "description", "source", "ref")
        if k in request.GET
    }
    if lead_unit := parse_id(request.GET.get("lead_unit")):
        initial["lead_unit"] = lead_unit
    if parent := parse_id(request.GET.get("parent")):
        initial["parent"] = parent
    form = AssignForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.assign_item(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已交办：%s") % item.code)
            return redirect("supervision:item_detail", item.pk)
    parent_id = parse_id(form["parent"].value())
    parent = form.fields["parent"].queryset.filter(pk=parent_id).first() if parent_id else None
    return render(
        request,
        "supervision/item_form.html",
        {"form": form, "ref": initial.get("ref", ""), "parent": parent},
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    att = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


# --- ledgers -------------------------------------------------------------------------------


@login_required
def item_import(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    policy.require(request.user, "import_items")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = ledger.import_items(upload.read(), actor=request.user, file_label=upload.name)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 条，更新 %(u)d 条，未变化 %(n)d 条。")
                % {
                    "c": len(result["created"]),
                    "u": len(result["updated"]),
                    "n": len(result["unchanged"]),
                },
            )
            return redirect("supervision:item_list")
    return render(request, "supervision/item_import.html", {"form": form, "errors": errors})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    return xlsx_response(ledger.template_bytes(), "督办事项导入模板.xlsx")


def parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None
