"""Benchmark of 重大项目调度 (issue 4): the summary and the ledger import.

    .venv/bin/python bench/projects_bench.py                       # small: 10,000 projects, SQLite
    .venv/bin/python bench/projects_bench.py --full --db both      # 100,000 projects, 1,200,000 reports
    .venv/bin/python bench/projects_bench.py --projects 50000 --reports-per-project 12 --db postgres \
        --pg-url postgres://postgres@127.0.0.1:5432/xn_proj

Each database runs in its own child process on a fresh database (SQLite: a file in a
temporary directory; PostgreSQL: the database named in --pg-url is DROPPED and recreated).
Printed, side by side in one run (ratios are the targets; the machines are noisy):

1. import: a ledger of N rows written with xlsxwriter; parse only (`read_sheet`, calamine,
   into Python rows) against the full `import_projects` (read, validate, write set-based
   with `core.bulk` in chunks of 5,000, change-log rows built by the database with
   `core.audit_sql.log_inserted`, commit); target import ≤ 3 × parse. With --rounds K: K
   rounds of (parse, import) side by side, the state reset between rounds, the round with
   the median ratio reported. Also printed: the time of each stage of the import (reading,
   checking, writing incl. foreign-key checks and commit), from its progress reports. Peak memory:
   the process's peak RSS (resource.getrusage) after the import, and tracemalloc's peak of
   Python allocations during a separate import of a 10 % sample (tracemalloc slows code
   down, so it never runs during a timed pass).
2. django-import-export 4.4.3 (bulk mode: use_bulk=True, batch_size=1000) importing the same
   file; target ≥ 10 × slower than ours. Install it into the venv for the benchmark only:
       .venv/bin/pip install django-import-export==4.4.3
   Without it the comparison is skipped with a message. With --iie-rows K it imports only
   the first K rows and says so (the figure is then extrapolated linearly, clearly marked).
3. summary: `kpis.summary()` for the whole province (every figure of item 5) against one
   hand-written SQL statement computing the same figures from the raw tables (UNION ALL of
   totals + brackets, by prefecture, by industry), the calls interleaved; target ≤ 2 ×.
4. the same summary after doubling the monthly reports (the previous year's history):
   target: time(2R) / time(R) well under 2 (the summary reads only the project table).
"""

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--projects", type=int, default=10_000, help="projects (full: 100000)")
    p.add_argument(
        "--reports-per-project", type=int, default=12, help="monthly reports per project (full: 12)"
    )
    p.add_argument(
        "--import-rows", type=int, help="rows of the import ledger (default: --projects)"
    )
    p.add_argument("--full", action="store_true", help="100,000 projects and 1,200,000 reports")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/xn_proj")
    p.add_argument("--repeat", type=int, default=5, help="timings per summary figure (median)")
    p.add_argument("--iie-rows", type=int, help="rows for django-import-export (default: all)")
    p.add_argument("--skip-iie", action="store_true", help="skip django-import-export")
    p.add_argument("--only", choices=["import", "summary"], help="run one part only")
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="import: rounds of (parse, import), the median ratio reported (recorded runs: 3)",
    )
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.full:
        args.projects = 100_000
        args.reports_per_project = 12
    args.import_rows = args.import_rows or args.projects
    return args


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(db: str, pg_url: str):
    common.setup_django(db, pg_url, prefix="xn-proj-bench-")
    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.units.services import load_divisions

    load_divisions(actor=SYSTEM)


# --- Data ------------------------------------------------------------------------------


