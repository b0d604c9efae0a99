"""The people list and its export filter with one UserFilterSet."""

import io

import openpyxl
import pytest
from django.urls import reverse

from xiaoneng.conftest import make_user

pytestmark = pytest.mark.django_db


def page_usernames(client, query: dict) -> list[str]:
    response = client.get(reverse("accounts:user_list"), query)
    assert response.status_code == 200
    return [person.username for person in response.context["page"]]


def export_usernames(client, query: dict) -> list[str]:
    response = client.get(reverse("accounts:user_export"), query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_page_and_the_export_give_the_same_rows(
    client_for, province_supervisor, county_a, county_b, admin_a, handler_a, handler_b
):
    make_user("xs_xn", county_a, "supervisor", name="西山效能办")
    client = client_for(province_supervisor)
    for query in [{}, {"q": "cb"}, {"q": " 西山 "}, {"q": "周"}, {"q": "五华区"}, {"q": "无此人"}]:
        assert page_usernames(client, query) == export_usernames(client, query), query
    assert page_usernames(client, {"q": "西山"}) == ["xs_admin", "xs_cb", "xs_xn"]


def test_an_invalid_filter_is_named_and_not_exported(client_for, admin_a, handler_a):
    client = client_for(admin_a)
    response = client.get(reverse("accounts:user_list"), {"q": "a\x00b"})
    assert response.status_code == 200
    assert "筛选条件“用户名、姓名或单位”无效" in response.content.decode()
    assert [p.username for p in response.context["page"]] == ["xs_admin", "xs_cb"]
    response = client.get(reverse("accounts:user_export"), {"q": "a\x00b"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:user_list") + "?q=a%00b")
