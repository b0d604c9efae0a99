"""Background work: the web import of a ledger, with a progress row the page polls."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_tasks import task

from xiaoneng.core.context import acting_as
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects.models import ImportJob

STATE_OF_STAGE = {
    "reading": ImportJob.State.READING,
    "checking": ImportJob.State.CHECKING,
    "writing": ImportJob.State.WRITING,
    "done": ImportJob.State.WRITING,
    "failed": ImportJob.State.CHECKING,
}


def _progress(job_id: int):
    def report(stage: str, done: int, total: int) -> None:
        # Rows written inside the import's transaction are invisible to the page until
        # commit, so the writing stage reports once, when it starts.
        if transaction.get_connection().in_atomic_block:
            return
        ImportJob.objects.filter(pk=job_id).update(
            state=STATE_OF_STAGE.get(stage, ImportJob.State.CHECKING), done=done, total=total
        )

    return report


@task()
def run_project_import(job_id: int) -> dict:
    from xiaoneng.projects import services

    job = ImportJob.objects.select_related("created_by", "batch").get(pk=job_id)
    with acting_as(job.created_by):
        try:
            with job.file.open("rb") as handle:
                result = services.import_projects(
                    handle.read(),
                    batch=job.batch,
                    actor=job.created_by,
                    file_label=job.file_name,
                    progress=_progress(job_id),
                )
        except ImportFailed as exc:
            errors = [
                {"row": e.row, "column": e.column, "value": _cell(e.value), "message": e.message}
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
        state=ImportJob.State.DONE,
        done=job.total or result.created + result.updated + result.unchanged,
        result=result.as_dict(),
        warnings=result.warnings,
    )
    return result.as_dict()


def _cell(value):
    if value is None:
        return ""
    return str(value)
