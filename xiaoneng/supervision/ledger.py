"""Excel ledgers (台账) of items: export any filtered list, import from the template.

The import reads every row first and writes nothing if any row is wrong; each error names
sheet, row (as Excel shows it), column and reason. A row with the code of an existing item
updates that item instead of creating a new one.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.xlsx import CellError, ImportFailed, read_sheet, write_xlsx
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item, ItemKind, Source, Status, Urgency
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
    9: "日期，如 2026-12-31；与“时限(工作日)”二选一",
    10: "整数，自交办日期起算的工作日数",
    11: "一般 / 紧急 / 特急",
}


def _choice(value, choices, default=None):
    if value in (None, ""):
        return default
    text = str(value).strip()
    for code, label in choices:
        if text in (code, str(label)):
            return code
    raise ValueError(_("应为：%s") % "、".join(str(label) for _c, label in choices))


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("日期应写作 2026-12-31")) from None


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
                r[7] or "",
                r[8],
                r[9],
                r[10],
                "暂定" if r[11] else "",
                r[12],
                r[13],
                str(urgencies.get(r[14], r[14])),
                r[15],
                r[16],
                r[17] or "",
            ]

    return write_xlsx(EXPORT_HEADERS, shaped(), sheet="督办台账")


@transaction.atomic
def import_items(source, *, actor, file_label: str = "") -> dict:
    from xiaoneng.accounts.models import User

    sheet = read_sheet(source, COLUMNS, required=["title", "lead_unit"], file_label=file_label)
    errors: list[CellError] = []
    head = sheet.headers

    def err(row, fname, message, value=None):
        errors.append(CellError(sheet.name, row, head.get(fname, fname), str(message), value))

    # One query each for the lookups the rows need.
    unit_keys = set()
    for _row, values in sheet.rows:
        for key in ("lead_unit", "co_units"):
            text = str(values.get(key) or "")
            unit_keys |= {p.strip() for p in text.replace("，", "、").split("、") if p.strip()}
    reachable = Unit.objects.filter(path__startswith=actor.unit.path) if actor else Unit.objects
    units = {}
    for u in reachable.filter(code__in=unit_keys) | reachable.filter(name__in=unit_keys):
        units[u.code] = u
        units[u.name] = u
    codes = {str(v["code"]).strip() for _r, v in sheet.rows if v.get("code")}
    existing = (
        {i.code: i for i in Item.objects.visible_to(actor).filter(code__in=codes)}
        if actor
        else {i.code: i for i in Item.objects.filter(code__in=codes)}
    )
    usernames = {str(v["responsible"]).strip() for _r, v in sheet.rows if v.get("responsible")}
    people = {u.username: u for u in User.objects.filter(username__in=usernames)}

    plans = []
    for row, v in sheet.rows:
        before = len(errors)
        data = {}
        code = str(v.get("code") or "").strip()
        if code and code not in existing:
            err(row, "code", _("找不到该编号的事项（或无权查看）"), code)
        data["title"] = str(v.get("title") or "").strip()
        if not data["title"]:
            err(row, "title", _("必填"))
        try:
            data["kind"] = _choice(v.get("kind"), ItemKind.choices, "task")
        except ValueError as exc:
            err(row, "kind", exc, v.get("kind"))
        try:
            data["source"] = _choice(v.get("source"), Source.choices, "other")
        except ValueError as exc:
            err(row, "source", exc, v.get("source"))
        try:
            data["urgency"] = _choice(v.get("urgency"), Urgency.choices, "normal")
        except ValueError as exc:
            err(row, "urgency", exc, v.get("urgency"))
        lead_key = str(v.get("lead_unit") or "").strip()
        data["lead_unit"] = units.get(lead_key)
        if data["lead_unit"] is None:
            err(row, "lead_unit", _("找不到该单位，或不在本单位管辖范围内"), lead_key)
        co = []
        for part in str(v.get("co_units") or "").replace("，", "、").split("、"):
            if part.strip():
                if part.strip() in units:
                    co.append(units[part.strip()])
                else:
                    err(row, "co_units", _("找不到该单位"), part.strip())
        data["co_units"] = co
        resp = str(v.get("responsible") or "").strip()
        data["responsible"] = people.get(resp) if resp else None
        if resp and data["responsible"] is None:
            err(row, "responsible", _("找不到该用户名"), resp)
        for fname in ("assigned_on", "deadline"):
            try:
                data[fname] = _date(v.get(fname))
            except ValueError as exc:
                err(row, fname, exc, v.get(fname))
        wd = v.get("deadline_workdays")
        data["deadline_workdays"] = None
        if wd not in (None, ""):
            try:
                data["deadline_workdays"] = int(float(wd))
                if data["deadline_workdays"] <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                err(row, "deadline_workdays", _("应为正整数"), wd)
        if data.get("deadline") and data.get("deadline_workdays"):
            err(row, "deadline", _("“办理时限”与“时限(工作日)”只能填一个"))
        for fname in ("description", "tags", "rectification", "standard"):
            data[fname] = str(v.get(fname) or "").strip()
        if (
            len(errors) == before
            and data["lead_unit"] is not None
            and not services.can_assign_to(actor, data["lead_unit"])
        ):
            err(row, "lead_unit", _("无权向该单位交办"), lead_key)
        if len(errors) == before:
            plans.append((row, existing.get(code), data))
    if errors:
        raise ImportFailed(errors, sheet.warnings)

    created, updated = [], []
    for row, item, data in plans:
        try:
            if item is None:
                created.append(services.assign_item(actor=actor, **data))
            else:
                updated.append(_update(item, actor=actor, data=data))
        except (ValidationError, PermissionDenied) as exc:
            msg = "；".join(getattr(exc, "messages", [str(exc)]))
            errors.append(CellError(sheet.name, row, "", msg))
    if errors:
        transaction.set_rollback(True)
        raise ImportFailed(errors, sheet.warnings)
    return {"created": created, "updated": updated, "warnings": sheet.warnings}


def _update(item: Item, *, actor, data: dict) -> Item:
    from xiaoneng.supervision.workdays import compute_deadline

    item = Item.objects.select_for_update().get(pk=item.pk)
    if actor is not None and not services.is_reviewer(actor, item):
        raise PermissionDenied(_("只有交办单位可以通过台账修改事项 %s。") % item.code)
    for fname in (
        "title",
        "kind",
        "source",
        "urgency",
        "description",
        "tags",
        "rectification",
        "standard",
    ):
        if data.get(fname) not in (None, ""):
            setattr(item, fname, data[fname])
    item.lead_unit = data["lead_unit"]
    if data.get("responsible") is not None:
        item.responsible = data["responsible"]
    if data.get("assigned_on"):
        item.assigned_on = data["assigned_on"]
    if data.get("deadline_workdays"):
        item.deadline_basis, item.deadline_count = "workdays", data["deadline_workdays"]
        item.deadline, item.deadline_provisional = compute_deadline(
            item.assigned_on, "workdays", item.deadline_count, None
        )
    elif data.get("deadline"):
        item.deadline_basis, item.deadline_count = "date", None
        item.deadline, item.deadline_provisional = data["deadline"], False
    item._audit_action = "import"
    item.save()
    if data.get("co_units"):
        item.co_units.set(data["co_units"])
    return item
