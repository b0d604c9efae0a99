"""Excel ledgers (台账) of items: export any filtered list, import from the template or from
an exported list.

The import reads and checks every row before it writes anything, and reports every error of
the file at once, each naming sheet, row (as Excel shows it), column and reason; if there is
any, nothing is written (one transaction). Lookups take one query each for the whole file.
A row with the code of an existing item updates that item: only what the row changes is
written, recorded on the item's timeline and told to the lead unit; a row that changes
nothing writes nothing, so an exported list imports back unchanged.
"""

import datetime as dt
import re
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, read_sheet, write_xlsx

# core has no shared date reader yet; the projects ledger's reads 2026年12月1日 and the rest.
from xiaoneng.projects.parsing import BadValue, parse_date
from xiaoneng.supervision import services
from xiaoneng.supervision.models import EventAction, Item, ItemKind, Source, Status, Urgency
from xiaoneng.supervision.workdays import compute_deadline
from xiaoneng.units.models import Unit

COLUMNS = {
    "code": ["编号", "事项编号", "code"],
    "kind": ["类型", "kind"],
    "title": ["标题", "事项名称", "问题描述", "title"],
    "description": ["内容", "具体内容", "description"],
    "source": ["来源", "source"],
    "lead_unit": ["牵头单位", "牵头单位编码", "责任单位", "lead_unit"],
    "co_units": ["配合单位", "co_units"],
    "responsible": ["责任人用户名", "责任人", "responsible"],
    "assigned_on": ["交办日期", "assigned_on"],
    "deadline": ["办理时限", "完成时限", "deadline"],
    "deadline_workdays": ["时限(工作日)", "工作日", "deadline_workdays"],
    "urgency": ["紧急程度", "urgency"],
    "tags": ["标签", "tags"],
    "rectification": ["整改措施", "rectification"],
    "standard": ["完成标准及考核方式", "standard"],
}
TEMPLATE_HEADERS = [
    "编号",
    "类型",
    "标题",
    "内容",
    "来源",
    "牵头单位",
    "配合单位",
    "责任人用户名",
    "交办日期",
    "办理时限",
    "时限(工作日)",
    "紧急程度",
    "标签",
    "整改措施",
    "完成标准及考核方式",
]
TEMPLATE_NOTES = {
    0: "留空为新增；填已有编号则更新该事项",
    1: "督办事项 / 问题 / 责任事项",
    4: "、".join(str(label) for _v, label in Source.choices),
    5: "单位编码或全称",
    6: "多个用顿号分隔",
    7: "牵头单位的人员：用户名，或单位内唯一的姓名；可留空",
    8: "日期，留空为今天",
    9: "日期，如 2026-12-31 或 2026年12月31日；与“时限(工作日)”二选一，新增时必填其一",
    10: "整数，自交办日期起算的工作日数",
    11: "一般 / 紧急 / 特急",
}


CHOICES = {"kind": ItemKind.choices, "source": Source.choices, "urgency": Urgency.choices}
DEFAULTS = {"kind": ItemKind.TASK, "source": Source.OTHER, "urgency": Urgency.NORMAL}
TEXT_FIELDS = ("title", "description", "tags", "rectification", "standard")
MAX_LENGTH = {"title": 200, "tags": 200}
# Cells read as text: Excel keeps a code or user name typed as a number as a float.
TEXT_CELLS = (*TEXT_FIELDS, *CHOICES, "code", "lead_unit", "co_units", "responsible")
# The timeline entry of an update names these, in this order; long texts only as changed.
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


def _frozen_reason(status: str) -> str | None:
    """Why an item in this state takes no changes from a ledger (None: it does).

    Awaiting closure review, the reviewer decides on what the lead unit filed against the
    item as it stands; changing it under review would change what is approved. The
    reviewer sends it back first (or approves and reopens)."""
    if status == Status.CLOSED:
        return _("事项已办结，不能通过台账修改；如需修改，请先重办。")
    if status == Status.CLOSURE_REQUESTED:
        return _("事项已申请办结、正在审核，不能通过台账修改；请先审核或退回。")
    return None


def _choice(text: str, choices):
    """A choice by code or label; None for an empty cell."""
    if not text:
        return None
    for code, label in choices:
        if text in (code, str(label)):
            return code
    raise ValueError(_("应为：%s") % "、".join(str(label) for _c, label in choices))


