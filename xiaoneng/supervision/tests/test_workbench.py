"""The workbench's supervision panels: each counter's number is the number of rows of the
list its link opens, for every side of the work (a demo-like spread of items and people)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import services, workbench
from xiaoneng.supervision.models import Item, ItemEvent


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def people(province_supervisor, handler_a, admin_a, handler_b, province, prefecture, county_a):
    return {
        "sheng_xn": province_supervisor,
        "sheng_ld": make_user("sheng_ld", province, "leader", name="省领导"),
        "km_xn": make_user("km_xn", prefecture, "supervisor", name="昆明督查"),
        "km_ld": make_user("km_ld", prefecture, "leader", name="昆明领导"),
        "km_ck": make_user("km_ck", prefecture, "viewer", name="昆明查看"),
        "xs_xn": make_user("xs_xn", county_a, "supervisor", name="西山督查"),
        "xs_ld": make_user("xs_ld", county_a, "leader", name="西山领导"),
        "xs_admin": admin_a,
        "xs_cb": handler_a,
        "wh_cb": handler_b,
    }


@pytest.fixture
def spread(make_item, people, county_a, county_b, settings):
    """Items of 西山区 and 五华区 in every state and light, as the demo has them."""
    settings.XIAONENG_URGE_MIN_WORKDAYS = 0
    settings.XIAONENG_PROGRESS_REPORT_DAYS = 15
    sup = people["sheng_xn"]
    made = []
    for unit, handler in ((county_a, people["xs_cb"]), (county_b, people["wh_cb"])):

        def item(title, *steps, ago=20, due=30, unit=unit, handler=handler):
            it = make_item(
                title=f"{unit.name}{title}",
                lead_unit=unit,
                assigned_on=days(-ago),
                deadline=days(due),
            )
            for step in steps:
                kwargs = {"comment": "按要求推进"}
                if step == "submit_plan":
                    kwargs["plan"] = "分三步推进"
                if step == "report_progress":
                    kwargs["percent"] = 50
                if step == "request_closure":
                    kwargs["evidence"] = "验收记录"
                who = sup if step in ("send_back", "approve") else handler
                services.transition(it, actor=who, action=step, **kwargs)
            made.append(it)
            return it

        item("待签收")
        item("待签收临期", due=2)
        item("待报方案", "acknowledge")
        quiet = item("方案已报久未反馈", "acknowledge", "submit_plan", ago=40)
        ItemEvent.objects.filter(item=quiet).update(
            created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
        item("办理中", "acknowledge", "report_progress")
        item("超期", "acknowledge", "report_progress", ago=40, due=-3)
        item("申请办结", "acknowledge", "report_progress", "request_closure")
        item("退回", "acknowledge", "report_progress", "request_closure", "send_back")
        item("已办结", "acknowledge", "report_progress", "request_closure", "approve", due=-5)
        escalated = item("提级", "acknowledge", ago=40, due=-1)
        settings.XIAONENG_URGE_ESCALATE_AFTER = 1
        services.urge(escalated, actor=sup, confirm_escalation=True)
    # A prefecture's own item, assigned by it to 西山区.
    services.assign_item(
        actor=people["km_xn"],
        kind="task",
        title="市级交办",
        lead_unit=county_a,
        assigned_on=days(-30),
        deadline=days(-2),
    )
    return made


def shown_count(client, url: str) -> int:
    text = client.get(url).content.decode()
    found = re.search(r"共 (\d+) 项", text)
    assert found, url
    return int(found.group(1))


WHO = [
    "sheng_xn",
    "sheng_ld",
    "km_xn",
    "km_ld",
    "km_ck",
    "xs_xn",
    "xs_ld",
    "xs_admin",
    "xs_cb",
    "wh_cb",
]


@pytest.mark.parametrize("who", WHO)
def test_every_counter_equals_the_rows_of_the_list_it_opens(spread, people, client_for, who):
    user = people[who]
    client = client_for(user)
    panels = workbench.panels(user)
    counters = [c for panel in panels for c in panel.counters]
    for counter in counters:
        assert shown_count(client, counter.url) == counter.count, (who, counter.label, counter.url)
    # The urgent items: open, attention first, at most five, all among what the user sees.
    for panel in panels:
        if panel.template:
            rows = panel.context["rows"]
            assert len(rows) <= workbench.URGENT_SHOWN
            assert all(row.light_now != "none" for row in rows)
            visible = set(Item.objects.restrict(user, "view").values_list("pk", flat=True))
            assert {row.pk for row in rows} <= visible


def counts(user) -> dict:
    return {
        (panel.title, c.label): c.count for panel in workbench.panels(user) for c in panel.counters
    }


def test_each_side_gets_its_panel_with_the_numbers_of_its_work(spread, people):
    handler = counts(people["xs_cb"])
    assert {label: n for (_title, label), n in handler.items()} == {
        "待签收": 3,  # and the one 昆明市 assigned
        "待报方案": 2,  # and the escalated one, acknowledged only
        "进展待报": 1,  # the plan submitted long ago, nothing since
        "即将到期": 1,
        "已超期": 3,  # 超期, 提级 and 市级交办
        "被退回": 1,
    }
    assert {label for _title, label in counts(people["km_xn"])} == {
        "已超期（红灯）",
        "提级督办",
        "待审核",
        "我的待办",
    }
    prefecture = {label: n for (_t, label), n in counts(people["km_xn"]).items()}
    assert prefecture["已超期（红灯）"] == 5  # both counties' red items
    assert prefecture["提级督办"] == 2
    assert prefecture["待审核"] == 0  # the province assigned the closures asked for
    assert prefecture["我的待办"] == 5  # may urge the red items of its counties
    province = {label: n for (_t, label), n in counts(people["sheng_xn"]).items()}
    assert province["待审核"] == 2
    leader = {label: n for (_t, label), n in counts(people["xs_ld"]).items()}
    assert leader["提级督办"] == 1 and leader["其中红灯"] == 3
    assert workbench.panels(people["km_ck"]) == []  # a viewer acts on nothing here


def test_no_panel_for_someone_who_is_not_staff(db, province):
    resident = make_user("jm", province, "resident")
    assert workbench.panels(resident) == []
    assert workbench.panels(SYSTEM) == []


def test_the_home_page_shows_the_counters_and_the_urgent_items(spread, people, client_for):
    text = client_for(people["xs_cb"]).get("/").content.decode()
    assert "待签收" in text and "最需关注的事项" in text
    assert reverse("supervision:item_list") + "?mine=handle" in text
    # The list names the filters its form has no control for, and keeps them when filtering.
    page = client_for(people["xs_cb"]).get(
        reverse("supervision:item_list"), {"mine": "handle", "due": "soon", "kind": "task"}
    )
    listed = page.content.decode()
    assert "仅显示：" in listed and "我承办的" in listed and "即将到期" in listed
    assert '<input type="hidden" name="due" value="soon">' in listed
    assert 'href="?kind=task"' in listed  # 显示全部: the same list without them
