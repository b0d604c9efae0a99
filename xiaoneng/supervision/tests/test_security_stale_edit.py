"""No silent overwrite of an item: every action form on its page, and the API's
transitions and progress, carry the version the item was read at."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.conftest import make_user
from xiaoneng.core.tests.stale import assert_stale, form_version
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item


@pytest.fixture
def item(make_item, handler_a):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    return item


@pytest.fixture
def colleague(county_a):
    return make_user("xs_cb2", county_a, "handler", name="陈承办")


def progress_by(colleague, item, percent):
    services.report_progress(
        Item.objects.get(pk=item.pk), actor=colleague, percent=percent, comment="推进"
    )


def test_the_action_forms(client_for, handler_a, colleague, item):
    client = client_for(handler_a)
    version = form_version(client.get(reverse("supervision:item_detail", args=[item.pk])))
    progress_by(colleague, item, 40)

    url = reverse("supervision:item_action", args=[item.pk, "report_progress"])
    typed = {"percent": 60, "comment": "主体工程完成过半"}
    response = client.post(url, {**typed, "version": version})
    assert_stale(response, who="陈承办", field="进度(%)（0 → 40）", typed="主体工程完成过半")
    assert Item.objects.get(pk=item.pk).progress == 40

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).progress == 60


def test_the_api_answers_409_with_the_changes(handler_a, colleague, item):
    api = APIClient()
    api.force_authenticate(handler_a)
    version = api.get(f"/api/items/{item.pk}/").json()["version"]
    progress_by(colleague, item, 40)

    typed = {"percent": 60, "comment": "主体工程完成过半"}
    response = api.post(f"/api/items/{item.pk}/progress/", {**typed, "version": version})
    assert response.status_code == 409
    body = response.json()
    assert "已被他人修改：陈承办" in body["detail"] and "进度(%)（0 → 40）" in body["detail"]
    change = body["changes"][-1]
    assert change["user"] == "陈承办" and change["action_label"] == "进展反馈"
    assert {"field": "进度(%)", "before": "0", "after": "40"} in change["fields"]
    assert Item.objects.get(pk=item.pk).progress == 40

    response = api.post(f"/api/items/{item.pk}/progress/", {**typed, "version": body["version"]})
    assert response.status_code == 200 and response.json()["progress"] == 60


def test_the_api_requires_the_version(handler_a, item):
    api = APIClient()
    api.force_authenticate(handler_a)
    response = api.post(f"/api/items/{item.pk}/transitions/", {"action": "submit_plan"})
    assert response.status_code == 400 and "version" in response.json()
    response = api.post(
        f"/api/items/{item.pk}/transitions/",
        {"action": "submit_plan", "plan": "分三步", "version": "昨天"},
    )
    assert response.status_code == 400 and "版本信息无效" in str(response.json())
    assert Item.objects.get(pk=item.pk).plan == ""