def ledger_file(n: int, prefix: str) -> bytes:
    """A ledger with the Chinese headers, text and date cells mixed as people send them."""
    import datetime as dt
    import random

    import xlsxwriter

    from xiaoneng.projects.ledgers import PROJECTS
    from xiaoneng.units.models import Level, Unit

    rng = random.Random(4)
    counties = [
        (u.parent.name, u.name)
        for u in Unit.objects.filter(level=Level.COUNTY).select_related("parent").order_by("code")
    ]
    industries = ["能源以外工业", "能源工业", "农业", "旅游业", "数字经济", "商贸物流", "交通", "水利",
                  "社会事业", "生态环保", "城市建设", "口岸"]  # fmt: skip
    path = Path(tempfile.mkdtemp(prefix="xn-proj-ledger-")) / "ledger.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("项目台账")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, h in enumerate(column.header for column in PROJECTS.imported()):
        ws.write_string(0, c, h)
    for i in range(1, n + 1):
        pref, county = counties[rng.randrange(len(counties))]
        total = round(rng.uniform(2000, 150000), 2)
        annual = round(total * rng.uniform(0.2, 0.5), 2)
        started = rng.random() < 0.85
        start = dt.date(2022, rng.randint(1, 9), rng.randint(1, 28))
        row = [
            f"{prefix}{i:07d}", f"基准项目{i}", pref, county, industries[i % 12], total, annual,
            rng.choice(["2022-03", "2022年4月", "2022/5/15"]),
        ]  # fmt: skip
        for c, v in enumerate(row):
            ws.write(i, c, v)
        if started:
            ws.write_datetime(i, 8, dt.datetime(start.year, start.month, start.day), date_format)
        in_stats = started and rng.random() < 0.7
        ws.write_string(i, 9, "是" if in_stats else "否")
        if in_stats:
            ws.write_string(i, 10, f"{start.year}-{start.month:02d}")
        ws.write_number(i, 11, round(annual * rng.uniform(0, 0.8), 2))
        ws.write_string(i, 12, "某某建设投资有限公司")
        ws.write_string(i, 13, "张三")
        ws.write_string(i, 14, "否")
        ws.write_string(i, 15, "是" if i % 10 == 0 else "否")
    book.close()
    content = path.read_bytes()
    path.unlink()
    return content


