"""The items ledger (督办台账), declared once (`core.ledgers`).

From `ITEMS` come the import template (`/supervision/import/template/`), the import's header
matching and cell parsing (`ledger.import_items`), the export of any filtered list (the same
headers, so an exported list imports back with no change), the columns a re-import may
change (`ITEMS.updatable()`, which are also the arguments `services.update_item` takes), and
the edit form's fields and labels (`forms.ItemForm`). The rules across columns (a lead unit
the actor may assign to, a child item's lead unit, the deadline after the assignment date, a
closed item refusing changes …) are `services.update_item`'s and `services.assign_item`'s,
which the import and the pages call alike.

The export's rows are dicts (`ledger.export_rows`: one query's values, co-units added a
chunk at a time), so a column's `export` reads a dict.

To add a column: one `Column` here (and its model field); the template, the import, the
export and the form follow; `services.update_item` takes it once its timeline says how to
show it (`services.edit.SHOWN`).
"""

import datetime as dt
import re
from functools import partial

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import ledgers
from xiaoneng.core.ledgers import CellField, Column, Ledger, choice
from xiaoneng.core.xlsx import as_text

# core has no shared date reader yet; the projects ledger's reads 2026年12月1日 and the rest.
from xiaoneng.projects.parsing import BadValue, parse_date
from xiaoneng.supervision.models import ItemKind, Light, Source, Status, Urgency
from xiaoneng.units.models import Unit

MAX_WORKDAYS = 3650  # the assign form's maximum


def text(max_length: int | None = None):
    """`core.ledgers.text`, its maximum also the form input's (CellField reads the
    parser's `max_length`)."""
    parse = ledgers.text(max_length)
    parse.max_length = max_length  # type: ignore[attr-defined]
    return parse


def parse_day(value) -> dt.date | None:
    """A date cell, or text: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231
    (also typed as a number), and ISO forms. A month without a day is refused: a deadline
    needs its day."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return parse_date(value)  # a date cell: the date window of every form
    typed = as_text(value)
    digits = re.findall(r"\d+", typed)
    reason = _("日期应写到日，如 2026-12-31、2026/12/31 或 2026年12月31日")
    if len(digits) >= 3 or (len(digits) == 1 and len(digits[0]) == 8):
        try:
            return parse_date(typed)
        except BadValue as exc:
            reason = str(exc)
    try:  # what the import read before: ISO week dates and the like
        day = dt.date.fromisoformat(typed.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValueError(reason) from None
    return parse_date(day)


def parse_workdays(value) -> int | None:
    """A number of working days: a whole number from 1 to MAX_WORKDAYS."""
    if value in (None, ""):
        return None
    try:
        number = float(as_text(value))
    except ValueError:
        number = 0.5  # refused below
    if not number.is_integer() or not 1 <= number <= MAX_WORKDAYS:
        raise ValueError(_("应为 1 至 %d 之间的整数") % MAX_WORKDAYS)
    return int(number)


def parse_names(value) -> list[str]:
    """Units named in one cell: codes or names, separated by 、 or commas."""
    typed = as_text(value).replace("，", "、").replace(",", "、")
    return [part.strip() for part in typed.split("、") if part.strip()]


def _label(choices):
    labels = dict(choices)
    return lambda key: str(labels.get(key, key))


KIND_LABEL = _label(ItemKind.choices)
SOURCE_LABEL = _label(Source.choices)
STATUS_LABEL = _label(Status.choices)
URGENCY_LABEL = _label(Urgency.choices)
LIGHT_LABEL = _label(Light.choices)


def _choice_field(choices, **options):
    """A drop-down of the column's choices; always filled on the form (an empty cell of the
    import keeps the item's value, or takes the default for a new item)."""
    return partial(_required, forms.ChoiceField, choices=choices, **options)


