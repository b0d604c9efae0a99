"""The set-based ledger import writes the same change-log rows as a save (and log_bulk)."""

from xiaoneng.core import audit
from xiaoneng.core.models import ChangeLog
from xiaoneng.projects import services
from xiaoneng.projects.models import Project

from .conftest import HEADERS, ledger_row, xlsx


def test_it_logs_what_log_bulk_logs(batch, county_a, province_supervisor):
    services.import_projects(xlsx(HEADERS, [ledger_row("Q1", **{"实际开工时间": "2022-06-15"})]),
                             batch=batch, actor=province_supervisor, file_label="a.xlsx")  # fmt: skip
    project = Project.objects.get(code="Q1")
    ours = ChangeLog.objects.get(object_id=project.pk, action="import")
    audit.log_bulk([project], "import", actor=province_supervisor, comment="a.xlsx")
    theirs = ChangeLog.objects.filter(object_id=project.pk, action="import").order_by("id").last()
    for field in (
        "user",
        "user_name",
        "content_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "comment",
    ):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.after == audit.snapshot(project)
    assert ours.time is not None and ours.request_id is not None

    services.import_projects(xlsx(HEADERS, [ledger_row("Q1", name="新名")]), batch=batch,
                             actor=province_supervisor)  # fmt: skip
    project.refresh_from_db()
    update = ChangeLog.objects.filter(object_id=project.pk, action="import").order_by("id").last()
    assert update.before == ours.after
    assert update.after == audit.snapshot(project)
    assert [name for name, _o, _n in update.changed_fields()] == ["actual_start", "name", "status"]
