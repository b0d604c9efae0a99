"""Every refusal of the people and unit services comes back on the form, with the reason and
what was typed — never the 500 page (issue 12, item 1)."""

import re

import pytest
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.units.models import Level


@pytest.fixture
def admin_page(client_for, province_supervisor):
    """The province's 效能办: may grant the role it holds to the units below."""
    return client_for(province_supervisor)


def _new_person(county, **changes) -> dict:
    data = {
        "username": "zhang_san",
        "name": "张三",
        "unit": county.pk,
        "roles": ["supervisor"],
        "phone": "13800000000",
        "email": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _form_answer(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not a 500
    return response.content.decode()


def _errors(page: str) -> list[str]:
    return re.findall(
        r"<li>(.*?)</li>",
        "".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)),
    )


def test_the_form_as_sent_adds_the_person(admin_page, county_a):
    response = admin_page.post(reverse("accounts:user_create"), _new_person(county_a))
    assert response.status_code == 302  # (so each refusal below is that refusal alone)


def test_a_user_name_that_exists_is_refused_on_the_form(admin_page, county_a):
    make_user("zhang_san", county_a, "viewer")
    page = _form_answer(
        admin_page.post(reverse("accounts:user_create"), _new_person(county_a, name="张三丰"))
    )
    assert _errors(page) == ["用户名“zhang_san”已存在。"]
    assert 'value="张三丰"' in page  # what was typed stays


def test_an_unknown_role_is_refused_on_the_form(admin_page, county_a):
    page = _form_answer(
        admin_page.post(reverse("accounts:user_create"), _new_person(county_a, roles=["emperor"]))
    )
    assert _errors(page) == ["“emperor”不在可选范围内，请重新选择。"]
    assert 'value="zhang_san"' in page


def test_no_role_is_refused_on_the_form(admin_page, county_a):
    page = _form_answer(
        admin_page.post(reverse("accounts:user_create"), _new_person(county_a, roles=None))
    )
    assert _errors(page) == ["此项必填。"]
    assert 'value="zhang_san"' in page


def test_a_unit_code_that_exists_is_refused_on_the_unit_form(client_for, admin_a, county_a):
    page = _form_answer(
        client_for(admin_a).post(
            reverse("units:create"),
            {
                "code": county_a.code,
                "name": "重复的街道",
                "level": Level.TOWNSHIP,
                "kind": "street",
                "parent": county_a.pk,
                "sort": 0,
            },
        )
    )
    assert _errors(page) == ["已有相同单位编码的单位。"]
    assert 'value="重复的街道"' in page
