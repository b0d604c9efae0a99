"""Background work of supervision (django-tasks; the worker is `xiaoneng db_worker`).

The deadline scan runs daily as a chain: each run queues the next one for the following
day at SCAN_HOUR (local time), unless one is already queued. `xiaoneng scan-deadlines
--schedule` (and the demo loader) starts the chain; `xiaoneng scan-deadlines` runs one
scan in the foreground.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import default_task_backend, task

from xiaoneng.core.context import acting_as

SCAN_HOUR = 1  # 01:00 local time, after midnight has moved every light


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=SCAN_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def _pending_chain() -> bool:
    """Is a daily scan already waiting in the database queue?"""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: no way to look, assume not
        return False
    return DBTaskResult.objects.filter(task_path=f"{__name__}.daily_scan", status="READY").exists()


def schedule_daily() -> bool:
    """Queue the next daily scan unless one is queued already. True if it queued one."""
    if not getattr(default_task_backend, "supports_defer", False) or _pending_chain():
        return False
    daily_scan.using(run_after=next_run()).enqueue()
    return True


@task()
def scan_deadlines(on: str | None = None) -> dict:
    """One due-soon / overdue scan (set-based; see scan.scan_deadlines). What it wrote is
    delivered (email, robots) right after its commit, here in the worker."""
    from xiaoneng.supervision.scan import scan_deadlines as run

    with acting_as(None):
        result = run(dt.date.fromisoformat(on) if on else None)
    return result.__dict__


@task()
def daily_scan() -> dict:
    from xiaoneng.supervision.scan import scan_deadlines as run

    try:
        with acting_as(None):
            result = run()
    finally:
        schedule_daily()  # a failed scan must not end the daily chain
    return result.__dict__
