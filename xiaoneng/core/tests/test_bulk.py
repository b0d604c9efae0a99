"""Set-based writes (core.bulk) and their change-log rows (audit.log_rows, audit.log_bulk):
the rows in the change log are the ones a save of the same object records."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from xiaoneng.core import audit, bulk
from xiaoneng.core.context import acting_as
from xiaoneng.core.models import ChangeLog
from xiaoneng.projects.models import Batch, ImportJob, Industry, Project
from xiaoneng.units.models import Unit

COMPARED = ("user", "user_name", "content_type", "object_id", "object_repr", "before", "after",
            "comment")  # fmt: skip


@pytest.fixture
def project(county_a):
    return Project.objects.create(
        code="B-1",
        name="测试项目",
        batch=Batch.objects.create(code="2022Q2"),
        prefecture=county_a.parent,
        county=county_a,
        industry=Industry.objects.get(name="交通"),
        total_investment=Decimal("12345.60"),
        annual_plan=Decimal("100.05"),
        planned_start=dt.date(2022, 3, 1),
        actual_start=dt.date(2022, 3, 15),
    )


def _stored(obj) -> dict:
    """{attname: value} as loaded from the database (what `.values()` returns)."""
    model = type(obj)
    return model.all_objects.filter(pk=obj.pk).values(
        *[f.attname for f in model._meta.concrete_fields]
    )[0]


def test_it_encodes_snapshots_exactly_as_a_save_records_them(project, province_supervisor):
    job = ImportJob(batch=project.batch, created_by=province_supervisor, file_name="a.xlsx")
    job.file.save("a.xlsx", ContentFile(b"x"), save=False)
    job.errors = [{"row": 2, "value": "火星区"}]
    job.save()
    province_supervisor.set_password("Secret@2026")
    province_supervisor.save()
    for obj in (project, project.county, province_supervisor, job):
        obj.refresh_from_db()
        encode = audit.snapshot_encoder(type(obj))
        expected = json.dumps(audit.snapshot(obj))
        assert encode(_stored(obj)) == expected, type(obj).__name__
        values = {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}
        assert encode(values) == expected, type(obj).__name__
    # The password is a fingerprint, never the hash itself.
    snap = json.loads(
        audit.snapshot_encoder(type(province_supervisor))(_stored(province_supervisor))
    )
    assert snap["password"].startswith(audit.REDACTED)
    assert province_supervisor.password not in snap["password"]


def _reference_row(obj, action, comment, before=None) -> ChangeLog:
    """What the change log held before the fast path: a ChangeLog instance per object."""
    return ChangeLog(
        action=action,
        content_type=audit.ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before=before,
        after=audit.snapshot(obj),
        comment=comment,
        **audit._actor_fields(),
    )


def test_log_bulk_writes_the_rows_a_save_would(project, county_a, province_supervisor):
    with acting_as(province_supervisor):
        before = audit.snapshot(project)
        project.name = "改名"
        count = audit.log_bulk(
            [project, county_a], "import", befores={project.pk: before}, comment="x.xlsx"
        )
    assert count == 2
    for obj, old in ((project, before), (county_a, None)):
        row = ChangeLog.objects.filter(object_id=obj.pk, action="import").get(
            content_type=audit.ContentType.objects.get_for_model(obj)
        )
        with acting_as(province_supervisor):
            ref = _reference_row(obj, "import", "x.xlsx", old)
        for name in COMPARED:
            assert getattr(row, name) == getattr(ref, name), name
        assert row.time is not None and row.request_id is not None
    assert row.before is None


def test_set_based_rows_and_their_log_match_a_save(county_a, province_supervisor):
    industry = Industry.objects.get(name="交通")
    batch = Batch.objects.create(code="2022Q3")
    ct = audit.ContentType.objects.get_for_model(Project)
    _now, now = bulk.now_param()
    columns = ["code", "name", "batch_id", "prefecture_id", "county_id", "industry_id",
               "total_investment", "annual_plan", "planned_start", "in_stats", "owner",
               "leader_in_charge", "private_investment", "top_priority", "status",
               "completed_ytd", "created_at", "updated_at"]  # fmt: skip
    rows = [
        (f"C-{i}", f"项目{i}", batch.pk, county_a.parent_id, county_a.pk, industry.pk,
         Decimal("1000.10") * i, Decimal("10.00"), dt.date(2022, i, 1), False, "业主", "张三",
         False, i == 2, "not_started", Decimal("0.00"), now, now)
        for i in (1, 2, 3)
    ]  # fmt: skip
    with acting_as(province_supervisor), transaction.atomic():
        ids = bulk.insert_rows(Project, columns, rows, return_ids=True)
        values = [
            dict(zip(columns, row, strict=True), id=pk) for row, pk in zip(rows, ids, strict=True)
        ]
        audit.log_rows(Project, ((v["id"], v["code"], None, v) for v in values), "import")
    assert [Project.objects.get(pk=pk).code for pk in ids] == ["C-1", "C-2", "C-3"]
    for pk in ids:
        project = Project.objects.get(pk=pk)
        row = ChangeLog.objects.get(object_id=pk, action="import", content_type=ct)
        assert row.after == {k: v for k, v in audit.snapshot(project).items() if k in row.after}
        assert row.before is None and row.user == province_supervisor

    # An update of some columns, logged with its before values.
    old = Project.all_objects.filter(pk=ids[0]).values()[0]
    with acting_as(province_supervisor), transaction.atomic():
        bulk.update_rows(Project, ["name", "annual_plan"], [("新名", Decimal("20.00"), ids[0])])
        new = {**old, "name": "新名", "annual_plan": Decimal("20.00")}
        audit.log_rows(Project, [(ids[0], "C-1 新名", old, new)], "update")
    row = ChangeLog.objects.get(object_id=ids[0], action="update", content_type=ct)
    assert row.after == audit.snapshot(Project.objects.get(pk=ids[0]))
    assert [name for name, _o, _n in row.changed_fields()] == ["annual_plan", "name"]
    assert bulk.ids_by(Project, "code", ["C-2", "C-9"]) == {"C-2": ids[1]}


@pytest.mark.django_db(transaction=True)
def test_new_ids_need_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        bulk.insert_rows(Unit, ["code"], [("1",)], return_ids=True)


def test_log_inserted_builds_the_snapshot_a_save_records(
    project, county_a, province_supervisor, monkeypatch
):
    """The database's JSON of each field type equals the snapshot Python records: decimals
    with their trailing zeros, dates, booleans, nulls, and a datetime with and without a
    fraction of a second."""
    from xiaoneng.core import audit_sql

    monkeypatch.setattr(bulk, "CHUNK", 1)  # one statement per id: the chunks add up

    second = Project.objects.create(
        code="B-2",
        name="第二个" * 66,  # the repr is cut at 200 characters, as str(obj)[:200]
        batch=project.batch,
        prefecture=county_a.parent,
        county=None,
        industry=project.industry,
        total_investment=Decimal("100"),
        in_stats=True,
        top_priority=True,
    )
    Project.all_objects.filter(pk=second.pk).update(
        deleted_at=dt.datetime(2022, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    )
    Project.all_objects.filter(pk=project.pk).update(
        deleted_at=dt.datetime(2022, 3, 1, 8, 30, 15, tzinfo=dt.UTC)
    )
    ct = audit.ContentType.objects.get_for_model(Project)
    with acting_as(province_supervisor), transaction.atomic():
        count = audit_sql.log_inserted(
            Project, [project.pk, second.pk], "import", repr_columns=("code", "name"),
            comment="x.xlsx",
        )  # fmt: skip
    assert count == 2
    for obj in (project, second):
        obj = Project.all_objects.get(pk=obj.pk)
        row = ChangeLog.objects.get(object_id=obj.pk, action="import", content_type=ct)
        with acting_as(province_supervisor):
            ref = _reference_row(obj, "import", "x.xlsx")
        for name in COMPARED:
            assert getattr(row, name) == getattr(ref, name), name
        assert row.time is not None and row.request_id is not None


def test_log_inserted_refuses_fields_it_cannot_render(province_supervisor):
    from xiaoneng.core import audit_sql

    with pytest.raises(TypeError, match="password"):
        audit_sql.snapshot_sql(type(province_supervisor))
    with pytest.raises(TypeError, match=r"ImportJob\.file has no SQL snapshot"):
        audit_sql.snapshot_sql(ImportJob)
