"""The edit page (修改事项) and the API's PATCH: services.update_item behind both."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoneng.core.tests.stale import assert_stale, form_version
from xiaoneng.core.versioning import version_of
from xiaoneng.supervision import services
from xiaoneng.supervision.ledgers import ITEMS
from xiaoneng.supervision.models import Item, ItemEvent

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def url(item) -> str:
    return reverse("supervision:item_edit", args=[item.pk])


def posted(response) -> dict:
    """The form as the page shows it, ready to be sent back."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if isinstance(value, list):
            data[field.name] = [str(v) for v in value]
        else:
            data[field.name] = "" if value is None else str(value)
    return data


@pytest.fixture
def item(make_item, handler_a):
    return make_item(title="农贸市场占道经营", deadline=days(30), responsible=handler_a)


def test_it_shows_the_ledgers_columns_with_the_item_as_it_is(client_for, province_supervisor, item):
    response = client_for(province_supervisor).get(url(item))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == [*ITEMS.updatable(), "version"]
    labels = {name: str(form.fields[name].label) for name in ITEMS.updatable()}
    assert labels == {c.key: str(c.label or c.header) for c in ITEMS if c.key in labels}
    assert labels["deadline_workdays"] == "时限（工作日）"
    assert (
        form["responsible"].value() == "xs_cb"
        and form["deadline"].value() == item.deadline.isoformat()
    )
    page = response.content.decode()
    assert "现为 周承办（xs_cb）" in page and 'name="version"' in page


