"""What both benchmarks need: timing, and a fresh database with the schema migrated.

The scripts run as `python bench/<name>.py`, so this module is importable as `common`.
"""

import os
import statistics
import tempfile
import time


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def median_times(fns, repeat):
    """The median time of each function, the calls interleaved (a, b, a, b …): this machine's
    speed drifts by up to 2× within seconds, and interleaving gives each function the same
    conditions, so that their ratio is fair."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - t)
    return [statistics.median(spent) for spent in times]


def setup_django(db: str, pg_url: str, *, prefix: str, keep: bool = False) -> None:
    """Django on a new SQLite file in a temporary data dir, or on the PostgreSQL database
    named by `pg_url`, dropped and recreated (kept if `keep` and it exists); then migrate."""
    os.environ["XIAONENG_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    os.environ.pop("DATABASE_URL", None)
    if db == "postgres":
        import psycopg

        base, name = pg_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (keep and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
