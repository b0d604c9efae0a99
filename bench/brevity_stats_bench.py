"""Benchmark of the 会风文风 statistics page for the province (issue 13, Performance).

    .venv/bin/python bench/brevity_stats_bench.py                 # SQLite
    .venv/bin/python bench/brevity_stats_bench.py --db both       # SQLite and PostgreSQL
    .venv/bin/python bench/brevity_stats_bench.py --db postgres --pg-url postgres://postgres@127.0.0.1:5432/xn_brevity

It builds a fresh database (SQLite file in a temporary directory; for PostgreSQL the given
database is DROPPED and recreated) with the province's tree of units_bench.py (16
prefectures × 8 counties × 11 townships × 10 communities, ≈15,600 units) and, with
bulk_create, 200,000 meetings and documents (half each) of one year spread over every unit,
a main speech on half the meetings (some over 60 minutes), kinds and lengths that put some
meetings and documents outside the rules. Then, side by side in the same run (the calls
interleaved: the machine's speed drifts), it times:

- `brevity.stats.unit_stats(province, year)`: what the statistics page and the API compute
  (the child units, one grouped aggregate for the meetings, one for the documents, and the
  fieldwork module's visits when it is installed — its table is empty here);
- the same numbers by hand-written SQL: the child units, and the two grouped aggregates
  written directly for the database (substr/instr or strpos, strftime or EXTRACT).

It prints both medians, their ratio (target ≤ 2×), the number of queries of unit_stats for
the province and for a county (bounded: it must not grow with the units), and checks that
both give the same figures.
"""

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/xn_brevity")
    p.add_argument("--rows", type=int, default=200_000, help="meetings + documents")
    p.add_argument("--repeat", type=int, default=7, help="timings per figure (median)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args()


def load_rows(n_rows: int) -> None:
    import datetime as dt

    from django.db import connection

    from xiaoneng.brevity.conf import KINDS
    from xiaoneng.brevity.models import Document, Meeting, Speech
    from xiaoneng.units.models import Unit

    rng = random.Random(13)
    unit_ids = list(Unit.objects.values_list("pk", flat=True))
    kinds = ["plenary", "special", "work", "group", "other"]
    meetings, documents = [], []
    half = n_rows // 2
    for i in range(half):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        kind = kinds[i % 5]
        planned = rng.randrange(30, 1000 if kind == "group" else 300)
        meetings.append(
            Meeting(
                pk=i + 1,
                organiser_id=rng.choice(unit_ids),
                kind=kind,
                title="会议",
                date=day,
                days=2 if kind == "group" else 1,
                planned_minutes=planned,
                actual_minutes=None if i % 4 == 0 else min(planned + rng.randrange(-20, 40), 1440),
                mode="onsite",
            )
        )
    for i in range(n_rows - half):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        single = i % 3 == 0
        documents.append(
            Document(
                unit_id=rng.choice(unit_ids),
                kind=KINDS[i % len(KINDS)],
                title="文件",
                date=day,
                chars=rng.randrange(500, 6500),
                single_task=single,
                limit=4000 if single else 5000,
            )
        )
    speeches = [
        Speech(
            meeting_id=m.pk, speaker="讲话人", role="main", minutes=rng.randrange(20, 80), sort=0
        )
        for m in meetings[::2]
        if m.planned_minutes >= 80
    ]
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    Document.objects.bulk_create(documents, batch_size=5000)
    Speech.objects.bulk_create(speeches, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("brevity_meeting", "brevity_document", "brevity_speech", "units_unit"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                )
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def hand_sql(unit):
    """The statistics' numbers by hand-written SQL: the children, the two aggregates."""
    from django.db import connection

    from xiaoneng.brevity import rules

    cut = len(unit.path)
    pg = connection.vendor == "postgresql"
    key = (
        f"substr(u.path, 1, {cut} + strpos(substr(u.path, {cut + 1}), '/'))"
        if pg
        else f"substr(u.path, 1, {cut} + instr(substr(u.path, {cut + 1}), '/'))"
    )
    month = "EXTRACT(MONTH FROM {})::int" if pg else "CAST(strftime('%%m', {}) AS integer)"
    like = "u.path LIKE %s" if pg else "u.path GLOB %s"
    prefix = unit.path + ("%" if pg else "*")
    start, end = f"{YEAR}-01-01", f"{YEAR + 1}-01-01"
    group, other, speech = rules.group_limit(), rules.other_limit(), rules.main_speech_limit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, path FROM units_unit WHERE parent_id = %s AND deleted_at IS NULL "
            "ORDER BY sort_key",
            [unit.pk],
        )
        children = cursor.fetchall()
        cursor.execute(
            f"""SELECT {key} AS k, {month.format("m.date")} AS mon, COUNT(*),
                SUM(COALESCE(m.actual_minutes, m.planned_minutes)),
                SUM(CASE WHEN COALESCE(m.actual_minutes, m.planned_minutes)
                              <= CASE WHEN m.kind = 'group' THEN {group} ELSE {other} END
                         AND NOT EXISTS (SELECT 1 FROM brevity_speech s
                                         WHERE s.meeting_id = m.id AND s.deleted_at IS NULL
                                           AND s.role = 'main' AND s.minutes > {speech})
                    THEN 1 ELSE 0 END)
            FROM brevity_meeting m JOIN units_unit u ON u.id = m.organiser_id
            WHERE m.deleted_at IS NULL AND {like} AND m.date >= %s AND m.date < %s
            GROUP BY 1, 2""",
            [prefix, start, end],
        )
        meetings = cursor.fetchall()
        cursor.execute(
            f"""SELECT {key} AS k, {month.format("d.date")} AS mon, COUNT(*), SUM(d.chars),
                SUM(CASE WHEN d.chars <= d."limit" THEN 1 ELSE 0 END)
            FROM brevity_document d JOIN units_unit u ON u.id = d.unit_id
            WHERE d.deleted_at IS NULL AND {like} AND d.date >= %s AND d.date < %s
            GROUP BY 1, 2""",
            [prefix, start, end],
        )
        documents = cursor.fetchall()
    return children, meetings, documents


def run(args, db):
    import units_bench
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.brevity import stats
    from xiaoneng.units.models import Level, Unit

    n_units = units_bench.load()
    load_rows(args.rows)
    province = Unit.objects.get(code="530000")
    county = Unit.objects.filter(level=Level.COUNTY).first()

    ours = stats.unit_stats(province, YEAR)
    _children, meetings, documents = hand_sql(province)
    total = ours["total"]["year"]
    assert total["meetings"] == sum(r[2] for r in meetings), "meetings differ"
    assert total["meetings_within"] == sum(r[4] for r in meetings), "within differ"
    assert total["meeting_minutes"] == sum(r[3] for r in meetings), "minutes differ"
    assert total["documents"] == sum(r[2] for r in documents), "documents differ"
    assert total["documents_within"] == sum(r[4] for r in documents), "docs within differ"

    with CaptureQueriesContext(connection) as q_province:
        stats.unit_stats(province, YEAR)
    with CaptureQueriesContext(connection) as q_county:
        stats.unit_stats(county, YEAR)
    real_visits = stats._visits

    def without_visits():
        stats._visits = lambda units, year: None
        try:
            return stats.unit_stats(province, YEAR)
        finally:
            stats._visits = real_visits

    t_ours, t_bare, t_hand = common.median_times(
        [lambda: stats.unit_stats(province, YEAR), without_visits, lambda: hand_sql(province)],
        args.repeat,
    )
    print(f"[{db}] units {n_units:,}; meetings + documents {args.rows:,} in {YEAR}")
    print(
        f"[{db}] meetings within the rules {total['within_rules_rate']}%, "
        f"documents within the limit {total['within_limit_rate']}%"
    )
    print(
        f"[{db}] queries: province {len(q_province.captured_queries)}, "
        f"county {len(q_county.captured_queries)} (rows: {len(ours['rows'])} for the province)"
    )
    print(
        f"[{db}] unit_stats(province) {t_ours * 1000:.1f} ms; hand-written SQL "
        f"{t_hand * 1000:.1f} ms; ratio {t_ours / t_hand:.2f}× (target ≤ 2×)"
    )
    print(
        f"[{db}] without the fieldwork visits query (another module's): "
        f"{t_bare * 1000:.1f} ms; ratio {t_bare / t_hand:.2f}×"
    )


def main():
    args = parse()
    if args.child:
        common.setup_django(args.child, args.pg_url, prefix="xn-brevity-bench-")
        run(args, args.child)
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:  # each database in its own process (Django is set up once per process)
        cmd = [sys.executable, __file__, "--child", db, "--pg-url", args.pg_url,
               "--rows", str(args.rows), "--repeat", str(args.repeat)]  # fmt: skip
        subprocess.run(cmd, check=True, env={**os.environ})


if __name__ == "__main__":
    main()
