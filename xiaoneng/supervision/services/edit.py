"""Changing an item after it was assigned (修改): the edit page, the API's PATCH and every
changed row of a ledger import go through `update_item`, so the three cannot differ.

What may change is the ledger's updatable columns (`ledgers.ITEMS.updatable()`); the rules
are those of a new item (assign_item) plus the ones of an item under way:

- who: the policy's "change" on the item (the assigning side: supervision/policy.py);
- when: not while closed or awaiting closure review (`frozen_reason`);
- a new lead unit or co-unit: one the actor may assign to (the policy's "assign"); a child
  item's lead unit: services.rules.check_child_unit;
- the responsible person: an active member of the (new) lead unit; one the lead unit left
  behind is cleared;
- the deadline: a date, or a number of working days counted from the assignment date
  (workdays.compute_deadline), never before the assignment date.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.versioning import check_version
from xiaoneng.supervision.ledgers import ITEMS
from xiaoneng.supervision.models import EventAction, Item, ItemKind, Source, Status, Urgency
from xiaoneng.supervision.services.recipients import handler_ids, notify_item, tell_parent
from xiaoneng.supervision.services.rules import check_child_unit
from xiaoneng.supervision.services.timeline import record_event
from xiaoneng.supervision.workdays import compute_deadline

# What update_item takes: the columns a re-import may change.
EDITABLE = tuple(ITEMS.updatable())
TEXTS = ("title", "description", "tags", "rectification", "standard")
CHOICES = {"kind": ItemKind, "source": Source, "urgency": Urgency}
# The timeline entry of a change names these, in this order; long texts only as changed.
SHOWN = (
    "title",
    "kind",
    "source",
    "urgency",
    "lead_unit",
    "co_units",
    "responsible",
    "assigned_on",
    "deadline",
    "tags",
    "description",
    "rectification",
    "standard",
)
LONG_TEXTS = ("description", "rectification", "standard")


def frozen_reason(item: Item) -> str | None:
    """Why the item takes no changes now (None: it does).

    Awaiting closure review, the reviewer decides on what the lead unit filed against the
    item as it stands; changing it under review would change what is approved. The
    reviewer sends it back first (or approves and reopens)."""
    if item.status == Status.CLOSED:
        return _("事项已办结，不能修改；如需修改，请先重办。")
    if item.status == Status.CLOSURE_REQUESTED:
        return _("事项已申请办结、正在审核，不能修改；请先审核或退回。")
    return None


def _same_text(new: str, old: str) -> bool:
    """A text as typed into a browser (CRLF) or a cell (stripped) against the stored one."""
    return new.replace("\r\n", "\n").strip() == (old or "").replace("\r\n", "\n").strip()


def changes_of(item: Item, co_units: list, values: dict) -> dict:
    """What `values` change on `item` (whose co-units are `co_units`): only the fields whose
    value differs, with the deadline settled ({} if nothing changes). A field absent from
    `values` is left as it is; the responsible person a new lead unit leaves behind is
    cleared.

    Of the two ways to give a deadline, a date or working days, the one that differs from
    the item decides (an exported list carries both; changing both at once is refused). A
    moved assignment date moves a deadline counted in days with it."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_item: not editable: {sorted(unknown)}")
    new: dict = {}
    for name in TEXTS:
        if name in values and not _same_text(values[name] or "", getattr(item, name)):
            new[name] = (values[name] or "").replace("\r\n", "\n").strip()
    for name in CHOICES:
        if name in values and values[name] != getattr(item, name):
            new[name] = values[name]

    lead = values.get("lead_unit") or item.lead_unit
    if lead.pk != item.lead_unit_id:
        new["lead_unit"] = lead
    if "responsible" in values:
        person = values["responsible"]
        if (person.pk if person is not None else None) != item.responsible_id:
            new["responsible"] = person
    elif (
        "lead_unit" in new and item.responsible is not None and item.responsible.unit_id != lead.pk
    ):
        new["responsible"] = None  # cannot follow the item to its new lead unit
    current = {u.pk for u in co_units}
    wanted = {u.pk: u for u in values.get("co_units", co_units) if u.pk != lead.pk}
    if set(wanted) != current:
        new["co_units"] = list(wanted.values())

    assigned = values.get("assigned_on") or item.assigned_on
    if assigned != item.assigned_on:
        new["assigned_on"] = assigned
    date, count = values.get("deadline"), values.get("deadline_workdays")
    date_changed = date is not None and date != item.deadline
    count_changed = count is not None and (item.deadline_basis, item.deadline_count) != (
        "workdays",
        count,
    )
    if date_changed and count_changed:
        raise ValidationError({"deadline": _("“办理时限”与“时限(工作日)”只能修改其中一项。")})
    if count_changed:
        basis = "workdays"
    elif not date_changed and "assigned_on" in new and item.deadline_basis != "date":
        basis, count = item.deadline_basis, item.deadline_count
    else:
        basis = None
    if basis is not None and count is not None:
        if count < 1:
            raise ValidationError({"deadline_workdays": _("应为正整数。")})
        due, provisional = compute_deadline(assigned, basis, count, None)
        if (due, basis, count, provisional) != (
            item.deadline,
            item.deadline_basis,
            item.deadline_count,
            item.deadline_provisional,
        ):
            new.update(
                deadline=due,
                deadline_basis=basis,
                deadline_count=count,
                deadline_provisional=provisional,
            )
    elif date_changed:
        new.update(
            deadline=date, deadline_basis="date", deadline_count=None, deadline_provisional=False
        )
    return new


