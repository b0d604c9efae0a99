"""The one list of periodic jobs, and the runner that `xiaoneng cron` calls.

One cron line (or systemd timer) runs `xiaoneng cron` every few minutes; each run does the
jobs that are due and remembers, per job, the last time slot it completed
(`core.models.ScheduledRun`):

- an interval job (`every=`) is due once per window of that length (windows counted from
  the epoch, so a cron run a few seconds early or late does not skip or repeat a window);
- a daily job (`at=`, local time) is due once its time today has passed and it has not run
  since. A run missed while the server was off (or cron was broken) is caught up once, by
  the next `xiaoneng cron`, however many slots were missed.

A job is claimed with one conditional UPDATE before it runs, so two overlapping cron runs
(on one server or several sharing the database) never run it twice; a claim left by a
process that died expires after the job's `lease`. A job that raises is logged, recorded as
failed and counts as done for its slot (it is tried again in the next one, not every few
minutes); `xiaoneng cron` then exits with status 1 so cron mails the administrator.

Jobs run in the cron process, acting as the system: each job's function is called with
`actor=SYSTEM` (core.policy), which it passes to every write it makes. To add one: a line in
JOBS, naming a function that takes a keyword `actor`.
"""

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from xiaoneng.core.context import operation
from xiaoneng.core.policy import SYSTEM

log = logging.getLogger(__name__)

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    func: str  # dotted path of a function taking no arguments
    app: str  # the app label it belongs to; skipped when that app is not installed
    help: str
    every: dt.timedelta | None = None
    at: dt.time | None = None  # local time of day
    lease: dt.timedelta = dt.timedelta(hours=1)

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name}: give exactly one of every= and at=")
        if self.every is not None and self.every <= dt.timedelta(0):
            raise ValueError(f"job {self.name}: every= must be positive")

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the latest slot at or before `now`: the job is due if it has not
        completed this slot."""
        if self.every is not None:
            windows = (now - EPOCH) // self.every
            return EPOCH + windows * self.every
        local = timezone.localtime(now)
        today = timezone.make_aware(dt.datetime.combine(local.date(), self._at()))
        return today if today <= now else today - dt.timedelta(days=1)

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return self.slot(now) + self.every
        return self.slot(now) + dt.timedelta(days=1)

    def function(self) -> Callable[..., Any]:
        return import_string(self.func)

    def describe(self) -> str:
        if self.every is not None:
            return f"每 {int(self.every.total_seconds() // 60)} 分钟"
        return f"每天 {self._at():%H:%M}"

    def _at(self) -> dt.time:
        if self.at is None:  # excluded by __post_init__
            raise TypeError(f"job {self.name} is an interval job")
        return self.at


JOBS: list[Job] = [
    Job(
        "scan-deadlines",
        "xiaoneng.supervision.scan.scan_deadlines",
        "supervision",
        "deadline scan: recompute traffic lights, notify due-soon and overdue items",
        at=dt.time(1, 0),  # after midnight has moved every light
    ),
    Job(
        "escalate-community-matters",
        "xiaoneng.community.services.escalate_overdue",
        "community",
        "send up to the street the community matters past their deadline (社区议题逾期提交街道)",
        at=dt.time(1, 30),  # after the deadline scan
    ),
    Job(
        "send-digests",
        "xiaoneng.notifications.services.send_digests",
        "notifications",
        "the daily e-mail digest to everyone who chose it",
        at=dt.time(7, 30),  # before office hours
    ),
    Job(
        "retry-deliveries",
        "xiaoneng.notifications.services.retry_due_deliveries",
        "notifications",
        "robot messages and e-mails whose retry is due (the safety net of the task queue)",
        every=dt.timedelta(minutes=5),
    ),
    Job(
        "fail-stalled-imports",
        "xiaoneng.projects.tasks.fail_stalled_jobs",
        "projects",
        "mark failed the web imports whose worker died (silent for IMPORT_STALE_MINUTES)",
        every=dt.timedelta(minutes=5),
    ),
    Job(
        "clean-import-uploads",
        "xiaoneng.projects.tasks.clean_import_uploads",
        "projects",
        "delete uploaded ledgers of finished imports older than a day",
        every=dt.timedelta(hours=1),
    ),
    Job(
        "forget-refused-tries",
        "xiaoneng.core.throttle.forget_old",
        "core",
        "delete the public sign-up's refused tries (client addresses) older than a day",
        every=dt.timedelta(hours=1),
    ),
]


def jobs() -> list[Job]:
    """The declared jobs whose app is installed."""
    return [job for job in JOBS if apps.is_installed(f"xiaoneng.{job.app}")]


def get(name: str) -> Job:
    for job in jobs():
        if job.name == name:
            return job
    raise KeyError(name)


@dataclasses.dataclass
class Outcome:
    job: Job
    ran: bool  # False: not due, or another run holds it
    ok: bool = True
    result: str = ""


def _claim(job: Job, now: dt.datetime, slot: dt.datetime | None) -> bool:
    """Take the job for this run: one UPDATE that only one concurrent caller can win.
    `slot=None` (a forced run) ignores whether it is due, not whether it is held."""
    from xiaoneng.core.models import ScheduledRun

    ScheduledRun.objects.get_or_create(name=job.name)
    rows = ScheduledRun.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now), name=job.name
    )
    if slot is not None:
        rows = rows.filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
    return rows.update(claimed_until=now + job.lease, last_started_at=now) == 1


def _summary(value: Any) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return "" if value is None else str(value)


def run_job(job: Job, *, now: dt.datetime | None = None, force: bool = False) -> Outcome:
    """Run `job` if it is due (or `force`) and no one else is running it."""
    from xiaoneng.core.models import ScheduledRun

    now = now or timezone.now()
    slot = job.slot(now)
    if not _claim(job, now, None if force else slot):
        return Outcome(job, ran=False)
    ok, result = True, ""
    try:
        with operation():  # (one request id for its change-log rows)
            result = _summary(job.function()(actor=SYSTEM))
    except Exception as exc:
        log.exception("scheduled job %s failed", job.name)
        ok, result = False, f"{type(exc).__name__}: {exc}"
    # We hold the claim: nobody else writes the row until we release it.
    before = ScheduledRun.objects.get(name=job.name).last_slot
    ScheduledRun.objects.filter(name=job.name).update(
        last_slot=slot if before is None else max(before, slot),  # a forced run never goes back
        last_finished_at=timezone.now(),
        last_ok=ok,
        last_result=result[:2000],
        claimed_until=None,
    )
    return Outcome(job, ran=True, ok=ok, result=result)


def run_due(*, now: dt.datetime | None = None) -> list[Outcome]:
    """One `xiaoneng cron`: every due job, in the order of JOBS."""
    now = now or timezone.now()
    return [run_job(job, now=now) for job in jobs()]
