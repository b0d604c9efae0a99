"""Benchmark of 督查督办 lists and the deadline scan (issue 3).

    .venv/bin/python bench/supervision_bench.py                      # 100,000 items, SQLite
    .venv/bin/python bench/supervision_bench.py --items 1000000 --db both
    .venv/bin/python bench/supervision_bench.py --db postgres --pg-url postgres://postgres@127.0.0.1:5432/xn_sup

It builds a fresh database (SQLite file in a temporary directory; for PostgreSQL the given
database is DROPPED and recreated), loads Yunnan's 16 prefectures and 129 counties and N items
spread over the counties, then prints, side by side in one run:

1. the first page of the filtered list, for several filter combinations: the ORM page (the
   list view's own queries: scope gate + FilterSet + light annotation, attention first —
   fetched segment by segment, given the light counts the page shows) against one
   hand-written SQL query returning the same rows in the same order (one ORDER BY on the
   light's CASE), the calls interleaved (the machine's speed drifts); the number of queries;
   the ratio; the time of the light counts on their own; the EXPLAIN plan of the first
   segment's query;
2. page-size scaling (10, 50, 200, 1000 rows) of one filter combination;
3. the deadline scan (scan.scan_deadlines: one UPDATE storing the lights and stamping the
   worsened rows, two INSERT … SELECT of notifications): its UPDATE (scan.store_lights) against
   one hand-written set-based UPDATE of the lights; the whole scan against hand-written SQL
   doing the same work (the UPDATE with the stamp + the same two INSERTs); and a per-item
   Python loop over the ORM measured on a sample and extrapolated to all items (said so in
   the output).

Ratios, not absolute times, are the targets: the machines are shared and noisy.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--items", type=int, default=100_000, help="number of items (full scale: 1000000)"
    )
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/xn_sup")
    p.add_argument("--repeat", type=int, default=5, help="timings per figure (median reported)")
    p.add_argument(
        "--loop-sample", type=int, default=2000, help="items in the per-item loop sample"
    )
    p.add_argument("--only", choices=["list", "scan"], help="run one part only")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep the database if it already holds --items items (skips the load)",
    )
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args()


def load(n_items: int):
    import datetime as dt
    import random

    from django.db import connection, transaction

    from xiaoneng.accounts.models import Role, User
    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.supervision.models import Item
    from xiaoneng.units.models import Level, Unit
    from xiaoneng.units.services import load_divisions

    load_divisions(actor=SYSTEM)
    province = Unit.objects.get(code="530000")
    counties = list(Unit.objects.filter(level=Level.COUNTY).order_by("code"))
    prefectures = list(Unit.objects.filter(level=Level.PREFECTURE))
    sup = User(username="bench_sup", unit=province, name="督查")
    sup.save(actor=SYSTEM)
    sup.roles.set(Role.objects.filter(code="supervisor"))
    km = Unit.objects.get(code="530100")
    km_sup = User(username="bench_km", unit=km, name="昆明督查")
    km_sup.save(actor=SYSTEM)
    km_sup.roles.set(Role.objects.filter(code="supervisor"))
    for county in counties[:20]:
        h = User(username=f"h{county.code}", unit=county, name="承办")
        h.save(actor=SYSTEM)
        h.roles.set(Role.objects.filter(code="handler"))
    rnd = random.Random(3)
    today = dt.date.today()
    statuses = [
        "assigned",
        "acknowledged",
        "plan_submitted",
        "in_progress",
        "in_progress",
        "closure_requested",
        "sent_back",
        "closed",
    ]
    kinds = ["task", "problem", "responsibility"]
    sources = [
        "superior",
        "meeting",
        "instruction",
        "grassroots",
        "inspection",
        "hotline",
        "public",
        "unannounced",
        "other",
    ]
    t = time.perf_counter()
    batch = []
    done = 0
    with transaction.atomic():
        for i in range(1, n_items + 1):
            county = counties[rnd.randrange(len(counties))]
            assigned = today - dt.timedelta(days=rnd.randrange(0, 365))
            deadline = assigned + dt.timedelta(days=rnd.randrange(5, 240))
            kind = kinds[i % 3]
            batch.append(
                Item(
                    kind=kind,
                    code=f"B-{i:08d}",
                    title=f"事项{i} 营商环境整改",
                    source=sources[i % 9],
                    status=statuses[rnd.randrange(len(statuses))],
                    lead_unit_id=county.pk,
                    assigning_unit_id=county.parent_id if i % 2 else province.pk,
                    assigned_on=assigned,
                    deadline=deadline,
                    plan_deadline=assigned,
                    progress=rnd.randrange(0, 101),
                    light="green",
                )
            )
            if len(batch) == 5000:
                Item.objects.bulk_create(batch)
                done += len(batch)
                batch = []
        if batch:
            Item.objects.bulk_create(batch)
    with connection.cursor() as c:
        c.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE supervision_item")
    print(
        f"  loaded {n_items:,} items in {time.perf_counter() - t:.1f}s "
        f"({len(prefectures)} prefectures, {len(counties)} counties)"
    )
    return sup, km_sup, km


def under(vendor, column, path):
    """A subtree as an index range: SQLite's LIKE cannot use an index, its GLOB can."""
    return f"{column} GLOB '{path}*'" if vendor == "sqlite" else f"{column} LIKE '{path}%%'"


