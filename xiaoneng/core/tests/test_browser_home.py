"""The home page of each role, in Debian's chromium at the screens we promise (1366×768,
1920×1080, 360×740): the workbench holds — no horizontal overflow, no counter cut off, no
WCAG 2 A/AA violation — with open, overdue and escalated items to show; a resident's page
too."""

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.tests.browser import SIZES, check_page
from xiaoneng.supervision import services
from xiaoneng.units.models import Kind, Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(province_supervisor, prefecture, county_a, handler_a):
    street = make_unit("530112001", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)
    community = make_unit("530112001001", "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    for title, days in (
        ("整理作风革命专项整治工作台账，逐项销号", -6),
        ("老旧小区雨污管网改造", 2),
    ):
        services.assign_item(
            actor=province_supervisor,
            kind="task",
            title=title,
            lead_unit=county_a,
            assigned_on=timezone.localdate() - dt.timedelta(days=30),
            deadline=timezone.localdate() + dt.timedelta(days=days),
        )
    return {
        "handler": handler_a,
        "province": province_supervisor,
        "prefecture": make_user("km_xn", prefecture, "supervisor", name="赵督查"),
        "leader": make_user("ld", county_a, "leader", name="李明"),
        "reporter": make_user("tb", county_a, "reporter", name="刘填报"),
        "resident": make_user("jm", community, "resident", name="冯居民"),
    }


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(
    "role", ["handler", "province", "prefecture", "leader", "reporter", "resident"]
)
def test_the_home_page_of_each_role_holds_at_every_size(
    logged_in_page, live_server, people, role, size
):
    page = logged_in_page(people[role])
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/")
    if role == "resident":
        assert "永兴路社区" in page.locator("main").inner_text()
    else:
        assert page.locator("h1").inner_text() == "工作台"
        assert page.locator("a.counter").count() > 0
    check_page(page, cut_selector=".counter, .counter .label, .workbench-panel h2")
