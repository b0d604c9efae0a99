"""Background work: the web import of a ledger, with progress the page polls, and the
clean-up of uploaded ledgers and of imports whose worker died (both jobs of the schedule,
core/schedule.py)."""

import datetime as dt
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from xiaoneng.core.xlsx import ImportFailed, iter_chunks
from xiaoneng.projects.models import ImportJob

log = logging.getLogger(__name__)

STATE_OF_STAGE = {
    "reading": ImportJob.State.READING,
    "checking": ImportJob.State.CHECKING,
    "writing": ImportJob.State.WRITING,
    "done": ImportJob.State.WRITING,
    "failed": ImportJob.State.CHECKING,
}
KEEP_UPLOADS = dt.timedelta(days=1)


def _write_progress(job_id: int, state: str, done: int, total: int) -> None:
    """Replace the job's progress file in one step (the page never reads half a file)."""
    path = ImportJob.progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"state": state, "done": done, "total": total}))
    os.replace(tmp, path)


def _progress(job_id: int):
    def report(stage: str, done: int, total: int) -> None:
        state = STATE_OF_STAGE.get(stage, ImportJob.State.CHECKING)
        # The file is seen by the page at once, also while the import's transaction is open
        # (the write phase); the row only when written outside that transaction.
        _write_progress(job_id, state, done, total)
        if not transaction.get_connection().in_atomic_block:
            ImportJob.objects.filter(pk=job_id).update(state=state, done=done, total=total)

    return report


def _finish(job: ImportJob) -> None:
    """The import is over (success or failure): its upload and progress file go."""
    if job.file:
        job.file.storage.delete(job.file.name)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    ImportJob.progress_path(job.pk).unlink(missing_ok=True)


@task()
def run_project_import(job_id: int) -> dict:
    from xiaoneng.projects import services

    job = ImportJob.objects.select_related("created_by", "batch").get(pk=job_id)
    try:
        return _run(job, services, actor=job.created_by)
    finally:
        _finish(job)


def _run(job: ImportJob, services, *, actor) -> dict:
    """Import the job's file as `actor`, the one who uploaded it: the import's permission
    checks and its change log both name them."""
    job_id = job.pk
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        result = services.import_projects(
            content,
            batch=job.batch or job.batch_code,
            actor=actor,
            file_label=job.file_name,
            progress=_progress(job_id),
            ceremony_date=job.ceremony_date,
            move=job.move_projects,
        )
    except ImportFailed as exc:
        errors = [
            {
                "row": e.row or "",  # 0: the file as a whole
                "column": e.column,
                "value": _cell(e.value),
                "message": e.message,
            }
            for e in exc.errors
        ]
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, errors=errors, warnings=exc.warnings
        )
        return {"errors": len(errors)}
    except PermissionDenied as exc:
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED,
            errors=[{"row": "", "column": "", "value": "", "message": str(exc)}],
        )
        return {"errors": 1}
    except Exception as exc:
        # Anything unexpected: stop the page polling, say so, and let the worker log it.
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED,
            errors=[{"row": "", "column": "", "value": "", "message": f"导入出错：{exc}"}],
        )
        raise
    ImportJob.objects.filter(pk=job_id).update(
        batch=result.batch,
        state=ImportJob.State.DONE,
        done=result.created + result.updated + result.unchanged,
        total=result.created + result.updated + result.unchanged,
        result=result.as_dict(),
        warnings=result.warnings,
    )
    return result.as_dict()


def clean_import_uploads(*, actor, older_than: dt.timedelta = KEEP_UPLOADS, now=None) -> int:
    """Delete uploaded ledgers (and progress files) left over for longer than `older_than`:
    those of finished jobs, and files no job refers to. A job still queued keeps its file
    (the worker may be down). Returns the number of files deleted.

    `actor`: who runs it (the schedule and the command: SYSTEM). Emptying a job's file
    field is bookkeeping, written like the job's progress (no change-log row)."""
    now = now or timezone.now()
    cutoff = (now - older_than).timestamp()
    root = Path(settings.MEDIA_ROOT) / ImportJob.UPLOAD_DIR
    if not root.is_dir():
        return 0
    queued = {
        name
        for name in ImportJob.all_objects.filter(state=ImportJob.State.QUEUED).values_list(
            "file", flat=True
        )
        if name
    }
    gone: list[str] = []
    media = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime >= cutoff:
            continue
        if path.relative_to(media).as_posix() in queued:
            continue
        path.unlink(missing_ok=True)
        gone.append(path.relative_to(media).as_posix())
    for chunk in iter_chunks(gone, 500):
        ImportJob.all_objects.filter(file__in=chunk).update(file="")
    deleted = len(gone)
    if deleted:
        log.info("deleted %d uploaded ledger file(s) older than %s", deleted, older_than)
    return deleted


RUNNING = (ImportJob.State.READING, ImportJob.State.CHECKING, ImportJob.State.WRITING)


def fail_stalled_jobs(*, actor, now=None, jobs=None) -> int:
    """Mark failed the running imports that stopped showing signs of life (their worker
    died): no progress for IMPORT_STALE_MINUTES. A running import reports progress at
    least every few seconds, also while its file is parsed. Returns how many were marked.

    `actor`: who runs it, and so which jobs it looks at: those `actor` may see, of `jobs`
    (default: all). The schedule and the command pass SYSTEM (every job); the job's page,
    the person viewing it. The state is written like the job's progress (no change-log
    row)."""
    now = now or timezone.now()
    limit = dt.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    rows = (jobs if jobs is not None else ImportJob.all_objects.all()).restrict(actor, "view")
    stalled = []
    for job in rows.filter(state__in=RUNNING):
        try:
            seen = dt.datetime.fromtimestamp(
                ImportJob.progress_path(job.pk).stat().st_mtime, tz=dt.UTC
            )
        except OSError:
            seen = job.updated_at
        if now - max(seen, job.updated_at) > limit:
            stalled.append(job.pk)
    if stalled:
        ImportJob.all_objects.filter(pk__in=stalled, state__in=RUNNING).update(
            state=ImportJob.State.FAILED,
            errors=[
                {
                    "row": "",
                    "column": "",
                    "value": "",
                    "message": _("导入中断：后台处理已停止（超过 %d 分钟没有进展），请重新上传。")
                    % settings.IMPORT_STALE_MINUTES,
                }
            ],
        )
        for pk in stalled:
            ImportJob.progress_path(pk).unlink(missing_ok=True)
        log.warning("marked %d stalled import job(s) failed", len(stalled))
    return len(stalled)


def _cell(value):
    if value is None:
        return ""
    return str(value)