def hand_sql_page(vendor, where_sql, limit, scope_path=None):
    """One hand-written query for the same page: the same scope rule (lead unit, assigning
    unit or a co-unit in the user's subtree; none for the province, which sees everything),
    the same columns the page shows, the same order (attention first: red, yellow, green, closed;
    those without a deadline after those with one; then deadline, id)."""
    if vendor == "sqlite":
        dn = "CAST(julianday({}) AS INTEGER)"
    else:
        dn = "(({})::date - DATE '2000-01-01')"
    t, a, d = dn.format("%(today)s"), dn.format("i.assigned_on"), dn.format("i.deadline")
    light = f"""CASE WHEN i.status = 'closed' THEN 'none'
        WHEN i.deadline IS NULL THEN 'green'
        WHEN i.deadline < %(today)s THEN 'red'
        WHEN i.deadline <= %(soon)s THEN 'yellow'
        WHEN 100 * ({t} - {a}) - i.progress * ({d} - {a}) > %(points)s * ({d} - {a}) THEN 'yellow'
        ELSE 'green' END"""
    scope = ""
    if scope_path is not None:
        sub = f"SELECT id FROM units_unit WHERE {under(vendor, 'path', scope_path)} AND deleted_at IS NULL"
        scope = f"""AND (i.lead_unit_id IN ({sub}) OR i.assigning_unit_id IN ({sub})
            OR EXISTS (SELECT 1 FROM supervision_itemcounit c JOIN units_unit cu ON cu.id = c.unit_id
                       WHERE c.item_id = i.id AND cu.{under(vendor, "path", scope_path)}))"""
    return (
        light,
        f"""
        SELECT i.id, i.code, i.title, i.status, i.deadline, i.progress, i.deadline_provisional,
               u.name, r.name, {light} AS light_now
        FROM supervision_item i JOIN units_unit u ON u.id = i.lead_unit_id
        LEFT JOIN accounts_user r ON r.id = i.responsible_id
        WHERE i.deleted_at IS NULL {scope} {where_sql}
        ORDER BY CASE ({light}) WHEN 'red' THEN 0 WHEN 'yellow' THEN 2 WHEN 'green' THEN 4
            ELSE 6 END + CASE WHEN i.deadline IS NULL THEN 1 ELSE 0 END, i.deadline, i.id
        LIMIT {limit}""",
    )


