"""机关–社区联建 in Debian's chromium at the screens we promise (1366×768, 1920×1080,
360×740): the branch list, both branch pages, the activity list, an activity's page and the
pairing and activity forms hold — no horizontal overflow, nothing cut off, no WCAG 2 A/AA
violation. And one flow: the community's staff open their branch's page and find the organ
branch they are paired with and the activity held together."""

import pytest

from xiaoneng.branches import demo
from xiaoneng.branches.models import BranchActivity
from xiaoneng.core.tests.browser import OFFICE, PHONE, SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def joint(organ_branch, community_branch):
    ctx = {"branches": {"530000-ZF": organ_branch, "530112007001": community_branch}}
    demo.load(ctx)
    return ctx


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_holds_at_every_size(
    logged_in_page, live_server, province_admin, organ_branch, community_branch, joint, size
):
    page = logged_in_page(province_admin)
    page.set_viewport_size(SIZES[size])
    activity = BranchActivity.objects.get(title__startswith="我为群众办实事")
    pages = [
        ("/branches/", "机关–社区联建"),
        (f"/branches/{organ_branch.pk}/", organ_branch.name),
        (f"/branches/{community_branch.pk}/", community_branch.name),
        ("/branches/activities/", "党支部活动"),
        (f"/branches/activities/{activity.pk}/", activity.title),
        (f"/branches/activities/{activity.pk}/edit/", "修改活动"),
        ("/branches/activities/new/", "登记活动"),
        ("/branches/pairings/new/", "登记结对"),
    ]
    for path, heading in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").inner_text() == heading, path
        check_page(page, cut_selector="td, th, dd, .button, h3")


@pytest.mark.parametrize("size", [OFFICE, PHONE], ids=["office", "phone"])
def test_the_community_sees_its_pairing_and_the_joint_activity(
    logged_in_page, live_server, community_handler, community_branch, joint, size
):
    page = logged_in_page(community_handler)
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/branches/")
    page.get_by_role("link", name="永兴路社区党支部").click()
    page.wait_for_url(f"**/branches/{community_branch.pk}/")
    check_page(page, cut_selector="td, th, dd, .button, h3")
    pairing = page.locator("article.pairing")
    assert pairing.count() == 1
    text = pairing.inner_text()
    assert "省政府办公厅机关第一党支部" in text and "2023-03-01" in text
    assert "我为群众办实事：老旧小区楼道照明修缮" in text
    # The organ's page is not the community's to open: its name is not a link.
    assert pairing.get_by_role("link", name="省政府办公厅机关第一党支部").count() == 0
    pairing.get_by_role("link", name="我为群众办实事：老旧小区楼道照明修缮").click()
    page.wait_for_url("**/branches/activities/*/")
    assert page.locator("h1").inner_text() == "我为群众办实事：老旧小区楼道照明修缮"
    assert "省政府办公厅机关第一党支部" in page.locator("main").inner_text()
    check_page(page, cut_selector="dd")
