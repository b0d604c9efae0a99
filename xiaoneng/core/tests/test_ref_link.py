"""A stored reference ("projects.project:15") is shown as the row's name, linked, to those who
may see the row, and not at all otherwise (issue 12 item 9)."""

import pytest

from xiaoneng.core.templatetags.core_tags import resolve_ref


def test_it_names_and_links_a_row_the_user_may_see(province_supervisor, handler_a, handler_b):
    assert resolve_ref(province_supervisor, f"accounts.user:{handler_a.pk}") == (
        "周承办",
        f"/accounts/users/{handler_a.pk}/",
    )
    assert resolve_ref(handler_a, f"units.unit:{handler_a.unit_id}") == (
        "西山区",
        f"/units/{handler_a.unit_id}/",
    )


@pytest.mark.parametrize(
    "ref",
    ["demo:15", "demo:provisional", "", "projects.project:", "projects.project:abc",
     "projects.project:0", "projects.project:99999999999999999999999", "nowhere.model:1",
     "units.unit:987654", "a:b:c"],
)  # fmt: skip
def test_anything_else_shows_nothing(handler_a, ref):
    assert resolve_ref(handler_a, ref) is None


def test_a_row_out_of_sight_shows_nothing(handler_a, handler_b):
    assert resolve_ref(handler_b, f"units.unit:{handler_a.unit_id}") is None


def test_the_item_page_shows_the_project_by_name(client_for, province_supervisor, county_a):
    import datetime as dt

    from django.utils import timezone

    from xiaoneng.supervision import services

    item = services.assign_item(
        actor=province_supervisor, kind="problem", title="引用测试", lead_unit=county_a,
        deadline=timezone.localdate() + dt.timedelta(days=20), ref=f"units.unit:{county_a.pk}",
    )  # fmt: skip
    demo = services.assign_item(
        actor=province_supervisor, kind="problem", title="演示数据", lead_unit=county_a,
        deadline=timezone.localdate() + dt.timedelta(days=20), ref="demo:7",
    )  # fmt: skip
    client = client_for(province_supervisor)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert f'<a href="/units/{county_a.pk}/">西山区</a>' in page and "units.unit:" not in page
    page = client.get(f"/supervision/{demo.pk}/").content.decode()
    assert "demo:7" not in page and "关联对象" not in page