def _date(value):
    """A date cell, or text: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231
    (also typed as a number), and ISO forms. A month without a day is refused: a deadline
    needs its day."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return parse_date(value)  # a date cell: the date window of every form
    text = as_text(value)
    digits = re.findall(r"\d+", text)
    reason = _("日期应写到日，如 2026-12-31、2026/12/31 或 2026年12月31日")
    if len(digits) >= 3 or (len(digits) == 1 and len(digits[0]) == 8):
        try:
            return parse_date(text)
        except BadValue as exc:
            reason = str(exc)
    try:  # what the import read before: ISO week dates and the like
        day = dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValueError(reason) from None
    return parse_date(day)


def _split(text: str) -> list[str]:
    parts = text.replace("，", "、").replace(",", "、").split("、")
    return [p.strip() for p in parts if p.strip()]


def _column(sheet, fname: str) -> str:
    """The column's header as the file has it; the template's if the file has none."""
    return sheet.headers.get(fname) or COLUMNS[fname][0]


class _Units:
    """The units the actor may name: those of the actor's subtree, by code or by a name
    only one of them has (a department's name repeats at every level)."""

    def __init__(self, actor, keys: set[str]):
        if actor is None:
            reach = Unit.objects.all()
        elif actor.unit is None:
            reach = Unit.objects.none()
        else:
            reach = Unit.objects.filter(path__startswith=actor.unit.path)
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in reach.filter(Q(code__in=keys) | Q(name__in=keys)):
            self.by_code[unit.code] = unit
            self.by_name[unit.name].append(unit)

    def ids(self) -> set[int]:
        return {u.pk for u in self.by_code.values()}

    def find(self, key: str, current=()) -> Unit:
        """The unit a cell names. One the item already has is kept (even outside the
        actor's subtree: a co-unit's supervisor may see the item); ValueError says why not."""
        for unit in current:
            if key in (unit.code, unit.name):
                return unit
        if key in self.by_code:
            return self.by_code[key]
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0]
        if named:
            raise ValueError(_("有 %d 个单位叫这个名称，请填写单位编码") % len(named))
        raise ValueError(_("找不到该单位，或不在本单位管辖范围内"))


class _People:
    """Members of the lead units, by user name or by a name (姓名) only one member of the
    unit has: the assign form's rule, looked up for the whole file in one query. A person
    of another unit, even one below the lead unit, could not open the item."""

    def __init__(self, unit_ids: set[int], keys: set[str]):
        from xiaoneng.accounts.models import User

        self.by_username: dict[tuple[int, str], object] = {}
        self.by_name: dict[tuple[int, str], list] = defaultdict(list)
        members = User.objects.filter(unit_id__in=unit_ids, is_active=True)
        for user in members.filter(Q(username__in=keys) | Q(name__in=keys)):
            self.by_username[(user.unit_id, user.username)] = user
            self.by_name[(user.unit_id, user.name)].append(user)

    def find(self, unit: Unit, key: str):
        try:
            return services.choose_member(
                unit,
                key,
                self.by_username.get((unit.pk, key)),
                self.by_name.get((unit.pk, key), []),
            )
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None


def template_bytes() -> bytes:
    example = [
        "",
        "问题",
        "某街道农贸市场周边占道经营反复回潮",
        "督导检查发现早晚高峰占道经营，群众反映强烈",
        "督导检查",
        "530112",
        "",
        "",
        dt.date.today().isoformat(),
        "",
        10,
        "紧急",
        "营商环境",
        "划定临时疏导点，落实门前三包",
        "",
    ]
    return write_xlsx(TEMPLATE_HEADERS, [example], sheet="督办事项", notes=TEMPLATE_NOTES)


EXPORT_HEADERS = [
    "编号",
    "类型",
    "标题",
    "来源",
    "状态",
    "灯色",
    "牵头单位",
    "责任人",
    "交办单位",
    "交办日期",
    "办理时限",
    "时限暂定",
    "进度(%)",
    "催办次数",
    "紧急程度",
    "标签",
    "整改措施",
    "上级事项",
]
LIGHT_LABEL = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "已办结"}


