import pytest
from django.core.exceptions import PermissionDenied
from django.test.utils import isolate_apps

from xiaoneng.core.audit import history_for
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level, Unit
from xiaoneng.units.services import create_unit


def entries(obj):
    return list(history_for(obj).order_by("id"))


def test_it_records_create_update_delete_and_restore_with_the_actor(county_a, admin_a):
    unit = create_unit(
        actor=admin_a,
        code="530112001",
        name="碧鸡街道",
        level=Level.TOWNSHIP,
        kind="street",
        parent=county_a,
    )
    unit.short_name = "碧鸡"
    unit.save(actor=admin_a)
    unit.delete(actor=admin_a, comment="并入其他街道")
    unit.restore(actor=admin_a)
    log = entries(unit)
    assert [e.action for e in log] == ["create", "update", "delete", "restore"]
    assert {e.user_id for e in log} == {admin_a.pk}
    assert {e.user_name for e in log} == {"孙管理"}
    create, update, delete, restore = log
    assert create.before is None and create.after["name"] == "碧鸡街道"
    assert create.after["path"].endswith(f"{unit.pk}/")
    # The short name's pinyin initials, derived for the unit pickers, change with it.
    assert update.changed_fields() == [("short_initials", "", "bj"), ("short_name", "", "碧鸡")]
    assert [label for label, _old, _new in update.display_changes()] == ["简称"]
    assert delete.comment == "并入其他街道" and delete.after["deleted_at"] is not None
    assert restore.after["deleted_at"] is None


def test_a_save_without_changes_writes_no_row(county_a):
    before = ChangeLog.objects.count()
    Unit.objects.get(pk=county_a.pk).save(actor=SYSTEM)
    assert ChangeLog.objects.count() == before


def test_nothing_is_hard_deleted(county_a, county_b):
    Unit.objects.filter(pk__in=[county_a.pk, county_b.pk]).delete(actor=SYSTEM)
    assert not Unit.objects.filter(pk=county_a.pk).exists()
    assert Unit.all_objects.filter(pk=county_a.pk, deleted_at__isnull=False).exists()
    assert history_for(county_b).filter(action="delete").exists()


def test_the_log_is_read_only(county_a):
    entry = history_for(county_a).first()
    entry.comment = "改写历史"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


