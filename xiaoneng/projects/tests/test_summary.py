"""KPIs on a small ledger worked out by hand; brackets at their exact thresholds; scope."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import kpis, services
from xiaoneng.projects.models import Batch, Project
from xiaoneng.units.models import Level

D = Decimal
START = dt.date(2022, 6, 8)


@pytest.fixture
def ledger(make_project, county_a, county_b, province, batch):
    """Four projects (万元):

    code  where        industry  total        annual      started  入库  completed
    P1    西山区        交通      100000       5000        yes      yes   2500
    P2    西山区        交通      99999.99     4999.99     yes      no    1000
    P3    五华区        水利      200000       20000       no       no    0
    P4    曲靖市(no county) 水利  1000000      100000      yes      yes   30000
    P5    (batch 2022Q1, 西山区, must not count when filtering 2022Q2)
    """
    qujing = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    make_project(
        "P1",
        county=county_a,
        total_investment=D("100000"),
        annual_plan=D("5000"),
        actual_start=START,
        in_stats=True,
        completed_ytd=D("2500"),
    )
    make_project(
        "P2",
        county=county_a,
        total_investment=D("99999.99"),
        annual_plan=D("4999.99"),
        actual_start=START,
        completed_ytd=D("1000"),
    )
    make_project(
        "P3", county=county_b, industry="水利", total_investment=D("200000"), annual_plan=D("20000")
    )
    make_project(
        "P4",
        unit=qujing,
        industry="水利",
        total_investment=D("1000000"),
        annual_plan=D("100000"),
        actual_start=START,
        in_stats=True,
        completed_ytd=D("30000"),
    )
    q1 = Batch.objects.create(code="2022Q1", actor=SYSTEM)
    make_project("P5", county=county_a, batch=q1, total_investment=D("7"), annual_plan=D("7"))
    return qujing


def _summary(**filters):
    qs, batch, scope, _unit = kpis.scoped_projects(SYSTEM, **filters)
    return kpis.summary(qs, batch=batch, scope=scope)


def test_it_computes_the_kpis_of_a_small_ledger_by_hand(ledger):
    data = _summary(batches=["2022Q2"])
    # projects 4; total 100000 + 99999.99 + 200000 + 1000000 = 1399999.99
    assert data["projects"] == 4
    assert data["total_investment"] == D("1399999.99")
    # annual 5000 + 4999.99 + 20000 + 100000 = 129999.99
    assert data["annual_plan"] == D("129999.99")
    # started P1, P2, P4 = 3 → 3/4 = 75.0 %
    assert (data["started"], data["start_rate"]) == (3, D("75.0"))
    # 入库 P1, P4 = 2 → 2/4 = 50.0 %; of started 2/3 = 66.67 → 66.7 %
    assert (data["in_stats"], data["in_stats_rate"]) == (2, D("50.0"))
    assert data["in_stats_rate_of_started"] == D("66.7")
    # completed 2500 + 1000 + 0 + 30000 = 33500; 33500 / 129999.99 = 25.769… → 25.8 %
    assert data["completed_ytd"] == D("33500.00")
    assert data["completion_rate"] == D("25.8")


def test_it_groups_by_prefecture_and_industry(ledger):
    data = _summary(batches=["2022Q2"])
    kunming, qujing = data["by_prefecture"]
    # 昆明市: P1, P2, P3 (most projects first)
    assert kunming["name"] == "昆明市" and kunming["projects"] == 3
    assert kunming["total_investment"] == D("399999.99")
    assert kunming["annual_plan"] == D("29999.99")
    assert kunming["start_rate"] == D("66.7")  # 2/3
    assert kunming["in_stats_rate"] == D("33.3")  # 1/3
    assert kunming["in_stats_rate_of_started"] == D("50.0")  # 1/2
    assert kunming["completion_rate"] == D("11.7")  # 3500 / 29999.99 = 11.667
    # 曲靖市: P4 only
    assert (qujing["name"], qujing["projects"], qujing["start_rate"]) == ("曲靖市", 1, D("100.0"))
    assert qujing["completion_rate"] == D("30.0")  # 30000 / 100000
    # by industry: 交通 2 (P1, P2), 水利 2 (P3, P4); equal counts → catalogue order
    traffic, water = data["by_industry"]
    assert (traffic["name"], traffic["projects"], traffic["total_investment"]) == (
        "交通",
        2,
        D("199999.99"),
    )
    assert (water["name"], water["projects"], water["annual_plan"]) == ("水利", 2, D("120000.00"))


def test_it_counts_brackets_inclusively_at_their_exact_thresholds(ledger):
    data = _summary(batches=["2022Q2"])
    total = {
        b["min_yi"]: (b["projects"], b["total_investment"])
        for b in data["total_investment_brackets"]
    }
    # ≥10亿 = ≥100000万元: P1 (exactly 100000), P3, P4; not P2 (99999.99)
    assert total[10] == (3, D("1300000.00"))
    assert total[20] == (2, D("1200000.00"))  # P3 exactly 200000, P4
    assert total[30] == (1, D("1000000.00"))
    assert total[50] == (1, D("1000000.00"))
    assert total[100] == (1, D("1000000.00"))  # P4 exactly 100亿
    annual = {b["min_yi"]: b["projects"] for b in data["annual_plan_brackets"]}
    # ≥0.5亿 = 5000万元: P1 (exactly), P3, P4; not P2 (4999.99)
    assert annual == {0.5: 3, 1: 2, 2: 2, 5: 1, 10: 1}


def test_it_gives_no_rate_when_dividing_by_zero(db, batch):
    data = _summary(batches=["2022Q2"])
    assert data["projects"] == 0
    assert data["start_rate"] is None and data["completion_rate"] is None
    assert kpis.jsonable(data)["start_rate"] is None


def test_it_filters_by_prefecture_county_industry_and_batches(ledger, county_a):
    assert _summary(batches=["2022Q2"], prefecture="昆明市")["projects"] == 3
    assert _summary(batches=["2022Q2"], prefecture="昆明", county="西山区")["projects"] == 2
    assert _summary(batches=["2022Q2"], industry="水利")["projects"] == 2
    assert _summary(batches=["2022Q1", "2022Q2"])["projects"] == 5
    assert _summary()["projects"] == 5


def test_it_limits_the_summary_to_the_users_scope(ledger, handler_a, handler_b, prefecture):
    def count(user):
        qs, *_ = kpis.scoped_projects(user, batches=["2022Q2"])
        return kpis.summary(qs)["projects"]

    assert count(handler_a) == 2  # P1, P2 in 西山区
    assert count(handler_b) == 1  # P3 in 五华区
    assert count(make_user("km", prefecture, "viewer")) == 3  # 昆明市 and its counties


def test_the_command_prints_one_json_object(ledger, capsys):
    call_command("projects", "summary", "--batch", "2022Q2", "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "batch", "scope", "projects", "total_investment", "annual_plan", "started", "start_rate",
        "in_stats", "in_stats_rate", "in_stats_rate_of_started", "completed_ytd",
        "completion_rate", "by_prefecture", "by_industry", "total_investment_brackets",
        "annual_plan_brackets",
    }  # fmt: skip
    assert data["batch"] == "2022Q2" and data["scope"] == "全省"
    assert data["total_investment"] == "1399999.99"
    assert data["start_rate"] == 75.0 and data["in_stats_rate_of_started"] == 66.7
    assert data["by_prefecture"][0]["name"] == "昆明市"
    assert data["by_prefecture"][0]["total_investment"] == "399999.99"
    assert data["total_investment_brackets"][0] == {
        "min_yi": 10, "projects": 3, "total_investment": "1300000.00", "annual_plan": "125000.00"
    }  # fmt: skip
    call_command("projects", "summary", "--batch", "2022Q2", "--prefecture", "昆明市", "--json")
    assert json.loads(capsys.readouterr().out)["projects"] == 3


def test_the_command_prints_a_readable_table(ledger, capsys):
    call_command("projects", "summary", "--batch", "2022Q2")
    out = capsys.readouterr().out
    assert "开工率 75.0%" in out and "昆明市" in out and "曲靖市" in out


def test_the_api_gives_the_same_object(ledger, client_for, province_supervisor, handler_a):
    response = client_for(province_supervisor).get("/api/projects/summary/?batch=2022Q2")
    assert response.status_code == 200
    data = response.json()
    assert data["projects"] == 4 and data["completion_rate"] == 25.8
    assert data["annual_plan"] == "129999.99"
    scoped = client_for(handler_a).get("/api/projects/summary/?batch=2022Q2").json()
    assert scoped["projects"] == 2
    assert client_for(handler_a).get("/api/projects/summary/?batch=NOPE").status_code == 400


def test_the_summary_takes_five_queries_whatever_the_size(ledger, django_assert_num_queries):
    qs, *_ = kpis.scoped_projects(SYSTEM, batches=["2022Q2"])
    # totals with brackets; by prefecture + names; by industry + names
    with django_assert_num_queries(5):
        kpis.summary(qs)
    assert Project.objects.count() == 5


# --- Completed investment counts this year's figure only ----------------------------------


@pytest.fixture
def year_boundary(make_project, county_a, province_supervisor):
    """Two projects with an annual plan of 1000 each; P1 has reports for November and
    December 2025 (year to date 900), P2 nothing yet."""
    p1 = make_project("Y1", county=county_a, annual_plan=D("1000"), actual_start=START)
    make_project("Y2", county=county_a, annual_plan=D("1000"), actual_start=START)
    for month, ytd in ((11, "800"), (12, "900")):
        services.save_report(p1, actor=province_supervisor, year=2025, month=month,
                             completed_ytd=D(ytd), today=dt.date(2026, 1, 5))  # fmt: skip
    return p1


def test_last_years_completed_investment_does_not_count_in_january(year_boundary):
    qs = Project.objects.all()
    december = kpis.summary(qs, year=2025)
    assert december["completed_ytd"] == D("900.00") and december["completion_rate"] == D("45.0")
    january = kpis.summary(qs, year=2026)  # December's 900 is not this year's
    assert january["completed_ytd"] == D("0.00") and january["completion_rate"] == D("0.0")
    assert january["by_prefecture"][0]["completed_ytd"] == D("0.00")
    assert january["by_industry"][0]["completion_rate"] == D("0.0")


def test_the_new_years_first_report_counts_alone(year_boundary, province_supervisor):
    services.save_report(year_boundary, actor=province_supervisor, year=2026, month=1,
                         completed_this_month=D("50"), today=dt.date(2026, 2, 5))  # fmt: skip
    data = kpis.summary(Project.objects.all(), year=2026)
    assert data["completed_ytd"] == D("50.00")  # not 900 + 50
    assert data["completion_rate"] == D("2.5")  # 50 / 2000


def test_the_summary_year_is_todays_by_default(year_boundary, monkeypatch):
    monkeypatch.setattr(kpis.timezone, "localdate", lambda: dt.date(2026, 1, 15))
    assert kpis.summary(Project.objects.all())["completed_ytd"] == D("0.00")
    monkeypatch.setattr(kpis.timezone, "localdate", lambda: dt.date(2025, 12, 31))
    assert kpis.summary(Project.objects.all())["completed_ytd"] == D("900.00")


# --- Scope filters by the names people write ----------------------------------------------


@pytest.fixture
def autonomous(province, prefecture, make_project):
    """西双版纳傣族自治州 with 景洪市, 石林彝族自治县 in 昆明市: a project in each."""
    banna = make_unit("532800", "西双版纳傣族自治州", Level.PREFECTURE, province)
    jinghong = make_unit("532801", "景洪市", Level.COUNTY, banna)
    shilin = make_unit("530126", "石林彝族自治县", Level.COUNTY, prefecture)
    make_project("N1", unit=banna, county=jinghong, industry="文化旅游")
    make_project("N2", county=shilin)
    return banna, shilin


@pytest.mark.parametrize("name", ["西双版纳州", "版纳", "西双版纳", "西双版纳傣族自治州", "532800"])
def test_the_summary_finds_a_prefecture_by_its_common_names(autonomous, name):
    data = _summary(prefecture=name)
    assert (data["scope"], data["projects"]) == ("西双版纳傣族自治州", 1)


@pytest.mark.parametrize("name", ["石林县", "石林", "石林彝族自治县"])
def test_the_summary_finds_a_county_by_its_common_names(autonomous, name):
    assert _summary(county=name)["projects"] == 1
    assert _summary(prefecture="昆明", county=name)["projects"] == 1


def test_an_ambiguous_short_name_is_refused_naming_both(autonomous, prefecture, capsys):
    from django.core.management.base import CommandError

    make_unit("530199", "石林区", Level.COUNTY, prefecture)  # (made up: two 石林)
    with pytest.raises(kpis.ScopeError) as info:
        _summary(county="石林")
    assert "石林彝族自治县" in str(info.value) and "石林区" in str(info.value)
    with pytest.raises(CommandError, match="石林区"):
        call_command("projects", "summary", "--county", "石林")
    assert _summary(county="石林县")["projects"] == 1  # the other forms still work


def test_the_command_takes_common_names_and_industry_aliases(autonomous, capsys):
    call_command("projects", "summary", "--prefecture", "版纳", "--industry", "旅游业", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["projects"] == 1 and data["scope"] == "西双版纳傣族自治州·文化旅游"
    call_command("projects", "summary", "--county", "石林县", "--json")
    assert json.loads(capsys.readouterr().out)["projects"] == 1
