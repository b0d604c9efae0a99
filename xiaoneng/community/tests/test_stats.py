"""Statistics of 社区共治: figures on a hand-built set, each counted by hand; the page, the
export and the API show the same numbers; a fixed number of queries however many units;
scope (a county B user gets 404 for county A's units); bad input."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from xiaoneng.community import stats
from xiaoneng.community.models import (
    Comment,
    Decision,
    Deliberation,
    Matter,
    Rating,
    Referral,
)
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Kind, Level

D = dt.date
TZ = ZoneInfo("Asia/Shanghai")  # the settings' time zone


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def matter(community, raised: dt.datetime, **fields) -> Matter:
    return Matter.objects.create(
        community=community,
        category="repair",
        title=fields.pop("title", "楼道灯不亮"),
        created_at=raised,
        actor=SYSTEM,
        **fields,
    )


def comment(matter, author, text, created_at=None, **fields) -> Comment:
    return Comment.objects.create(
        matter=matter,
        author=author,
        text=text,
        created_at=created_at or dt.datetime.now(TZ),
        actor=SYSTEM,
        **fields,
    )


def decide(m: Matter, kind: str, day: dt.date) -> None:
    meeting = Deliberation.objects.create(
        community=m.community, date=day, place="党群服务中心", attendee_count=9, actor=SYSTEM
    )
    Decision.objects.create(
        deliberation=meeting, matter=m, decision=kind, votes_for=7, decided_at=at(day), actor=SYSTEM
    )


def item(m: Matter, status: str, closed_on=None) -> Item:
    found = Item.objects.create(
        kind="problem",
        title=m.title,
        lead_unit=m.community.parent,
        assigning_unit=m.community,
        assigned_on=m.decided_on or m.created_at.date(),
        status=status,
        closed_on=closed_on,
        actor=SYSTEM,
    )
    Matter.objects.filter(pk=m.pk).update(item=found)
    return found


@pytest.fixture
def data(community_a, street_a, residents_a, community_b, resident_b):
    return build(community_a, street_a, residents_a, community_b, resident_b)


def build(community_a, street_a, residents_a, community_b, resident_b) -> dict:
    """永兴路社区 (A) and 春苑社区 (A2) under 永昌街道, and 华山社区 in county B. The working
    days are counted by hand on the 2025 calendar (清明 4–6 April, 元旦 1 January)."""
    a2 = make_unit("530112007002", "春苑社区", Level.COMMUNITY, street_a, kind=Kind.COMMUNITY)
    r0, r1, r2 = residents_a[:3]
    a2_resident = make_user("cy_jm", a2, "resident", name="春苑居民")

    # m1: raised Mon 3 March, adopted 10 March, closed Mon 17 March: 10 working days.
    m1 = matter(community_a, at(D(2025, 3, 3)), status="closed", closed_on=D(2025, 3, 17))
    decide(m1, "adopt", D(2025, 3, 10))
    Matter.objects.filter(pk=m1.pk).update(decided_on=D(2025, 3, 10))
    Rating.objects.create(matter=m1, resident=r0, rating="satisfied", actor=SYSTEM)
    Rating.objects.create(matter=m1, resident=r1, rating="basically_satisfied", actor=SYSTEM)
    # m2: raised 1 April, referred by the council 8 April, the street closed it 15 April:
    # 2, 3, (4–6 清明), 7–11, 14, 15 April = 9 working days.
    m2 = matter(
        community_a,
        at(D(2025, 4, 1)),
        status="referred",
        decided_on=D(2025, 4, 8),
        referral=Referral.DECISION,
        referred_at=at(D(2025, 4, 8)),
    )
    decide(m2, "refer", D(2025, 4, 8))
    item(m2, "closed", D(2025, 4, 15))
    Rating.objects.create(matter=m2, resident=r2, rating="dissatisfied", actor=SYSTEM)
    # m3: raised in May, adopted 12 May, escalated 2 June past its deadline; the street is on
    # it (not solved).
    m3 = matter(
        community_a,
        at(D(2025, 5, 6)),
        status="referred",
        decided_on=D(2025, 5, 12),
        deadline=D(2025, 5, 26),
        referral=Referral.ESCALATION,
        referred_at=at(D(2025, 6, 2)),
    )
    decide(m3, "adopt", D(2025, 5, 12))
    item(m3, "in_progress")
    # m4: rejected, then hidden by moderation: still raised.
    m4 = matter(
        community_a,
        at(D(2025, 6, 10)),
        status="rejected",
        decided_on=D(2025, 6, 16),
        hidden_at=at(D(2025, 6, 20)),
    )
    decide(m4, "reject", D(2025, 6, 16))
    # m5: raised Fri 20 Dec 2024, adopted 6 Jan, closed 10 Jan 2025: 23–27, 30, 31 Dec,
    # 2, 3, 6–10 Jan = 14 working days. Adopted and solved in 2025, raised in 2024.
    m5 = matter(
        community_a,
        at(D(2024, 12, 20)),
        status="closed",
        decided_on=D(2025, 1, 6),
        closed_on=D(2025, 1, 10),
    )
    decide(m5, "adopt", D(2025, 1, 6))
    # m6: deleted: counts nowhere.
    m6 = matter(community_a, at(D(2025, 7, 1)))
    m6.delete(actor=SYSTEM)
    # m7 at 23:30 on 31 December 2025 (local) is 2025's; m8 at 00:10 on 1 January is 2026's.
    matter(community_a, at(D(2025, 12, 31), 23, 30))
    matter(community_a, at(D(2026, 1, 1), 0, 10))
    # a listed matter with no decision: raised only
    matter(community_a, at(D(2025, 3, 20)), status="listed")

    # comments: two in 2025 (one a reply), one hidden, one in 2024
    first = comment(m1, r1, "支持", at(D(2025, 3, 4)))
    comment(m1, r0, "谢谢", at(D(2025, 3, 5)), reply_to=first)  # a reply counts too
    comment(m1, r2, "广告", at(D(2025, 3, 5)), hidden_at=at(D(2025, 3, 6)))
    comment(m5, r1, "早该修了", at(D(2024, 12, 21)))

    # 春苑社区: raised and closed the same day (0 working days), rated 满意, one comment.
    n1 = matter(a2, at(D(2025, 2, 10), 9), status="closed", closed_on=D(2025, 2, 10))
    Rating.objects.create(matter=n1, resident=a2_resident, rating="satisfied", actor=SYSTEM)
    comment(n1, a2_resident, "好", at(D(2025, 2, 10)))

    # 华山社区 (county B): never in county A's figures.
    b1 = matter(community_b, at(D(2025, 3, 3)), status="closed", closed_on=D(2025, 3, 4))
    Rating.objects.create(matter=b1, resident=resident_b, rating="dissatisfied", actor=SYSTEM)
    return {"a": community_a, "a2": a2, "street": street_a}


def figures(**given):
    base = dict.fromkeys(stats.FIGURES, 0)
    base.update(average_workdays=None, satisfaction_rate=None)
    base.update(given)
    return base


YONGXING_2025 = figures(
    raised=6,  # m1 m2 m3 m4 (hidden) m7, the listed one; not m5 (2024), m6 (deleted), m8
    adopted=3,  # m1 m3 (since escalated) m5
    referred=2,
    referred_decision=1,  # m2
    referred_escalation=1,  # m3
    solved=3,  # m1 (community) m2 (the street's item) m5
    average_workdays=Decimal("11.0"),  # (10 + 9 + 14) / 3
    rated=3,
    satisfied=1,
    basically_satisfied=1,
    dissatisfied=1,
    satisfaction_rate=Decimal("66.7"),
    comments=2,  # not the hidden one, not 2024's
)
CHUNYUAN_2025 = figures(
    raised=1,
    solved=1,
    average_workdays=Decimal("0.0"),
    rated=1,
    satisfied=1,
    satisfaction_rate=Decimal("100.0"),
    comments=1,
)
STREET_2025 = figures(
    raised=7,
    adopted=3,
    referred=2,
    referred_decision=1,
    referred_escalation=1,
    solved=4,
    average_workdays=Decimal("8.3"),  # 33 / 4 = 8.25, half up
    rated=4,
    satisfied=2,
    basically_satisfied=1,
    dissatisfied=1,
    satisfaction_rate=Decimal("75.0"),
    comments=3,
)


def without_unit(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("unit", "communities")}


def test_the_figures_are_the_hand_counted_ones(data, county_a):
    street = stats.unit_stats(data["street"], 2025)
    rows = {r["unit"].name: r for r in street["rows"]}
    assert list(rows) == ["永兴路社区", "春苑社区"]
    assert without_unit(rows["永兴路社区"]) == YONGXING_2025
    assert without_unit(rows["春苑社区"]) == CHUNYUAN_2025
    assert without_unit(street["total"]) == STREET_2025
    assert street["total"]["communities"] == 2 and rows["永兴路社区"]["communities"] == 1

    county = stats.unit_stats(county_a, 2025)
    assert [r["unit"].name for r in county["rows"]] == ["永昌街道"]
    assert without_unit(county["rows"][0]) == STREET_2025
    assert without_unit(county["total"]) == STREET_2025

    # a community: no rows, its own figures as the total
    own = stats.unit_stats(data["a"], 2025)
    assert own["rows"] == [] and without_unit(own["total"]) == YONGXING_2025


def test_a_month_counts_what_happened_in_it(data):
    march = stats.unit_stats(data["street"], 2025, 3)["total"]
    # raised: m1 and the listed one; adopted: m1; solved: m1 (10 working days)
    assert (march["raised"], march["adopted"], march["solved"]) == (2, 1, 1)
    assert march["average_workdays"] == Decimal("10.0") and march["comments"] == 2
    assert (march["rated"], march["satisfaction_rate"]) == (2, Decimal("100.0"))
    june = stats.unit_stats(data["street"], 2025, 6)["total"]
    assert (june["raised"], june["referred_escalation"], june["solved"]) == (1, 1, 0)
    assert june["average_workdays"] is None and june["satisfaction_rate"] is None
    december = stats.unit_stats(data["street"], 2025, 12)["total"]
    assert december["raised"] == 1  # m7 at 23:30 local on the 31st
    assert stats.unit_stats(data["street"], 2026, 1)["total"]["raised"] == 1  # m8


def test_unit_figures_is_the_total_of_the_year(data, county_a, county_b):
    assert stats.unit_figures(data["a"], 2025) == YONGXING_2025
    assert stats.unit_figures(county_a, 2025) == STREET_2025
    b = stats.unit_figures(county_b, 2025)
    assert (b["raised"], b["solved"], b["average_workdays"]) == (1, 1, Decimal("1.0"))
    assert (b["dissatisfied"], b["satisfaction_rate"]) == (1, Decimal("0.0"))
    assert stats.unit_figures(county_a, 2024)["raised"] == 1  # m5


def test_the_page_the_export_and_the_api_show_the_same_numbers(client_for, data, county_a):
    viewer = make_user("xs_ck", county_a, "viewer")
    c = client_for(viewer)
    page = c.get(reverse("community_stats:stats"), {"year": 2025})
    assert page.status_code == 200
    assert page.context["unit"] == county_a
    text = page.content.decode()
    assert "西山区社区共治统计" in text and "永昌街道" in text and "8.3" in text and "75.0%" in text
    assert 'class="num"' in text
    # drill down: county → street → community
    down = c.get(reverse("community_stats:stats"), {"unit": data["street"].pk, "year": 2025})
    assert [r["unit"].name for r in down.context["data"]["rows"]] == ["永兴路社区", "春苑社区"]
    assert [u.name for u in down.context["trail"]] == ["西山区"]
    one = c.get(reverse("community_stats:stats"), {"unit": data["a"].pk, "year": 2025})
    assert one.context["data"]["total"]["raised"] == 6
    assert [u.name for u in one.context["trail"]] == ["西山区", "永昌街道"]

    api = c.get("/api/community/stats/", {"unit": data["street"].pk, "year": 2025})
    assert api.status_code == 200
    body = api.json()
    assert body["unit"]["name"] == "永昌街道" and body["year"] == 2025 and body["month"] is None
    assert [r["unit"]["code"] for r in body["rows"]] == ["530112007001", "530112007002"]
    for key, value in STREET_2025.items():
        assert body["total"][key] == (float(value) if isinstance(value, Decimal) else value), key
    assert body["rows"][0]["average_workdays"] == 11.0
    assert c.get("/api/community/stats/", {"year": 2025, "month": 3}).json()["total"]["raised"] == 2

    export = c.get(reverse("community_stats:export"), {"unit": data["street"].pk, "year": 2025})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "社区数", "提出议题")
    assert rows[1][:3] == ("合计", 2, 7) and rows[2][:3] == ("永兴路社区", 1, 6)
    assert rows[1][8] == 8.3 and rows[1][13] == 75.0
    assert rows[3][8] == 0 and rows[3][0] == "春苑社区"


def test_a_token_reads_the_api(client, data, county_a):
    from rest_framework.test import APIClient

    from xiaoneng.conftest import PASSWORD

    make_user("xs_cb2", county_a, "handler")
    token = client.post("/api/auth/token/", {"username": "xs_cb2", "password": PASSWORD}).json()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    body = api.get("/api/community/stats/", {"year": 2025}).json()
    assert body["unit"]["name"] == "西山区" and body["total"]["raised"] == 7


def test_a_county_b_user_gets_404_for_county_a(client_for, data, handler_b, county_a):
    c = client_for(handler_b)
    for unit in (county_a, data["street"], data["a"]):
        assert c.get("/api/community/stats/", {"unit": unit.pk}).status_code == 404
        assert c.get(reverse("community_stats:stats"), {"unit": unit.pk}).status_code == 404
        assert c.get(reverse("community_stats:export"), {"unit": unit.pk}).status_code == 404
    own = c.get("/api/community/stats/", {"year": 2025}).json()
    assert own["unit"]["name"] == "五华区" and own["total"]["raised"] == 1
    assert [r["unit"]["name"] for r in own["rows"]] == ["华山街道"]


def test_residents_and_strangers_are_refused(client, client_for, data, resident_a):
    for url in (reverse("community_stats:stats"), reverse("community_stats:export")):
        assert client_for(resident_a).get(url).status_code == 403
        assert client.get(url).status_code == 302  # to the login page
    assert client_for(resident_a).get("/api/community/stats/").status_code == 403
    assert client.get("/api/community/stats/").status_code in (401, 403)


def test_the_community_and_the_street_staff_see_their_own(client_for, data, staff_a, street_staff):
    mine = client_for(staff_a).get("/api/community/stats/", {"year": 2025}).json()
    assert mine["unit"]["name"] == "永兴路社区" and mine["rows"] == []
    assert mine["total"]["raised"] == 6
    # the community's staff cannot read the neighbouring community, nor the street
    for unit in (data["a2"], data["street"]):
        r = client_for(staff_a).get("/api/community/stats/", {"unit": unit.pk})
        assert r.status_code == 404
    street = client_for(street_staff).get(reverse("community_stats:stats"), {"year": 2025})
    assert street.status_code == 200 and len(street.context["data"]["rows"]) == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "²"}, "year"),
        ({"year": "9" * 5000}, "year"),
        ({"year": "1999"}, "year"),
        ({"month": "13"}, "month"),
        ({"month": "²"}, "month"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "9" * 5000}, "unit"),
    ],
)
def test_bad_numbers_are_refused_with_the_field_named(client_for, handler_a, query, field):
    c = client_for(handler_a)
    r = c.get("/api/community/stats/", query)
    assert r.status_code == 400 and field in r.json()
    page = c.get(reverse("community_stats:stats"), query)
    if field == "unit":
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        assert "已按" in page.content.decode()  # said on the page, the default used


def test_the_number_of_queries_does_not_grow_with_units(
    django_assert_max_num_queries, county_a, residents_a
):
    resident = residents_a[0]
    for s in range(4):
        street = make_unit(f"53011200{s + 1}", f"测试{s}街道", Level.TOWNSHIP, county_a)
        for c in range(10):
            community = make_unit(
                f"53011200{s + 1}{c:03d}", f"测试{s}-{c}社区", Level.COMMUNITY, street
            )
            m = matter(
                community,
                at(D(2025, 1 + c, 6)),
                status="closed",
                closed_on=D(2025, 1 + c, 20),
                decided_on=D(2025, 1 + c, 8),
            )
            decide(m, "adopt", D(2025, 1 + c, 8))
            Rating.objects.create(matter=m, resident=resident, rating="satisfied", actor=SYSTEM)
            comment(m, resident, "好", at(D(2025, 1 + c, 9)))
    # children, communities, matters, solved, ratings, comments, and the calendar's holiday
    # table (two queries for 2025)
    with django_assert_max_num_queries(8):
        result = stats.unit_stats(county_a, 2025)
    # the four streets and 永昌街道 (the residents' 永兴路社区, nothing this year)
    assert len(result["rows"]) == 5 and result["total"]["communities"] == 41
    assert result["total"]["solved"] == 40 and result["total"]["satisfaction_rate"] == 100
    with django_assert_max_num_queries(8):
        street = stats.unit_stats(result["rows"][0]["unit"], 2025)
    assert len(street["rows"]) == 10
    with django_assert_max_num_queries(6):
        stats.unit_figures(county_a, 2025)