def test_it_saves_a_new_deadline(client_for, province_supervisor, item):
    client = client_for(province_supervisor)
    data = posted(client.get(url(item)))
    data["deadline"] = days(45).isoformat()
    response = client.post(url(item), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("supervision:item_detail", args=[item.pk])
    assert "已保存修改。" in response.content.decode()
    assert Item.objects.get(pk=item.pk).deadline == days(45)
    assert ItemEvent.objects.filter(item=item, action="change").count() == 1
    # Sent again unchanged: nothing to write.
    data = posted(client.get(url(item)))
    response = client.post(url(item), data, follow=True)
    assert "未作修改。" in response.content.decode()
    assert ItemEvent.objects.filter(item=item, action="change").count() == 1


def test_it_counts_workdays_and_reads_dates_as_the_ledger_does(
    client_for, province_supervisor, item
):
    client = client_for(province_supervisor)
    data = posted(client.get(url(item)))
    data.update(
        deadline_workdays="10",
        assigned_on=f"{timezone.localdate().year}年{timezone.localdate().month}月{timezone.localdate().day}日",
    )
    assert client.post(url(item), data).status_code == 302
    item.refresh_from_db()
    assert (item.deadline_basis, item.deadline_count) == ("workdays", 10)


def test_moving_the_lead_unit_drops_the_responsible_person_left_behind(
    client_for, province_supervisor, item, county_b
):
    client = client_for(province_supervisor)
    data = posted(client.get(url(item)))
    data["lead_unit"] = str(county_b.pk)  # 责任人 still reads xs_cb, of 西山区
    assert client.post(url(item), data).status_code == 302
    item.refresh_from_db()
    assert (item.lead_unit, item.responsible) == (county_b, None)


def test_bad_input_comes_back_with_the_reasons_in_chinese(client_for, province_supervisor, item):
    client = client_for(province_supervisor)
    data = posted(client.get(url(item)))
    data.update(
        title="",
        deadline="2026年13月45日",
        deadline_workdays="十天",
        responsible="nobody",
        lead_unit="abc",
        co_units=["999999999"],
        kind="任务",
        version="x",
    )
    response = client.post(url(item), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {
        "title",
        "deadline",
        "deadline_workdays",
        "lead_unit",
        "co_units",
        "kind",
    }
    assert "应为 1 至 3650 之间的整数" in errors["deadline_workdays"][0]
    assert "未能保存" in response.content.decode()
    assert Item.objects.get(pk=item.pk).title == "农贸市场占道经营"

    data = posted(client.get(url(item)))
    data.update(responsible="nobody", deadline=days(-400).isoformat())
    response = client.post(url(item), data)
    errors = response.context["form"].errors
    assert errors["responsible"] == ["西山区没有用户名或姓名为“nobody”的人员。"]
    data.update(responsible="", deadline=(item.assigned_on - dt.timedelta(days=1)).isoformat())
    response = client.post(url(item), data)
    assert response.context["form"].errors["deadline"] == [
        f"办理时限不能早于交办日期（{item.assigned_on.isoformat()}）。"
    ]


def test_an_edit_overtaken_by_another_comes_back_with_what_changed(
    client_for, province_supervisor, item
):
    client = client_for(province_supervisor)
    page = client.get(url(item))
    version = form_version(page)
    services.update_item(
        Item.objects.get(pk=item.pk), actor=province_supervisor, version=None, title="他人改的标题"
    )
    data = {**posted(page), "version": version, "tags": "营商环境"}
    response = client.post(url(item), data)
    assert_stale(response, who="王效能", field="标题", typed="营商环境")
    data["version"] = form_version(response)
    data["title"] = "他人改的标题"
    assert client.post(url(item), data).status_code == 302
    assert Item.objects.get(pk=item.pk).tags == "营商环境"


def test_who_may_open_the_page(client_for, handler_a, handler_b, county_supervisor, item):
    # The outsider cannot see it: 404. The lead unit's handler and the county's supervisor
    # see it but did not assign it: 403, and no button on the item's page.
    for person, status in ((handler_b, 404), (handler_a, 403), (county_supervisor, 403)):
        client = client_for(person)
        assert client.get(url(item)).status_code == status
        assert client.post(url(item), {"title": "越权"}).status_code == status
    assert Item.objects.get(pk=item.pk).title == "农贸市场占道经营"
    detail = client_for(handler_a).get(reverse("supervision:item_detail", args=[item.pk]))
    assert url(item) not in detail.content.decode()


def test_the_item_page_offers_the_edit_button_while_it_may_change(
    client_for, province_supervisor, handler_a, item
):
    client = client_for(province_supervisor)
    detail = reverse("supervision:item_detail", args=[item.pk])
    assert f'href="{url(item)}"' in client.get(detail).content.decode()
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=90, comment="基本完成")
    services.request_closure(item, actor=handler_a, evidence="材料")
    assert f'href="{url(item)}"' not in client.get(detail).content.decode()
    page = client.get(url(item)).content.decode()
    assert "正在审核，不能修改" in page and 'name="title"' not in page
    assert client.post(url(item), {"title": "改"}).status_code == 200
    assert Item.objects.get(pk=item.pk).title == "农贸市场占道经营"


# --- the API -------------------------------------------------------------------------------


def test_the_api_patches_an_item_with_its_version(province_supervisor, handler_a, item):
    api = APIClient()
    api.force_authenticate(province_supervisor)
    version = api.get(f"/api/items/{item.pk}/").json()["version"]
    response = api.patch(
        f"/api/items/{item.pk}/", {"deadline": days(50).isoformat(), "version": version}
    )
    assert response.status_code == 200 and response.json()["deadline"] == days(50).isoformat()
    event = ItemEvent.objects.get(item=item, action="change")
    assert event.comment == f"办理时限：{days(30).isoformat()} → {days(50).isoformat()}"

    stale = api.patch(f"/api/items/{item.pk}/", {"title": "旧版本", "version": version})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert api.patch(f"/api/items/{item.pk}/", {"title": "无版本"}).status_code == 400
    fresh = version_of(Item.objects.get(pk=item.pk))
    refused = api.patch(
        f"/api/items/{item.pk}/",
        {"deadline": (item.assigned_on - dt.timedelta(days=1)).isoformat(), "version": fresh},
    )
    assert refused.status_code == 400 and "办理时限不能早于交办日期" in str(refused.json())

    # Looked up among the items the caller may change, as the API's other writes: 404.
    api.force_authenticate(handler_a)
    assert (
        api.patch(f"/api/items/{item.pk}/", {"title": "越权", "version": fresh}).status_code == 404
    )
    assert Item.objects.get(pk=item.pk).title == "农贸市场占道经营"
