"""The one schedule of periodic jobs (core/schedule.py) and `xiaoneng cron`."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xiaoneng.core import schedule
from xiaoneng.core.models import ScheduledRun

CALLS: list[str] = []
HERE = __name__


def record(*, actor):
    CALLS.append("ran")
    return {"n": len(CALLS)}


def overlap(*, actor):
    """While running, a second cron starts: it must not run this job again."""
    CALLS.append("outer")
    nested = schedule.run_due(now=NESTED_NOW[0])
    CALLS.extend(o.job.name for o in nested if o.ran)


NESTED_NOW = [timezone.now()]


def boom(*, actor):
    raise RuntimeError("the mail server is down")


def whoami(*, actor):
    return repr(actor)


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def jobs(monkeypatch):
    CALLS.clear()

    def use(*declared):
        monkeypatch.setattr(schedule, "JOBS", list(declared))
        return declared

    return use


def test_each_periodic_job_is_registered_once_and_importable():
    names = [job.name for job in schedule.jobs()]
    assert names == [
        "scan-deadlines",
        "escalate-community-matters",
        "send-digests",
        "retry-deliveries",
        "fail-stalled-imports",
        "clean-import-uploads",
        "forget-refused-tries",
    ]
    for job in schedule.jobs():
        assert callable(job.function()), job.name
    assert schedule.get("scan-deadlines").at == dt.time(1, 0)


def test_it_lists_every_job(db, capsys):
    call_command("cron", "--list")
    out = capsys.readouterr().out
    for job in schedule.jobs():
        assert job.name in out
    assert "从未运行" in out


def test_a_job_declares_exactly_one_of_interval_and_time():
    with pytest.raises(ValueError):
        schedule.Job("x", "f", "core", "", every=dt.timedelta(minutes=5), at=dt.time(1))
    with pytest.raises(ValueError):
        schedule.Job("x", "f", "core", "")
    with pytest.raises(ValueError):
        schedule.Job("x", "f", "core", "", every=dt.timedelta(0))


def test_an_interval_job_runs_once_per_window(db, jobs):
    jobs(schedule.Job("tick", f"{HERE}.record", "core", "", every=dt.timedelta(minutes=5)))
    start = local(2027, 3, 1, 10, 0, 2)  # a cron run two seconds late
    assert [o.ran for o in schedule.run_due(now=start)] == [True]
    assert [o.ran for o in schedule.run_due(now=start + dt.timedelta(minutes=2))] == [False]
    # the next cron run, a few seconds early for its window, still finds it due
    assert [o.ran for o in schedule.run_due(now=local(2027, 3, 1, 10, 5, 0))] == [True]
    assert CALLS == ["ran", "ran"]
    row = ScheduledRun.objects.get(name="tick")
    assert row.last_ok is True and row.last_result == '{"n": 2}' and row.claimed_until is None


def test_a_daily_job_runs_after_its_time_and_once_a_day(db, jobs):
    jobs(schedule.Job("nightly", f"{HERE}.record", "core", "", at=dt.time(1, 0)))
    ScheduledRun.objects.create(name="nightly", last_slot=local(2027, 3, 1, 1, 0))
    assert not schedule.run_due(now=local(2027, 3, 2, 0, 55))[0].ran  # not yet 01:00
    assert schedule.run_due(now=local(2027, 3, 2, 1, 0))[0].ran
    assert not schedule.run_due(now=local(2027, 3, 2, 23, 0))[0].ran
    assert schedule.run_due(now=local(2027, 3, 3, 1, 5))[0].ran
    assert CALLS == ["ran", "ran"]


def test_missed_runs_are_caught_up_once(db, jobs):
    jobs(
        schedule.Job("nightly", f"{HERE}.record", "core", "", at=dt.time(1, 0)),
        schedule.Job("tick", f"{HERE}.record", "core", "", every=dt.timedelta(minutes=5)),
    )
    long_ago = local(2027, 3, 1, 1, 0)
    ScheduledRun.objects.create(name="nightly", last_slot=long_ago)
    ScheduledRun.objects.create(name="tick", last_slot=long_ago)
    back = local(2027, 3, 5, 9, 17)  # the server was off for four days
    assert [o.ran for o in schedule.run_due(now=back)] == [True, True]
    assert [o.ran for o in schedule.run_due(now=back + dt.timedelta(minutes=1))] == [False, False]
    assert CALLS == ["ran", "ran"]
    assert ScheduledRun.objects.get(name="nightly").last_slot == local(2027, 3, 5, 1, 0)


def test_overlapping_cron_runs_do_not_run_a_job_twice(db, jobs):
    jobs(schedule.Job("slow", f"{HERE}.overlap", "core", "", every=dt.timedelta(minutes=5)))
    now = local(2027, 3, 1, 10, 0)
    NESTED_NOW[0] = now + dt.timedelta(seconds=30)
    assert schedule.run_due(now=now)[0].ran
    assert CALLS == ["outer"]  # the second cron found it claimed


def test_a_claim_left_by_a_dead_process_expires(db, jobs):
    job = schedule.Job("tick", f"{HERE}.record", "core", "", every=dt.timedelta(minutes=5))
    jobs(job)
    now = local(2027, 3, 1, 10, 0)
    ScheduledRun.objects.create(name="tick", claimed_until=now + dt.timedelta(minutes=10))
    assert not schedule.run_due(now=now)[0].ran
    assert schedule.run_due(now=now + dt.timedelta(minutes=10))[0].ran


def test_a_failing_job_is_recorded_and_the_command_fails(db, jobs, capsys):
    jobs(
        schedule.Job("mail", f"{HERE}.boom", "core", "", every=dt.timedelta(minutes=5)),
        schedule.Job("tick", f"{HERE}.record", "core", "", every=dt.timedelta(minutes=5)),
    )
    with pytest.raises(CommandError) as failed:
        call_command("cron")
    assert failed.value.returncode == 1
    assert CALLS == ["ran"]  # the other job still ran
    row = ScheduledRun.objects.get(name="mail")
    assert row.last_ok is False and "mail server is down" in row.last_result
    assert row.claimed_until is None
    assert "mail: 失败" in capsys.readouterr().err
    call_command("cron")  # done for this window: not retried every few minutes


def test_run_forces_a_job_that_is_not_due(db, jobs, capsys):
    jobs(schedule.Job("nightly", f"{HERE}.record", "core", "", at=dt.time(1, 0)))
    call_command("cron", "--run", "nightly")
    call_command("cron", "--run", "nightly")
    assert CALLS == ["ran", "ran"]
    call_command("cron")  # this slot is done
    assert CALLS == ["ran", "ran"]
    with pytest.raises(CommandError, match="没有这个任务"):
        call_command("cron", "--run", "nope")


def test_jobs_run_as_the_system(db, jobs):
    jobs(schedule.Job("who", f"{HERE}.whoami", "core", "", every=dt.timedelta(minutes=5)))
    assert schedule.run_due()[0].result == "SYSTEM"


def test_a_job_of_an_app_not_installed_is_skipped(db, jobs):
    jobs(schedule.Job("gone", f"{HERE}.record", "not_an_app", "", every=dt.timedelta(minutes=5)))
    assert schedule.run_due() == []


def test_the_deadline_scan_is_a_scheduled_job(db, capsys):
    call_command("cron", "--run", "scan-deadlines")
    assert "scan-deadlines: 完成" in capsys.readouterr().out
    assert ScheduledRun.objects.get(name="scan-deadlines").last_ok is True


def test_cron_is_quiet_when_all_is_well(db, jobs, capsys):
    """cron mails whatever a job prints: a run every 5 minutes must print nothing."""
    jobs(schedule.Job("tick", f"{HERE}.record", "core", "", every=dt.timedelta(minutes=5)))
    call_command("cron")
    assert capsys.readouterr() == ("", "")
    ScheduledRun.objects.update(last_slot=None)
    call_command("cron", verbosity=2)
    assert "tick: 完成" in capsys.readouterr().out
