"""社区议事 in Debian's chromium on a phone (360 × 740), the whole way: a resident joins with
an invitation code, raises a matter, five neighbours second it (four through the services,
one on the phone) and it goes on the deliberation list; a neighbour comments and the raiser
replies; the staff hold a deliberation and adopt it, give it a lead, post progress and close
it; the raiser rates it. Every page on the way passes check_page (no overflow, nothing cut
off, no WCAG 2 A/AA violation); and every page of the module holds at the three screens
(1366×768, 1920×1080, 360×740), the public board in 长辈模式 too."""

import re

import pytest

from xiaoneng.accounts.models import User
from xiaoneng.community import residents, services
from xiaoneng.community.models import Matter, MatterStatus, Progress, Rating
from xiaoneng.community.tests.samples_base import PNG, base_objects
from xiaoneng.core.tests.browser import PHONE, SIZES, check_page, cut_off, overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a card, a heading, a tab or a button of these pages must never clip.
PHONE_NUMBER = "13812345678"
PASSWORD = "Yongxing-2026"
CUT = "h1, h2, h3, .card, .matter-card, .tabs a, .button, summary, td, th, .tag, .board-matter"


def check(page) -> None:
    """check_page, saying what is cut off or too wide."""
    clipped = cut_off(page, CUT)
    assert clipped == [], f"{page.url}: cut off {clipped}"
    widths = overflow(page)
    assert widths["scroll"] <= widths["inner"], f"{page.url}: overflow {widths}"
    check_page(page, cut_selector=CUT)


def _as(logged_in_page, page, user):
    page.context.clear_cookies()
    return logged_in_page(user)