def load_projects(n: int, reports_per_project: int, year: int):
    """N projects spread over the counties, R reports each for `year` (bulk, straight to
    the tables)."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import transaction

    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.projects.models import Batch, Industry, Project
    from xiaoneng.units.models import Level, Unit

    rng = random.Random(7)
    counties = list(Unit.objects.filter(level=Level.COUNTY).order_by("code"))
    industries = list(Industry.objects.all())
    batch = Batch.objects.filter(code="2022Q2").first()
    batch = batch or Batch.objects.create(code="2022Q2", actor=SYSTEM)
    t = time.perf_counter()
    with transaction.atomic():
        chunk = []
        for i in range(1, n + 1):
            county = counties[rng.randrange(len(counties))]
            total = Decimal(rng.randrange(200000, 15000000)) / 100
            annual = (total * Decimal(rng.uniform(0.2, 0.5))).quantize(Decimal("0.01"))
            started = rng.random() < 0.85
            chunk.append(
                Project(
                    code=f"S{i:07d}",
                    name=f"项目{i}",
                    batch=batch,
                    prefecture_id=county.parent_id,
                    county=county,
                    industry=industries[i % len(industries)],
                    total_investment=total,
                    annual_plan=annual,
                    planned_start=dt.date(2022, 6, 1),
                    actual_start=dt.date(2022, 6, 8) if started else None,
                    in_stats=started and rng.random() < 0.7,
                )
            )
            if len(chunk) == 5000:
                Project.objects.bulk_create(chunk)
                chunk = []
        Project.objects.bulk_create(chunk)
    print(f"  loaded {n:,} projects in {time.perf_counter() - t:.1f}s")
    add_reports(reports_per_project, year)


def add_reports(per_project: int, year: int, *, update_projects: bool = True) -> None:
    """R monthly reports per project for `year`; updates the projects' derived figure
    the way services.save_report does (one UPDATE per project would be the same rows)."""
    from decimal import Decimal

    from django.db import connection, transaction

    from xiaoneng.projects.models import MonthlyReport, Project, month_index

    t = time.perf_counter()
    ids = list(Project.objects.values_list("pk", "annual_plan").order_by("pk"))
    rows = 0
    with transaction.atomic():
        chunk = []
        for pk, annual in ids:
            step = (annual / 20).quantize(Decimal("0.01"))
            for month in range(1, per_project + 1):
                chunk.append(
                    MonthlyReport(
                        project_id=pk,
                        year=year,
                        month=month,
                        completed_this_month=step,
                        completed_ytd=step * month,
                        progress="施工",
                    )
                )
                if len(chunk) == 10000:
                    MonthlyReport.objects.bulk_create(chunk)
                    rows += len(chunk)
                    chunk = []
        MonthlyReport.objects.bulk_create(chunk)
        rows += len(chunk)
        if update_projects:
            with connection.cursor() as c:
                c.execute(
                    "UPDATE projects_project SET completed_year = %s, last_report_month = %s, "
                    "completed_ytd = (SELECT r.completed_ytd FROM projects_monthlyreport r "
                    "WHERE r.project_id = projects_project.id AND r.year = %s AND r.month = %s)",
                    [year, month_index(year, per_project), year, per_project],
                )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"  added {rows:,} monthly reports for {year} in {time.perf_counter() - t:.1f}s")


# --- The hand-written query ----------------------------------------------------------------


def hand_sql() -> str:
    from django.utils import timezone

    from xiaoneng.projects import conf

    totals = [conf.WAN_PER_YI * t for t in conf.get("TOTAL_BRACKETS_YI")]
    annuals = [conf.WAN_PER_YI * t for t in conf.get("ANNUAL_BRACKETS_YI")]
    # Completed investment counts this year's figure only (kpis.kpi_aggregates).
    year = timezone.localdate().year
    kpi = (
        "COUNT(*), SUM(total_investment), SUM(annual_plan), "
        "COUNT(actual_start), SUM(CASE WHEN in_stats THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN completed_year = {year} THEN completed_ytd ELSE 0 END)"
    )
    brackets = ", ".join(
        f"SUM(CASE WHEN {col} >= {v} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {col} >= {v} THEN total_investment ELSE 0 END), "
        f"SUM(CASE WHEN {col} >= {v} THEN annual_plan ELSE 0 END)"
        for col, values in (("total_investment", totals), ("annual_plan", annuals))
        for v in values
    )
    nulls = ", ".join(["NULL"] * (3 * (len(totals) + len(annuals))))
    alive = "deleted_at IS NULL"
    return (
        f"SELECT 't', NULL, {kpi}, {brackets} FROM projects_project WHERE {alive} "
        f"UNION ALL SELECT 'p', u.name, {kpi}, {nulls} FROM projects_project p "
        f"JOIN units_unit u ON u.id = p.prefecture_id WHERE p.{alive} GROUP BY u.name "
        f"UNION ALL SELECT 'i', i.name, {kpi}, {nulls} FROM projects_project p "
        f"JOIN projects_industry i ON i.id = p.industry_id WHERE p.{alive} GROUP BY i.name"
    )


def run_hand_sql(sql: str):
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql)
        return c.fetchall()


# --- django-import-export ------------------------------------------------------------------


def iie_import(content: bytes, rows: int, batch) -> float | None:
    try:
        import tablib
        from import_export import fields, resources, widgets
    except ImportError:
        print("  django-import-export is not installed: comparison skipped.")
        print(
            "  install it for the benchmark only: .venv/bin/pip install django-import-export==4.4.3"
        )
        return None
    from xiaoneng.projects.models import Batch, Industry, Project
    from xiaoneng.units.models import Unit

    class ProjectResource(resources.ModelResource):
        code = fields.Field(attribute="code", column_name="项目编号")
        name = fields.Field(attribute="name", column_name="项目名称")
        prefecture = fields.Field(
            attribute="prefecture",
            column_name="州市",
            widget=widgets.ForeignKeyWidget(Unit, "name"),
        )
        county = fields.Field(
            attribute="county", column_name="县市区", widget=widgets.ForeignKeyWidget(Unit, "name")
        )
        industry = fields.Field(
            attribute="industry",
            column_name="行业类别",
            widget=widgets.ForeignKeyWidget(Industry, "name"),
        )
        total_investment = fields.Field(
            attribute="total_investment", column_name="总投资(万元)", widget=widgets.DecimalWidget()
        )
        annual_plan = fields.Field(
            attribute="annual_plan",
            column_name="年度计划投资(万元)",
            widget=widgets.DecimalWidget(),
        )
        owner = fields.Field(attribute="owner", column_name="项目业主")
        leader_in_charge = fields.Field(attribute="leader_in_charge", column_name="包保领导")

        class Meta:
            model = Project
            import_id_fields = ["code"]
            fields = ["code", "name", "prefecture", "county", "industry", "total_investment",
                      "annual_plan", "owner", "leader_in_charge"]  # fmt: skip
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            use_transactions = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.batch = batch

    t = time.perf_counter()
    dataset = tablib.Dataset().load(io.BytesIO(content).read(), format="xlsx")
    if rows < len(dataset):
        dataset = dataset.subset(rows=range(rows))
    # "旅游业" is an alias our importer knows; give import-export the catalogue name.
    col = dataset.headers.index("行业类别")
    dataset = tablib.Dataset(
        *[
            tuple("文化旅游" if i == col and v == "旅游业" else v for i, v in enumerate(r))
            for r in dataset
        ],
        headers=dataset.headers,
    )
    result = ProjectResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - t
    assert not result.has_errors()
    assert Batch.objects.exists()
    return elapsed


# --- One database ----------------------------------------------------------------------------


def child(args):

    setup_django(args.child, args.pg_url)
    from django.db import connection

    out = {"db": connection.vendor, "projects": args.projects, "import_rows": args.import_rows}
    print(f"\n=== {connection.vendor} ({connection.settings_dict['NAME']}) ===")

    if args.only != "summary":
        bench_import(args, out)
    if args.only != "import":
        bench_summary(args, out)
    print("RESULT " + json.dumps(out))


def import_round(content: bytes, batch, rows: int) -> dict:
    """Parse the ledger (GC on, then paused), then import it: one side-by-side measurement."""
    import gc

    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.core.xlsx import read_sheet
    from xiaoneng.projects import services
    from xiaoneng.projects.ledgers import PROJECTS

    t = time.perf_counter()
    sheet = read_sheet(content, PROJECTS.headers_by_key(), required=PROJECTS.required())
    parse_s = time.perf_counter() - t
    assert len(sheet.rows) == rows
    del sheet
    gc.disable()
    t = time.perf_counter()
    sheet = read_sheet(content, PROJECTS.headers_by_key(), required=PROJECTS.required())
    parse_nogc_s = time.perf_counter() - t
    gc.enable()
    del sheet
    stages: dict[str, float] = {}
    mark = {"stage": None, "at": 0.0}

    def stage_timer(stage, done, total):
        now = time.perf_counter()
        if mark["stage"]:
            stages[mark["stage"]] = stages.get(mark["stage"], 0.0) + now - mark["at"]
        mark.update(stage=stage, at=now)

    t = time.perf_counter()
    mark["at"] = t
    result = services.import_projects(content, batch=batch, actor=SYSTEM, progress=stage_timer)
    import_s = time.perf_counter() - t
    assert result.created == rows
    return {"parse_s": parse_s, "parse_nogc_s": parse_nogc_s, "import_s": import_s,
            "ratio": import_s / parse_s, "stages": stages}  # fmt: skip


def clear_import(batch) -> None:
    """Back to the state before the import: its projects and change-log rows removed, the
    tables vacuumed (outside any transaction), so the next round writes into the same state."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DELETE FROM core_changelog")
        delete_projects(c, batch)
        c.execute("VACUUM")