def export_bytes(queryset) -> bytes:
    """Stream rows straight from one query (values, not model instances)."""
    rows = queryset.values_list(
        "code",
        "kind",
        "title",
        "source",
        "status",
        "light_now",
        "lead_unit__name",
        "responsible__name",
        "responsible__username",
        "assigning_unit__name",
        "assigned_on",
        "deadline",
        "deadline_provisional",
        "progress",
        "urge_count",
        "urgency",
        "tags",
        "rectification",
        "parent__code",
    )
    kinds, sources = dict(ItemKind.choices), dict(Source.choices)
    statuses, urgencies = dict(Status.choices), dict(Urgency.choices)

    def shaped():
        for r in rows.iterator(chunk_size=2000):
            yield [
                r[0],
                str(kinds.get(r[1], r[1])),
                r[2],
                str(sources.get(r[3], r[3])),
                str(statuses.get(r[4], r[4])),
                LIGHT_LABEL.get(r[5], r[5]),
                r[6],
                r[7] or r[8] or "",  # a display name reads back (or the user name)
                r[9],
                r[10],
                r[11],
                "暂定" if r[12] else "",
                r[13],
                r[14],
                str(urgencies.get(r[15], r[15])),
                r[16],
                r[17],
                r[18] or "",
            ]

    return write_xlsx(EXPORT_HEADERS, shaped(), sheet="督办台账")


@transaction.atomic
def import_items(source, *, actor, file_label: str = "") -> dict:
    """Create items from the rows without a code, update those with one; all or nothing.

    Returns {"created": [...], "updated": [...], "unchanged": [...], "warnings": [...]};
    raises ImportFailed with every error of the file."""
    sheet = read_sheet(source, COLUMNS, required=["title", "lead_unit"], file_label=file_label)
    errors: list[CellError] = []

    def err(row, fname, message, value=None):
        errors.append(CellError(sheet.name, row, _column(sheet, fname), str(message), value))

    rows = [
        (row, {f: as_text(v.get(f)) if f in TEXT_CELLS else v.get(f) for f in COLUMNS})
        for row, v in sheet.rows
    ]

    # One query each for the lookups the rows need. The items a file updates stay locked
    # from their check to their write.
    unit_keys = {v["lead_unit"] for _r, v in rows} | {
        part for _r, v in rows for part in _split(v["co_units"])
    }
    units = _Units(actor, unit_keys - {""})
    codes = {v["code"] for _r, v in rows if v["code"]}
    items = Item.objects.visible_to(actor) if actor is not None else Item.objects.all()
    existing = {
        i.code: i
        for i in items.filter(code__in=codes)
        .select_related("lead_unit", "responsible", "assigning_unit", "parent")
        .prefetch_related("co_units")
        .select_for_update(of=("self",))
    }
    people = _People(
        units.ids() | {i.lead_unit_id for i in existing.values()},
        {v["responsible"] for _r, v in rows if v["responsible"]},
    )

    today = timezone.localdate()
    seen: dict[str, int] = {}
    plans, unchanged = [], []
    for row, v in rows:
        before = len(errors)
        code, item = v["code"], None
        if code in seen:
            err(row, "code", _("与第 %s 行的编号重复") % seen[code], code)
        elif code:
            seen[code] = row
            item = existing.get(code)
            if item is None:
                err(row, "code", _("找不到该编号的事项（或无权查看）"), code)
        data = _read_row(row, v, item, units, people, err)
        if code and item is None:
            continue  # meant as an update: its errors are reported, nothing else to check
        if item is None:
            _check_new(row, v, data, actor, today, err)
            plan = data
        else:
            plan = _changes(row, v, data, item, actor, err)
        if len(errors) > before:
            continue
        if item is not None and not plan:
            unchanged.append(item)
        else:
            plans.append((row, item, plan))
    if errors:
        raise ImportFailed(errors, sheet.warnings)

    created, updated = [], []
    for row, item, plan in plans:
        try:
            if item is None:
                created.append(services.assign_item(actor=actor, **plan))
            else:
                updated.append(_update(item, actor=actor, changes=plan, file_label=file_label))
        except (ValidationError, PermissionDenied) as exc:
            # A refusal the checks above did not foresee: still named by row (and column).
            errors.extend(_refusals(sheet, row, exc))
    if errors:
        raise ImportFailed(errors, sheet.warnings)
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "warnings": sheet.warnings,
    }