def test_web_changes_carry_the_user_and_request_id(client_for, admin_a, county_a):
    response = client_for(admin_a).post(
        "/units/new/",
        {
            "code": "530112002",
            "name": "金碧街道",
            "short_name": "",
            "level": "township",
            "kind": "street",
            "parent": county_a.pk,
            "sort": 0,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="530112002")
    entry = history_for(unit).get(action="create")
    assert entry.user == admin_a
    assert str(entry.request_id) == response["X-Request-ID"]


def test_the_object_page_shows_its_history(client_for, admin_a, county_a):
    county_a.short_name = "西山"
    county_a.save(actor=SYSTEM)
    page = client_for(admin_a).get(f"/units/{county_a.pk}/")
    assert "变更记录" in page.content.decode()
    html = page.content.decode()
    assert "修改" in html and "简称：— → 西山" in html


def test_passwords_never_reach_the_log(handler_a):
    handler_a.set_password("Another-pass-2026")
    handler_a.save(actor=handler_a)
    entry = history_for(handler_a).filter(action="update").order_by("id").last()
    assert entry.before["password"].startswith("••••••")
    assert entry.after["password"].startswith("••••••")
    assert entry.before["password"] != entry.after["password"]  # the change itself is on record
    assert "argon2" not in str(entry.before) + str(entry.after)


@isolate_apps("xiaoneng.core")
def test_file_fields_are_recorded_by_name():
    from django.db import models

    from xiaoneng.core.audit import snapshot

    class Upload(models.Model):  # noqa: DJ008
        file = models.FileField(upload_to="x")

    upload = Upload()
    upload.file.name = "x/report.pdf"
    assert snapshot(upload)["file"] == "x/report.pdf"
    assert snapshot(Upload())["file"] is None


@isolate_apps("xiaoneng.core")
def test_in_place_edits_of_json_fields_count_as_changes():
    from django.db import models

    from xiaoneng.core.audit import _before, snapshot
    from xiaoneng.core.models import BaseModel

    class Tagged(BaseModel):
        tags = models.JSONField(default=list)

    names = [f.attname for f in Tagged._meta.concrete_fields]
    row = Tagged.from_db("default", names, [7, None, None, None, ["急"]])
    row.tags.append("重点")
    assert _before(row)["tags"] == ["急"]
    assert snapshot(row)["tags"] == ["急", "重点"]


def test_a_list_page_loads_rows_without_building_snapshots(county_a, monkeypatch):
    import xiaoneng.core.audit as audit_module

    calls = []
    monkeypatch.setattr(audit_module, "snapshot_values", lambda *a: calls.append(a) or {})
    list(Unit.objects.all())
    assert calls == []


def test_rows_loaded_with_only_are_audited_without_extra_queries(
    county_a, django_assert_num_queries
):
    with django_assert_num_queries(1):
        unit = Unit.objects.only("name").get(pk=county_a.pk)
    unit.name = "西山"
    unit.save(actor=SYSTEM)
    entry = history_for(county_a).filter(action="update").get()
    assert entry.changed_fields() == [("name", "西山区", "西山")]


def test_the_history_reads_as_people_talk(province_supervisor, county_a, handler_a, client_for):
    """Field names in Chinese, choices by label, flags as 是/否, related rows by name, the
    model's own actions named, its bookkeeping hidden — no raw ids or codes."""
    import datetime as dt

    from xiaoneng.supervision import services

    item = services.assign_item(
        actor=province_supervisor,
        kind="task",
        title="落实营商环境整改",
        lead_unit=county_a,
        responsible=handler_a,
        deadline=dt.date.today() + dt.timedelta(days=30),
    )
    services.acknowledge(item, actor=handler_a)
    entries = list(history_for(item))
    acknowledged = next(e for e in entries if e.action == "acknowledge")
    assert acknowledged.action_label() == "签收"
    assert ("状态", "已交办", "已签收") in acknowledged.display_changes()
    created = next(e for e in entries if e.action == "create").display_changes()
    assert ("牵头单位", None, "西山区") in created
    assert ("责任人", None, str(handler_a)) in created
    assert ("时限暂按周末计算", None, "否") in created
    assert not any(name.startswith("灯色") for name, _old, _new in created)
    page = client_for(province_supervisor).get(f"/supervision/{item.pk}/").content.decode()
    assert "状态：已交办 → 已签收" in page and "acknowledge" not in page


def test_a_page_of_history_names_its_related_rows_in_one_query(
    county_a, county_b, django_assert_num_queries
):
    from xiaoneng.conftest import make_unit
    from xiaoneng.core.templatetags.core_tags import readable_history

    for number, name in enumerate(("碧鸡街道", "马街街道", "金碧街道"), start=1):
        unit = make_unit(f"53011200{number}", name, Level.TOWNSHIP, county_a)
        unit.parent = county_b
        unit.save(actor=SYSTEM)
    entries = list(
        ChangeLog.objects.filter(content_type__model="unit").select_related("content_type")
    )
    with django_assert_num_queries(1):
        rows = readable_history(entries)
    moves = [changes for entry, changes in rows if entry.action == "update"]
    assert len(moves) == 3 and all(("上级单位", "西山区", "五华区") in m for m in moves)


@pytest.mark.django_db
def test_a_projects_history_names_its_batch_and_hides_report_bookkeeping():
    from decimal import Decimal

    from xiaoneng.projects.models import Batch, Industry, Project
    from xiaoneng.units.models import Unit

    prefecture = Unit.objects.create(
        code="530100", name="昆明市", level=Level.PREFECTURE, actor=SYSTEM
    )
    batch = Batch.objects.create(code="2022Q2", actor=SYSTEM)
    industry = Industry.objects.filter(name="交通").first() or Industry.objects.create(
        name="交通", actor=SYSTEM
    )
    project = Project.objects.create(
        code="P1", name="测试项目", batch=batch, prefecture=prefecture,
        industry=industry, total_investment=Decimal("100"), actor=SYSTEM,
    )  # fmt: skip
    project.last_report_month = 24320
    project.in_stats = True
    project.save(actor=SYSTEM)
    update = next(e for e in history_for(project) if e.action == "update")
    assert update.display_changes() == [("是否入库", "否", "是")]
    created = next(e for e in history_for(project) if e.action == "create").display_changes()
    assert ("开工批次", None, str(batch)) in created
