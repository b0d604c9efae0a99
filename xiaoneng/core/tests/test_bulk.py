"""Set-based writes (core.bulk) and their change-log rows (audit.log_rows, audit.log_bulk):
the rows in the change log are the ones a save of the same object records."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, ImportJob, Industry, Project
from xiaoneng.units.models import Unit

COMPARED = ("user", "user_name", "content_type", "object_id", "object_repr", "before", "after",
            "comment")  # fmt: skip


@pytest.fixture
def project(county_a):
    return Project.objects.create(
        code="B-1",
        name="测试项目",
        batch=Batch.objects.create(code="2022Q2", actor=SYSTEM),
        prefecture=county_a.parent,
        county=county_a,
        industry=Industry.objects.get(name="交通"),
        total_investment=Decimal("12345.60"),
        annual_plan=Decimal("100.05"),
        planned_start=dt.date(2022, 3, 1),
        actual_start=dt.date(2022, 3, 15),
        actor=SYSTEM,
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
    job.save(actor=SYSTEM)
    province_supervisor.set_password("Secret@2026")
    province_supervisor.save(actor=SYSTEM)
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


def _reference_row(obj, action, comment, before=None, *, actor) -> ChangeLog:
    """What the change log held before the fast path: a ChangeLog instance per object."""
    return ChangeLog(
        action=action,
        content_type=audit.ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before=before,
        after=audit.snapshot(obj),
        comment=comment,
        **audit._actor_fields(actor),
    )


def test_log_bulk_writes_the_rows_a_save_would(project, county_a, province_supervisor):
    before = audit.snapshot(project)
    project.name = "改名"
    count = audit.log_bulk(
        [project, county_a],
        "import",
        actor=province_supervisor,
        befores={project.pk: before},
        comment="x.xlsx",
    )
    assert count == 2
    for obj, old in ((project, before), (county_a, None)):
        row = ChangeLog.objects.filter(object_id=obj.pk, action="import").get(
            content_type=audit.ContentType.objects.get_for_model(obj)
        )
        ref = _reference_row(obj, "import", "x.xlsx", old, actor=province_supervisor)
        for name in COMPARED:
            assert getattr(row, name) == getattr(ref, name), name
        assert row.time is not None and row.request_id is not None
    assert row.before is None


def test_set_based_rows_and_their_log_match_a_save(county_a, province_supervisor):
    industry = Industry.objects.get(name="交通")
    batch = Batch.objects.create(code="2022Q3", actor=SYSTEM)
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
    with transaction.atomic():
        ids = bulk.insert_rows(Project, columns, rows, return_ids=True)
        values = [
            dict(zip(columns, row, strict=True), id=pk) for row, pk in zip(rows, ids, strict=True)
        ]
        entries = ((v["id"], v["code"], None, v) for v in values)
        audit.log_rows(Project, entries, "import", actor=province_supervisor)
    assert [Project.objects.get(pk=pk).code for pk in ids] == ["C-1", "C-2", "C-3"]
    for pk in ids:
        project = Project.objects.get(pk=pk)
        row = ChangeLog.objects.get(object_id=pk, action="import", content_type=ct)
        assert row.after == {k: v for k, v in audit.snapshot(project).items() if k in row.after}
        assert row.before is None and row.user == province_supervisor

    # An update of some columns, logged with its before values.
    old = Project.all_objects.filter(pk=ids[0]).values()[0]
    with transaction.atomic():
        bulk.update_rows(Project, ["name", "annual_plan"], [("新名", Decimal("20.00"), ids[0])])
        new = {**old, "name": "新名", "annual_plan": Decimal("20.00")}
        audit.log_rows(
            Project, [(ids[0], "C-1 新名", old, new)], "update", actor=province_supervisor
        )
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
        actor=SYSTEM,
    )
    Project.all_objects.filter(pk=second.pk).update(
        deleted_at=dt.datetime(2022, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    )
    Project.all_objects.filter(pk=project.pk).update(
        deleted_at=dt.datetime(2022, 3, 1, 8, 30, 15, tzinfo=dt.UTC)
    )
    ct = audit.ContentType.objects.get_for_model(Project)
    with transaction.atomic():
        count = audit_sql.log_inserted(
            Project, [project.pk, second.pk], "import", repr_columns=("code", "name"),
            actor=province_supervisor, comment="x.xlsx",
        )  # fmt: skip
    assert count == 2
    for obj in (project, second):
        obj = Project.all_objects.get(pk=obj.pk)
        row = ChangeLog.objects.get(object_id=obj.pk, action="import", content_type=ct)
        ref = _reference_row(obj, "import", "x.xlsx", actor=province_supervisor)
        for name in COMPARED:
            assert getattr(row, name) == getattr(ref, name), name
        assert row.time is not None and row.request_id is not None


def test_log_inserted_refuses_fields_it_cannot_render(province_supervisor):
    from xiaoneng.core import audit_sql

    with pytest.raises(TypeError, match="password"):
        audit_sql.snapshot_sql(type(province_supervisor))
    with pytest.raises(TypeError, match=r"ImportJob\.file has no SQL snapshot"):
        audit_sql.snapshot_sql(ImportJob)


def test_write_rows_inserts_updates_and_logs_as_saves_would(county_a, province_supervisor):
    """The write path of every import: new rows and changed rows, chunked, each chunk with
    its change-log rows (inserted rows logged by the database or from Python, alike)."""
    industry = Industry.objects.get(name="交通")
    batch = Batch.objects.create(code="2022Q3", actor=SYSTEM)
    ct = audit.ContentType.objects.get_for_model(Project)

    def row(i):
        return {
            "id": None, "deleted_at": None, "code": f"W-{i}", "name": f"项目{i}",
            "batch_id": batch.pk, "prefecture_id": county_a.parent_id, "county_id": county_a.pk,
            "industry_id": industry.pk, "total_investment": Decimal("1000.10") * i,
            "annual_plan": Decimal("10.00"), "planned_start": dt.date(2022, i, 1),
            "actual_start": None, "in_stats": False, "in_stats_on": None, "owner": "业主",
            "leader_in_charge": "张三", "private_investment": False, "top_priority": i == 2,
            "status": "not_started", "completed_ytd": Decimal("0.00"), "completed_year": None,
            "last_report_month": None,
        }  # fmt: skip

    assert set(row(1)) == set(bulk.audited_attnames(Project))
    done = []
    actor = province_supervisor  # named by the change log: the argument, not a context
    with transaction.atomic():
        by_sql = [row(1), row(2), row(3)]
        bulk.write_rows(
            Project, by_sql, [], action="import", actor=actor, comment="a.xlsx", describe=str,
            repr_columns=("code", "name"), chunk=2, progress=done.append,
        )  # fmt: skip
        by_python = [row(4)]
        bulk.write_rows(
            Project, by_python, [], action="import", actor=actor, comment="a.xlsx",
            describe=lambda v: f"{v['code']} {v['name']}",
        )  # fmt: skip
    assert done == [2, 1]
    for values in by_sql + by_python:
        project = Project.objects.get(pk=values["id"])
        assert project.code == values["code"] and project.created_at is not None
        log = ChangeLog.objects.get(object_id=project.pk, content_type=ct)
        ref = _reference_row(project, "import", "a.xlsx", actor=actor)
        for name in COMPARED:
            assert getattr(log, name) == getattr(ref, name), name

    # Updates write the columns asked for (and updated_at), logged with their before.
    attnames = bulk.audited_attnames(Project)
    old = Project.all_objects.filter(pk=by_sql[0]["id"]).values(*attnames)[0]
    new = {**old, "name": "新名", "annual_plan": Decimal("20.00"), "owner": "不写"}
    stamp = Project.objects.get(pk=old["id"]).updated_at
    with transaction.atomic():
        bulk.write_rows(
            Project, [], [(old, new)], action="import", actor=actor, comment="b.xlsx",
            describe=lambda v: f"{v['code']} {v['name']}", update_columns=["name", "annual_plan"],
            progress=done.append,
        )  # fmt: skip
    project = Project.objects.get(pk=old["id"])
    assert (project.name, project.annual_plan, project.owner) == ("新名", Decimal("20.00"), "业主")
    assert project.updated_at > stamp and done[-1] == 1
    log = ChangeLog.objects.get(object_id=project.pk, content_type=ct, comment="b.xlsx")
    assert (log.action, log.object_repr, log.user) == ("import", "W-1 新名", actor)
    assert log.before["name"] == "项目1" and log.after["name"] == "新名"
    assert log.after == audit.snapshot(project)  # what was written, not what was handed over


@pytest.mark.django_db(transaction=True)
def test_write_rows_needs_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        bulk.write_rows(Unit, [], [], action="import", actor=SYSTEM, describe=str)
