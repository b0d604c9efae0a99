"""修改事项 in Debian's chromium: from the item's page to a new deadline on its timeline, on
a desktop and on a phone. XN_SCREENSHOTS=<folder> keeps screenshots of the page."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from xiaoneng.supervision.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name: str) -> None:
    if folder := os.environ.get("XN_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_it_moves_a_deadline_from_the_items_page(
    logged_in_page, live_server, province_supervisor, handler_a, make_item
):
    item = make_item(
        title="农贸市场周边占道经营反复回潮",
        kind="problem",
        responsible=handler_a,
        description="督导检查发现早晚高峰占道经营，群众反映强烈",
        rectification="划定临时疏导点，落实门前三包",
    )
    new = item.deadline + dt.timedelta(days=15)
    page = logged_in_page(province_supervisor)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/supervision/{item.pk}/")
    page.get_by_role("link", name="修改", exact=True).click()
    page.wait_for_url(re.compile(rf"/supervision/{item.pk}/edit/$"))
    shoot(page, "item_edit_1366.png")

    page.get_by_label("标题").fill("")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("未能保存：请按提示修改后重新提交。").wait_for()
    shoot(page, "item_edit_errors_1366.png")
    page.get_by_label("标题").fill("农贸市场周边占道经营反复回潮")
    page.get_by_label("办理时限").fill(new.isoformat())
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存修改。").wait_for()
    shoot(page, "item_detail_after_edit_1366.png")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert f"办理时限：{item.deadline.isoformat()} → {new.isoformat()}" in timeline
    assert Item.objects.get(pk=item.pk).deadline == new

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/supervision/{item.pk}/edit/")
    shoot(page, "item_edit_360.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # nothing wider than the phone
