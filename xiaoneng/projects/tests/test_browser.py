"""The dashboard and the big screen render their charts in a real browser (chromium)."""

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per chart: the lengths of its series' data, as ECharts holds them (null: not drawn).
DRAWN = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const chart = window.echarts.getInstanceByDom(el);
  return chart ? chart.getOption().series.map(s => s.data.length) : null;
})"""


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
    assert page.locator("[data-chart] canvas").count() == 6
    assert errors == []


def test_the_big_screen_still_draws_its_charts_after_refreshing(
    ledger, logged_in_page, live_server, province_supervisor, settings
):
    """The refresh swaps the screen's body by htmx, which drops <script> blocks (the
    allowScriptTags setting): the charts' data must come with the swapped elements."""
    settings.XIAONENG_PROJECTS_SCREEN_REFRESH_SECONDS = 1
    # 1 prefecture; 2 industries; 5 brackets (2 series); the trend: this year's months up
    # to B1's opening report (the ledger's figure, entered this month), 2 series.
    months = dt.date.today().month
    expected = [[1], [1, 1, 1], [2], [5, 5], [5, 5], [months, months]]
    page = logged_in_page(province_supervisor)
    errors = _collect_errors(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/projects/screen/?batch=2022Q2")
    page.wait_for_selector("[data-chart] canvas")
    assert page.evaluate(DRAWN) == expected
    page.evaluate("""() => {
      window.swaps = 0;
      document.querySelectorAll('[data-chart]').forEach(el => { el.dataset.before = '1'; });
      document.body.addEventListener('htmx:afterSettle', () => { window.swaps += 1; });
    }""")
    for _tick in range(100):  # (wait_for_function evaluates a string: the CSP forbids it)
        if page.evaluate("() => window.swaps") >= 2:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.swaps") >= 2
    page.wait_for_timeout(200)
    assert page.locator("[data-chart][data-before]").count() == 0  # new elements
    assert page.locator("[data-chart] canvas").count() == 6
    assert page.evaluate(DRAWN) == expected
    assert errors == []