def _required(field, **kwargs):
    kwargs["required"] = True
    return field(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(**kwargs) -> CellField:
    """A date typed as in the ledger (2026-12-31, 2026/12/31, 2026年12月31日), read by the
    ledger's own reader; the browser offers its date picker."""
    return CellField(parse_day, display=lambda day: day.isoformat(), widget=DateInput(), **kwargs)


def _long_text(**kwargs) -> CellField:
    return CellField(text(), widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


def _responsible(row) -> str:
    """A display name reads back (as does the user name)."""
    return row["responsible__name"] or row["responsible__username"] or ""


def _workdays(row):
    return row["deadline_count"] if row["deadline_basis"] == "workdays" else None


ITEMS = Ledger(
    "督办事项",
    [
        Column(
            "code", "编号", aliases=("事项编号", "code"), updatable=False,
            note="留空为新增；填已有编号则更新该事项", parse=text(),
        ),
        Column(
            "kind", "类型", aliases=("kind",), note="督办事项 / 问题 / 责任事项",
            parse=choice(ItemKind.choices), export=lambda r: KIND_LABEL(r["kind"]),
            field=_choice_field(ItemKind.choices),
        ),
        Column(
            "title", "标题", aliases=("事项名称", "问题描述", "title"), required=True,
            parse=text(200), width=30,
        ),
        Column(
            "description", "内容", aliases=("具体内容", "description"), parse=text(),
            field=partial(
                CellField, text(), widget=forms.Textarea(attrs={"rows": 4})
            ),
            width=30,
        ),
        Column(
            "source", "来源", aliases=("source",),
            note="、".join(str(label) for _code, label in Source.choices),
            parse=choice(Source.choices), export=lambda r: SOURCE_LABEL(r["source"]),
            field=_choice_field(Source.choices),
        ),
        Column("status", "状态", imported=False, export=lambda r: STATUS_LABEL(r["status"])),
        Column("light", "灯色", imported=False, export=lambda r: LIGHT_LABEL(r["light_now"])),
        # Units and people are named in the file, resolved against the units the importer
        # may assign to and the lead unit's members (ledger._Units, ledger._People).
        Column(
            "lead_unit", "牵头单位", aliases=("牵头单位编码", "责任单位", "lead_unit"),
            required=True, note="单位编码或全称", parse=text(),
            export=lambda r: r["lead_unit__name"],
            field=partial(forms.ModelChoiceField, queryset=Unit.objects.none()),
            width=18,
        ),
        Column(
            "co_units", "配合单位", aliases=("co_units",), note="多个用顿号分隔",
            parse=parse_names, export=lambda r: "、".join(r["co_units"]),
            field=partial(
                forms.ModelMultipleChoiceField, queryset=Unit.objects.none(),
                widget=forms.SelectMultiple(attrs={"size": 5}),
                help_text=gettext_lazy("可多选（按住 Ctrl 键点选）"),
            ),
            width=18,
        ),
        Column(
            "responsible", "责任人", aliases=("责任人用户名", "responsible"),
            note="牵头单位的人员：用户名，或单位内唯一的姓名；可留空",
            parse=text(150), export=_responsible,
            field=partial(
                CellField, text(150),
                help_text=gettext_lazy("牵头单位的人员：用户名，或单位内唯一的姓名；可留空"),
            ),
        ),
        Column(
            "assigning_unit", "交办单位", imported=False,
            export=lambda r: r["assigning_unit__name"], width=18,
        ),
        Column(
            "assigned_on", "交办日期", aliases=("assigned_on",), note="日期，留空为今天",
            parse=parse_day, field=_date_field, width=12,
        ),
        Column(
            "deadline", "办理时限", aliases=("完成时限", "deadline"),
            note="日期，如 2026-12-31 或 2026年12月31日；新增时与“时限(工作日)”二选一填写，"
            "更新时改动其中一项",
            parse=parse_day, width=12,
            field=partial(
                _date_field,
                help_text=gettext_lazy("指定日期；或在下一项填写工作日数，两者修改其一"),
            ),
        ),
        Column(
            "deadline_workdays", "时限(工作日)", aliases=("工作日", "deadline_workdays"),
            note="整数，自交办日期起算的工作日数", parse=parse_workdays, export=_workdays,
            label=gettext_lazy("时限（工作日）"),
            field=partial(
                CellField, parse_workdays,
                widget=forms.NumberInput(attrs={"min": 1, "max": MAX_WORKDAYS}),
                help_text=gettext_lazy(
                    "自交办日期起算，按国家法定节假日和调休计算；所在年度安排尚未发布时暂只扣除周末"
                ),
            ),
        ),
        Column(
            "deadline_provisional", "时限暂定", imported=False,
            export=lambda r: "暂定" if r["deadline_provisional"] else "",
        ),
        Column("progress", "进度(%)", imported=False),
        Column("urge_count", "催办次数", imported=False),
        Column(
            "urgency", "紧急程度", aliases=("urgency",), note="一般 / 紧急 / 特急",
            parse=choice(Urgency.choices), export=lambda r: URGENCY_LABEL(r["urgency"]),
            field=_choice_field(Urgency.choices),
        ),
        Column(
            "tags", "标签", aliases=("tags",), parse=text(200),
            field=partial(
                CellField, text(200), help_text=gettext_lazy("多个用顿号或逗号分隔")
            ),
        ),
        Column(
            "rectification", "整改措施", aliases=("rectification",), parse=text(),
            field=_long_text, width=30,
        ),
        Column(
            "standard", "完成标准及考核方式", aliases=("standard",), parse=text(),
            field=_long_text, width=30,
        ),
        Column("parent", "上级事项", imported=False, export=lambda r: r["parent__code"] or ""),
    ],
)  # fmt: skip
