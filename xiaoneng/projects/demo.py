"""Demo data: the two published 2022 batches at demo scale, with monthly reports.

Deterministic (seeded) and idempotent: projects are keyed by code, and a second run
creates nothing. Bulk writes, so it takes a second or two.
"""

import datetime as dt
import random
from decimal import Decimal

from xiaoneng.core import audit
from xiaoneng.projects.models import Batch, Industry, MonthlyReport, Project, Status, month_index
from xiaoneng.projects.services import ensure_default_industries
from xiaoneng.units.models import Level

BATCHES = [
    # code, name, ceremony date, projects in the demo (published: 1,343 and 919)
    ("2022Q1", "2022年第一季度集中开工", dt.date(2022, 3, 8), 340),
    ("2022Q2", "2022年第二季度集中开工", dt.date(2022, 6, 8), 240),
]
REPORTED_UNTIL = (2022, 9)
WORDS = ["高速公路", "产业园", "水库", "光伏电站", "物流园", "旅游综合体", "数据中心", "医院",
         "学校", "污水处理厂", "城市更新", "口岸设施", "农业示范园", "新材料基地"]  # fmt: skip


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    # Log-uniform: many mid-sized projects, a few very large ones.
    value = low * (high / low) ** rng.random()
    return Decimal(str(round(value, -1))).quantize(Decimal("0.01"))


def load(ctx: dict) -> None:
    industries = ensure_default_industries()
    units = ctx["units"]
    prefectures = sorted(
        (u for u in units.values() if u.level == Level.PREFECTURE and u.kind == "government"),
        key=lambda u: u.code,
    )
    counties = {}
    for unit in units.values():
        if unit.level == Level.COUNTY and unit.parent_id:
            counties.setdefault(unit.parent_id, []).append(unit)
    for values in counties.values():
        values.sort(key=lambda u: u.code)
    existing = set(Project.all_objects.values_list("code", flat=True))
    rng = random.Random(2022)
    new: list[Project] = []
    for code, name, ceremony, count in BATCHES:
        batch = Batch.all_objects.filter(code=code).first()
        if batch is None:
            batch = Batch(code=code, name=name, ceremony_date=ceremony)
            batch.save()
        for i in range(1, count + 1):
            pref = prefectures[(i * 7 + rng.randrange(3)) % len(prefectures)]
            county = rng.choice(counties.get(pref.pk, [None]))
            industry = industries[rng.randrange(len(industries))]
            total = _money(rng, 2000, 150000)
            annual = (total * Decimal(rng.uniform(0.2, 0.5))).quantize(Decimal("0.01"))
            planned = dt.date(2022, ceremony.month + rng.choice([-1, 0, 0, 0, 1, 2]), 1)
            started = rng.random() < 0.85
            actual = planned.replace(day=rng.randint(1, 28)) if started else None
            in_stats = started and rng.random() < 0.7
            project_code = f"{code}-{i:04d}"
            if project_code in existing:
                continue
            project = Project(
                code=project_code,
                name=f"{(county or pref).name}{rng.choice(WORDS)}项目（{i}）",
                batch=batch,
                prefecture=pref,
                county=county,
                industry=industry,
                total_investment=total,
                annual_plan=annual,
                planned_start=planned,
                actual_start=actual,
                in_stats=in_stats,
                in_stats_on=(actual.replace(day=28) if in_stats else None),
                owner=f"{pref.name[:2]}建设投资有限公司",
                leader_in_charge=rng.choice(["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆"]),
                private_investment=rng.random() < 0.3,
                top_priority=rng.random() < 0.1,
            )
            project.status = (
                Status.IN_STATS if in_stats else Status.STARTED if started else Status.NOT_STARTED
            )
            new.append(project)
    Project.objects.bulk_create(new, batch_size=1000)
    audit.log_bulk(new, "create", comment="演示数据")

    reports: list[MonthlyReport] = []
    last_year, last_month = REPORTED_UNTIL
    for project in new:
        if project.actual_start is None:
            continue
        pace = Decimal(rng.uniform(0.04, 0.11))
        ytd = Decimal(0)
        for month in range(project.actual_start.month, last_month + 1):
            if rng.random() < 0.08 and month == last_month:
                break  # some projects have not reported the last month yet
            done = (project.annual_plan * pace * Decimal(rng.uniform(0.5, 1.5))).quantize(
                Decimal("0.01")
            )
            done = min(done, project.total_investment - ytd)
            ytd += done
            reports.append(
                MonthlyReport(
                    project=project,
                    year=last_year,
                    month=month,
                    completed_this_month=done,
                    completed_ytd=ytd,
                    progress=rng.choice(["主体工程施工", "场地平整", "设备安装", "基础施工"]),
                    difficulties=rng.choice(["", "", "", "用地报批滞后", "资金到位不足"]),
                    is_late=rng.random() < 0.1,
                )
            )
            project.completed_ytd = ytd
            project.completed_year = last_year
            project.last_report_month = month_index(last_year, month)
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    audit.log_bulk(reports, "create", comment="演示数据")
    Project.objects.bulk_update(
        [p for p in new if p.completed_year], ["completed_ytd", "completed_year", "last_report_month"],
        batch_size=1000,
    )  # fmt: skip
    ctx["projects"] = {"created": len(new), "reports": len(reports)}
    assert Industry.objects.exists()
