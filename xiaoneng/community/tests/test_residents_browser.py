"""Joining in Debian's chromium on a phone (360 × 740): the code from the link the staff
share, large type, then the new resident is in; and the staff's pages hold at every size we
promise (no overflow, nothing cut off, no WCAG 2 A/AA violation)."""

import re

import pytest

from xiaoneng.accounts.models import User
from xiaoneng.community import residents
from xiaoneng.conftest import PASSWORD
from xiaoneng.core.tests.browser import PHONE, SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUT = "h1, h2, .card, .actions button, .field label, td, th"


def test_a_resident_joins_on_a_phone(page, live_server, community_a, staff_a):
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=5)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/community/residents/join/?code={invitation.code}")
    check_page(page, cut_selector=CUT)
    # Large type for older residents: the inputs and the button are easy to hit.
    assert page.get_by_label("邀请码").input_value() == invitation.code
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18
    box = page.get_by_role("button", name="注册并进入社区").bounding_box()
    assert box is not None and box["height"] >= 48 and box["width"] >= 280

    page.get_by_label("姓名").fill("马大姐")
    page.get_by_label("手机号").fill("13712345678")
    page.get_by_label("设置密码").fill("Yongxing-road-2026")
    page.get_by_label("再输一次密码").fill("Yongxing-road-2027")
    page.get_by_role("button", name="注册并进入社区").click()
    page.get_by_text("两次输入的密码不一致").wait_for()
    check_page(page, cut_selector=CUT)
    page.get_by_label("设置密码").fill("Yongxing-road-2026")
    page.get_by_label("再输一次密码").fill("Yongxing-road-2026")
    page.get_by_role("button", name="注册并进入社区").click()
    page.wait_for_url(re.compile(r"^(?!.*/join/)"))
    assert page.get_by_test_id("whoami").inner_text() == "马大姐"
    assert User.objects.get(phone="13712345678").unit == community_a


@pytest.mark.parametrize("size", SIZES)
def test_the_staffs_pages_hold_at_every_size(
    logged_in_page, live_server, community_a, staff_a, residents_a, size
):
    residents.create_invitation(actor=staff_a, community=community_a, max_uses=5, note="3 栋")
    staff_a.set_password(PASSWORD)
    staff_a.save()
    page = logged_in_page(staff_a)
    page.set_viewport_size(SIZES[size])
    for path in ("", "invitations/", "import/"):
        page.goto(f"{live_server.url}/community/residents/{path}")
        check_page(page, cut_selector=CUT)
