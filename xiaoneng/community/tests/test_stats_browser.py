"""The statistics page in Debian's chromium: a county's staff member drills down from the
county to a street to a community on a phone, and the page holds at every size we promise
(no horizontal overflow, nothing cut off, no WCAG 2 A/AA violation)."""

import re

import pytest

from xiaoneng.community.tests.test_stats import build
from xiaoneng.conftest import make_user
from xiaoneng.core.tests.browser import PHONE, SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUT = "h1, h2, .card, td, th, .button"


@pytest.fixture
def county_staff(community_a, street_a, residents_a, community_b, resident_b, county_a):
    build(community_a, street_a, residents_a, community_b, resident_b)
    return make_user("xs_ck", county_a, "viewer", name="钱查看")


def test_it_drills_down_from_the_county_to_a_community_on_a_phone(
    logged_in_page, live_server, county_staff
):
    page = logged_in_page(county_staff)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/community/stats/?year=2025")
    page.get_by_role("heading", name="西山区社区共治统计").wait_for()
    check_page(page, cut_selector=CUT)
    page.get_by_role("link", name="永昌街道").click()
    page.get_by_role("heading", name="永昌街道社区共治统计").wait_for()
    table = page.get_by_test_id("community-stats")
    assert table.get_by_role("link", name="永兴路社区").count() == 1
    check_page(page, cut_selector=CUT)
    table.get_by_role("link", name="永兴路社区").click()
    page.get_by_role("heading", name="永兴路社区社区共治统计").wait_for()
    assert re.search(r"year=2025", page.url)
    # the way back up: the county and the street
    crumbs = page.get_by_role("navigation", name="位置")
    assert crumbs.get_by_role("link").all_inner_texts() == ["西山区", "永昌街道"]
    page.get_by_label("月份").select_option("3")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"month=3"))
    page.get_by_text("统计期：2025年3月").wait_for()
    check_page(page, cut_selector=CUT)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_page_holds_at_every_size(logged_in_page, live_server, county_staff, size):
    page = logged_in_page(county_staff)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/community/stats/?year=2025")
    page.wait_for_load_state("load")
    check_page(page, cut_selector=CUT)
