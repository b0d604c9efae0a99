"""`xiaoneng projects summary --batch 2022Q2 [--prefecture NAME] [--json]` and
`xiaoneng projects clean-imports [--hours 24]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import kpis


def _fmt(value) -> str:
    if value is None:
        return "—"
    return str(value)


class Command(BaseCommand):
    help = "重大项目调度：汇总指标。"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        summary = subparsers.add_parser("summary", help="项目数、投资、开工率、入库率、完成率")
        summary.add_argument(
            "--batch",
            action="append",
            default=[],
            help="批次编号，可重复：--batch 2022Q1 --batch 2022Q2",
        )
        summary.add_argument("--prefecture", help="州市名称或区划代码")
        summary.add_argument("--county", help="县市区名称或区划代码")
        summary.add_argument("--industry", help="行业类别")
        summary.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

        clean = subparsers.add_parser(
            "clean-imports", help="删除超过时限的已上传台账文件（默认 24 小时）"
        )
        clean.add_argument("--hours", type=float, default=24, help="保留的小时数，默认 24")

    def handle(self, *args, action, **options):
        if action == "summary":
            self.summary(**options)
        elif action == "clean-imports":
            self.clean_imports(**options)

    def clean_imports(self, *, hours: float, **_):
        import datetime as dt

        from xiaoneng.projects.tasks import clean_import_uploads, fail_stalled_jobs

        if hours < 0:
            raise CommandError(f"--hours 不能为负数：{hours}")
        fail_stalled_jobs(actor=SYSTEM)  # their uploads go too
        deleted = clean_import_uploads(actor=SYSTEM, older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"已删除 {deleted} 个超过 {hours:g} 小时的上传文件。")

    def summary(self, *, batch, prefecture, county, industry, json: bool = False, **_):
        try:
            codes = [c.strip() for value in batch for c in value.split(",") if c.strip()]
            qs, batch_label, scope, _unit = kpis.scoped_projects(
                SYSTEM, batches=codes, prefecture=prefecture, county=county, industry=industry
            )
        except kpis.ScopeError as exc:
            raise CommandError(str(exc)) from exc
        data = kpis.jsonable(kpis.summary(qs, batch=batch_label, scope=scope))
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"批次：{data['batch']}    范围：{data['scope']}")
        self.stdout.write(
            f"项目 {data['projects']} 个，总投资 {data['total_investment']} 万元，"
            f"年度计划 {data['annual_plan']} 万元"
        )
        self.stdout.write(
            f"开工 {data['started']}（开工率 {_fmt(data['start_rate'])}%），"
            f"入库 {data['in_stats']}（入库率 {_fmt(data['in_stats_rate'])}%，"
            f"占已开工 {_fmt(data['in_stats_rate_of_started'])}%）"
        )
        self.stdout.write(
            f"本年累计完成投资 {data['completed_ytd']} 万元（投资完成率 {_fmt(data['completion_rate'])}%）"
        )
        header = ["州市", "项目", "总投资(万元)", "年度计划(万元)", "开工率%", "入库率%", "完成率%"]
        rows = [
            [
                r["name"], r["projects"], r["total_investment"], r["annual_plan"],
                _fmt(r["start_rate"]), _fmt(r["in_stats_rate"]), _fmt(r["completion_rate"]),
            ]
            for r in data["by_prefecture"]
        ]  # fmt: skip
        self._table(header, rows)
        self._table(
            ["行业", "项目", "总投资(万元)", "年度计划(万元)"],
            [
                [r["name"], r["projects"], r["total_investment"], r["annual_plan"]]
                for r in data["by_industry"]
            ],
        )
        self._table(
            ["总投资≥(亿)", "项目", "总投资(万元)"],
            [
                [b["min_yi"], b["projects"], b["total_investment"]]
                for b in data["total_investment_brackets"]
            ],
        )
        self._table(
            ["年度计划≥(亿)", "项目", "总投资(万元)"],
            [
                [b["min_yi"], b["projects"], b["total_investment"]]
                for b in data["annual_plan_brackets"]
            ],
        )

    def _table(self, header, rows) -> None:
        import unicodedata

        def width(text) -> int:
            return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))

        cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]

        def line(cells):
            out = []
            for i, cell in enumerate(cells):
                pad = " " * (cols[i] - width(cell))
                out.append(f"{cell}{pad}" if i == 0 else f"{pad}{cell}")
            return "  ".join(out)

        self.stdout.write("")
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * c for c in cols))
        for row in rows:
            self.stdout.write(line(row))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
