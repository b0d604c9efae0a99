"""The pages people hit first, in Debian's chromium at the screens we promise: the workbench's
supervision counters (each equal to the rows of the list it opens), the item list attention
first, 我的待办 and the item page — no overflow, nothing cut off, no WCAG 2 A/AA violation."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core.tests.browser import SIZES, check_page
from xiaoneng.supervision import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def items(make_item, handler_a, county_b, settings):
    settings.XIAONENG_URGE_MIN_WORKDAYS = 0
    made = [
        make_item(
            title="农贸市场周边占道经营反复回潮，群众反映强烈，需要长期巡查",
            assigned_on=timezone.localdate() - dt.timedelta(days=40),
            deadline=timezone.localdate() - dt.timedelta(days=6),
        ),
        make_item(
            title="老旧小区雨污管网改造", deadline=timezone.localdate() + dt.timedelta(days=2)
        ),
        make_item(title="政务服务一网通办", deadline=timezone.localdate() + dt.timedelta(days=60)),
        make_item(
            title="五华区窗口午休无人值守",
            lead_unit=county_b,
            assigned_on=timezone.localdate() - dt.timedelta(days=30),
            deadline=timezone.localdate() - dt.timedelta(days=1),
        ),
    ]
    services.acknowledge(made[1], actor=handler_a)
    return made


@pytest.mark.parametrize("size", list(SIZES))
def test_the_workbench_counters_open_lists_of_as_many_rows(
    logged_in_page, live_server, handler_a, items, size
):
    page = logged_in_page(handler_a)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/")
    check_page(page, cut_selector=".counter, .urgent-items li")
    counters = page.locator("a.counter[href*='/supervision/']")
    found = [
        (counters.nth(i).get_attribute("href"), int(counters.nth(i).locator(".count").inner_text()))
        for i in range(counters.count())
    ]
    assert len(found) == 6 and sum(n for _url, n in found) > 0
    for url, number in found:
        page.goto(f"{live_server.url}{url}")
        shown = re.search(r"共 (\d+) 项", page.locator("main").inner_text())
        assert shown and int(shown.group(1)) == number, url
        assert page.locator("table.responsive tbody tr td[data-label='编号']").count() == number


@pytest.mark.parametrize("size", list(SIZES))
def test_the_item_list_my_work_and_item_page_hold_at_every_size(
    logged_in_page, live_server, province, items, size
):
    supervisor = make_user("km_xn", items[0].lead_unit.parent, "supervisor", name="昆明督查")
    page = logged_in_page(supervisor)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/supervision/")
    check_page(page, cut_selector="td.nowrap, .light")
    # Red first, the longest overdue at the top, with the working days in words.
    first = page.locator("table.responsive tbody tr").first
    assert "农贸市场" in first.inner_text() and "超期" in first.inner_text()
    page.goto(f"{live_server.url}/supervision/todo/")
    check_page(page)
    assert page.get_by_role("link", name="去催办").count() == 2
    page.get_by_role("link", name="去催办").first.click()
    page.wait_for_url(re.compile(r"/supervision/\d+/"))
    check_page(page)
    page.get_by_label("催办意见").fill("请本周五前报送整改进展")
    page.get_by_role("button", name="催办", exact=True).click()
    page.get_by_text("已催办，已通知牵头单位承办人。").wait_for()
