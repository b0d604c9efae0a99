"""Creating items: assign (交办) and decompose into child items (分解交办), and the
responsible person named in a form or a ledger row."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, policy
from xiaoneng.supervision import conf
from xiaoneng.supervision.models import (
    KIND_PREFIX,
    EventAction,
    Item,
    ItemEvent,
    ItemKind,
    Source,
    Status,
    Urgency,
)
from xiaoneng.supervision.services.attachments import (
    add_attachment,
    check_upload,
    removes_files_on_failure,
)
from xiaoneng.supervision.services.lifecycle import lock_item
from xiaoneng.supervision.services.recipients import handler_ids, notify_item, tell_parent
from xiaoneng.supervision.services.rules import check_child_unit
from xiaoneng.supervision.services.timeline import person_of, record_event
from xiaoneng.supervision.workdays import compute_deadline
from xiaoneng.units.models import Unit


def member_named(unit: Unit, text: str):
    """The member of `unit` named by `text`: a user name, or a name (姓名) that only one
    member of the unit has. None for an empty text; ValidationError naming what is wrong."""
    from xiaoneng.accounts.models import User

    text = (text or "").strip()
    if not text:
        return None
    members = User.objects.filter(unit=unit, is_active=True)
    return choose_member(
        unit, text, members.filter(username=text).first(), list(members.filter(name=text)[:2])
    )


def people_to_name(actor):
    """The people `actor` may name responsible for an item they assign: the active members
    of the units they may assign to (the API's choices; the service then requires a member
    of the item's lead unit)."""
    from xiaoneng.accounts.models import User

    units = Unit.objects.restrict(actor, "assign")
    return User.objects.filter(is_active=True, unit__in=units.values("pk"))


def choose_member(unit: Unit, text: str, by_username, by_name: list):
    """The rule of member_named, given the member with that user name (or None) and the
    members with that name: a user name wins, a name must be the only one in the unit."""
    if by_username is not None:
        return by_username
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise ValidationError(
            _("%(unit)s有多名“%(name)s”，请填写用户名。") % {"unit": unit.name, "name": text}
        )
    raise ValidationError(
        _("%(unit)s没有用户名或姓名为“%(name)s”的人员。") % {"unit": unit.name, "name": text}
    )


def _next_code(item: Item) -> str:
    return f"{KIND_PREFIX.get(item.kind, 'DB')}-{item.assigned_on.year}-{item.pk:06d}"


@removes_files_on_failure
@transaction.atomic
def assign_item(
    *,
    actor,
    kind: str,
    title: str,
    lead_unit: Unit,
    description: str = "",
    source: str = Source.SUPERIOR,
    co_units=(),
    responsible=None,
    assigned_on: dt.date | None = None,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    deadline_workdays: int | None = None,
    plan_deadline: dt.date | None = None,
    urgency: str = Urgency.NORMAL,
    tags: str = "",
    parent: Item | None = None,
    rectification: str = "",
    standard: str = "",
    ref: str = "",
    assigning_unit: Unit | None = None,
    files=(),
    notify_people: bool = True,
) -> Item:
    """The one function that creates items (交办)."""
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("未知类型：%s") % kind})
    if not title.strip():
        raise ValidationError({"title": _("请填写标题。")})
    co_units = list(co_units)
    refusal = _("只能向本单位及下级单位交办。")
    policy.require(actor, "assign", lead_unit, refusal)
    for unit in co_units:
        policy.require(actor, "assign", unit, refusal)
    tell = False
    if parent is not None:
        parent.ensure(actor, "assign_child")
        tell = check_child_unit(parent, lead_unit, actor=actor)
    try:
        for f in files:
            check_upload(f)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    assigned_on = assigned_on or timezone.localdate()
    if sum(x is not None for x in (deadline, deadline_days, deadline_workdays)) > 1:
        raise ValidationError({"deadline": _("办理时限只能给出一种：日期、自然日或工作日。")})
    basis, count = "date", None
    if deadline_workdays is not None:
        basis, count = "workdays", deadline_workdays
    elif deadline_days is not None:
        basis, count = "days", deadline_days
    due, provisional = compute_deadline(assigned_on, basis, count, deadline)
    if due is None:
        raise ValidationError({"deadline": _("请给出办理时限：日期、自然日或工作日。")})
    if due < assigned_on:
        raise ValidationError({"deadline": _("办理时限不能早于交办日期。")})
    if responsible is not None and responsible.unit_id != lead_unit.pk:
        raise ValidationError(
            {"responsible": _("责任人须为牵头单位（%s）的人员。") % lead_unit.name}
        )
    if parent is not None and parent.status == Status.CLOSED:
        raise ValidationError({"parent": _("上级事项已办结，不能再向其下交办。")})
    # The actor's unit assigns; the system (an import, the demo) assigns from above.
    assigning_unit = assigning_unit or actor.unit or lead_unit.parent or lead_unit
    item = Item(
        kind=kind,
        title=title.strip(),
        description=description,
        source=source or Source.OTHER,
        lead_unit=lead_unit,
        responsible=responsible,
        assigned_by=person_of(actor),
        assigning_unit=assigning_unit,
        assigned_on=assigned_on,
        deadline=due,
        deadline_basis=basis,
        deadline_count=count,
        deadline_provisional=provisional,
        plan_deadline=plan_deadline or assigned_on + dt.timedelta(days=conf.plan_days()),
        urgency=urgency or Urgency.NORMAL,
        tags=tags,
        parent=parent,
        rectification=rectification,
        standard=standard,
        ref=ref,
    )
    item.full_clean(exclude=["code", "co_units"])
    # Inserted without a change-log row (bulk_create sends no post_save): the code needs
    # the id. Then one "create" that carries the code, and the co-units right after it
    # (an m2m change the change log records as the same actor's).
    (item,) = Item.objects.bulk_create([item])
    item.code = _next_code(item)
    item._audit_action = "create"
    item.save(update_fields=["code"], actor=actor)
    co = [u for u in co_units if u.pk != lead_unit.pk]
    if co:
        item.co_units.add(*co)
    event = record_event(item, EventAction.ASSIGN, actor=actor, comment=description[:500])
    for f in files:
        add_attachment(item, f, actor=actor, event=event)
    if notify_people:
        notify_item(item, handler_ids(item), "assigned", _("新交办事项"), robots=True)
    if tell:
        tell_parent(item)
    return item


