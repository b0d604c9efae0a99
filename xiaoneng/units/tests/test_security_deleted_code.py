"""A deleted unit keeps its code: a new unit that takes it is refused with the reason,
in the web form and in the service, never an IntegrityError (issue 10, requirement 8)."""

import pytest
from django.core.exceptions import ValidationError

from xiaoneng.units import services
from xiaoneng.units.models import Kind, Level, Unit


def street(parent, **extra):
    return {
        "code": "530112010",
        "name": "团结街道",
        "short_name": "",
        "level": "township",
        "kind": "street",
        "parent": parent.pk,
        "sort": 0,
        **extra,
    }


@pytest.fixture
def deleted_street(admin_a, county_a):
    unit = services.create_unit(
        actor=admin_a,
        code="530112010",
        name="团结街道",
        level=Level.TOWNSHIP,
        kind=Kind.STREET,
        parent=county_a,
    )
    services.delete_unit(unit, actor=admin_a)
    return unit


def test_it_refuses_a_deleted_units_code_in_the_form(client_for, admin_a, county_a, deleted_street):
    response = client_for(admin_a).post("/units/new/", street(county_a, name="新街道"))
    assert response.status_code == 200
    assert "编码 530112010 属于已删除的单位“团结街道”，可在回收站恢复" in response.content.decode()
    assert not Unit.objects.filter(code="530112010").exists()


def test_it_refuses_a_deleted_units_code_in_the_service(admin_a, county_a, deleted_street):
    with pytest.raises(ValidationError) as refused:
        services.create_unit(
            actor=admin_a,
            code="530112010",
            name="新街道",
            level=Level.TOWNSHIP,
            kind=Kind.STREET,
            parent=county_a,
        )
    assert "已删除的单位“团结街道”" in refused.value.message_dict["code"][0]


def test_it_refuses_a_deleted_units_code_on_edit(admin_a, county_a, deleted_street):
    other = services.create_unit(
        actor=admin_a,
        code="530112011",
        name="碧鸡街道",
        level=Level.TOWNSHIP,
        kind=Kind.STREET,
        parent=county_a,
    )
    with pytest.raises(ValidationError) as refused:
        services.update_unit(other, actor=admin_a, code="530112010")
    assert "回收站" in refused.value.message_dict["code"][0]


def test_the_deleted_unit_can_still_be_restored(client_for, admin_a, deleted_street):
    response = client_for(admin_a).post(f"/trash/units.unit/{deleted_street.pk}/restore/")
    assert response.status_code == 302
    assert Unit.objects.filter(code="530112010").exists()