def _refusals(item: Item, co_units: list, new: dict, *, actor) -> tuple[dict, bool]:
    """The rules of a new item, applied to what changes: ({field: message}, whether the
    parent's lead unit must be told of a lead unit outside its subtree)."""
    errors: dict[str, str] = {}
    tell = False
    if "title" in new and not new["title"]:
        errors["title"] = _("请填写标题。")
    for name, choices in CHOICES.items():
        if name in new and new[name] not in choices.values:
            errors[name] = _("未知选项：%s") % new[name]
    lead = new.get("lead_unit", item.lead_unit)
    if "lead_unit" in new:
        if not policy.can(actor, "assign", lead):
            errors["lead_unit"] = _("无权向该单位交办")
        elif item.parent is not None:
            try:
                tell = check_child_unit(item.parent, lead, actor=actor)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if "co_units" in new:
        kept = {u.pk for u in co_units}
        refused = [
            u.name
            for u in new["co_units"]
            if u.pk not in kept and not policy.can(actor, "assign", u)
        ]
        if refused:
            errors["co_units"] = _("无权向%s交办") % "、".join(refused)
    person = new.get("responsible")
    if person is not None and (person.unit_id != lead.pk or not person.is_active):
        errors["responsible"] = _("责任人须为牵头单位（%s）的人员。") % lead.name
    assigned = new.get("assigned_on", item.assigned_on)
    due = new.get("deadline", item.deadline)
    if ("assigned_on" in new or "deadline" in new) and due and due < assigned:
        name = "deadline" if "deadline" in new else "assigned_on"
        errors[name] = _("办理时限不能早于交办日期（%s）。") % assigned
    return errors, tell


def _shown(item: Item, name: str, co_units) -> str:
    """A value as the timeline shows it."""
    if name == "co_units":
        return "、".join(u.name for u in co_units) or _("无")
    if name in CHOICES:
        return str(getattr(item, f"get_{name}_display")())
    value = getattr(item, name)
    if value in (None, ""):
        return _("无")
    if name == "deadline" and item.deadline_basis != "date" and item.deadline_count:
        unit = _("个工作日") if item.deadline_basis == "workdays" else _("个自然日")
        return f"{value.isoformat()}（{item.deadline_count} {unit}）"
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"“{value}”" if name in ("title", "tags") else str(value)


def _label(name: str) -> str:
    field = Item._meta.get_field(name)  # (SHOWN names the item's own fields, not relations to it)
    return str(field.verbose_name) if isinstance(field, Field) else name


@transaction.atomic
def update_item(
    item: Item, *, actor, version: str | None, imported_from: str | None = None, **values
) -> Item:
    """Change an item (修改): `values` holds any of EDITABLE, each the field's new value
    (`deadline_workdays`: a deadline counted in working days); what equals the item's value
    changes nothing, and an item nothing changes is not written.

    `version`: the version the item was read at (core.versioning); None: not checked (an
    import). `imported_from`: the ledger file's name when the change comes from an import
    (the change log's action is then "import").

    One transaction: the row locked, the actor's right re-checked on it, the rules of the
    module's doc, the change log, one timeline entry naming each change, and the item's
    people told: the lead unit's, as on assignment, if the lead unit changed (and a
    responsible person newly named), the others of what changed. The traffic light is not
    stored here: every page computes it from the deadline (lights.py), and the next deadline
    scan stores it and tells the handlers if the change turned it red or yellow."""
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("parent", "lead_unit", "assigning_unit", "responsible")
        .get(pk=item.pk)
    )
    policy.require(actor, "change", item, _("只有交办单位的督查人员可以修改该事项。"))
    item.ensure(actor, "change")
    check_version(item, version)
    reason = frozen_reason(item)
    if reason:
        raise ValidationError(reason)
    co_units = list(item.co_units.all())
    new = changes_of(item, co_units, values)
    if not new:
        return item
    errors, tell = _refusals(item, co_units, new, actor=actor)
    if errors:
        raise ValidationError(errors)

    shown = [name for name in SHOWN if name in new]
    before = {name: _shown(item, name, co_units) for name in shown}
    for name, value in new.items():
        if name != "co_units":
            setattr(item, name, value)
    item.full_clean(exclude=[f.name for f in Item._meta.fields if f.name not in new])
    if imported_from is not None:
        item._audit_action = "import"
        item._audit_comment = imported_from
    item.save(actor=actor)
    if "co_units" in new:
        item.co_units.set(new["co_units"])
    if "lead_unit" in new:  # the one change that may take the item out of their hands
        item.ensure(actor, "change")

    parts = []
    for name in shown:
        if name in LONG_TEXTS:
            parts.append(_("%s已修改") % _label(name))
        else:
            after = _shown(item, name, new.get("co_units", co_units))
            parts.append(f"{_label(name)}：{before[name]} → {after}")
    comment = "；".join(parts)
    if imported_from:
        comment += _("（台账导入：%s）") % imported_from
    record_event(item, EventAction.CHANGE, actor=actor, comment=comment)
    _tell(item, new, [_label(name) for name in shown])
    if tell:
        tell_parent(item)
    return item


def _tell(item: Item, new: dict, labels: list[str]) -> None:
    """The item's own people hear of the change (a lead unit it left may no longer open
    it): as of a new assignment, the new lead unit's, or a person newly named responsible;
    the others, of what changed."""
    people = handler_ids(item)
    if "lead_unit" in new:
        fresh = people
    else:
        person = new.get("responsible")
        fresh = {person.pk} if person is not None else set()
    if fresh:
        notify_item(item, fresh, "assigned", _("新交办事项"), robots="lead_unit" in new)
    if people - fresh:
        notify_item(item, people - fresh, "changed", _("%s已修改") % "、".join(labels))
