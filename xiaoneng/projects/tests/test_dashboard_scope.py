"""The dashboard adapts to who looks: a prefecture sees its counties, a county its own
projects and its place among its prefecture's counties (sums only: never another county's
project); the county filter follows the prefecture; charts keep counts and money apart;
one number format."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.projects import charts, formats
from xiaoneng.projects.models import Batch, name_from_code
from xiaoneng.units.models import Level

SECRET = "甲县机密项目"


@pytest.fixture
def qujing(province):
    pref = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    return pref, make_unit("530302", "麒麟区", Level.COUNTY, pref)


@pytest.fixture
def ledger(make_project, county_a, county_b, qujing):
    started = dt.date(2022, 6, 8)
    make_project("A1", county=county_a, name=SECRET, actual_start=started)
    make_project("B1", county=county_b, name="五华一号", actual_start=started)
    make_project("B2", county=county_b, name="五华二号", total_investment=Decimal("300000"))
    make_project("Q1", county=qujing[1], unit=qujing[0], name="麒麟项目", industry="水利")


def test_a_prefecture_opens_on_its_counties(ledger, client_for, prefecture):
    client = client_for(make_user("km_xn", prefecture, "supervisor"))
    response = client.get("/projects/")
    page = response.content.decode()
    assert "昆明市各县市区比一比" in page
    assert [r["name"] for r in response.context["ranked"]] == ["五华区", "西山区"]
    assert "麒麟区" not in page and "各州市比一比" not in page


def test_a_county_sees_its_projects_and_its_place_among_its_prefectures_counties(
    ledger, client_for, county_a
):
    client = client_for(make_user("xs_xn", county_a, "supervisor"))
    response = client.get("/projects/")
    page = response.content.decode()
    assert response.context["summary"]["projects"] == 1  # its own project only
    place = re.search(r"西山区在 (\d) 个县市区中排第 (\d) 位", page)
    assert place and place.groups() == ("2", "2"), page  # 五华区 has two projects
    ranked = response.context["ranked"]
    assert [(r["name"], r["projects"]) for r in ranked] == [("五华区", 2), ("西山区", 1)]
    # Sums of the sibling, never its projects.
    assert "五华一号" not in page and "五华二号" not in page
    assert "五华一号" not in client.get("/projects/list/").content.decode()
    by_total = client.get("/projects/?rank=total_investment").context["ranked"]
    assert by_total[0]["name"] == "五华区"
    # The warning buttons open the list of exactly the rows they count, with no filter
    # refused (a county's people cannot choose their prefecture).
    for level, key in (("red", "red"), ("yellow", "yellow"), ("missing", "missing")):
        link = re.search(rf'href="(/projects/list/\?[^"]*warning={level})"', page)[1]
        listing = client.get(link.replace("&amp;", "&"))
        assert listing.context["page"].paginator.count == response.context["warnings"][key]
        assert not listing.context["form"].errors, link


def test_the_outsider_county_sees_only_sums_of_county_a(ledger, client_for, handler_b):
    page = client_for(handler_b).get("/projects/").content.decode()
    assert SECRET not in page and "西山区" in page  # 西山区's row in 比一比


def test_the_county_choices_follow_the_prefecture(
    ledger, client_for, province_supervisor, prefecture, qujing, county_a
):
    client = client_for(province_supervisor)
    form = client.get(f"/projects/?prefecture={qujing[0].pk}").context["form"]
    assert [u.name for u in form.fields["county"].queryset] == ["麒麟区"]
    form = client.get("/projects/").context["form"]
    assert {u.name for u in form.fields["county"].queryset} == {"五华区", "西山区", "麒麟区"}
    # The fragment htmx swaps in when the prefecture changes.
    fragment = client.get(f"/projects/counties/?prefecture={prefecture.pk}").content.decode()
    assert 'id="id_county"' in fragment and "西山区" in fragment and "麒麟区" not in fragment
    assert 'hx-get="/projects/counties/"' in client.get("/projects/list/").content.decode()
    # A county outside the chosen prefecture is a filter named as wrong, not a 500.
    response = client.get(f"/projects/list/?prefecture={qujing[0].pk}&county={county_a.pk}")
    assert response.status_code == 200


def test_a_batch_is_named_from_its_code():
    assert name_from_code("2026Q4") == "2026年第四季度集中开工"
    assert name_from_code("2022q2") == "2022年第二季度集中开工"
    assert name_from_code("2022Q5") == "" and name_from_code("重点") == ""
    assert Batch(code="2026Q1").display_name == "2026年第一季度集中开工"
    assert Batch(code="2026Q1", name="一季度开工").display_name == "一季度开工"


def test_the_screen_title_names_the_batch(ledger, client_for, province_supervisor):
    page = client_for(province_supervisor).get("/projects/screen/?batch=2022Q2").content.decode()
    assert "全省重大项目 · 2022年第二季度集中开工" in page


def test_no_chart_draws_counts_and_money_as_bars_side_by_side(
    ledger, client_for, province_supervisor
):
    for url in ("/projects/", "/projects/screen/"):
        for spec in client_for(province_supervisor).get(url).context["charts"]:
            bars = {s["unit"] for s in spec["series"] if s["mark"] == "bar"}
            assert len(bars) <= 1, spec  # one unit per kind of mark
            for s in spec["series"]:
                if s["unit"] == formats.COUNT and len({x["unit"] for x in spec["series"]}) > 1:
                    assert s["mark"] == "line" and s["axis"] == 1, spec


def test_every_industry_is_drawn(ledger, client_for, province_supervisor):
    for url in ("/projects/", "/projects/screen/"):
        specs = client_for(province_supervisor).get(url).context["charts"]
        industry = next(c for c in specs if c["id"] == "chart-industry")
        assert sorted(industry["labels"]) == ["交通", "水利"] and "其他" not in industry["labels"]


def test_one_format_for_money_and_rates():
    assert formats.yi(Decimal("12345678.90")) == "1,234.57"
    assert formats.yi(Decimal("50")) == "0.01"  # half up, as the published tables
    assert formats.rate(Decimal("85.9")) == "85.9%" and formats.rate(None) == "—"
    assert formats.in_unit(1234.5, formats.YI) == "1,234.50"
    assert formats.in_unit(85.0, formats.PERCENT) == "85.0%"
    assert formats.in_unit(1343, formats.COUNT) == "1,343"
    assert charts._yi(Decimal("12345678.90")) == 1234.57
