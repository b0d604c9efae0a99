"""Yellow/red warnings at their thresholds, and the problem link to the supervision module."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import alerts, links
from xiaoneng.projects.models import Project

from .urls_stub import WithoutSupervision, WithSupervision

D = Decimal


def level(project, today):
    row = alerts.annotate(Project.objects.filter(pk=project.pk), today).get()
    return row.start_level, row.stats_level, row.pace_level, row.warning


@pytest.fixture
def not_started(make_project, county_a):
    return make_project("W1", county=county_a, planned_start=dt.date(2022, 3, 1))


def test_late_start_turns_yellow_after_the_planned_month_and_red_after_three_more(not_started):
    assert level(not_started, dt.date(2022, 3, 31))[0] == 0  # still the planned month
    assert level(not_started, dt.date(2022, 4, 1))[0] == 1  # late by 1 month
    assert level(not_started, dt.date(2022, 6, 30))[0] == 1  # late by 3 months
    assert level(not_started, dt.date(2022, 7, 1))[0] == 2  # more than 3 months late
    not_started.actual_start = dt.date(2022, 7, 1)
    not_started.save(actor=SYSTEM)
    assert level(not_started, dt.date(2022, 7, 2))[0] == 0


def test_late_in_stats_turns_yellow_after_one_month_and_red_after_two(make_project, county_a):
    p = make_project("W2", county=county_a, actual_start=dt.date(2022, 3, 15))
    assert level(p, dt.date(2022, 4, 14))[1] == 0
    assert level(p, dt.date(2022, 4, 15))[1] == 1
    assert level(p, dt.date(2022, 5, 15))[1] == 2
    p.in_stats = True
    p.save(actor=SYSTEM)
    assert level(p, dt.date(2022, 5, 15))[1] == 0


def test_pace_warning_by_points_behind_the_expected_share(make_project, county_a, settings):
    settings.XIAONENG_PROJECTS_REPORT_DUE_DAY = 10
    # On 2022-07-11 the reports up to June are due: expected 6/12 = 50 % of the annual plan.
    today = dt.date(2022, 7, 11)
    kw = {"county": county_a, "annual_plan": D("1000"), "actual_start": dt.date(2022, 1, 5),
          "in_stats": True, "completed_year": 2022}  # fmt: skip
    on_pace = make_project("P0", completed_ytd=D("401"), **kw)  # 9.9 points behind
    yellow_edge = make_project("P1", completed_ytd=D("400"), **kw)  # exactly 10 points behind
    yellow_top = make_project("P2", completed_ytd=D("200"), **kw)  # exactly 30 points behind
    red = make_project("P3", completed_ytd=D("199.99"), **kw)  # more than 30 behind
    assert level(on_pace, today)[2] == 0
    assert level(yellow_edge, today)[2] == 1
    assert level(yellow_top, today)[2] == 1
    assert level(red, today)[2] == 2
    assert alerts.filter_level(Project.objects.all(), "red", today).get() == red
    assert alerts.counts(Project.objects.all(), today)["yellow"] == 2


def test_the_problem_link_prefills_the_lead_unit(make_project, county_a, prefecture, settings):
    settings.ROOT_URLCONF = WithSupervision
    project = make_project("L1", county=county_a, name="环湖路")
    url = links.problem_item_url(project, warnings=["开工滞后（红灯）"])
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path == "/supervision/items/new/"
    assert query["kind"] == ["problem"]
    assert query["lead_unit"] == [str(county_a.pk)]
    assert query["source"] == ["inspection"]
    assert query["ref"] == [f"projects.project:{project.pk}"]
    assert query["title"] == ["重大项目问题：环湖路"]
    assert "开工滞后（红灯）" in query["description"][0]
    no_county = make_project("L2", unit=prefecture)
    assert parse_qs(urlsplit(links.problem_item_url(no_county)).query)["lead_unit"] == [
        str(prefecture.pk)
    ]


def test_the_problem_link_is_hidden_until_the_supervision_page_exists(
    make_project, county_a, settings
):
    settings.ROOT_URLCONF = WithoutSupervision
    assert links.problem_item_url(make_project("L3", county=county_a)) is None


@pytest.mark.parametrize(
    ("role", "shown"),
    [("supervisor", True), ("leader", True), ("viewer", False), ("reporter", False),
     ("handler", False), ("unit_admin", False)],
)  # fmt: skip
def test_the_problem_button_shows_only_to_those_who_may_assign(
    make_project, county_a, client_for, role, shown
):
    from xiaoneng.conftest import make_user

    project = make_project("L4", county=county_a)
    user = make_user(f"xs_{role}", county_a, role)
    page = client_for(user).get(f"/projects/{project.pk}/").content.decode()
    assert ("转为问题交办" in page) is shown
    if shown:  # and the button leads to a page that lets them in
        assert client_for(user).get(links.problem_item_url(project)).status_code == 200
