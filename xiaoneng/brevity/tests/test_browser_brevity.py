"""会风文风 in Debian's chromium at the screens we promise (1366×768, 1920×1080, 360×740):
the meeting and document lists, their pages and forms, the breach list, the statistics and
the analyzer — before and after a .docx is checked, its padding listed — hold: no horizontal
overflow, nothing cut off, no WCAG 2 A/AA violation. And one flow on a phone and an office
screen: a meeting with a 75-minute main speech is recorded and its breach shows on its page."""

import io
import re

import pytest
from docx import Document as Docx

from xiaoneng.brevity import demo
from xiaoneng.brevity.models import Document, Meeting
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.tests.browser import OFFICE, PHONE, SIZES, check_page
from xiaoneng.units.models import Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(province, prefecture, county_a, province_supervisor, handler_a):
    office = make_unit("530000-ZF", "云南省人民政府办公厅", Level.PROVINCE, province)
    users = {
        "sheng_xn": province_supervisor,
        "km_xn": make_user("km_xn", prefecture, "supervisor", name="赵督查"),
        "xs_cb": handler_a,
    }
    units = {u.code: u for u in (province, prefecture, county_a, office)}
    demo.load({"units": units, "users": users})
    return users


def padded_docx() -> bytes:
    """A notice with opening boilerplate and a sentence said twice: padding to list."""
    doc = Docx()
    doc.add_heading("关于开展背街小巷环境整治的通知", level=1)
    doc.add_paragraph(
        "为深入贯彻落实省委省政府关于作风革命效能革命的决策部署，现就有关事项通知如下。"
    )
    doc.add_paragraph("各街道要在2026年6月30日前完成背街小巷垃圾清运，区城管局每周通报进度。")
    doc.add_paragraph("要切实提高政治站位，以更加饱满的热情投入工作。")
    doc.add_paragraph("要切实提高政治站位，以更加饱满的热情投入工作。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_holds_at_every_size(logged_in_page, live_server, people, size):
    page = logged_in_page(people["km_xn"])
    page.set_viewport_size(SIZES[size])
    url = live_server.url
    plenary = Meeting.objects.get(title__contains="全体会议")
    over = Document.objects.over().get(kind="意见")
    pages = [
        ("/brevity/", "会议"),
        (f"/brevity/meetings/{plenary.pk}/", plenary.title),
        ("/brevity/meetings/new/", "登记会议"),
        (f"/brevity/meetings/{plenary.pk}/edit/", "修改会议"),
        ("/brevity/documents/", "文件"),
        (f"/brevity/documents/{over.pk}/", over.title),
        ("/brevity/documents/new/", "登记文件"),
        ("/brevity/documents/upload/", "上传登记文件"),
        (f"/brevity/documents/{over.pk}/edit/", "修改文件登记"),
        ("/brevity/breaches/", "昆明市超规清单"),
        ("/brevity/stats/", "昆明市会风文风统计"),
        ("/brevity/analyze/", "文稿检查"),
    ]
    for path, heading in pages:
        page.goto(f"{url}{path}")
        assert page.locator("h1").inner_text() == heading, path
        check_page(page, cut_selector=".light, td, th, .button, dd")
    # The breach list says whose meeting broke which rule, and by how much.
    page.goto(f"{url}/brevity/breaches/")
    text = page.locator("main").inner_text()
    assert "市政府第十次全体会议" in text and "限 60 分钟，实际 75 分钟" in text
    assert "关于进一步优化营商环境的实施意见" in text

    # The analyzer after a .docx is checked: its padding listed, paragraph by paragraph.
    page.goto(f"{url}/brevity/analyze/")
    page.get_by_label("文件").set_input_files(
        files=[
            {
                "name": "通知.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": padded_docx(),
            }
        ]
    )
    page.get_by_role("button", name="检查").click()
    report = page.get_by_test_id("report")
    report.wait_for()
    assert "关于开展背街小巷环境整治的通知" in report.inner_text()
    rows = report.locator("tbody tr")
    assert rows.count() >= 2
    assert "为深入贯彻落实" in report.inner_text()
    check_page(page, cut_selector=".light, td, th, dd")


@pytest.mark.parametrize("size", [OFFICE, PHONE], ids=["office", "phone"])
def test_it_records_a_meeting_and_shows_the_long_main_speech(
    logged_in_page, live_server, people, size
):
    page = logged_in_page(people["xs_cb"])
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/brevity/")
    page.get_by_role("link", name="登记会议").click()
    page.wait_for_url("**/brevity/meetings/new/")
    page.get_by_label("会议类型").select_option(label="工作会议")
    page.get_by_label("会议名称").fill("西山区背街小巷整治推进会")
    page.get_by_label("计划时长（分钟）").fill("120")
    page.get_by_label("实际时长（分钟）").fill("110")
    page.get_by_label("第 1 个讲话人").fill("刘建华")
    page.get_by_label("第 1 个讲话类别").select_option(value="main")
    page.get_by_label("第 1 个讲话时长（分钟）").fill("75")
    check_page(page)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/brevity/meetings/\d+/$"))
    assert page.locator("h1").inner_text() == "西山区背街小巷整治推进会"
    # Whose speech, the limit, the minutes spoken and the excess, on the first screen.
    alert = page.get_by_role("alert")
    assert alert.is_visible() and alert.bounding_box()["y"] < size["height"]
    cells = alert.locator("tbody td").all_inner_texts()
    assert [c.split("：")[-1] for c in cells[1:]] == ["刘建华", "60", "75", "15"]
    check_page(page, cut_selector=".light, td, th, dd")
    meeting = Meeting.objects.get(title="西山区背街小巷整治推进会")
    assert [b.rule for b in meeting.breaches()] == ["main_speech"]
    # And in the meeting list and the unit's breach list, with the excess.
    page.goto(f"{live_server.url}/brevity/")
    assert "超出规定 1 个" in page.locator(".summary").inner_text()
    row = page.locator("tr", has_text="西山区背街小巷整治推进会")
    assert "主要讲话超 15 分钟" in row.inner_text()
    page.goto(f"{live_server.url}/brevity/breaches/")
    row = page.locator("tr", has_text="西山区背街小巷整治推进会")
    assert "主要讲话超 15 分钟" in row.inner_text() and "实际 75 分钟" in row.inner_text()
