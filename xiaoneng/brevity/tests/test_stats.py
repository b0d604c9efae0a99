"""Statistics per unit and month: hand-counted figures, the page and the API equal, a
bounded number of queries, the outsider."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from xiaoneng.brevity import services, stats
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level


def meeting(unit, day, kind, planned, *, days=1, main=None):
    speeches = [{"speaker": "甲", "role": "main", "minutes": main}] if main else []
    return services.save_meeting(
        None, actor=SYSTEM, organiser=unit, kind=kind, title="会", date=day, days=days,
        planned_minutes=planned, actual_minutes=None, mode="onsite", attendees=None,
        speeches=speeches,
    )  # fmt: skip


def document(unit, day, chars, single=False):
    return services.save_document(
        None, actor=SYSTEM, unit=unit, kind="通知", title="文", date=day, chars=chars,
        single_task=single,
    )  # fmt: skip


@pytest.fixture
def data(prefecture, county_a, county_b):
    township = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a)
    march, april = dt.date(2026, 3, 10), dt.date(2026, 4, 2)
    meeting(prefecture, march, "work", 120)  # within
    meeting(county_a, march, "plenary", 300)  # over 240
    meeting(county_a, april, "work", 60, main=30)  # within
    meeting(township, march, "group", 800, days=2)  # over 720
    meeting(county_b, march, "work", 90)  # within
    meeting(county_b, dt.date(2025, 3, 1), "work", 90)  # another year
    document(county_a, march, 5001)  # over
    document(county_a, march, 3000)
    document(county_b, april, 4000, single=True)  # at its limit: within
    return {"prefecture": prefecture, "a": county_a, "b": county_b}


def test_the_figures_are_the_hand_counted_ones(data):
    result = stats.unit_stats(data["prefecture"], 2026)
    rows = {r["unit"].name: r for r in result["rows"]}
    assert list(rows) == ["昆明市", "五华区", "西山区"]
    own = rows["昆明市"]
    assert own["own"] and own["year"]["meetings"] == 1 and own["year"]["within_rules_rate"] == 100
    assert own["year"]["documents"] == 0 and own["year"]["within_limit_rate"] is None
    xs = rows["西山区"]
    assert xs["months"][3]["meetings"] == 2 and xs["months"][3]["meeting_minutes"] == 1100
    assert xs["months"][3]["within_rules_rate"] == Decimal("0.0")
    assert xs["months"][4]["meetings"] == 1 and xs["months"][4]["within_rules_rate"] == 100
    year = xs["year"]
    assert (year["meetings"], year["meeting_minutes"]) == (3, 1160)
    assert year["average_minutes"] == Decimal("386.7")
    assert year["within_rules_rate"] == Decimal("33.3")
    assert (year["documents"], year["average_chars"]) == (2, Decimal("4001"))  # 4000.5 ↑
    assert year["within_limit_rate"] == Decimal("50.0")
    wh = rows["五华区"]["year"]
    assert (wh["meetings"], wh["within_rules_rate"], wh["within_limit_rate"]) == (1, 100, 100)
    total = result["total"]["year"]
    assert (total["meetings"], total["meeting_minutes"], total["meetings_within"]) == (5, 1370, 3)
    assert total["within_rules_rate"] == Decimal("60.0")
    assert total["average_minutes"] == Decimal("274.0")
    assert (total["documents"], total["average_chars"]) == (3, Decimal("4000"))
    assert total["within_limit_rate"] == Decimal("66.7")


def test_the_page_and_the_api_show_the_same_numbers(client_for, data):
    km_xn = make_user("km_xn", data["prefecture"], "supervisor")
    c = client_for(km_xn)
    api = c.get("/api/brevity/stats/?year=2026").json()
    assert api["unit"]["name"] == "昆明市"
    assert [r["unit"]["name"] for r in api["rows"]] == ["昆明市", "五华区", "西山区"]
    xs = api["rows"][2]
    assert xs["year"]["meetings"] == 3 and xs["year"]["within_rules_rate"] == 33.3
    assert xs["months"]["3"]["meeting_minutes"] == 1100
    assert api["total"]["year"]["within_limit_rate"] == 66.7
    page = c.get(reverse("brevity:stats") + "?year=2026")
    assert page.status_code == 200
    shown = {r["unit"].name: r["shown"] for r in page.context["data"]["rows"]}
    for row in api["rows"]:
        for key, value in row["year"].items():
            got = shown[row["unit"]["name"]][key]
            assert (float(got) if isinstance(got, Decimal) else got) == value, key
    text = page.content.decode()
    assert "33.3%" in text and "66.7%" in text
    # a chosen month
    page = c.get(reverse("brevity:stats") + "?year=2026&month=4")
    shown = {r["unit"].name: r["shown"] for r in page.context["data"]["rows"]}
    assert shown["西山区"]["meetings"] == 1 and shown["五华区"]["documents"] == 1
    # drill down to a row's own page
    down = c.get(reverse("brevity:stats") + f"?unit={data['a'].pk}&year=2026")
    rows = down.context["data"]["rows"]
    assert rows[0]["unit"] == data["a"] and rows[0]["year"]["meetings"] == 2
    assert rows[1]["unit"].name == "永昌街道" and rows[1]["year"]["meetings"] == 1
    assert (
        c.get(f"/api/brevity/stats/?unit={data['a'].pk}&year=2026").json()["rows"][0]["year"][
            "meetings"
        ]
        == 2
    )


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "unit=abc", "unit=-1", "unit=0"])
def test_bad_parameters_answer_400(client_for, handler_a, query):
    r = client_for(handler_a).get(f"/api/brevity/stats/?{query}")
    assert r.status_code == 400
    assert client_for(handler_a).get(reverse("brevity:stats") + f"?{query}").status_code in (
        200,
        404,
    )


def test_the_outsider_gets_404_for_a_unit_outside(client_for, data, handler_b):
    c = client_for(handler_b)
    assert c.get(f"/api/brevity/stats/?unit={data['a'].pk}").status_code == 404
    assert c.get(reverse("brevity:stats") + f"?unit={data['a'].pk}").status_code == 404
    own = c.get("/api/brevity/stats/?year=2026").json()
    assert own["unit"]["name"] == "五华区" and own["total"]["year"]["meetings"] == 1


def test_the_number_of_queries_does_not_grow_with_units(
    django_assert_max_num_queries, province, prefecture
):
    for n in range(30):
        county = make_unit(f"5301{n + 20:02d}", f"测试{n}县", Level.COUNTY, prefecture)
        township = make_unit(f"5301{n + 20:02d}001", f"测试{n}镇", Level.TOWNSHIP, county)
        meeting(township, dt.date(2026, 1 + n % 12, 5), "work", 60 + n)
        document(county, dt.date(2026, 1 + n % 12, 5), 1000 + n)
    # children, meetings, documents, and fieldwork's one query for its visits
    with django_assert_max_num_queries(4):
        result = stats.unit_stats(prefecture, 2026)
    assert len(result["rows"]) == 31 and result["total"]["year"]["meetings"] == 30
    with django_assert_max_num_queries(4):
        stats.unit_stats(province, 2026)
