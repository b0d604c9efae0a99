"""Error pages speak Chinese and say why, and a 500 page renders without a request context."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_not_found_page_is_ours(client_for, handler_a):
    r = client_for(handler_a).get("/no-such-page/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "找不到该页面" in page and "Not Found" not in page


def test_the_forbidden_page_gives_the_reason(client_for, county_a):
    from xiaoneng.conftest import make_user

    admin = make_user("xs_admin", county_a, "unit_admin")
    r = client_for(admin).post(reverse("supervision:holiday_list"), {"year": 2027, "text": "x"})
    assert r.status_code == 403
    page = r.content.decode()
    assert "没有权限" in page and "403 Forbidden" not in page


def test_the_server_error_page_renders_on_its_own():
    assert "服务器出错" in render_to_string("500.html")
