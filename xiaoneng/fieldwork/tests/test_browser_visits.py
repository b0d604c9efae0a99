"""下基层 in Debian's chromium: a leader between visits records one on a phone (two findings),
opens it, turns one finding into a problem item, and the item's page leads back to the visit;
and every page of the module holds at the screens we promise (1366×768, 1920×1080, 360×740):
no horizontal overflow, nothing cut off, no WCAG 2 A/AA violation."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.browser import PHONE, SIZES, check_page
from xiaoneng.fieldwork import services
from xiaoneng.fieldwork.models import Finding, Visit
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import ItemKind, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a card, a heading or a table cell of these pages must never clip.
CUT = "h1, h2, .card, .finding, .actions a, .actions .button, summary, td, th"


def test_it_records_a_visit_on_a_phone_and_turns_a_finding_into_an_item(
    logged_in_page, live_server, leader_a, county_a, community_a
):
    page = logged_in_page(leader_a)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/fieldwork/")
    page.get_by_role("link", name="登记下基层").click()
    page.wait_for_url(re.compile(r"/fieldwork/new/$"))

    # The leader is the one logged in and the dates are today's: only the place and what
    # was found need typing.
    assert page.get_by_label("领导干部").input_value() == str(leader_a.pk)
    assert page.get_by_label("开始日期").input_value() == timezone.localdate().isoformat()
    place = page.get_by_role("combobox", name="到访地点")
    place.click()
    place.fill("永兴路")
    page.get_by_role("option", name=re.compile("永兴路社区$")).click()
    page.get_by_label("座谈走访对象").fill("社区党委书记、居民代表")
    page.get_by_label("问题1").fill("小区主干道路灯损坏多处，夜间出行不安全")
    page.get_by_label("问题2").fill("垃圾清运不及时")
    check_page(page, cut_selector=CUT)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/fieldwork/\d+/$"))

    visit = Visit.objects.get()
    assert visit.leader == leader_a and visit.unit == county_a and visit.recorded_by == leader_a
    assert visit.place_list() == [community_a]
    assert [f.text for f in visit.findings.order_by("order")] == [
        "小区主干道路灯损坏多处，夜间出行不安全",
        "垃圾清运不及时",
    ]
    page.get_by_text("下基层记录已登记。").wait_for()
    findings = page.get_by_test_id("finding")
    assert findings.count() == 2
    check_page(page, cut_selector=CUT)

    # The first finding becomes a problem item: the visited unit leads by default.
    first = findings.first
    first.get_by_text("转为问题清单").click()
    assert first.get_by_role("combobox", name="牵头单位").is_visible()
    check_page(page, cut_selector=CUT)
    first.get_by_role("button", name="确认转办").click()
    page.wait_for_url(re.compile(r"/supervision/\d+/$"))
    page.get_by_text("已转为问题清单").wait_for()

    finding = Finding.objects.get(order=1)
    item = finding.item
    assert item is not None and item.kind == ItemKind.PROBLEM
    assert item.source == Source.GRASSROOTS and item.lead_unit == community_a
    assert item.title == "小区主干道路灯损坏多处，夜间出行不安全"
    assert Finding.objects.get(order=2).item is None

    # The item's page leads back to the visit (来自下基层), and the visit to the item.
    assert "来自下基层" in page.locator("main").inner_text()
    check_page(page)
    page.get_by_test_id("visit-origin").click()
    page.wait_for_url(f"{live_server.url}/fieldwork/{visit.pk}/")
    shown = page.get_by_test_id("finding").first
    assert item.code in shown.inner_text()
    assert page.get_by_test_id("finding").nth(1).get_by_text("转为问题清单").is_visible()


@pytest.fixture
def visits(record, leader_a, leader_km, township_a, community_a, community_b, province_supervisor):
    """Visits of the prefecture's and county A's leaders with findings, one of them solved
    (its item closed through the real steps: the community has no handler on the platform,
    so the system acts for it), so every figure and chart has something."""
    first = record(
        leader_km,
        timezone.localdate() - dt.timedelta(days=3),
        timezone.localdate() - dt.timedelta(days=2),
        places=[community_a, township_a],
        findings=["老旧小区加装电梯协调难、审批慢", "便民服务站周末无人值守"],
        kind="survey",
    )
    record(leader_km, timezone.localdate(), places=[community_b], findings=["窗口午休无人值守"])
    second = record(
        leader_a,
        timezone.localdate(),
        places=[community_a],
        findings=["路灯损坏多处"],
        kind="on_site",
    )
    services.finding_to_item(first.findings.order_by("order").first(), actor=leader_km)
    item = services.finding_to_item(second.findings.get(), actor=leader_a)
    supervision.acknowledge(item, actor=SYSTEM)
    supervision.report_progress(item, actor=SYSTEM, percent=50, comment="已更换部分灯具")
    supervision.request_closure(
        item, actor=SYSTEM, rectification="更换灯具", evidence="已全部恢复照明"
    )
    supervision.approve(item, actor=province_supervisor)
    return {"first": first, "second": second}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", ["list", "detail", "new", "stats", "where"])
def test_every_page_holds_at_every_size(logged_in_page, live_server, leader_km, visits, name, size):
    path = {
        "list": "/fieldwork/",
        "detail": f"/fieldwork/{visits['first'].pk}/",
        "new": "/fieldwork/new/",
        "stats": "/fieldwork/stats/",
        "where": "/fieldwork/where/",
    }[name]
    page = logged_in_page(leader_km)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    if name == "where":
        page.locator("[data-where-chart] canvas").first.wait_for()
    if name == "detail":
        page.get_by_test_id("finding").nth(1).get_by_text("转为问题清单").click()
    check_page(page, cut_selector=CUT)
