"""Assigning (交办) with everything an item carries, and what a parent's progress follows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item, ItemEvent
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db

IN_30_DAYS = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def form_data(lead_unit, **extra):
    return {
        "kind": "task",
        "title": "落实营商环境整改",
        "source": "superior",
        "lead_unit": lead_unit.pk,
        "deadline_mode": "date",
        "deadline": IN_30_DAYS,
        "urgency": "normal",
        **extra,
    }


def test_the_form_sets_the_responsible_person_plan_deadline_and_parent(
    client_for, province_supervisor, county_a, handler_a, make_item
):
    parent = make_item(title="全省营商环境整改")
    c = client_for(province_supervisor)
    page = c.get(reverse("supervision:item_create") + f"?parent={parent.pk}").content.decode()
    assert parent.title in page
    r = c.post(
        reverse("supervision:item_create"),
        form_data(county_a, responsible="周承办", plan_deadline="2030-01-05", parent=parent.pk),
    )
    assert r.status_code == 302, r.content.decode()
    item = Item.objects.exclude(pk=parent.pk).get()
    assert (item.responsible, item.plan_deadline, item.parent) == (
        handler_a,
        dt.date(2030, 1, 5),
        parent,
    )
    # by user name too; without a plan deadline it defaults to 10 days after assignment
    c.post(reverse("supervision:item_create"), form_data(county_a, responsible="xs_cb"))
    item = Item.objects.latest("pk")
    assert item.responsible == handler_a
    assert item.plan_deadline == item.assigned_on + dt.timedelta(days=10)


def test_the_form_refuses_a_responsible_person_outside_the_lead_unit(
    client_for, province_supervisor, county_a, handler_b
):
    c = client_for(province_supervisor)
    r = c.post(reverse("supervision:item_create"), form_data(county_a, responsible="wh_cb"))
    assert r.status_code == 200
    assert "西山区没有用户名或姓名为“wh_cb”的人员" in r.content.decode()
    make_user("xs_zhou2", county_a, "handler", name="周承办")
    make_user("xs_zhou3", county_a, "handler", name="周承办")
    r = c.post(reverse("supervision:item_create"), form_data(county_a, responsible="周承办"))
    assert "西山区有多名“周承办”，请填写用户名" in r.content.decode()
    assert not Item.objects.exists()
    with pytest.raises(ValidationError, match="责任人须为牵头单位"):
        services.assign_item(
            actor=province_supervisor,
            kind="task",
            title="x",
            lead_unit=county_a,
            responsible=handler_b,
            deadline=dt.date.today(),
        )


def test_the_form_cannot_attach_an_item_to_a_parent_the_user_cannot_see(
    client_for, county_a, county_b, make_item
):
    outsider = make_user("wh_xn", county_b, "supervisor")
    parent = make_item()  # 西山区's
    r = client_for(outsider).post(
        reverse("supervision:item_create"), form_data(county_b, parent=parent.pk)
    )
    assert r.status_code == 200 and not parent.children.exists()


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_the_api_creates_with_responsible_plan_deadline_and_parent(
    province_supervisor, county_a, handler_a, handler_b, make_item
):
    parent = make_item()
    sup = api(province_supervisor)
    r = sup.post(
        "/api/items/",
        {
            "kind": "task",
            "title": "子事项",
            "lead_unit": county_a.pk,
            "deadline": IN_30_DAYS,
            "responsible": handler_a.pk,
            "plan_deadline": "2030-01-05",
            "parent": parent.pk,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["responsible"], body["plan_deadline"], body["parent"]) == (
        handler_a.pk,
        "2030-01-05",
        parent.pk,
    )
    r = sup.post(
        "/api/items/",
        {"kind": "task", "title": "错人", "lead_unit": county_a.pk, "deadline": IN_30_DAYS,
         "responsible": handler_b.pk},
        format="json",
    )  # fmt: skip
    assert r.status_code == 400 and "责任人须为牵头单位" in r.json()["responsible"][0]
    r = sup.post(
        "/api/items/", {"kind": "task", "title": "无时限", "lead_unit": county_a.pk}, format="json"
    )
    assert r.status_code == 400 and "办理时限" in r.json()["deadline"][0]
    assert Item.objects.count() == 2


def test_closing_evidence_stays_on_the_timeline(make_item, handler_a, province_supervisor):
    item = make_item(kind="problem", rectification="更换管网")
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=80, comment="换管")
    services.request_closure(item, actor=handler_a, evidence="第一次：验收照片 12 张")
    services.send_back(item, actor=province_supervisor, comment="缺验收单")
    services.request_closure(
        item, actor=handler_a, evidence="第二次：验收单已补", rectification="更换管网并复测"
    )
    comments = list(
        ItemEvent.objects.filter(item=item, action="request_closure")
        .order_by("pk")
        .values_list("comment", flat=True)
    )
    assert comments == [
        "办结材料：第一次：验收照片 12 张",
        "整改措施：更换管网并复测\n办结材料：第二次：验收单已补",
    ]
    item.refresh_from_db()
    assert item.evidence == "第二次：验收单已补"


def test_a_parent_keeps_its_childrens_progress(make_item, county_a, handler_a):
    street1 = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    street2 = make_unit("530112002", "马街街道", Level.TOWNSHIP, county_a)
    parent = services.acknowledge(make_item(), actor=handler_a)
    first, _second = services.decompose(parent, actor=handler_a, units=[street1, street2])
    services.acknowledge(first, actor=SYSTEM)
    services.report_progress(first, actor=SYSTEM, percent=60, comment="过半")
    parent = services.report_progress(parent, actor=handler_a, percent=90, comment="汇总情况")
    assert parent.progress == 30
    event = ItemEvent.objects.filter(item=parent, action="report_progress").get()
    assert event.percent == 30 and "进度由下级事项汇总" in event.comment
    parent = services.request_closure(parent, actor=handler_a, comment="申请")
    assert parent.status == "closure_requested" and parent.progress == 30
