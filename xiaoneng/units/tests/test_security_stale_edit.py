"""No silent overwrite of a unit: the edit form carries the version it was read at."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.audit import history_for
from xiaoneng.core.tests.stale import assert_stale, form_version
from xiaoneng.core.versioning import StaleEdit, check_version, version_of
from xiaoneng.units import services
from xiaoneng.units.models import Level, Unit


@pytest.fixture
def street(county_a):
    return make_unit("530112010", "团结街道", Level.TOWNSHIP, county_a)


def form(unit, **changes):
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "sort": unit.sort,
        **changes,
    }


def rename(unit, by, **changes):
    services.update_unit(Unit.objects.get(pk=unit.pk), actor=by, **changes)


def test_it_refuses_a_save_over_a_newer_version_and_keeps_what_was_typed(
    client_for, admin_a, province_supervisor, street
):
    client = client_for(admin_a)
    url = f"/units/{street.pk}/edit/"
    version = form_version(client.get(url))
    rename(street, province_supervisor, name="团结镇")

    typed = form(street, short_name="团结办", version=version)
    response = client.post(url, typed)
    assert_stale(response, who="王效能", field="名称", typed="团结办")
    assert "团结街道 → 团结镇" in response.content.decode()
    street.refresh_from_db()
    assert (street.name, street.short_name) == ("团结镇", "")

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    street.refresh_from_db()
    assert (street.name, street.short_name) == ("团结街道", "团结办")  # saved after review


def test_a_form_without_its_version_or_with_a_forged_one_is_refused_in_words(
    client_for, admin_a, street
):
    client = client_for(admin_a)
    url = f"/units/{street.pk}/edit/"
    response = client.post(url, form(street, short_name="团结办"))
    assert response.status_code == 200 and "表单缺少版本信息" in response.content.decode()
    response = client.post(url, form(street, short_name="团结办", version="9" * 40))
    assert response.status_code == 200 and "版本信息无效" in response.content.decode()
    street.refresh_from_db()
    assert street.short_name == ""


def test_only_the_changes_after_the_version_are_named(
    admin_a, province_supervisor, county_a, street
):
    other = make_user("xs_admin2", county_a, "unit_admin", name="钱管理")
    rename(street, province_supervisor, name="团结镇")
    read = version_of(Unit.objects.get(pk=street.pk))  # read after 王效能's change
    rename(street, other, short_name="团结")
    with pytest.raises(StaleEdit) as refused:
        check_version(Unit.objects.get(pk=street.pk), read)
    when = timezone.localtime(history_for(street).first().time)
    assert refused.value.messages == [
        f"已被他人修改：钱管理 于 {when:%m-%d %H:%M} 修改了 简称（空 → 团结）。请核对后重新保存。"
    ]
    assert refused.value.version == version_of(Unit.objects.get(pk=street.pk))
    check_version(Unit.objects.get(pk=street.pk), refused.value.version)  # now current


def test_a_forged_version_is_a_validation_error():
    with pytest.raises(ValidationError):
        check_version(Unit(updated_at=dt.datetime.now(dt.UTC)), "1e9")
