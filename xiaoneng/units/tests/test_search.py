"""The pickers' search (/units/search/): by name, short name, pinyin initials and code prefix,
in the standard order, each with its path, within what the policy lets the user take the
field's action on."""

import pytest
from django.urls import reverse

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, Unit, initials

pytestmark = pytest.mark.django_db
URL = reverse("units:search")


@pytest.fixture
def streets(county_a, county_b):
    yongchang = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)
    make_unit("530112007001", "永兴路社区", Level.COMMUNITY, yongchang, Kind.COMMUNITY)
    make_unit("530112001", "金碧街道", Level.TOWNSHIP, county_a, Kind.STREET)
    make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b, Kind.STREET)
    return yongchang


def found(client, **params) -> list[str]:
    r = client.get(URL, params)
    assert r.status_code == 200, r.content
    return [row["name"] for row in r.json()["results"]]


def test_initials_are_stored_on_save(county_a):
    assert Unit.objects.get(pk=county_a.pk).initials == "xsq"
    county_a.short_name = "西山"
    county_a.save(actor=SYSTEM)
    assert Unit.objects.get(pk=county_a.pk).short_initials == "xs"
    assert initials("A区 3号") == "aq3h"
    assert initials("（试点）") == "sd"


def test_it_finds_by_name_short_name_initials_and_code(client_for, province_supervisor, streets):
    c = client_for(province_supervisor)
    assert found(c, q="永昌") == ["永昌街道"]
    assert found(c, q="xsq") == ["西山区"]
    assert found(c, q="XSQ") == ["西山区"]  # initials in either case
    assert found(c, q="ycjd") == ["永昌街道"]
    assert found(c, q="530112") == ["西山区", "金碧街道", "永昌街道", "永兴路社区"]
    assert found(c, q="530112007") == ["永昌街道", "永兴路社区"]
    assert found(c, q="街道") == ["华山街道", "金碧街道", "永昌街道"]
    streets.short_name = "永昌办事处"
    streets.save(actor=SYSTEM)
    assert found(c, q="办事处") == ["永昌街道"]
    assert found(c, q="ycbsc") == ["永昌街道"]


def test_short_name_initials_are_searched(client_for, province_supervisor, province):
    honghe = Unit(
        code="532500",
        name="红河哈尼族彝族自治州",
        short_name="红河州",
        level=Level.PREFECTURE,
        parent=province,
    )
    honghe.save(actor=SYSTEM)
    c = client_for(province_supervisor)
    assert found(c, q="hhz") == ["红河哈尼族彝族自治州"]
    assert found(c, q="红河州") == ["红河哈尼族彝族自治州"]


def test_words_narrow_and_results_come_in_the_standard_order(
    client_for, province_supervisor, streets
):
    c = client_for(province_supervisor)
    # 五华区 (530102) before 西山区 (530112), though inserted after it.
    assert found(c, q="区") == ["五华区", "西山区", "永兴路社区"]
    assert found(c, q="xsq 街道") == []  # 西山区 is not a 街道
    assert found(c, q="ycjd 530112") == ["永昌街道"]
    assert found(c, q="530112 街道") == ["金碧街道", "永昌街道"]


def test_each_result_carries_its_path(client_for, province_supervisor, streets):
    c = client_for(province_supervisor)
    row = c.get(URL, {"q": "永兴路"}).json()["results"][0]
    assert row["label"] == "昆明市 › 西山区 › 永昌街道 › 永兴路社区"
    assert row["id"] == Unit.objects.get(code="530112007001").pk
    assert c.get(URL, {"q": "云南"}).json()["results"][0]["label"] == "云南省"


def test_the_paths_cost_one_query_for_all_results(
    client_for, province_supervisor, streets, django_assert_max_num_queries
):
    c = client_for(province_supervisor)
    # The session, the user, their roles, their unit; the units; their ancestors' names.
    with django_assert_max_num_queries(6):
        rows = c.get(URL, {"q": "5301"}).json()["results"]
    assert len(rows) >= 6


def test_within_and_level_narrow_the_search(client_for, province_supervisor, streets, county_a):
    c = client_for(province_supervisor)
    assert found(c, within=county_a.pk, level="township") == ["金碧街道", "永昌街道"]
    assert found(c, level="county,township", q="街道") == ["华山街道", "金碧街道", "永昌街道"]


def test_it_returns_at_most_twenty_and_says_there_are_more(
    client_for, province_supervisor, county_a
):
    for n in range(25):
        make_unit(f"530112{n + 100:03d}", f"第{n + 1}街道", Level.TOWNSHIP, county_a, Kind.STREET)
    data = client_for(province_supervisor).get(URL, {"q": "街道"}).json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert data["results"][0]["code"] == "530112100"


def test_the_outsider_never_finds_county_a(client_for, handler_b, streets, county_a, county_b):
    c = client_for(handler_b)
    assert found(c) == ["五华区", "华山街道"]
    assert found(c, q="永昌") == [] and found(c, q="xsq") == [] and found(c, q="530112") == []
    # Naming county A as `within` finds nothing either (as for a unit that does not exist).
    assert found(c, within=county_a.pk) == []
    assert found(c, within=999999) == []


def test_the_action_narrows_to_what_the_field_needs(client_for, handler_a, admin_a, streets):
    # A handler may see its county but assigns to no unit; a unit admin manages its people.
    assert found(client_for(handler_a), q="街道") == ["金碧街道", "永昌街道"]
    assert found(client_for(handler_a), q="街道", action="assign") == []
    assert found(client_for(admin_a), action="manage_users", q="街道") == ["金碧街道", "永昌街道"]


@pytest.mark.parametrize(
    "params",
    [{"action": "no_such_action"}, {"within": "abc"}, {"level": "planet"}, {"within": "-1"}],
)
def test_bad_parameters_get_a_chinese_reason(client_for, province_supervisor, params):
    r = client_for(province_supervisor).get(URL, params)
    assert r.status_code == 400
    assert "参数" in r.json()["error"]


def test_odd_text_is_searched_as_text_not_a_pattern(client_for, province_supervisor, streets):
    c = client_for(province_supervisor)
    for q in ["%", "_", "*", "[a-z]*", "'; drop table", "5301*", "x" * 500]:
        assert c.get(URL, {"q": q}).status_code == 200
    assert found(c, q="%") == [] and found(c, q="5301*") == []


def test_a_resident_may_not_search_units(client_for, county_a):
    resident = make_user("jm", county_a, "resident")
    assert client_for(resident).get(URL).status_code == 403
