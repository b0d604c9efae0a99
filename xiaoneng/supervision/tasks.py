"""Background work of supervision (django-tasks; the worker is `xiaoneng db_worker`).

The daily deadline scan is an entry of the one schedule (core/schedule.py, run by
`xiaoneng cron`). `xiaoneng scan-deadlines` runs one scan in the foreground, or
`--enqueue`s it for the worker.
"""

import datetime as dt

from django_tasks import task

from xiaoneng.core.policy import SYSTEM


@task()
def scan_deadlines(on: str | None = None) -> dict:
    """One due-soon / overdue scan (set-based; see scan.scan_deadlines). What it wrote is
    delivered (email, robots) right after its commit, here in the worker."""
    from xiaoneng.supervision.scan import scan_deadlines as run

    result = run(dt.date.fromisoformat(on) if on else None, actor=SYSTEM)
    return result.__dict__


@task()
def daily_scan() -> dict:
    """Left for a scan an older release queued in its self-rescheduling chain: it runs
    once and queues nothing (the schedule runs the daily scan now). Remove in the release
    after next."""
    return scan_deadlines.call()
