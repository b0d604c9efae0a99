"""Benchmark of the unit pickers' search (issue 12): a province's ≈14,000 units.

    .venv/bin/python bench/units_bench.py                     # SQLite
    .venv/bin/python bench/units_bench.py --db both           # SQLite and PostgreSQL
    .venv/bin/python bench/units_bench.py --db postgres --pg-url postgres://postgres@127.0.0.1:5432/xn_units

It builds a fresh database (SQLite file in a temporary directory; for PostgreSQL the given
database is DROPPED and recreated) with a province, 16 prefectures × 8 counties × 11
townships × 10 communities (≈15,600 units with the province's offices), the sort keys and
pinyin initials computed as save() computes them, then times, for typical queries typed
into a picker, what the search endpoint does on the server (`units.views.unit_search`
without the HTTP layer: the policy's scope, the query's words, the first 21 rows in the
standard order, their paths, the JSON), for a provincial and a county supervisor. Side by
side in the same run, the calls interleaved (the machine's speed drifts): a baseline, one
bare indexed SELECT of 21 rows by primary key. The target: first results in under 100 ms.
The EXPLAIN plan of each query is printed once.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFECTURES, COUNTIES, TOWNSHIPS, COMMUNITIES = 16, 8, 11, 10
STEMS = "昆曲玉保昭丽普临楚红文西大德怒迪"
SYLLABLES = "东南西北中华兴和安平新民富康宁泰城山河湖桥花园林石龙凤金银"


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/xn_units")
    p.add_argument("--repeat", type=int, default=30, help="timings per figure (median reported)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args()


def name_of(n: int, suffix: str) -> str:
    a = SYLLABLES[n % len(SYLLABLES)]
    b = SYLLABLES[(n // len(SYLLABLES) + 7 * n) % len(SYLLABLES)]
    return f"{a}{b}{suffix}"


def load():
    """The tree, written as the bulk loaders of the project write it: each row's path, sort
    key and initials from its parent's, the same functions save() uses."""
    from xiaoneng.units.models import Kind, Level, Unit, initials, sibling_key

    rows: list[Unit] = []
    next_id = [1]

    def add(code, name, level, kind, parent, short=""):
        unit = Unit(pk=next_id[0], code=code, name=name, short_name=short, level=level, kind=kind)
        next_id[0] += 1
        unit.parent_id = parent.pk if parent else None
        unit.path = f"{parent.path if parent else ''}{unit.pk}/"
        unit.depth = unit.path.count("/") - 1
        office = parent is not None and level == parent.level
        unit.sort_key = (parent.sort_key if parent else "") + sibling_key(0, code, office=office)
        unit.initials, unit.short_initials = initials(name), initials(short)
        rows.append(unit)
        return unit

    province = add("530000", "云南省", Level.PROVINCE, Kind.GOVERNMENT, None)
    for code, name in [("530000-SW", "中共云南省委办公厅"), ("530000-ZF", "云南省人民政府办公厅")]:
        add(code, name, Level.PROVINCE, Kind.DEPARTMENT, province)
    for p in range(PREFECTURES):
        pcode = f"53{p + 1:02d}00"
        pname = f"{STEMS[p]}{name_of(p, '市')}"
        prefecture = add(pcode, pname, Level.PREFECTURE, Kind.GOVERNMENT, province, pname[:2])
        for c in range(COUNTIES):
            ccode = f"{pcode[:4]}{c + 2:02d}"
            county = add(
                ccode, name_of(p * 31 + c, "区" if c < 3 else "县"), Level.COUNTY,
                Kind.GOVERNMENT, prefecture,
            )  # fmt: skip
            for t in range(TOWNSHIPS):
                tcode = f"{ccode}{t + 1:03d}"
                township = add(
                    tcode, name_of(p * 97 + c * 13 + t, "街道" if t < 4 else "镇"),
                    Level.TOWNSHIP, Kind.STREET, county,
                )  # fmt: skip
                for m in range(COMMUNITIES):
                    add(
                        f"{tcode}{m + 1:03d}",
                        name_of(p * 389 + c * 53 + t * 11 + m, "社区" if m < 5 else "村"),
                        Level.COMMUNITY, Kind.COMMUNITY, township,
                    )  # fmt: skip
    Unit.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('units_unit', 'id'), MAX(id)) FROM units_unit"
            )
            cursor.execute("ANALYZE units_unit")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(rows)