def _read_row(row, v, item, units, people, err) -> dict:
    """The row's values as the item's; what cannot be read is reported through `err`."""
    data = {f: v[f] for f in TEXT_FIELDS}
    if not data["title"]:
        err(row, "title", _("必填"))
    for fname, limit in MAX_LENGTH.items():
        if len(data[fname]) > limit:
            err(row, fname, _("不能超过 %d 个字") % limit)
    for fname, choices in CHOICES.items():
        try:
            data[fname] = _choice(v[fname], choices)
        except ValueError as exc:
            err(row, fname, exc, v[fname])
            data[fname] = None

    data["lead_unit"] = None
    if not v["lead_unit"]:
        err(row, "lead_unit", _("必填"))
    else:
        try:
            data["lead_unit"] = units.find(v["lead_unit"], [item.lead_unit] if item else [])
        except ValueError as exc:
            err(row, "lead_unit", exc, v["lead_unit"])
    data["co_units"] = []
    current = list(item.co_units.all()) if item else []
    for part in _split(v["co_units"]):
        try:
            data["co_units"].append(units.find(part, current))
        except ValueError as exc:
            err(row, "co_units", exc, part)

    data["responsible"] = None
    lead, key = data["lead_unit"], v["responsible"]
    kept = item.responsible if item else None
    if key and kept is not None and lead == item.lead_unit and key in (kept.username, kept.name):
        data["responsible"] = kept  # as it is: nothing to check
    elif key and lead is not None:
        try:
            data["responsible"] = people.find(lead, key)
        except ValueError as exc:
            err(row, "responsible", exc, key)

    for fname in ("assigned_on", "deadline"):
        try:
            data[fname] = _date(v[fname])
        except ValueError as exc:
            err(row, fname, exc, as_text(v[fname]))
            data[fname] = None
    wd = v["deadline_workdays"]
    data["deadline_workdays"] = None
    if wd not in (None, ""):
        try:
            data["deadline_workdays"] = int(float(wd))
            if data["deadline_workdays"] <= 0:
                raise ValueError
        except (TypeError, ValueError):
            err(row, "deadline_workdays", _("应为正整数"), as_text(wd))
            data["deadline_workdays"] = None
    if data["deadline"] and data["deadline_workdays"]:
        err(row, "deadline", _("“办理时限”与“时限(工作日)”只能填一个"))
    return data


def _check_new(row, v, data, actor, today, err) -> None:
    """What assign_item would refuse, found now so that one pass reports it."""
    for fname, default in DEFAULTS.items():
        data[fname] = data[fname] or default
    assigned = data["assigned_on"] or today
    if data["deadline"] and data["deadline"] < assigned:
        err(
            row,
            "deadline",
            _("办理时限不能早于交办日期（%s）。") % assigned,
            as_text(v["deadline"]),
        )
    if not (
        data["deadline"] or data["deadline_workdays"] or v["deadline"] or v["deadline_workdays"]
    ):
        err(row, "deadline", _("请填写“办理时限”或“时限(工作日)”"))
    lead = data["lead_unit"]
    if lead is not None and not services.can_assign_to(actor, lead):
        err(row, "lead_unit", _("无权向该单位交办"), v["lead_unit"])


def _changes(row, v, data, item: Item, actor, err) -> dict:
    """What the row changes on the item ({} if nothing). An empty cell keeps the value."""
    new = {}
    for fname in (*TEXT_FIELDS, *CHOICES):
        # A cell is read stripped: so is the value it is compared with.
        if data[fname] and data[fname] != getattr(item, fname).strip():
            new[fname] = data[fname]
    lead = data["lead_unit"] or item.lead_unit
    if lead != item.lead_unit:
        new["lead_unit"] = lead
        if not services.can_assign_to(actor, lead):
            err(row, "lead_unit", _("无权向该单位交办"), v["lead_unit"])
        elif item.parent_id:
            try:
                services.check_child_unit(item.parent, lead, actor=actor)
            except ValidationError as exc:
                err(row, "lead_unit", exc.messages[0], v["lead_unit"])
    # Moved to another unit, the person named in the old one cannot follow it there.
    left_behind = item.responsible_id and item.responsible.unit_id != lead.pk
    if data["responsible"] is not None and data["responsible"] != item.responsible:
        new["responsible"] = data["responsible"]
    elif "lead_unit" in new and not v["responsible"] and left_behind:
        new["responsible"] = None
    if data["co_units"]:
        wanted = {u.pk: u for u in data["co_units"] if u.pk != lead.pk}
        if set(wanted) != {u.pk for u in item.co_units.all()}:
            new["co_units"] = list(wanted.values())

    assigned = item.assigned_on
    if data["assigned_on"] and data["assigned_on"] != item.assigned_on:
        new["assigned_on"] = assigned = data["assigned_on"]
    moved = "assigned_on" in new
    if data["deadline"]:
        if data["deadline"] != item.deadline or (moved and item.deadline_basis != "date"):
            new.update(
                deadline=data["deadline"],
                deadline_basis="date",
                deadline_count=None,
                deadline_provisional=False,
            )
    elif data["deadline_workdays"]:
        count = data["deadline_workdays"]
        if moved or (item.deadline_basis, item.deadline_count) != ("workdays", count):
            new.update(deadline_basis="workdays", deadline_count=count)  # counted when written
    elif moved and item.deadline_basis != "date" and item.deadline_count:
        new.update(deadline_basis=item.deadline_basis, deadline_count=item.deadline_count)
    due = new.get("deadline", item.deadline)
    if (moved or "deadline" in new) and due and due < assigned:
        fname = "deadline" if "deadline" in new else "assigned_on"
        err(row, fname, _("办理时限不能早于交办日期（%s）。") % assigned, as_text(v[fname]))

    if new:
        reason = _frozen_reason(item.status)
        if reason:
            err(row, "code", reason, item.code)
        elif not services.is_reviewer(actor, item):
            err(row, "code", _("只有交办单位可以通过台账修改事项 %s。") % item.code, item.code)
    return new


