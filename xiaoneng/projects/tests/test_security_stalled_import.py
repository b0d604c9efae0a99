"""An import whose worker died (kill -9, a lost machine) is marked failed within minutes:
a running import shows signs of life every few seconds, also while its file is parsed."""

import datetime as dt
import os
import time

from django.utils import timezone

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import tasks
from xiaoneng.projects.models import ImportJob


def _running_job(batch, user, *, minutes_ago: int) -> ImportJob:
    job = ImportJob.objects.create(
        batch=batch,
        created_by=user,
        file_name="台账.xlsx",
        state=ImportJob.State.READING,
        actor=user,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return job


def test_the_page_marks_a_silent_job_failed(client_for, batch, province_supervisor, settings):
    settings.IMPORT_STALE_MINUTES = 5
    job = _running_job(batch, province_supervisor, minutes_ago=6)
    page = client_for(province_supervisor).get(f"/projects/import/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "后台处理已停止" in job.errors[0]["message"]
    assert "后台处理已停止" in page


def test_a_job_with_recent_progress_is_left_running(batch, province_supervisor, settings):
    settings.IMPORT_STALE_MINUTES = 5
    job = _running_job(batch, province_supervisor, minutes_ago=30)
    tasks._write_progress(job.pk, ImportJob.State.CHECKING, 10, 100)  # the worker just wrote
    assert tasks.fail_stalled_jobs(actor=SYSTEM) == 0
    old = time.time() - 6 * 60
    os.utime(ImportJob.progress_path(job.pk), (old, old))
    assert tasks.fail_stalled_jobs(actor=SYSTEM) == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert not ImportJob.progress_path(job.pk).exists()


def test_a_fresh_or_finished_job_is_left_alone(batch, province_supervisor, settings):
    settings.IMPORT_STALE_MINUTES = 5
    fresh = _running_job(batch, province_supervisor, minutes_ago=1)
    done = _running_job(batch, province_supervisor, minutes_ago=60)
    ImportJob.objects.filter(pk=done.pk).update(state=ImportJob.State.DONE)
    assert tasks.fail_stalled_jobs(actor=SYSTEM) == 0
    fresh.refresh_from_db()
    assert fresh.state == ImportJob.State.READING