@transaction.atomic
def decompose(
    parent: Item,
    *,
    actor,
    units,
    title: str = "",
    description: str = "",
    deadline: dt.date | None = None,
) -> list[Item]:
    """One child item per unit below the lead unit (一级带着一级干)."""
    parent = lock_item(parent, actor)
    policy.require(actor, "decompose", parent, _("只有牵头单位或交办单位可以分解交办。"))
    if parent.status == Status.CLOSED:
        raise ValidationError(_("事项已办结，不能分解。"))
    units = list(units)
    if not units:
        raise ValidationError(_("请选择至少一个下级单位。"))
    bad = [
        u.name for u in units if u.pk == parent.lead_unit_id or not u.is_within(parent.lead_unit)
    ]
    if bad:
        raise ValidationError(_("只能分解给牵头单位的下级单位：%s") % "、".join(bad))
    taken = set(parent.children.values_list("lead_unit_id", flat=True))
    dupes = [u.name for u in units if u.pk in taken]
    if dupes:
        raise ValidationError(_("已分解给：%s") % "、".join(dupes))
    deadline = deadline or parent.deadline
    if deadline and parent.deadline and deadline > parent.deadline:
        raise ValidationError(_("下级事项的时限不能晚于上级事项。"))
    today = timezone.localdate()
    children = [
        Item(
            kind=parent.kind,
            title=title or parent.title,
            description=description or parent.description,
            source=parent.source,
            lead_unit=u,
            assigned_by=person_of(actor),
            assigning_unit=parent.lead_unit,
            assigned_on=today,
            deadline=deadline,
            deadline_basis="date",
            deadline_provisional=parent.deadline_provisional and deadline == parent.deadline,
            plan_deadline=today + dt.timedelta(days=conf.plan_days()),
            urgency=parent.urgency,
            tags=parent.tags,
            parent=parent,
            standard=parent.standard,
        )
        for u in units
    ]
    children = Item.objects.bulk_create(children)
    for child in children:
        child.code = _next_code(child)
    Item.objects.bulk_update(children, ["code"])
    events = ItemEvent.objects.bulk_create(
        [
            ItemEvent(
                item=c,
                action=EventAction.ASSIGN,
                actor=person_of(actor),
                actor_unit=actor.unit,
                comment=_("由 %s 分解交办") % parent.code,
                to_status=c.status,
            )
            for c in children
        ]
    )
    # The children and their first timeline entries, as record_event's would be.
    audit.log_bulk(
        [*children, *events], "create", actor=actor, comment=_("分解自 %s") % parent.code
    )
    record_event(
        parent,
        EventAction.DECOMPOSE,
        actor=actor,
        comment=_("分解给：%s") % "、".join(u.name for u in units),
    )
    audit.log(parent, "decompose", actor=actor, comment="、".join(u.name for u in units))
    for child in children:
        notify_item(child, handler_ids(child), "assigned", _("新交办事项"), robots=True)
    return children
