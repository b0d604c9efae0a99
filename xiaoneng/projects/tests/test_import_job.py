"""The web import's task: progress visible during the write, uploads deleted afterwards,
leftovers cleaned."""

import datetime as dt
import os
import time

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from xiaoneng.core.audit import history_for
from xiaoneng.projects import ledger, tasks
from xiaoneng.projects.models import ImportJob, Project

from .conftest import HEADERS, ledger_row, xlsx


def _job(batch, user, content: bytes, name="ledger.xlsx") -> ImportJob:
    job = ImportJob(batch=batch, created_by=user, file_name=name)
    job.file.save(name, ContentFile(content), save=False)
    job.save(actor=user)
    return job


def test_it_shows_progress_rising_during_the_write(
    batch, county_a, province_supervisor, monkeypatch
):
    """Seven rows written two at a time: the page sees 0, 2, 4, 6, 7 of 7 while the
    import's transaction is still open (the row itself is only updated at commit)."""
    monkeypatch.setattr(ledger, "WRITE_CHUNK", 2)
    rows = [ledger_row(f"P{i}") for i in range(7)]
    job = _job(batch, province_supervisor, xlsx(HEADERS, rows))
    seen = []
    report = tasks._progress

    def spying(job_id):
        inner = report(job_id)

        def spy(stage, done, total):
            inner(stage, done, total)
            if stage == "writing":
                page = ImportJob.objects.get(pk=job_id)  # what the polled fragment reads
                seen.append((transaction.get_connection().in_atomic_block, page.live, page.percent))

        return spy

    monkeypatch.setattr(tasks, "_progress", spying)
    tasks.run_project_import.call(job.pk)

    assert [(s["done"], s["total"]) for _a, s, _p in seen] == [
        (0, 7),
        (2, 7),
        (4, 7),
        (6, 7),
        (7, 7),
    ]
    assert all(s["state"] == "writing" for _a, s, _p in seen)
    percents = [p for _a, _s, p in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    job.refresh_from_db()
    assert job.state == "done" and job.percent == 100
    assert Project.objects.filter(code__startswith="P").count() == 7


def test_the_upload_is_deleted_after_a_successful_import(batch, county_a, province_supervisor):
    job = _job(batch, province_supervisor, xlsx(HEADERS, [ledger_row("D1")]))
    path = job.file.path
    assert os.path.exists(path)
    tasks.run_project_import.call(job.pk)
    job.refresh_from_db()
    assert job.state == "done" and not job.file
    assert not os.path.exists(path)
    assert not ImportJob.progress_path(job.pk).exists()


def test_the_change_log_names_the_uploader(batch, county_a, province_supervisor):
    """The worker acts for the job's uploader, passed to the import as its actor (issue 11:
    no context variable): the permission check and the change log name the same person."""
    job = _job(batch, province_supervisor, xlsx(HEADERS, [ledger_row("D4")]))
    tasks.run_project_import.call(job.pk)
    entry = history_for(Project.objects.get(code="D4")).get(action="import")
    assert entry.user == province_supervisor


def test_the_upload_is_deleted_after_a_failed_import(batch, county_a, province_supervisor):
    job = _job(batch, province_supervisor, xlsx(HEADERS, [ledger_row("D2", county="月球区")]))
    path = job.file.path
    tasks.run_project_import.call(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.errors[0]["value"] == "月球区"
    assert not os.path.exists(path) and not job.file
    assert not ImportJob.progress_path(job.pk).exists()


def _age(path, hours: float) -> None:
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


def test_leftovers_older_than_a_day_are_cleaned(batch, province_supervisor, settings):
    done = _job(batch, province_supervisor, b"a", "done.xlsx")
    ImportJob.objects.filter(pk=done.pk).update(state="done")
    stuck = _job(batch, province_supervisor, b"b", "stuck.xlsx")
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # and silent since
    ImportJob.objects.filter(pk=stuck.pk).update(
        state="writing", created_at=long_ago, updated_at=long_ago
    )
    queued = _job(batch, province_supervisor, b"c", "queued.xlsx")
    fresh = _job(batch, province_supervisor, b"d", "fresh.xlsx")
    ImportJob.objects.filter(pk=fresh.pk).update(state="done")
    orphan = settings.MEDIA_ROOT / ImportJob.UPLOAD_DIR / "orphan.xlsx"
    orphan.write_bytes(b"e")
    for job in (done, stuck, queued):
        _age(job.file.path, 25)
    _age(orphan, 25)
    paths = {j.pk: j.file.path for j in (done, stuck, queued, fresh)}

    call_command("projects", "clean-imports")

    assert not os.path.exists(paths[done.pk]) and not os.path.exists(paths[stuck.pk])
    assert not orphan.exists()
    assert os.path.exists(paths[queued.pk])  # the worker has not run it yet
    assert os.path.exists(paths[fresh.pk])  # less than a day old
    stuck.refresh_from_db()
    done.refresh_from_db()
    assert stuck.state == "failed" and "中断" in stuck.errors[0]["message"]
    assert not done.file and not stuck.file


def test_the_clean_up_is_a_job_of_the_schedule(batch, county_a, province_supervisor, settings):
    """Issue 11: the clean-up no longer runs at the start of each web import; `xiaoneng cron`
    runs it (and the stalled-import check) from the one schedule."""
    orphan = settings.MEDIA_ROOT / ImportJob.UPLOAD_DIR / "old.xlsx"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    _age(orphan, 30)
    job = _job(batch, province_supervisor, xlsx(HEADERS, [ledger_row("D3")]))
    tasks.run_project_import.call(job.pk)
    assert orphan.exists()
    call_command("cron", "--run", "clean-import-uploads")
    assert not orphan.exists()
