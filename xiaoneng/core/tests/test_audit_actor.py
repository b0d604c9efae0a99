"""The change log names the actor the write was given: the same argument as the policy's."""

from xiaoneng.core import audit
from xiaoneng.core.audit import MissingActor, history_for
from xiaoneng.core.context import operation
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level, PartyBranch, Unit


def test_a_save_create_delete_and_restore_name_their_actor(county_a, admin_a, handler_a):
    branch = PartyBranch.objects.create(unit=county_a, name="第一支部", actor=admin_a)
    branch.name = "第二支部"
    with operation():
        branch.save(actor=admin_a)
    branch.delete(actor=admin_a, comment="撤并")
    branch.restore(actor=SYSTEM)
    entries = list(history_for(branch).order_by("time", "id"))
    assert [(e.action, e.user, e.user_name) for e in entries] == [
        ("create", admin_a, admin_a.name or admin_a.username),
        ("update", admin_a, admin_a.name or admin_a.username),
        ("delete", admin_a, admin_a.name or admin_a.username),
        ("restore", None, "系统"),
    ]
    assert entries[2].comment == "撤并"


def test_set_based_writes_name_their_actor(county_a, admin_a):
    unit = Unit.objects.create(
        code="530112099", name="测试街道", level=Level.TOWNSHIP, parent=county_a, actor=SYSTEM
    )
    audit.log_rows(Unit, [(unit.pk, str(unit), None, {"name": unit.name})], "import", actor=admin_a)
    audit.log(unit, "publish", actor=admin_a, after={"published": True})
    entries = list(history_for(unit).order_by("time", "id"))
    assert [(e.action, e.user) for e in entries] == [
        ("create", None),
        ("import", admin_a),
        ("publish", admin_a),
    ]


def test_a_write_without_an_actor_is_refused_and_writes_nothing(county_a):
    import pytest
    from django.db import transaction

    with pytest.raises(MissingActor), transaction.atomic():
        PartyBranch.objects.create(unit=county_a, name="无名支部")
    assert not PartyBranch.all_objects.filter(name="无名支部").exists()


def test_the_rows_of_one_operation_share_a_request_id(county_a):
    with operation():
        a = PartyBranch.objects.create(unit=county_a, name="甲", actor=SYSTEM)
        b = PartyBranch.objects.create(unit=county_a, name="乙", actor=SYSTEM)
    c = PartyBranch.objects.create(unit=county_a, name="丙", actor=SYSTEM)
    ids = [history_for(row).get().request_id for row in (a, b, c)]
    assert ids[0] == ids[1] != ids[2]
