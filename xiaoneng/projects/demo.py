"""Demo data: the last three quarterly batches before today, at demo scale, with monthly
reports up to the latest month already due.

Dates are relative to today, so the warnings look like a campaign in progress: most
projects green, some yellow, a few red (each kind of warning is represented). Investments
spread as a province's do: mostly 0.3–10亿, some 10–100亿, a few ≥ 100亿, so that every
bracket has projects. Deterministic (seeded, given the date) and idempotent: projects are
keyed by code and a second run creates nothing. Bulk writes: a second or two.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.alerts import expected_share
from xiaoneng.projects.models import (
    Batch,
    Industry,
    MonthlyReport,
    Project,
    month_index,
    name_from_code,
    stage_of,
)
from xiaoneng.projects.parsing import add_months
from xiaoneng.projects.services import ensure_default_industries, required_report_month
from xiaoneng.units.models import Level

# Projects per batch, oldest first (published: 1,343 and 919 in the two 2022 batches).
BATCH_SIZES = [220, 200, 160]
CEREMONY_DAY = 8  # of the last month of each quarter
# Shares of projects meant to show a yellow / a red warning; the rest are on track.
YELLOW, RED = 0.13, 0.06
WORDS = ["高速公路", "产业园", "水库", "光伏电站", "物流园", "旅游综合体", "数据中心", "医院",
         "学校", "污水处理厂", "城市更新", "口岸设施", "农业示范园", "新材料基地"]  # fmt: skip
CENT = Decimal("0.01")
# 包保领导; 李明 is the demo's provincial leader (sheng_ld), who finds his on the workbench.
LEADERS = ["张伟", "李明", "王强", "刘洋", "陈静", "杨帆"]


def recent_batches(today: dt.date, count: int = 3) -> list[tuple[str, str, dt.date]]:
    """(code, name, ceremony date) of the last `count` quarters held by today, oldest first."""
    found = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    while len(found) < count:
        ceremony = dt.date(year, quarter * 3, CEREMONY_DAY)
        if ceremony <= today:
            found.append((f"{year}Q{quarter}", name_from_code(f"{year}Q{quarter}"), ceremony))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    # Log-uniform inside a band.
    value = low * (high / low) ** rng.random()
    return Decimal(str(round(value, -1))).quantize(CENT)


def _total(rng: random.Random, i: int) -> Decimal:
    """万元: mostly 0.3–10亿, 10 % 10–30亿, 4 % 30–100亿, one project in 120 ≥ 100亿."""
    if i % 120 == 17:
        return _money(rng, 1_000_000, 3_000_000)
    band = rng.random()
    if band < 0.04:
        return _money(rng, 300_000, 1_000_000)
    if band < 0.14:
        return _money(rng, 100_000, 300_000)
    return _money(rng, 3_000, 100_000)


def _day_in(month_start: dt.date, rng: random.Random, latest: dt.date) -> dt.date:
    day = month_start.replace(day=rng.randint(1, 28))
    return min(day, latest)


def _plan(rng, today, planned, last_due_start):
    """(planned start, actual start, 入库 date, completed share of the expected pace),
    chosen so that the project shows the warning drawn for it."""
    this_month = today.replace(day=1)
    roll = rng.random()
    level = "red" if roll < RED else "yellow" if roll < RED + YELLOW else "green"
    kind = rng.choice(["start", "stats", "pace"])
    latest_start = min(planned, last_due_start)
    pace = rng.uniform(0.97, 1.15)
    if level == "green":
        if rng.random() < 0.1:  # planned for later this year: nothing due yet
            return max(planned, add_months(this_month, rng.randint(0, 2))), None, None, 0
        start = _day_in(latest_start, rng, today)
        return planned, start, start.replace(day=28) if start.day < 28 else start, pace
    if kind == "start":
        late = rng.randint(1, 2) if level == "yellow" else rng.randint(5, 8)
        return add_months(this_month, -late), None, None, 0
    if kind == "stats":
        # Started 1–2 months ago (yellow) or over 3 (red), within a month already reported.
        start = today - dt.timedelta(days=rng.randint(35, 55) if level == "yellow" else 100)
        start = min(start, add_months(last_due_start, 1) - dt.timedelta(days=1))
        return min(planned, start.replace(day=1)), start, None, pace
    start = _day_in(latest_start, rng, today)
    behind = rng.uniform(0.12, 0.27) if level == "yellow" else rng.uniform(0.36, 0.6)
    return planned, start, start, max(0.0, 1 - behind / max(float(expected_share(today)), 0.01))


def load(ctx: dict) -> None:
    today = ctx.get("today") or timezone.localdate()
    industries = ensure_default_industries(actor=SYSTEM)
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
    rng = random.Random(today.toordinal())  # noqa: S311 (demo figures, not secrets)
    last_due = required_report_month(today)
    due_year, due_month0 = divmod(last_due, 12)
    last_due_start = dt.date(due_year, due_month0 + 1, 1)
    # The share of the year's plan its reports have reached (in January: last year's, all).
    share = (due_month0 + 1) / 12
    new: list[Project] = []
    plans: dict[str, float] = {}
    batches = zip(recent_batches(today), BATCH_SIZES, strict=True)
    for (code, name, ceremony), count in batches:
        batch = Batch.all_objects.filter(code=code).first()
        if batch is None:
            batch = Batch(code=code, name=name, ceremony_date=ceremony)
            batch.save(actor=SYSTEM)
        for i in range(1, count + 1):
            pref = prefectures[(i * 7 + rng.randrange(3)) % len(prefectures)]
            county = rng.choice(counties.get(pref.pk, [None]))
            industry = industries[rng.randrange(len(industries))]
            total = _total(rng, i)
            ratio = rng.uniform(0.1, 0.3) if total >= 1_000_000 else rng.uniform(0.2, 0.5)
            annual = (total * Decimal(ratio)).quantize(CENT)
            planned = add_months(ceremony.replace(day=1), rng.choice([-1, 0, 0, 0, 1]))
            planned_start, actual, stats_on, pace = _plan(rng, today, planned, last_due_start)
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
                planned_start=planned_start,
                actual_start=actual,
                in_stats=stats_on is not None,
                in_stats_on=stats_on,
                owner=f"{pref.name[:2]}建设投资有限公司",
                leader_in_charge=rng.choice(LEADERS),
                private_investment=rng.random() < 0.3,
                top_priority=rng.random() < 0.1,
            )
            project.status = stage_of(project)
            new.append(project)
            plans[project_code] = pace
    Project.objects.bulk_create(new, batch_size=1000)
    audit.log_bulk(new, "create", actor=SYSTEM, comment="演示数据")

    reports = _reports(rng, new, plans, share, due_year, due_month0 + 1)
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    audit.log_bulk(reports, "create", actor=SYSTEM, comment="演示数据")
    Project.objects.bulk_update(
        [p for p in new if p.completed_year], ["completed_ytd", "completed_year", "last_report_month"],
        batch_size=1000,
    )  # fmt: skip
    ctx["projects"] = {"created": len(new), "reports": len(reports)}
    assert Industry.objects.exists()  # noqa: S101 (a check on the demo's own seed data)


def _reports(rng, projects, plans, share, year, last_month) -> list[MonthlyReport]:
    """Monthly reports of `year` from each project's start to the latest month due,
    adding up to its planned share of the expected pace."""
    reports: list[MonthlyReport] = []
    for project in projects:
        start = project.actual_start
        if start is None or (start.year, start.month) > (year, last_month):
            continue
        first = start.month if start.year == year else 1
        months = list(range(first, last_month + 1))
        if len(months) > 1 and rng.random() < 0.06:
            months.pop()  # a few have not reported the latest month yet (缺报)
        target = project.annual_plan * Decimal(share * plans[project.code])
        target = min(target, project.total_investment).quantize(CENT)
        weights = [rng.uniform(0.6, 1.4) for _m in months]
        ytd = Decimal(0)
        for n, month in enumerate(months, start=1):
            goal = (target * Decimal(sum(weights[:n]) / sum(weights))).quantize(CENT)
            done = max(goal - ytd, Decimal(0))
            ytd += done
            reports.append(
                MonthlyReport(
                    project=project,
                    year=year,
                    month=month,
                    completed_this_month=done,
                    completed_ytd=ytd,
                    progress=rng.choice(["主体工程施工", "场地平整", "设备安装", "基础施工"]),
                    difficulties=rng.choice(["", "", "", "用地报批滞后", "资金到位不足"]),
                    is_late=rng.random() < 0.1,
                )
            )
            project.completed_ytd = ytd
            project.completed_year = year
            project.last_report_month = month_index(year, month)
    return reports
