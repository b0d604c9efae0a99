"""Chart specifications for the dashboard and the big screen, and the summary workbook.

A chart is a dict {id, title, kind, unit, labels, series: [{name, data}]}: the template
passes it to the page in the chart element's `data-spec` attribute (JSON; not a
`json_script` block, which htmx drops from swapped content while `allowScriptTags` is
off — the big screen refreshes by swapping) and renders the very same numbers as a
<table>, so every chart has its table view. projects/charts.js draws it with ECharts.
"""

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from xiaoneng.units.names import common_name, stem

YI = Decimal(10000)


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _yi(value) -> float:
    return float((value / YI).quantize(Decimal("0.01")))


def chart(cid, title, kind, labels, series, unit="") -> dict:
    labels = [str(label) for label in labels]
    # A series named "…（个）" next to money series goes on a second axis (counts vs 亿元).
    mixed = len({("个" in str(name)) for name, _d in series}) > 1
    series = [
        {
            "name": str(name),
            "data": [_num(v) for v in data],
            "axis": int(mixed and "个" in str(name)),
        }
        for name, data in series
    ]
    return {
        "id": cid,
        "title": str(title),
        "kind": kind,
        "unit": str(unit),
        "labels": labels,
        "series": series,
    }


def table_rows(spec: dict) -> list[list]:
    """The chart's numbers row by row, for its table view."""
    return [
        [label, *(s["data"][i] for s in spec["series"])] for i, label in enumerate(spec["labels"])
    ]


RATE_KEYS = {"start_rate", "in_stats_rate", "in_stats_rate_of_started", "completion_rate"}
MONEY_KEYS = {"total_investment", "annual_plan", "completed_ytd"}


SCREEN_INDUSTRIES = 6  # the big screen shows the largest industries, the rest as "其他"


def dashboard_charts(
    summary, ranked, rank, rank_label, trend, by_county, *, screen: bool = False
) -> list[dict]:
    """The six charts of the dashboard; `screen`: as the big screen shows them (short
    unit names, the industries as horizontal bars, the months as numbers)."""
    where = _("县市区") if by_county else _("州市")
    label = stem if screen else common_name
    names = [label(r["name"]) for r in ranked]
    if rank in RATE_KEYS:
        rank_values, unit = [r[rank] for r in ranked], "%"
    elif rank in MONEY_KEYS:
        rank_values, unit = [_yi(r[rank]) for r in ranked], _("亿元")
    else:
        rank_values, unit = [r[rank] for r in ranked], _("个")
    industries = summary["by_industry"]
    if screen:  # by investment, largest first
        industries = sorted(industries, key=lambda r: -r["total_investment"])
    if screen and len(industries) > SCREEN_INDUSTRIES + 1:
        rest = industries[SCREEN_INDUSTRIES:]
        other = {
            "name": _("其他"),
            **{k: sum(r[k] for r in rest) for k in ("projects", "total_investment", "annual_plan")},
        }
        industries = [*industries[:SCREEN_INDUSTRIES], other]
    charts = [
        chart(
            "chart-rank",
            _("各%(where)s%(kpi)s排名") % {"where": where, "kpi": rank_label},
            "bar",
            names,
            [(rank_label, rank_values)],
            unit,
        ),
        chart(
            "chart-rates",
            _("各%s开工率、入库率、投资完成率") % where,
            "bar",
            names,
            [
                (_("开工率"), [r["start_rate"] for r in ranked]),
                (_("入库率"), [r["in_stats_rate"] for r in ranked]),
                (_("投资完成率"), [r["completion_rate"] for r in ranked]),
            ],
            "%",
        ),
        chart(
            "chart-industry",
            _("分行业总投资") if screen else _("分行业项目数与投资"),
            "hbar" if screen else "bar",
            [r["name"] for r in industries],
            [(_("总投资"), [_yi(r["total_investment"]) for r in industries])]
            if screen
            else [
                (_("项目数（个）"), [r["projects"] for r in industries]),
                (_("总投资（亿元）"), [_yi(r["total_investment"]) for r in industries]),
                (_("年度计划（亿元）"), [_yi(r["annual_plan"]) for r in industries]),
            ],
            _("亿元") if screen else "",
        ),
        chart(
            "chart-total-brackets",
            _("总投资规模（累计，含本数）"),
            "bar",
            [_("≥%s亿") % b["min_yi"] for b in summary["total_investment_brackets"]],
            [
                (_("项目数（个）"), [b["projects"] for b in summary["total_investment_brackets"]]),
                (
                    _("总投资（亿元）"),
                    [_yi(b["total_investment"]) for b in summary["total_investment_brackets"]],
                ),
            ],
        ),
        chart(
            "chart-annual-brackets",
            _("年度计划投资规模（累计，含本数）"),
            "bar",
            [_("≥%s亿") % b["min_yi"] for b in summary["annual_plan_brackets"]],
            [
                (_("项目数（个）"), [b["projects"] for b in summary["annual_plan_brackets"]]),
                (
                    _("年度计划（亿元）"),
                    [_yi(b["annual_plan"]) for b in summary["annual_plan_brackets"]],
                ),
            ],
        ),
        chart(
            "chart-trend",
            _("月度完成投资（月）") if screen else _("月度完成投资"),
            "line",
            [str(t["month"]) if screen else _("%d月") % t["month"] for t in trend],
            [
                (_("当月完成（亿元）"), [_yi(t["completed"]) for t in trend]),
                (_("累计完成（亿元）"), [_yi(t["completed_cumulative"]) for t in trend]),
            ],
        ),
    ]
    return charts


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