def _refusals(sheet, row, exc) -> list[CellError]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            CellError(
                sheet.name, row, _column(sheet, f) if f in COLUMNS else "", "；".join(messages)
            )
            for f, messages in exc.message_dict.items()
        ]
    return [CellError(sheet.name, row, "", "；".join(getattr(exc, "messages", [str(exc)])))]


def _shown(item: Item, fname: str, co_units) -> str:
    """A value as the timeline shows it."""
    if fname == "co_units":
        return "、".join(u.name for u in co_units) or _("无")
    if fname in CHOICES:
        return str(getattr(item, f"get_{fname}_display")())
    value = getattr(item, fname)
    if value in (None, ""):
        return _("无")
    if fname == "deadline" and item.deadline_basis != "date" and item.deadline_count:
        unit = _("个工作日") if item.deadline_basis == "workdays" else _("个自然日")
        return f"{value.isoformat()}（{item.deadline_count} {unit}）"
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"“{value}”" if fname in ("title", "tags") else str(value)


def _update(item: Item, *, actor, changes: dict, file_label: str = "") -> Item:
    """Write what a row changes (the item is locked since its check): change log, a
    timeline entry naming each change, and notifications after commit — as on assignment
    to the lead unit's people if the lead unit changed, else a notice of the changes."""
    shown = [f for f in SHOWN if f in changes or (f == "deadline" and "deadline_basis" in changes)]
    old_co = list(item.co_units.all())
    before = {f: _shown(item, f, old_co) for f in shown}
    for fname, value in changes.items():
        if fname != "co_units":
            setattr(item, fname, value)
    if "deadline_count" in changes and item.deadline_basis != "date":
        item.deadline, item.deadline_provisional = compute_deadline(
            item.assigned_on, item.deadline_basis, item.deadline_count, None
        )
    item._audit_action = "import"
    item._audit_comment = file_label
    item.save()
    if "co_units" in changes:
        item.co_units.set(changes["co_units"])
    if actor is not None:
        item.ensure_visible_to(actor)

    labels, parts = [], []
    for fname in shown:
        label = str(Item._meta.get_field(fname).verbose_name)
        labels.append(label)
        if fname in LONG_TEXTS:
            parts.append(_("%s已修改") % label)
        else:
            after = _shown(item, fname, changes.get("co_units", old_co))
            parts.append(f"{label}：{before[fname]} → {after}")
    comment = _("台账导入修改：%s") % "；".join(parts)
    if file_label:
        comment += f"（{file_label}）"
    services.record_event(item, EventAction.IMPORT, actor=actor, comment=comment)

    # Only the item's own people hear of it: a lead unit it left may no longer open it.
    people = services.handler_ids(item)
    if "lead_unit" in changes:
        fresh = people
    else:
        fresh = {item.responsible_id} if changes.get("responsible") is not None else set()
    if fresh:
        services.notify_item(
            item, fresh, "assigned", _("新交办事项"), robots="lead_unit" in changes
        )
    if people - fresh:
        services.notify_item(
            item, people - fresh, "import", _("台账导入修改了%s") % "、".join(labels)
        )
    if (
        "lead_unit" in changes
        and item.parent_id
        and not item.lead_unit.is_within(item.parent.lead_unit)
    ):
        services.tell_parent(item)
    return item
