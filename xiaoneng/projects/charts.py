"""Chart specifications for the dashboard and the big screen, and the summary workbook.

A chart is a dict {id, title, kind, unit, labels, series: [{name, data, unit, mark, axis}]}: the template
passes it to the page in the chart element's `data-spec` attribute (JSON; not a
`json_script` block, which htmx drops from swapped content while `allowScriptTags` is
off — the big screen refreshes by swapping) and renders the very same numbers as a
<table>, so every chart has its table view. projects/charts.js draws it with ECharts.
"""

import io

from django.utils.translation import gettext as _

from xiaoneng.projects.formats import COUNT, PERCENT, YI, to_yi
from xiaoneng.units.names import common_name, stem


def _num(value):
    return None if value is None else float(value)


def _yi(value) -> float:
    return float(to_yi(value))


def series(name, data, unit, mark: str = "bar") -> dict:
    """One series: its values in `unit` (亿元, %, 个) and its mark. Counts beside money are
    a line on an axis of their own, never bars on a second scale that look comparable."""
    return {"name": str(name), "data": [_num(v) for v in data], "unit": unit, "mark": mark}


def chart(cid, title, kind, labels, series_list) -> dict:
    """kind: "bar" (categories along the bottom), "hbar" (categories down the side, for long
    names), "line". The chart's unit (in its title) is its first series'; a series of
    another unit goes on a second axis (`axis` 1)."""
    unit = series_list[0]["unit"] if series_list else ""
    for s in series_list:
        s["axis"] = int(s["unit"] != unit)
    return {
        "id": cid,
        "title": str(title),
        "kind": kind,
        "unit": str(unit),
        "labels": [str(label) for label in labels],
        "series": series_list,
    }


def table_rows(spec: dict) -> list[list]:
    """The chart's numbers row by row, for its table view: [label, (value, unit), …]."""
    return [
        [label, *((s["data"][i], s["unit"]) for s in spec["series"])]
        for i, label in enumerate(spec["labels"])
    ]


RATE_KEYS = {"start_rate", "in_stats_rate", "in_stats_rate_of_started", "completion_rate"}
MONEY_KEYS = {"total_investment", "annual_plan", "completed_ytd"}


def rank_values(ranked, rank) -> tuple[list, str]:
    if rank in RATE_KEYS:
        return [r[rank] for r in ranked], PERCENT
    if rank in MONEY_KEYS:
        return [_yi(r[rank]) for r in ranked], YI
    return [r[rank] for r in ranked], COUNT


def dashboard_charts(
    summary, ranked, rank, rank_label, trend, by_county, *, screen: bool = False
) -> list[dict]:
    """The six charts of the dashboard; `screen`: as the big screen shows them (short unit
    names, the months as numbers). Every industry is drawn (no "其他" hiding the small
    ones); money and counts never share a kind of mark."""
    where = _("县市区") if by_county else _("州市")
    label = stem if screen else common_name
    names = [label(r["name"]) for r in ranked]
    values, unit = rank_values(ranked, rank)
    industries = sorted(summary["by_industry"], key=lambda r: -r["total_investment"])
    total_brackets = summary["total_investment_brackets"]
    annual_brackets = summary["annual_plan_brackets"]
    industry_series = [series(_("总投资"), [_yi(r["total_investment"]) for r in industries], YI)]
    if not screen:
        industry_series.append(
            series(_("年度计划投资"), [_yi(r["annual_plan"]) for r in industries], YI)
        )
    return [
        chart(
            "chart-rank",
            _("各%(where)s%(kpi)s排名") % {"where": where, "kpi": rank_label},
            "bar",
            names,
            [series(rank_label, values, unit)],
        ),
        chart(
            "chart-rates",
            _("开工率、入库率、投资完成率")
            if screen
            else _("各%s开工率、入库率、投资完成率") % where,
            "bar",
            names,
            [
                series(_("开工率"), [r["start_rate"] for r in ranked], PERCENT),
                series(_("入库率"), [r["in_stats_rate"] for r in ranked], PERCENT),
                series(_("投资完成率"), [r["completion_rate"] for r in ranked], PERCENT),
            ],
        ),
        chart(
            "chart-industry",
            _("分行业投资"),
            "hbar",
            [r["name"] for r in industries],
            industry_series,
        ),
        chart(
            "chart-total-brackets",
            _("总投资规模累计"),
            "bar",
            [_("≥%s亿") % b["min_yi"] for b in total_brackets],
            [
                series(_("总投资"), [_yi(b["total_investment"]) for b in total_brackets], YI),
                series(_("项目数（个）"), [b["projects"] for b in total_brackets], COUNT, "line"),
            ],
        ),
        chart(
            "chart-annual-brackets",
            _("年度计划投资规模累计"),
            "bar",
            [_("≥%s亿") % b["min_yi"] for b in annual_brackets],
            [
                series(_("年度计划投资"), [_yi(b["annual_plan"]) for b in annual_brackets], YI),
                series(_("项目数（个）"), [b["projects"] for b in annual_brackets], COUNT, "line"),
            ],
        ),
        chart(
            "chart-trend",
            _("月度完成投资"),
            "bar",
            [str(t["month"]) if screen else _("%d月") % t["month"] for t in trend],
            [
                series(_("当月完成"), [_yi(t["completed"]) for t in trend], YI),
                series(_("累计完成"), [_yi(t["completed_cumulative"]) for t in trend], YI, "line"),
            ],
        ),
    ]


SUMMARY_COLUMNS = [
    ("name", "名称"), ("projects", "项目数"), ("total_investment", "总投资(万元)"),
    ("annual_plan", "年度计划投资(万元)"), ("started", "开工数"), ("start_rate", "开工率%"),
    ("in_stats", "入库数"), ("in_stats_rate", "入库率%"),
    ("in_stats_rate_of_started", "入库占开工%"), ("completed_ytd", "累计完成投资(万元)"),
    ("completion_rate", "投资完成率%"),
]  # fmt: skip


def summary_workbook(summary: dict, by_county: bool) -> bytes:
    """The dashboard as a workbook: one sheet per table."""
    from xiaoneng.core.xlsx import new_workbook, write_cell

    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})

    def sheet(name, headers, rows):
        ws = book.add_worksheet(name)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, bold)
            ws.set_column(c, c, max(10, len(h) * 2))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                write_cell(ws, r, c, "—" if value is None else value, book)
        ws.freeze_panes(1, 0)

    headers = [h for _k, h in SUMMARY_COLUMNS]
    total = {**summary, "name": f"{summary['scope']}（{summary['batch']}）合计"}
    groups = summary["by_county"] if by_county else summary["by_prefecture"]
    sheet(
        "分县市区" if by_county else "分州市",
        headers,
        [[row.get(k) for k, _h in SUMMARY_COLUMNS] for row in [total, *groups]],
    )
    sheet(
        "分行业",
        headers,
        [[row.get(k) for k, _h in SUMMARY_COLUMNS] for row in summary["by_industry"]],
    )
    sheet(
        "投资规模",
        ["口径", "下限(亿元)", "项目数", "总投资(万元)", "年度计划投资(万元)"],
        [
            ["总投资", b["min_yi"], b["projects"], b["total_investment"], b["annual_plan"]]
            for b in summary["total_investment_brackets"]
        ]
        + [
            ["年度计划投资", b["min_yi"], b["projects"], b["total_investment"], b["annual_plan"]]
            for b in summary["annual_plan_brackets"]
        ],
    )
    book.close()
    return buffer.getvalue()