def _as_raiser(page, base: str):
    """The resident who joined logs in with her phone number and her own password."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(PHONE_NUMBER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return page


def test_the_whole_flow_on_a_phone(
    page, logged_in_page, live_server, community_a, staff_a, residents_a
):
    base = live_server.url
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=5)
    group = services.create_group(
        actor=staff_a, community=community_a, kind="volunteers", name="红马甲志愿服务队"
    )

    # 1. A resident joins with the code (the link the staff hand out carries it).
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/community/residents/join/?code={invitation.code}")
    page.get_by_label("姓名").fill("郑阿姨")
    page.get_by_label("手机号").fill(PHONE_NUMBER)
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("再输一次密码").fill(PASSWORD)
    page.get_by_role("button", name="注册并进入社区").click()
    page.wait_for_url(f"{base}/community/")
    raiser = User.objects.get(phone=PHONE_NUMBER)
    assert raiser.unit == community_a
    page.get_by_text("欢迎加入永兴路社区").wait_for()
    check(page)

    # 2. She raises a matter: the category a big button, the community not asked.
    page.get_by_role("link", name="我要反映一件事（提出议题）").click()
    page.wait_for_url(f"{base}/community/new/")
    check(page)
    submit = page.get_by_role("button", name="提交")
    page.get_by_text("环境卫生", exact=True).click()
    page.get_by_label("一句话说说是什么事").fill("5栋门口垃圾桶天天满")
    page.get_by_label("具体情况（可不填）").fill("早上七点就满了，气味很大。")
    page.get_by_label("在哪里（可不填）").fill("5栋门口")
    box = submit.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box  # one screen
    submit.click()
    page.wait_for_url(re.compile(r"/community/\d+/$"))
    matter = Matter.objects.get(title="5栋门口垃圾桶天天满")
    assert matter.community == community_a and matter.category == "environment"
    assert page.get_by_test_id("second-count").inner_text() == "附议 0/5"
    check(page)

    # 3. Four neighbours second it through the services, the fifth on her phone.
    for neighbour in residents_a[:4]:
        services.second(matter, actor=neighbour)
    fifth = _as(logged_in_page, page, residents_a[4])
    fifth.set_viewport_size(PHONE)
    fifth.goto(f"{base}/community/{matter.pk}/")
    assert fifth.get_by_test_id("second-count").inner_text() == "附议 4/5"
    fifth.get_by_role("button", name="附议（我也遇到了 / 我支持）").click()
    fifth.get_by_text("已附议，谢谢您的支持。").wait_for()
    assert fifth.get_by_test_id("matter-status").inner_text() == "待议事"
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED

    # 4. The fifth neighbour comments; the raiser replies.
    fifth.get_by_label("说说您的看法").fill("我家楼下也是这样")
    fifth.get_by_role("button", name="发表", exact=True).click()
    fifth.get_by_text("已发表。").wait_for()
    check(fifth)
    mine = _as_raiser(page, base)
    mine.set_viewport_size(PHONE)
    mine.goto(f"{base}/community/{matter.pk}/")
    comment = mine.get_by_test_id("comment").first
    comment.get_by_text("回复", exact=True).click()
    comment.get_by_label("回复").fill("谢谢大家支持")
    comment.get_by_role("button", name="发表回复").click()
    mine.get_by_text("已回复。").wait_for()
    assert mine.get_by_test_id("reply").first.inner_text().count("谢谢大家支持") == 1
    check(mine)

    # 5. The staff see it on the deliberation list, hold the council and adopt it.
    staff = _as(logged_in_page, page, staff_a)
    staff.set_viewport_size(PHONE)
    staff.goto(f"{base}/community/deliberations/")
    assert "5栋门口垃圾桶天天满" in staff.get_by_test_id("listed").inner_text()
    check(staff)
    staff.get_by_role("link", name="登记议事会").click()
    staff.wait_for_url(f"{base}/community/deliberations/new/")
    assert staff.get_by_label(re.compile("5栋门口垃圾桶天天满")).is_checked()
    staff.get_by_label("地点").fill("社区议事厅")
    staff.get_by_label("参会人数").fill("9")
    check(staff)
    staff.get_by_role("button", name="保存").click()
    staff.wait_for_url(re.compile(r"/community/deliberations/\d+/$"))
    item = staff.get_by_test_id("agenda-item").first
    item.get_by_text("记录决定").click()
    item.get_by_text("采纳", exact=True).click()
    item.get_by_label("赞成").fill("7")
    item.get_by_label("反对").fill("1")
    item.get_by_label("弃权").fill("1")
    check(staff)
    item.get_by_role("button", name="保存决定").click()
    staff.get_by_text("已记录对“5栋门口垃圾桶天天满”的决定。").wait_for()
    assert (
        "赞成 7 票，反对 1 票，弃权 1 票" in staff.get_by_test_id("agenda-item").first.inner_text()
    )
    matter.refresh_from_db()
    assert matter.status == MatterStatus.ADOPTED

    # 6. The lead: the volunteers, two steps, the working days prefilled.
    staff.goto(f"{base}/community/{matter.pk}/")
    assert staff.get_by_label("办理时限（工作日）").input_value() == "10"
    staff.get_by_label("牵头力量").select_option(str(group.pk))
    staff.get_by_label("办理步骤（每行一步，可不填）").fill("联系环卫公司\n增加清运班次")
    check(staff)
    staff.get_by_role("button", name="确定牵头").click()
    staff.get_by_text("已确定牵头。").wait_for()
    assert staff.get_by_test_id("lead").inner_text().startswith("红马甲志愿服务队")

    # 7. Progress with a photo, a step done; then closing.
    staff.get_by_text("发布进展", exact=True).first.click()
    staff.get_by_label("进展情况").fill("已联系环卫公司，明天起每天清运两次")
    staff.get_by_label("照片（可不传）").set_input_files(
        files=[{"name": "清运.png", "mimeType": "image/png", "buffer": PNG}]
    )
    staff.get_by_label("联系环卫公司").check()
    check(staff)
    staff.get_by_role("button", name="发布进展").click()
    staff.get_by_text("已发布办理进展。").wait_for()
    assert Progress.objects.get().photos.count() == 1
    staff.get_by_text("办结", exact=True).click()
    staff.get_by_label("办理结果").fill("已增加清运班次，垃圾桶不再外溢")
    staff.get_by_role("button", name="确认办结").click()
    staff.get_by_text("已办结。").wait_for()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED
    check(staff)

    # 8. The raiser rates it: three big buttons.
    mine = _as_raiser(page, base)
    mine.set_viewport_size(PHONE)
    mine.goto(f"{base}/community/{matter.pk}/")
    rate = mine.get_by_test_id("rate")
    assert "您对办理结果满意吗" in rate.inner_text()
    check(mine)
    rate.get_by_role("button", name="满意", exact=True).click()
    mine.get_by_text("谢谢您的评价。").wait_for()
    assert Rating.objects.get(resident=raiser).rating == "satisfied"
    assert "您的评价：满意" in mine.get_by_test_id("rate").inner_text()

    # 9. The public board shows the result, without names.
    mine.context.clear_cookies()
    mine.goto(f"{base}/community/board/{community_a.code}/")
    board = mine.locator("main").inner_text()
    assert "5栋门口垃圾桶天天满" in board and "郑阿姨" not in board and PHONE_NUMBER not in board
    check(mine)


# --- Every page at every size ------------------------------------------------------------


def _pages(base: dict) -> dict[str, tuple[str, str]]:
    """name → (who, path): who opens it (the community's staff or a resident)."""
    code = base["community"].code
    return {
        "list": ("resident", "/community/"),
        "list-staff": ("staff", "/community/?stage=handling"),
        "new": ("resident", "/community/new/"),
        "raised": ("resident", f"/community/{base['matter'].pk}/"),
        "raised-staff": ("staff", f"/community/{base['matter'].pk}/"),
        "listed": ("staff", f"/community/{base['listed'].pk}/"),
        "handling": ("staff", f"/community/{base['handling'].pk}/"),
        "closed": ("resident0", f"/community/{base['closed'].pk}/"),
        "referred": ("staff", f"/community/{base['referred'].pk}/"),
        "deliberations": ("staff", "/community/deliberations/"),
        "deliberation": ("staff", f"/community/deliberations/{base['deliberation'].pk}/"),
        "deliberation-new": ("staff", "/community/deliberations/new/"),
        "groups": ("staff", "/community/groups/"),
        "reports": ("staff", "/community/reports/"),
        "board": ("", f"/community/board/{code}/"),
        "board-elder": ("", f"/community/board/{code}/?elder=1"),
    }


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_holds_at_every_size(page, logged_in_page, live_server, url_ctx, size):
    base = base_objects(url_ctx)
    # One decision still to take, so that its form is checked too.
    services.create_deliberation(
        actor=base["staff"],
        community=base["community"],
        date=base["deliberation"].date,
        place="社区议事厅",
        attendee_count=9,
        matters=[base["listed"]],
    )
    people = {
        "staff": base["staff"],
        "resident": base["residents"][1],
        "resident0": base["residents"][0],
    }
    current = None
    failures = []
    for name, (who, path) in _pages(base).items():
        if who != current:
            page.context.clear_cookies()
            if who:
                logged_in_page(people[who])
            current = who
        page.set_viewport_size(SIZES[size])
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        for summary in page.locator("details.panel > summary").all():
            summary.click()  # the forms folded away are checked open
        try:
            check(page)
        except AssertionError as exc:
            failures.append(f"{name} ({who or 'anonymous'}): {exc}")
    assert failures == [], "\n".join(failures)
