"""The big screen and the dashboard at every promised size, over the 16 prefectures of
Yunnan (the demo's projects): nothing overflows or is cut off, no two axis labels of a
chart overprint (read from ECharts' own display list), every category keeps its label, and
axe-core finds no WCAG 2 A/AA violation."""

import datetime as dt

import pytest

from xiaoneng.core.tests.browser import (
    HALL,
    OFFICE,
    PHONE,
    WALL,
    assert_accessible,
    assert_no_overflow,
    cut_off,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per chart: its axis labels as drawn (text and rect in the chart's box), from ECharts'
# display list. ECharts draws a label's lines as "tspan" elements whose parent, the label,
# has an `anid` of "label_<value>"; labels it hid (hideOverlap) are not in the list.
AXIS_LABELS = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const chart = window.echarts.getInstanceByDom(el);
  const box = el.getBoundingClientRect();
  const seen = new Set();
  const labels = [];
  chart.getZr().storage.getDisplayList(true).forEach(e => {
    const label = e.parent;
    if (!label || typeof label.anid !== 'string' || !label.anid.startsWith('label_')) return;
    if (seen.has(label) || label.ignore || label.invisible) return;
    seen.add(label);
    const r = label.getBoundingRect().clone();
    if (label.transform) r.applyTransform(label.transform);
    labels.push({text: String(label.style.text), x: r.x, y: r.y, w: r.width, h: r.height});
  });
  const option = chart.getOption();
  const category = [...option.xAxis, ...option.yAxis].find(a => a.type === 'category');
  return {id: el.dataset.chart, width: box.width, height: box.height, labels: labels,
          categories: category ? category.data.map(String) : []};
})"""


def overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"] - 0.5
                and b["x"] < a["x"] + a["w"] - 0.5
                and a["y"] < b["y"] + b["h"] - 0.5
                and b["y"] < a["y"] + a["h"] - 0.5
            ):
                found.append((a["text"], b["text"]))
    return found


@pytest.fixture
def province_demo(province_supervisor):
    """The demo's 580 projects over all 16 prefectures of Yunnan."""
    from xiaoneng.projects import demo
    from xiaoneng.units import demo as units_demo

    ctx = {"today": dt.date.today()}
    units_demo.load(ctx)
    demo.load(ctx)


def _open(page, url, size):
    page.set_viewport_size(size)
    page.goto(url)
    page.wait_for_selector("[data-chart] canvas")
    page.wait_for_timeout(400)  # ECharts lays out after the first frame


def _charts_read_right(page) -> None:
    charts = page.evaluate(AXIS_LABELS)
    assert charts, "no chart"
    for chart in charts:
        labels = chart["labels"]
        assert overlaps(labels) == [], (chart["id"], overlaps(labels))
        for label in labels:  # inside the chart's own box
            assert label["x"] >= -1 and label["x"] + label["w"] <= chart["width"] + 1, (
                chart["id"],
                label,
            )
            assert label["y"] >= -1 and label["y"] + label["h"] <= chart["height"] + 1, (
                chart["id"],
                label,
            )
        # Every category keeps its label: none hidden to make room (a wrapped label's
        # text holds line breaks).
        shown = {label["text"].replace("\n", "") for label in labels}
        missing = [c for c in chart["categories"] if c not in shown]
        assert missing == [], (chart["id"], missing)


@pytest.mark.parametrize("size", [OFFICE, HALL, WALL, PHONE], ids=["1366", "1920", "3840", "360"])
def test_the_big_screen_holds_at_every_size(
    size, province_demo, logged_in_page, live_server, province_supervisor
):
    page = logged_in_page(province_supervisor)
    _open(page, f"{live_server.url}/projects/screen/", size)
    assert_no_overflow(page)
    if size is not PHONE:  # a phone scrolls through the charts one under another
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= size["height"], height  # the whole screen, no scrolling
    assert cut_off(page, ".stat .value, .stat .label, .chart-title, .screen-head h1") == []
    _charts_read_right(page)
    rank = page.evaluate(AXIS_LABELS)[0]["categories"]
    assert len(rank) == 16 and "西双版纳" in rank, rank
    assert_accessible(page)


