"""The project module's two ledgers, declared once (`core.ledgers`): the project ledger
(项目台账) and the monthly reports (月度调度).

From `PROJECTS` come the import template (`/projects/import/template.xlsx`), the import's
header matching and cell parsing (`ledger.py`), the list's export, the columns a re-import
may change, and the edit form's fields (`forms.ProjectForm`); from `REPORTS` the report
template, the report import (`services.import_reports`) and the report form's fields. The
rules across columns (a county inside its prefecture, the annual plan within the total …)
are `services.check_project` and `services.check_report`, which the forms' services and the
imports call alike.

To add a column: one `Column` here (and its model field); the template, the import, the
export and the form follow.
"""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.ledgers import CellField, Column, Ledger
from xiaoneng.core.xlsx import as_text
from xiaoneng.projects.alerts import LEVEL_TEXT
from xiaoneng.projects.models import Industry
from xiaoneng.projects.parsing import (
    parse_flag,
    parse_int,
    parse_money,
    read_day,
    read_month,
    text_cell,
)
from xiaoneng.units.models import Unit


def month_text(day) -> str:
    """A month as the ledger writes it: 2022-03."""
    return f"{day:%Y-%m}" if day else ""


def date_field(*, month_only: bool = False, **kwargs) -> CellField:
    """A date typed as in the ledger (2022-03, 2022-03-15, 2022/3/15, 2022年3月): the
    ledger's own date reader, so that the form and the import accept the same texts."""
    kwargs.setdefault("required", False)
    return CellField(
        read_month if month_only else read_day,
        display=month_text if month_only else (lambda day: day.isoformat()),
        max_length=20,
        **kwargs,
    )


def money_field(**kwargs) -> CellField:
    """万元 as in the ledger: two decimals at most, commas allowed, never negative."""
    return CellField(parse_money, max_length=30, **kwargs)


def _yes_no(flag) -> str:
    return "是" if flag else "否"


def _choice_of(model, **options):
    """A choice among rows (the form narrows the queryset to the actor's)."""
    return partial(forms.ModelChoiceField, queryset=model.objects.none(), **options)


PROJECTS = Ledger(
    "项目台账",
    [
        Column(
            "code", "项目编号", aliases=("项目代码", "编号"), required=True, updatable=False,
            note="必填，唯一；再次导入时按编号更新", parse=text_cell(40),
        ),
        Column(
            "name", "项目名称", aliases=("名称",), required=True, note="必填",
            parse=text_cell(200),
        ),
        # The batch is chosen on the import page (or --batch), not in the file.
        Column("batch", "批次", imported=False, export=lambda p: p.batch.code),
        # Places and industries are names in the file, resolved against the importer's
        # units and the catalogue (ledger.UnitLookup, industries.IndustryIndex).
        Column(
            "prefecture", "州市", aliases=("州(市)", "所属州市"), required=True,
            note="必填，如 昆明市 或 昆明", parse=as_text, export=lambda p: p.prefecture.name,
            field=_choice_of(Unit),
        ),
        Column(
            "county", "县市区", aliases=("县(市、区)", "县(市区)", "所属县市区"),
            note="可空（州市本级项目）", parse=as_text,
            export=lambda p: p.county.name if p.county else None,
            field=_choice_of(Unit, help_text=_("州市本级项目可不填")),
        ),
        Column(
            "industry", "行业类别", aliases=("行业", "所属行业"), required=True,
            note="必填，行业名称或别名，如 交通、旅游业", parse=as_text,
            export=lambda p: p.industry.name, field=_choice_of(Industry),
        ),
        Column(
            "total_investment", "总投资(万元)", aliases=("总投资",), required=True,
            note="必填，万元", parse=parse_money, field=money_field,
        ),
        Column(
            "annual_plan", "年度计划投资(万元)", aliases=("年度计划投资", "年度计划"),
            note="万元，不大于总投资", parse=parse_money, field=money_field,
        ),
        Column(
            "planned_start", "计划开工时间", aliases=("计划开工月份", "计划开工"),
            note="如 2022-03、2022年3月", parse=read_month,
            export=lambda p: month_text(p.planned_start),
            field=partial(date_field, month_only=True, help_text=_("如 2022-03、2022年3月")),
        ),
        Column(
            "actual_start", "实际开工时间", aliases=("实际开工日期", "开工时间"),
            note="如 2022-03-15、2022/3/15 或日期单元格", parse=read_day,
            field=partial(date_field, help_text=_("如 2022-03-15")),
        ),
        Column(
            "in_stats", "是否入库", aliases=("入库",), note="是/否", parse=parse_flag,
            export=lambda p: _yes_no(p.in_stats), field=forms.BooleanField,
        ),
        Column(
            "in_stats_on", "入库时间", aliases=("入库日期",), note="如 2022-04", parse=read_day,
            field=partial(date_field, help_text=_("如 2022-04")),
        ),
        Column(
            "completed_ytd", "累计完成投资(万元)",
            aliases=("累计完成投资", "本年累计完成投资(万元)"),
            note="万元，已有月报的项目以月报为准", parse=parse_money,
            field=partial(money_field, help_text=_("尚无月度调度时可填；有月报后以月报为准")),
        ),
        Column("owner", "项目业主", aliases=("业主单位", "业主"), parse=text_cell(200)),
        Column("leader_in_charge", "包保领导", aliases=("包保责任领导",), parse=text_cell(100)),
        Column(
            "private_investment", "是否民间投资", aliases=("民间投资",), note="是/否",
            parse=parse_flag, export=lambda p: _yes_no(p.private_investment),
            field=forms.BooleanField,
        ),
        Column(
            "top_priority", "是否重中之重", aliases=("重中之重",), note="是/否",
            parse=parse_flag, export=lambda p: _yes_no(p.top_priority), field=forms.BooleanField,
        ),
        # Derived facts (Project.objects.with_facts(), alerts.annotate()): exported only.
        Column("stage", "状态", imported=False, export=lambda p: p.get_stage_display()),
        Column("warning", "预警", imported=False, export=lambda p: LEVEL_TEXT[p.warning]),
    ],
)  # fmt: skip


