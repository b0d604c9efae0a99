"""The unit pickers in chromium: assigning an item by typing its lead unit, two co-units (one
of them with the keyboard alone) and its responsible person, on an office screen and a
phone; the form passes axe-core's WCAG 2 A/AA checks with the pickers filled in."""

import pytest

from xiaoneng.conftest import make_unit
from xiaoneng.core.tests.browser import OFFICE, PHONE, assert_accessible, assert_no_overflow
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Kind, Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [OFFICE, PHONE], ids=["office", "phone"])
def test_it_assigns_an_item_with_units_chosen_by_typing(
    logged_in_page, live_server, province_supervisor, county_a, county_b, handler_a, size
):
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)
    page = logged_in_page(province_supervisor)
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/supervision/new/")

    page.get_by_label("标题").fill("背街小巷环境整治")
    # The lead unit by its pinyin initials, chosen with the mouse.
    lead = page.get_by_role("combobox", name="牵头单位")
    lead.click()
    lead.fill("xsq")
    page.get_by_role("option", name="昆明市 › 西山区", exact=True).click()
    chosen = page.locator('input[type="hidden"][name="lead_unit"]')
    assert chosen.evaluate_all("els => els.map(e => e.value)") == [str(county_a.pk)]

    # A co-unit by name, with the mouse.
    co = page.get_by_role("combobox", name="配合单位")
    co.click()
    co.fill("五华")
    page.get_by_role("option", name="昆明市 › 五华区", exact=True).click()
    # Another with the keyboard alone: type, Down to the first result, Enter.
    co.press_sequentially("ycjd", delay=30)
    page.get_by_role("option", name="昆明市 › 西山区 › 永昌街道", exact=True).wait_for()
    co.press("ArrowDown")
    assert co.get_attribute("aria-activedescendant") == "id_co_units_opt_0"
    co.press("Enter")
    values = page.locator('input[type="hidden"][name="co_units"]')
    assert values.evaluate_all("els => els.map(e => e.value)") == [str(county_b.pk), str(street.pk)]
    assert co.get_attribute("aria-expanded") == "false"

    # The responsible person among the lead unit's members.
    person = page.get_by_role("combobox", name="责任人")
    person.click()
    person.fill("周")
    page.get_by_role("option", name="周承办（xs_cb）", exact=True).click()

    page.get_by_label("天数").fill("10")
    assert_no_overflow(page)
    assert_accessible(page)
    # Removing a chip takes its value off the form.
    page.get_by_role("button", name="移除：昆明市 › 五华区").click()
    assert values.evaluate_all("els => els.map(e => e.value)") == [str(street.pk)]

    page.get_by_role("button", name="交办", exact=True).click()
    page.wait_for_url("**/supervision/*/")
    item = Item.objects.get(title="背街小巷环境整治")
    assert item.lead_unit == county_a and item.responsible == handler_a
    assert list(item.co_units.all()) == [street]