def run(args, db):
    from django.db import connection, reset_queries
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.accounts.models import Role, User
    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.units.models import Unit
    from xiaoneng.units.views import unit_search

    t = time.perf_counter()
    n = load()
    print(f"\n== {db}: {n:,} units loaded in {time.perf_counter() - t:.1f}s")

    province = Unit.objects.get(code="530000")
    # A community halfway through the standard order; the county supervisor is its county's.
    some = Unit.objects.filter(level="community").order_by("sort_key")[5000]
    county = Unit.objects.get(pk=some.ancestor_ids()[2])
    users = {}
    for username, unit in [("sheng_xn", province), ("xian_xn", county)]:
        user = User(username=username, unit=unit, name=username)
        user.set_unusable_password()
        user.save(actor=SYSTEM)
        user.roles.set(Role.for_codes(["supervisor"]))
        users[username] = User.objects.get(pk=user.pk)

    queries = [
        ("empty (first 20 of the scope)", {}),
        ("one character, many hits (社)", {"q": "社"}),
        ("a name (two characters)", {"q": some.name[:2]}),
        ("a full community name", {"q": some.name}),
        ("pinyin initials (3 letters)", {"q": some.initials[:3]}),
        ("pinyin initials, no hit", {"q": "zzzzq"}),
        ("code prefix (county)", {"q": some.code[:6]}),
        ("code, exact (community)", {"q": some.code}),
        ("two words (name + code)", {"q": f"{some.name[:2]} {some.code[:4]}"}),
        ("no hit (Chinese)", {"q": "不存在的单位"}),
        ("level=county + initials", {"q": "x", "level": "county"}),
        ("assign targets, initials", {"q": some.initials[:2], "action": "assign"}),
    ]
    factory = RequestFactory()
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[4000:4021])

    def baseline():
        list(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))

    print(
        f"   the baseline: one indexed SELECT of 21 rows by primary key; median of "
        f"{args.repeat} interleaved calls each"
    )
    print(
        f"   {'query':38} {'user':9} {'rows':>4} {'more':>5} {'ms':>7} {'baseline':>9} {'×':>6} q"
    )
    worst = 0.0
    for label, params in queries:
        for username, user in users.items():
            request = factory.get("/units/search/", params)
            request.user = user

            def search(request=request):
                response = unit_search(request)
                assert response.status_code == 200, response.content
                return response

            data = json.loads(search().content)
            t_search, t_base = common.median_times([search, baseline], args.repeat)
            worst = max(worst, t_search)
            print(
                f"   {label:38} {username:9} {len(data['results']):>4} {data['more']!s:>5} "
                f"{t_search * 1000:7.2f} {t_base * 1000:9.3f} {t_search / t_base:6.1f} "
                f"{params.get('q', '')}"
            )
    print(
        f"   slowest search: {worst * 1000:.1f} ms (target < 100 ms): {'met' if worst < 0.1 else 'UNMET'}"
    )

    # The plans, once: the search by initials and by name, in the province's and a county's scope.
    for label, params, username in [
        ("initials, province scope", {"q": "xs"}, "sheng_xn"),
        ("name, province scope", {"q": some.name[:2]}, "sheng_xn"),
        ("initials, county scope", {"q": "xs"}, "xian_xn"),
        ("name, county scope", {"q": some.name[:2]}, "xian_xn"),
    ]:
        request = factory.get("/units/search/", params)
        request.user = users[username]
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            unit_search(request)
        sql = next(
            q["sql"] for q in ctx.captured_queries if "sort_key" in q["sql"] and "LIMIT" in q["sql"]
        )
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(explain + sql)
            plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
        print(f"   plan ({label}):")
        for line in plan:
            print(f"      {line}")


def main():
    args = parse()
    if args.child:
        common.setup_django(args.child, args.pg_url, prefix="xn-units-bench-")
        run(args, args.child)
        return
    import platform
    import subprocess

    print(
        f"units bench · {time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.node()} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} cpus · Python {platform.python_version()}"
    )
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        # One process per database: Django is configured once per process.
        cmd = [sys.executable, __file__, "--child", db, "--pg-url", args.pg_url]
        subprocess.run([*cmd, "--repeat", str(args.repeat)], check=True)


if __name__ == "__main__":
    main()
