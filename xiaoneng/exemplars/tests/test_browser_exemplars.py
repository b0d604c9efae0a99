"""典型案例 in Debian's chromium at the screens we promise (1366×768, 1920×1080, 360×740):
the library, a search, a case's page and the form hold — no horizontal overflow, nothing cut
off, no WCAG 2 A/AA violation. And one flow: a search for "党建 融合" finds the case, its page
opens, and the prefecture's 效能办 (above the county that recommended it) promotes it."""

import re

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.browser import OFFICE, PHONE, SIZES, check_page
from xiaoneng.exemplars import services
from xiaoneng.exemplars.models import Exemplar
from xiaoneng.units.models import Kind, Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases(county_a, admin_a):
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)
    community = make_unit("530112007001", "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    made = [
        services.create_exemplar(
            actor=SYSTEM,
            title="永兴路社区“党建+融合共治”模式",
            unit=community,
            summary="以社区党支部为核心，机关党支部结对共建，居民、物业、驻区单位共同议事。",
            practice="一是建立“大家的事情大家议”议事会，每月一次；二是机关党员到社区报到。",
            results="一年来议定并办结老旧小区加装电梯、楼道照明等事项23件，居民满意率98%。",
            tags="党建,融合共治,社区治理",
        ),
        services.create_exemplar(
            actor=SYSTEM,
            title="西山区“一线工作法”推动问题就地解决",
            unit=county_a,
            summary="区级领导干部每月下基层，发现的问题当场交办、限时办结。",
            tags="一线工作法,问题整改",
        ),
    ]
    services.take_step(made[0], "recommend", actor=admin_a)
    return made


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_holds_at_every_size(logged_in_page, live_server, admin_a, cases, size):
    page = logged_in_page(admin_a)
    page.set_viewport_size(SIZES[size])
    case = cases[0]
    pages = [
        ("/exemplars/", "典型案例库"),
        ("/exemplars/?q=%E5%85%9A%E5%BB%BA+%E8%9E%8D%E5%90%88", "典型案例库"),
        ("/exemplars/?tag=%E5%85%9A%E5%BB%BA", "典型案例库"),
        (f"/exemplars/{case.pk}/", case.title),
        (f"/exemplars/{cases[1].pk}/edit/", "修改案例"),
        ("/exemplars/new/", "登记案例"),
    ]
    for path, heading in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").inner_text() == heading, path
        check_page(page, cut_selector="td, th, dd, .button")


@pytest.mark.parametrize("size", [OFFICE, PHONE], ids=["office", "phone"])
def test_it_finds_the_case_and_the_prefecture_promotes_it(
    logged_in_page, live_server, prefecture, cases, size
):
    supervisor = make_user("km_xn", prefecture, "supervisor", name="赵督查")
    page = logged_in_page(supervisor)
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/exemplars/")
    page.get_by_label("关键词").fill("党建 融合")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"q="))
    rows = page.locator("table.responsive tbody tr")
    assert rows.count() == 1
    check_page(page, cut_selector="td")
    page.get_by_role("link", name="永兴路社区“党建+融合共治”模式").click()
    page.wait_for_url(f"**/exemplars/{cases[0].pk}/")
    assert (
        "已推荐" in page.locator("main").inner_text()
        or "推荐" in page.locator("dl.fields").inner_text()
    )
    check_page(page, cut_selector="dd, .button")
    page.get_by_role("button", name="推广", exact=True).click()
    page.wait_for_url(f"**/exemplars/{cases[0].pk}/")
    page.get_by_role("button", name="对外公开").wait_for()
    assert Exemplar.objects.get(pk=cases[0].pk).status == "promoted"
    check_page(page, cut_selector="dd, .button")
