"""The dashboard and the big screen render their charts in a real browser (chromium)."""

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(make_project, county_a, county_b):
    make_project(
        "B1", county=county_a, actual_start=dt.date(2022, 6, 8), completed_ytd=Decimal("100")
    )
    make_project("B2", county=county_b, industry="水利", total_investment=Decimal("200000"))


def _collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_it_draws_every_chart_of_the_dashboard(
    ledger, logged_in_page, live_server, province_supervisor
):
    page = logged_in_page(province_supervisor)
    errors = _collect_errors(page)
    page.goto(f"{live_server.url}/projects/")
    page.wait_for_selector("[data-chart] canvas")
    assert page.locator("[data-chart]").count() == 6
    assert page.locator("[data-chart] canvas").count() == 6
    # Each chart's table view opens with the keyboard-reachable <summary>.
    page.locator(".chart-table summary").first.click()
    assert page.locator(".chart-table table").first.is_visible()
    assert errors == []


def test_the_big_screen_is_dark_and_charted(
    ledger, logged_in_page, live_server, province_supervisor
):
    page = logged_in_page(province_supervisor)
    errors = _collect_errors(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/projects/screen/")
    page.wait_for_selector("[data-chart] canvas")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 26, 51)"
    assert page.locator("[data-chart] canvas").count() == 4
    assert errors == []
