"""Assign → acknowledge → report → request closure → close, in Debian's chromium."""

import re

import pytest

from xiaoneng.supervision.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_an_item_from_assignment_to_closure(
    logged_in_page, live_server, province_supervisor, handler_a, county_a
):
    page = logged_in_page(province_supervisor)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(
        f"{live_server.url}/supervision/new/?kind=problem&lead_unit={county_a.pk}&title=%E5%B8%82%E5%9C%BA%E5%8D%A0%E9%81%93&source=inspection&ref=projects.project:7"
    )
    page.get_by_label("天数").fill("10")
    page.get_by_label("整改措施（问题类）").fill("划定疏导点")
    page.get_by_role("button", name="交办").click()
    page.wait_for_url(re.compile(r"/supervision/\d+/$"))
    item = Item.objects.get()
    assert item.ref == "projects.project:7" and item.source == "inspection"
    assert "projects.project:7" not in page.content()  # stored, never shown as such

    page.context.clear_cookies()
    page = logged_in_page(handler_a)
    page.goto(f"{live_server.url}/supervision/todo/")
    page.get_by_role("link", name="市场占道").first.click()
    page.get_by_role("button", name="签收").click()
    page.get_by_text("已签收。").wait_for()
    page.get_by_label("进度(%)").fill("60")
    page.get_by_label("进展情况").fill("已清理主要路段")
    page.get_by_role("button", name="进展反馈").click()
    page.get_by_text("已提交进展反馈。").wait_for()
    page.locator("#id_request_closure_evidence").fill("验收记录")
    page.get_by_role("button", name="申请办结").click()
    page.get_by_text("已提交办结申请，等待审核。").wait_for()

    page.context.clear_cookies()
    page = logged_in_page(province_supervisor)
    page.goto(f"{live_server.url}/supervision/{item.pk}/")
    page.get_by_role("button", name="审核通过并办结").click()
    page.get_by_text("已审核通过，事项办结。").wait_for()
    assert page.get_by_test_id("status").inner_text() == "已办结"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("交办", "签收", "进展反馈", "申请办结", "审核通过"):
        assert step in timeline


def test_the_decompose_page_selects_every_unit_at_once(
    logged_in_page, live_server, handler_a, county_a, make_item
):
    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Level

    for number in range(1, 4):
        make_unit(f"53011200{number}", f"第{number}街道", Level.TOWNSHIP, county_a)
    item = make_item()
    page = logged_in_page(handler_a)
    page.goto(f"{live_server.url}/supervision/{item.pk}/decompose/")
    page.get_by_label("全选下级单位").check()
    page.get_by_role("button", name="分解交办").click()
    page.wait_for_url(re.compile(rf"/supervision/{item.pk}/$"))
    assert item.children.count() == 3


def test_the_browser_refuses_a_file_over_the_limit_before_uploading_it(
    logged_in_page, live_server, handler_a, make_item, settings
):
    from xiaoneng.supervision import services

    item = make_item()
    services.acknowledge(item, actor=handler_a)
    page = logged_in_page(handler_a)
    page.goto(f"{live_server.url}/supervision/{item.pk}/")
    files = page.locator("#id_report_progress_files")
    too_big = (settings.UPLOAD_MAX_MB * 1024 * 1024) + 1
    files.set_input_files(
        {"name": "现场照片.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * too_big}
    )
    message = files.evaluate("input => input.validationMessage")
    assert "现场照片.pdf" in message and "不能上传" in message
    files.set_input_files(
        {"name": "说明.txt", "mimeType": "text/plain", "buffer": "小文件".encode()}
    )
    assert files.evaluate("input => input.validationMessage") == ""