def test_the_big_screen_reads_from_the_back_of_a_hall(
    province_demo, logged_in_page, live_server, province_supervisor
):
    """At 1920×1080: no text under 28 px but the category labels that shrink to their slot
    (16 prefectures side by side, 12 industries one above the other), upright short names,
    the warnings in words."""
    page = logged_in_page(province_supervisor)
    _open(page, f"{live_server.url}/projects/screen/", HALL)
    charts = page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
      const o = window.echarts.getInstanceByDom(el).getOption();
      const axes = [...o.xAxis, ...o.yAxis];
      return {id: el.dataset.chart,
              value: axes.filter(a => a.type === 'value').map(a => a.axisLabel.fontSize),
              category: axes.filter(a => a.type === 'category').map(a => a.axisLabel.fontSize),
              rotate: axes.map(a => a.axisLabel.rotate || 0),
              legend: o.legend[0].show ? o.legend[0].textStyle.fontSize : 28};
    })""")
    for chart in charts:
        assert min(chart["value"]) >= 28 and chart["legend"] >= 28, chart
        assert set(chart["rotate"]) == {0}, chart
        floor = 14 if chart["id"] == "chart-industry" else 22
        assert min(chart["category"]) >= floor, chart
    rank = page.evaluate(AXIS_LABELS)[0]["categories"]
    assert "红河" in rank and not any("自治" in name for name in rank)
    for selector in (".stat .label", ".chart-title", ".screen-time"):
        sizes = page.evaluate(
            f"Array.from(document.querySelectorAll('{selector}'))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert sizes and min(sizes) >= 28, (selector, sizes)
    warnings = page.get_by_test_id("screen-warnings").inner_text()
    assert "红灯" in warnings and "缺报" in warnings
    # Every industry has its bar: no "其他" standing for the small ones.
    industries = next(c for c in page.evaluate(AXIS_LABELS) if c["id"] == "chart-industry")
    assert len(industries["categories"]) == 12 and "其他" not in industries["categories"]


def _is_red(colour: str) -> bool:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return r > 150 and g < 120 and b < 120


@pytest.mark.parametrize("size", [OFFICE, HALL, PHONE], ids=["1366", "1920", "360"])
def test_the_dashboard_holds_at_every_size(
    size, province_demo, logged_in_page, live_server, province_supervisor
):
    page = logged_in_page(province_supervisor)
    _open(page, f"{live_server.url}/projects/", size)
    assert_no_overflow(page)
    assert cut_off(page, ".stat .value, .stat .label, .chart-title, td.num, .rank-list li") == []
    _charts_read_right(page)
    # Red is the red light's alone: no series is drawn in red.
    colours = page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart]'))
      .flatMap(el => window.echarts.getInstanceByDom(el).getOption().series
        .map(s => s.itemStyle.color))""")
    assert colours and not [c for c in colours if _is_red(c)], colours
    ranking = page.get_by_test_id("ranking")
    rank_list = page.get_by_test_id("rank-list")
    if size is PHONE:
        # The 16 prefectures as a ranked list, one line each; the wide table is gone.
        assert not ranking.is_visible() and rank_list.is_visible()
        heights = rank_list.locator("li").evaluate_all(
            "items => items.map(li => [li.getBoundingClientRect().height, "
            "parseFloat(getComputedStyle(li).lineHeight) || 24])"
        )
        assert len(heights) == 16
        assert all(h <= line * 1.6 + 14 for h, line in heights), heights  # one line
    else:
        assert ranking.is_visible() and not rank_list.is_visible()
    assert_accessible(page)


def test_the_charts_write_numbers_as_the_server_does(
    province_demo, logged_in_page, live_server, province_supervisor
):
    from decimal import Decimal

    from xiaoneng.projects import formats

    page = logged_in_page(province_supervisor)
    _open(page, f"{live_server.url}/projects/", OFFICE)
    cases = [
        (1234.5, formats.YI), (0.01, formats.YI), (4885.06, formats.YI), (1234567.89, formats.YI),
        (85.9, formats.PERCENT), (100.0, formats.PERCENT), (0.0, formats.PERCENT),
        (1343, formats.COUNT), (7, formats.COUNT),
    ]  # fmt: skip
    drawn = page.evaluate("cases => cases.map(([v, u]) => window.xiaonengCharts.fmt(v, u))", cases)
    assert drawn == [formats.in_unit(Decimal(str(v)), u) for v, u in cases]


def test_the_project_list_and_page_are_accessible_and_keep_their_columns_on_one_line(
    province_demo, logged_in_page, live_server, province_supervisor
):
    from xiaoneng.projects.models import Project

    page = logged_in_page(province_supervisor)
    page.set_viewport_size(OFFICE)
    page.goto(f"{live_server.url}/projects/list/?warning=warned")
    assert_no_overflow(page)
    wrapped = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.project-list tbody td.nowrap, .project-list tbody td.num')).filter(td => {
          const line = parseFloat(getComputedStyle(td).lineHeight) || 24;
          const range = document.createRange(); range.selectNodeContents(td);
          return range.getClientRects().length && range.getBoundingClientRect().height > line * 1.5;
        }).map(td => td.textContent.trim())""")
    assert wrapped == []
    # The light in words, and a missing report never beside 正常.
    cells = page.locator(".project-list tbody td:first-child").all_inner_texts()
    assert cells and all(("红灯" in c or "黄灯" in c) for c in cells)
    assert_accessible(page)
    page.goto(f"{live_server.url}/projects/list/?warning=missing")
    cells = page.locator(".project-list tbody td:first-child").all_inner_texts()
    assert cells and all("缺报" in c and "正常" not in c for c in cells), cells
    project = Project.objects.order_by("code").first()
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert_no_overflow(page)
    assert_accessible(page)


def test_choosing_a_prefecture_narrows_the_county_choices(
    province_demo, logged_in_page, live_server, province_supervisor
):
    from xiaoneng.units.models import Level, Unit

    kunming = Unit.objects.get(level=Level.PREFECTURE, name="昆明市")
    page = logged_in_page(province_supervisor)
    _open(page, f"{live_server.url}/projects/", OFFICE)
    assert page.locator("#id_county option").count() > 100  # every county of the province
    with page.expect_response(lambda r: "/projects/counties/" in r.url):
        page.select_option("#id_prefecture", str(kunming.pk))
    page.wait_for_timeout(200)
    options = page.locator("#id_county option").all_inner_texts()
    expected = Unit.objects.filter(parent=kunming, level=Level.COUNTY).count()
    assert len(options) == expected + 1 and "西山区" in options and "麒麟区" not in options