REPORTS = Ledger(
    "月度调度",
    [
        Column("code", "项目编号", aliases=("项目代码",), required=True, parse=as_text),
        Column(
            "year", "年份", aliases=("年",), required=True, parse=parse_int,
            field=partial(CellField, parse_int, widget=forms.NumberInput),
        ),
        Column(
            "month", "月份", aliases=("月",), required=True, parse=parse_int,
            field=partial(CellField, parse_int, widget=forms.NumberInput),
        ),
        Column(
            "completed_this_month", "本月完成投资(万元)", aliases=("本月完成投资",),
            parse=parse_money,
            field=partial(
                money_field, help_text=_("只填本月完成即可，本年累计自动计算；也可只填本年累计。")
            ),
        ),
        Column(
            "completed_ytd", "本年累计完成投资(万元)",
            aliases=("累计完成投资(万元)", "本年累计完成投资"), parse=parse_money,
            field=money_field,
        ),
        Column(
            "progress", "形象进度", aliases=("进展情况", "进度"), parse=text_cell(),
            field=partial(CellField, text_cell(), widget=forms.Textarea(attrs={"rows": 3})),
        ),
        Column(
            "difficulties", "困难问题", aliases=("存在困难", "困难和问题"), parse=text_cell(),
            field=partial(CellField, text_cell(), widget=forms.Textarea(attrs={"rows": 3})),
        ),
    ],
)  # fmt: skip


# The monthly sheet a reporter downloads (月度调度表): the report ledger's columns with the
# reporter's projects filled in, and, for reference only, each project's name and its
# figures so far this year. The import reads the report columns and passes over these.
REFERENCE_HEADERS = ("项目名称", "上月本年累计(万元)")


def monthly_sheet(rows, *, year: int, month: int) -> bytes:
    """`rows`: (project, year-to-date figure so far or None) in order. Returns the .xlsx."""
    from xiaoneng.core.xlsx import write_xlsx

    columns = REPORTS.imported()
    headers = [columns[0].header, REFERENCE_HEADERS[0]]
    headers += [c.header for c in columns[1:3]]
    headers += [REFERENCE_HEADERS[1]]
    headers += [c.header for c in columns[3:]]
    notes = {
        1: "参考，导入时不读取",
        4: "参考：本年截至上次填报的累计完成投资，导入时不读取",
        5: "只填本月完成即可，本年累计自动计算",
        6: "也可只填本年累计",
    }
    widths = [16, 36, 8, 8, 20, 20, 22, 30, 30]
    body = (
        [project.code, project.name, year, month, so_far, None, None, None, None]
        for project, so_far in rows
    )
    return write_xlsx(headers, body, sheet=REPORTS.name, widths=widths, notes=notes)