def delete_projects(cursor, batch) -> None:
    """The batch's projects, with the opening reports the import gave them (the ledger's
    累计完成投资 is an opening monthly report)."""
    cursor.execute(
        "DELETE FROM projects_monthlyreport WHERE project_id IN "
        "(SELECT id FROM projects_project WHERE batch_id = %s)",
        [batch.pk],
    )
    cursor.execute("DELETE FROM projects_project WHERE batch_id = %s", [batch.pk])


def bench_import(args, out):
    import tracemalloc

    from django.db import connection

    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.projects import services
    from xiaoneng.projects.models import Batch

    # 1. Import vs parse.
    t = time.perf_counter()
    content = ledger_file(args.import_rows, "L")
    print(
        f"  wrote a {args.import_rows:,}-row ledger ({len(content) / 1e6:.1f} MB) in {time.perf_counter() - t:.1f}s"
    )
    base_rss = rss_mb()
    batch = Batch.objects.create(code="BENCH", actor=SYSTEM)
    rounds = []
    for number in range(1, args.rounds + 1):
        if number > 1:
            clear_import(batch)
        rounds.append(import_round(content, batch, args.import_rows))
        if args.rounds > 1:
            r = rounds[-1]
            print(
                f"  round {number}: parse {r['parse_s']:.2f} s (GC paused {r['parse_nogc_s']:.2f} s), "
                f"import {r['import_s']:.2f} s, ratio {r['ratio']:.2f} ×"
            )
    # The round with the median ratio is the one reported (each round: parse, then import,
    # side by side; the machine's speed drifts between rounds).
    chosen = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
    parse_s, parse_nogc_s, import_s = chosen["parse_s"], chosen["parse_nogc_s"], chosen["import_s"]
    stages = chosen["stages"]
    out.update(parse_s=parse_s, import_s=import_s, import_ratio=import_s / parse_s,
               peak_rss_mb=rss_mb(), rss_before_mb=base_rss)  # fmt: skip
    out.update(parse_nogc_s=parse_nogc_s, import_ratio_nogc=import_s / parse_nogc_s)
    out["import_ratios"] = [round(r["ratio"], 3) for r in rounds]
    if args.rounds > 1:
        print(f"  median of {args.rounds} rounds:")
    print(
        f"  parse only (read_sheet):          {parse_s:8.2f} s   (with the GC paused as the import does: {parse_nogc_s:.2f} s)"
    )
    print(
        f"  import (read+validate+write+audit):{import_s:8.2f} s   ratio {import_s / parse_s:.2f} × (target ≤ 3; "
        f"{import_s / parse_nogc_s:.2f} × against the GC-paused parse)"
    )
    out["import_stages_s"] = {k: round(v, 3) for k, v in stages.items()}
    print(
        "  stages of the import:             "
        + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
    )
    print(
        f"  peak RSS of the process:          {rss_mb():8.0f} MB (before parsing: {base_rss:.0f} MB; target ≤ 500)"
    )
    t = time.perf_counter()
    again = services.import_projects(content, batch=batch, actor=SYSTEM)
    reimport_s = time.perf_counter() - t
    out["reimport_unchanged_s"] = reimport_s
    print(
        f"  re-import, nothing changed:       {reimport_s:8.2f} s   ({again.unchanged:,} unchanged)"
    )

    sample = max(1000, args.import_rows // 10)
    small = ledger_file(sample, "M")
    tracemalloc.start()
    services.import_projects(small, batch=batch, actor=SYSTEM)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out["tracemalloc_peak_mb_sample"] = peak / 1e6
    print(
        f"  tracemalloc peak, {sample:,}-row import: {peak / 1e6:6.0f} MB "
        f"(≈ {peak / 1e6 * args.import_rows / sample:.0f} MB scaled to {args.import_rows:,} rows)"
    )

    # 2. django-import-export on the same file (new codes: a fresh database table state).
    if not args.skip_iie:
        from django.db import connection as conn

        with conn.cursor() as c:
            delete_projects(c, batch)
        rows = min(args.iie_rows or args.import_rows, args.import_rows)
        iie_s = iie_import(content, rows, batch)
        if iie_s is not None:
            scaled = iie_s * args.import_rows / rows
            ours_per_row = import_s / args.import_rows
            out.update(iie_s=iie_s, iie_rows=rows, iie_ratio=scaled / import_s)
            note = (
                ""
                if rows == args.import_rows
                else f" on the first {rows:,} rows, ×{args.import_rows / rows:.1f} = {scaled:.1f} s extrapolated"
            )
            print(f"  django-import-export (bulk):      {iie_s:8.2f} s{note}")
            print(
                f"  import-export / ours:             {scaled / import_s:8.1f} × (target ≥ 10; ours {ours_per_row * 1e6:.0f} µs/row)"
            )
    # The summary that follows loads its own projects: leave none of the import's behind.
    with connection.cursor() as c:
        delete_projects(c, batch)
        c.execute("DELETE FROM core_changelog")


def bench_summary(args, out):
    import datetime as dt
    from decimal import Decimal

    from xiaoneng.projects import kpis
    from xiaoneng.projects.models import Project

    # 3. Summary vs one hand-written query.
    # This year's reports: the summary counts this year's completed investment only.
    this_year = dt.date.today().year
    load_projects(args.projects, args.reports_per_project, this_year)
    qs = Project.objects.all()
    sql = hand_sql()
    ours = kpis.summary(qs)
    hand = run_hand_sql(sql)
    total_row = next(r for r in hand if r[0] == "t")
    assert total_row[2] == ours["projects"], (total_row[2], ours["projects"])
    # Same completed investment, and not a trivial zero (this year's reports were loaded).
    # (SQLite's SUM of decimals is a float there.)
    hand_completed = Decimal(str(total_row[7])).quantize(Decimal("0.01"))
    assert ours["completed_ytd"] == hand_completed > 0, (ours["completed_ytd"], total_row[7])
    kpis.summary(qs)
    run_hand_sql(sql)  # warm both
    summary_s, hand_s = common.median_times(
        [lambda: kpis.summary(qs), lambda: run_hand_sql(sql)], args.repeat
    )
    out.update(summary_s=summary_s, hand_sql_s=hand_s, summary_ratio=summary_s / hand_s)
    print(f"  summary() (all of item 5, 5 queries): {summary_s * 1000:8.1f} ms")
    print(
        f"  one hand-written SQL statement:   {hand_s * 1000:8.1f} ms   ratio {summary_s / hand_s:.2f} × (target ≤ 2)"
    )

    # 4. Doubling the monthly reports (another year of history).
    add_reports(args.reports_per_project, this_year - 1, update_projects=False)
    doubled_s = common.median_time(lambda: kpis.summary(qs), args.repeat)
    out.update(summary_doubled_s=doubled_s, doubling_ratio=doubled_s / summary_s)
    print(
        f"  summary() with 2× reports:        {doubled_s * 1000:8.1f} ms   ratio {doubled_s / summary_s:.2f} × (target: well under 2)"
    )


def main():
    args = parse()
    if args.child:
        child(args)
        return
    print(
        f"projects bench: {args.projects:,} projects × {args.reports_per_project} reports "
        f"= {args.projects * args.reports_per_project:,} reports; import ledger {args.import_rows:,} rows"
    )
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        cmd = [sys.executable, __file__, "--child", db, *sys.argv[1:]]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