def run(args, db):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.supervision import conf, listing, scan
    from xiaoneng.supervision.lights import filter_by_light
    from xiaoneng.supervision.models import Item, Unit

    print(f"\n=== {db} · {args.items:,} items ===")
    from xiaoneng.accounts.models import User

    if args.reuse and Item.objects.count() == args.items:
        print("  reusing the database's items (--reuse)")
        sup, km_sup = User.objects.get(username="bench_sup"), User.objects.get(username="bench_km")
        km = km_sup.unit
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE supervision_item")
    else:
        sup, km_sup, km = load(args.items)
    vendor = connection.vendor
    today = dt.date.today()
    params = {
        "today": today,
        "soon": today + dt.timedelta(days=conf.yellow_days()),
        "points": conf.behind_points(),
    }
    xishan = Unit.objects.get(code="530112")
    light_sql, _ = hand_sql_page(vendor, "", 1)
    like = "ILIKE" if vendor == "postgresql" else "LIKE"
    combos = [
        ("province, no filter", sup, {}, ""),
        (
            "kind=problem, status=open",
            sup,
            {"kind": "problem", "status": "open"},
            "AND i.kind = 'problem' AND i.status <> 'closed'",
        ),
        (
            "light=red",
            sup,
            {"light": "red"},
            "AND i.status <> 'closed' AND i.deadline < %(today)s",  # exactly the red items
        ),
        (
            "unit=昆明市 subtree, light=yellow (昆明 supervisor)",
            km_sup,
            {"unit": str(km.pk), "light": "yellow"},
            f"AND i.lead_unit_id IN (SELECT id FROM units_unit WHERE {under(vendor, 'path', km.path)}) AND ({light_sql}) = 'yellow' AND i.status <> 'closed' AND i.deadline >= %(today)s",
        ),
        (
            "unit=西山区, source, deadline range, text",
            sup,
            {
                "unit": str(xishan.pk),
                "source": "inspection",
                "deadline_from": str(today),
                "deadline_to": str(today + dt.timedelta(days=90)),
                "q": "营商",
            },
            f"AND i.lead_unit_id IN (SELECT id FROM units_unit WHERE {under(vendor, 'path', xishan.path)}) "
            "AND i.source = 'inspection' AND i.deadline >= %(today)s AND i.deadline <= %(to)s "
            # The page's search is case-insensitive (icontains): ILIKE on PostgreSQL (its LIKE
            # is case-sensitive), LIKE on SQLite (case-insensitive already).
            f"AND (i.title {like} '%%营商%%' OR i.code {like} '%%营商%%')",
        ),
    ]
    params["to"] = today + dt.timedelta(days=90)

    def page_counts(user, data):
        """The light counts the list page shows (and takes its segments' sizes from)."""
        return listing.light_counts(listing.without_light(listing.filtered(user, data)))

    def orm_page(user, data, size, counts):
        """Exactly what the list page runs for its rows (listing.first_page), given the
        light counts the page computes anyway (timed on their own: "counts ms")."""
        return listing.first_page(user, data, size, counts)

    def orm_page_queryset(user, data, size, counts):
        """The query of the page's first segment (listing.AttentionList), for its plan."""
        filterset = listing.filtered(user, data)
        filterset.is_valid()
        chosen = filterset.form.cleaned_data.get("light", "")
        for light, undated in listing.SEGMENTS:
            size_of = counts.get(f"{light}_undated", 0)
            if not undated:
                size_of = counts[light] - size_of
            if size_of and (not chosen or chosen == light):
                base = listing.without_light(filterset)
                return (
                    filter_by_light(base, light)
                    .filter(deadline__isnull=undated)
                    .order_by("deadline", "id")[:size]
                )
        return filterset.qs.none()

    if args.only != "scan":
        print("\n1. First page (50 rows): ORM list queryset vs one hand-written SQL query")
        print(
            f"   {'filters':<52} {'queries':>7} {'ORM ms':>9} {'SQL ms':>9} {'ratio':>6} rows"
            f" {'counts ms':>9}"
        )
        plans = []
        for label, user, data, where in combos:
            counts = page_counts(user, data)
            with CaptureQueriesContext(connection) as ctx:
                rows = list(orm_page(user, data, 50, counts))
            queries = len(ctx.captured_queries)
            _light, sql = hand_sql_page(
                vendor, where, 50, None if user.unit.parent_id is None else user.unit.path
            )

            def hand(sql=sql):
                with connection.cursor() as c:
                    c.execute(sql, params)
                    return c.fetchall()

            hand_rows = hand()
            assert [(r.pk, r.light_now) for r in rows] == [(r[0], r[-1]) for r in hand_rows], label
            t_orm, t_sql = common.median_times(
                [lambda u=user, d=data, n=counts: list(orm_page(u, d, 50, n)), hand], args.repeat
            )
            t_counts = common.median_time(lambda u=user, d=data: page_counts(u, d), args.repeat)
            print(
                f"   {label:<52} {queries:>7} {t_orm * 1000:>9.2f} {t_sql * 1000:>9.2f} "
                f"{t_orm / t_sql:>6.2f} {len(rows):>4} {t_counts * 1000:>9.2f}"
            )
            plans.append((label, orm_page_queryset(user, data, 50, counts).explain()))

        print("\n   Query plans of the ORM pages:")
        for label, plan in plans:
            print(f"   -- {label}")
            for line in plan.splitlines():
                print(f"      {line}")

        print("\n2. Page-size scaling (kind=problem, status=open)")
        base = None
        problems = {"kind": "problem", "status": "open"}
        counts = page_counts(sup, problems)
        for size in (10, 50, 200, 1000):
            t_orm = common.median_time(
                lambda s=size: list(orm_page(sup, problems, s, counts)), args.repeat
            )
            base = base or t_orm
            print(
                f"   page size {size:>5}: {t_orm * 1000:>9.2f} ms  (× {t_orm / base:.1f} of size 10)"
            )

    if args.only == "list":
        return
    print("\n3. Deadline scan over all items (median of --repeat runs, state reset between runs)")
    from xiaoneng.notifications.models import Notification

    n_open = Item.objects.exclude(status="closed").count()

    def reset(day=None):
        # Only the rows that differ: on PostgreSQL every updated row is a new row version.
        Item.objects.exclude(light="green", worsened_in_scan__isnull=True).update(
            light="green", worsened_in_scan=None
        )
        # A raw DELETE: the model's delete() soft-deletes row by row (audit), far too slow here.
        with connection.cursor() as c:
            c.execute("DELETE FROM notifications_notification")
            if connection.vendor == "postgresql":  # every measurement starts without dead rows
                c.execute("VACUUM supervision_item")
        if day is not None:  # lights as the previous day's scan left them
            scan.scan_deadlines(day, actor=SYSTEM)

    light, _ = hand_sql_page(vendor, "", 1)
    light = light.replace("i.", "")
    update = f"UPDATE supervision_item SET light = {light} WHERE light <> {light}"

    def timed(fn, prepare, repeat):
        times, out = [], None
        for _ in range(repeat):
            prepare()
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times), out

    def hand_update(p):
        with connection.cursor() as c:
            c.execute(update, p)
            return c.rowcount

    stamp_case = f"""CASE WHEN light = 'red' THEN worsened_in_scan
        WHEN light = 'yellow' AND ({light}) = 'red' THEN %(scan)s
        WHEN light <> 'yellow' AND ({light}) IN ('yellow', 'red') THEN %(scan)s
        ELSE worsened_in_scan END"""
    same_update = (
        f"UPDATE supervision_item SET light = {light}, worsened_in_scan = {stamp_case} "
        f"WHERE deleted_at IS NULL AND light <> {light}"
    )
    cols = """%(now)s, %(now)s, {rid}, CASE WHEN i.light = 'red' THEN 'overdue' ELSE 'due_soon' END,
        i.code || ' ' || i.title || '：' || CASE WHEN i.light = 'red' THEN '已超期' ELSE '临近时限或进度滞后' END,
        '/supervision/' || CAST(i.id AS TEXT) || '/', 'supervision.item:' || CAST(i.id AS TEXT)"""
    insert = "INSERT INTO notifications_notification (created_at, updated_at, recipient_id, verb, title, url, ref) "
    same_insert_handlers = (
        insert
        + f"""SELECT {cols.format(rid="u.id")}
        FROM supervision_item i JOIN accounts_user u ON u.unit_id = i.lead_unit_id
        JOIN accounts_user_roles ur ON ur.user_id = u.id JOIN accounts_role r ON r.id = ur.role_id
        WHERE i.worsened_in_scan = %(scan)s AND i.deleted_at IS NULL AND r.code = 'handler'
          AND u.is_active AND u.deleted_at IS NULL"""
    )
    same_insert_responsible = (
        insert
        + f"""SELECT {cols.format(rid="i.responsible_id")}
        FROM supervision_item i JOIN accounts_user p ON p.id = i.responsible_id
        WHERE i.worsened_in_scan = %(scan)s AND i.deleted_at IS NULL AND p.is_active
          AND i.responsible_id NOT IN (SELECT u.id FROM accounts_user u
              JOIN accounts_user_roles ur ON ur.user_id = u.id JOIN accounts_role r ON r.id = ur.role_id
              WHERE u.unit_id = i.lead_unit_id AND r.code = 'handler')"""
    )

    def hand_same_work(p):
        from django.db import transaction
        from django.utils import timezone

        q = {**p, "scan": time.time_ns() // 1000, "now": timezone.now()}
        with transaction.atomic(), connection.cursor() as c:
            c.execute(same_update, q)
            changed = c.rowcount
            c.execute(same_insert_handlers, q)
            notes = c.rowcount
            c.execute(same_insert_responsible, q)
            return changed, notes + c.rowcount

    def store_only(day):
        from django.db import transaction

        with transaction.atomic():
            return scan.store_lights(time.time_ns() // 1000, day)

    reset()
    scan.scan_deadlines(actor=SYSTEM)  # warm-up (translations, lazy imports)
    scenarios = [
        ("first scan (every light stale)", today, lambda: reset()),
        ("daily scan (lights as of yesterday)", today, lambda: reset(today - dt.timedelta(days=1))),
    ]
    for label, day, prepare in scenarios:
        p = {**params, "today": day, "soon": day + dt.timedelta(days=conf.yellow_days())}
        t_scan, result = timed(
            lambda d=day: scan.scan_deadlines(d, actor=SYSTEM), prepare, args.repeat
        )
        t_update, changed = timed(lambda p=p: hand_update(p), prepare, args.repeat)
        print(f"   {label}:")
        print(
            f"     scan.scan_deadlines(): {t_scan:.3f}s  ({result.updated:,} lights changed, "
            f"{result.notifications:,} notifications, {n_open:,} open items)"
        )
        t_store, stored = timed(lambda d=day: store_only(d), prepare, args.repeat)
        t_same, (same_rows, same_notes) = timed(lambda p=p: hand_same_work(p), prepare, args.repeat)
        assert (
            stored == changed == same_rows == result.updated and same_notes == result.notifications
        )
        print(
            f"     its UPDATE (store_lights):  {t_store:.3f}s  ({stored:,} rows; lights + "
            "worsened stamp)"
        )
        print(f"     hand-written UPDATE:        {t_update:.3f}s  ({changed:,} rows; lights only)")
        print(
            f"     hand-written same work:     {t_same:.3f}s  ({same_rows:,} rows, {same_notes:,} "
            "notifications: UPDATE with stamp + 2 INSERT … SELECT)"
        )
        print(f"     ratio its UPDATE / hand-written UPDATE: {t_store / t_update:.2f}")
        print(f"     ratio whole scan / hand-written same work: {t_scan / t_same:.2f}")
        print(f"     (ratio whole scan / hand-written UPDATE alone: {t_scan / t_update:.2f})")
        if label.startswith("first"):
            t_scan_first = t_scan
    t_scan = t_scan_first
    # The per-item loop a straightforward implementation would write: for every open item,
    # read its light (the one SQL expression), save it if it changed, notify the lead unit's
    # handlers.
    reset()
    from xiaoneng.accounts.models import User
    from xiaoneng.supervision.lights import with_light

    sample_ids = list(
        Item.objects.exclude(status="closed")
        .order_by("id")
        .values_list("pk", flat=True)[: args.loop_sample]
    )
    t = time.perf_counter()
    for item in with_light(Item.objects.filter(pk__in=sample_ids)):
        new = item.light_now
        if new != item.light:
            worse = new in ("yellow", "red") and item.light != "red"
            item.light = new
            item.save(update_fields=["light"], actor=SYSTEM)
            if worse:
                for uid in User.objects.filter(
                    unit_id=item.lead_unit_id, roles__code="handler"
                ).values_list("pk", flat=True):
                    Notification.objects.create(
                        recipient_id=uid, verb="overdue", title=item.title, actor=SYSTEM
                    )
    per_item = (time.perf_counter() - t) / len(sample_ids)
    t_loop = per_item * n_open
    print(
        f"   per-item ORM loop: measured on {len(sample_ids):,} open items, EXTRAPOLATED to "
        f"{n_open:,} open items: {t_loop:.1f}s  (loop / first scan: {t_loop / t_scan:.0f}×)"
    )


def main():
    args = parse()
    if args.child:
        common.setup_django(args.child, args.pg_url, prefix="xn-sup-bench-", keep=args.reuse)
        run(args, args.child)
        return
    import platform
    import subprocess

    print(
        f"supervision bench · {time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.node()} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} cpus · Python {platform.python_version()}"
    )
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        # One process per database: Django is configured once per process.
        cmd = [
            sys.executable,
            __file__,
            "--child",
            db,
            "--items",
            str(args.items),
            "--pg-url",
            args.pg_url,
            "--repeat",
            str(args.repeat),
            "--loop-sample",
            str(args.loop_sample),
            *(["--only", args.only] if args.only else []),
            *(["--reuse"] if args.reuse else []),
        ]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
