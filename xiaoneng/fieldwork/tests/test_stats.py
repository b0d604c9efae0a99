"""The figures, on a hand-counted set."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.fieldwork import services, stats
from xiaoneng.fieldwork.models import Visit
from xiaoneng.supervision.models import Item, Status

D = dt.date
YEAR = 2025


@pytest.fixture
def hand_counted(record, leader_km, leader_a, leader_b, community_a, township_a, community_b):
    """刘建华 (西山区): March 3–5 (3 days, 2 findings, one item closed, one open item)
    and March 20 (1 day, 1 finding, none converted); 陈志远 (昆明市): April 1–2 (2 days, 1
    finding converted, open); 吴领导 (五华区): May 10 (1 day); and a visit the year before."""
    v1 = record(
        leader_a,
        D(YEAR, 3, 3),
        D(YEAR, 3, 5),
        places=[community_a],
        findings=["路灯坏了", "垃圾清运不及时"],
    )
    record(leader_a, D(YEAR, 3, 20), places=[township_a], findings=["办事窗口排队久"])
    v3 = record(
        leader_km,
        D(YEAR, 4, 1),
        D(YEAR, 4, 2),
        places=[community_a, township_a],
        findings=["老旧小区加装电梯"],
    )
    record(leader_b, D(YEAR, 5, 10), places=[community_b])
    record(leader_a, D(YEAR - 1, 12, 30), D(YEAR, 1, 2), places=[community_a], findings=["去年"])
    f1, f2 = v1.findings.order_by("order")
    item1 = services.finding_to_item(f1, actor=leader_a)
    services.finding_to_item(f2, actor=leader_a)
    services.finding_to_item(v3.findings.get(), actor=leader_km)
    Item.objects.filter(pk=item1.pk).update(status=Status.CLOSED)
    return v1


def test_it_counts_days_both_ends_included(hand_counted):
    v1 = hand_counted
    assert v1.days == 3
    assert Visit.objects.annotate(n=stats.days_expression()).get(pk=v1.pk).n == 3


def test_it_gives_monthly_figures_rolled_up(
    hand_counted, prefecture, county_a, county_b, community_a
):
    with CaptureQueriesContext(connection) as queries:
        got = stats.monthly([prefecture, county_a, county_b, community_a], YEAR)
    assert len(queries) == 1
    assert got[(county_a.pk, 3)] == {"visits": 2, "days": 4, "findings": 3, "solved": 1}
    assert got[(county_a.pk, 4)] == {"visits": 0, "days": 0, "findings": 0, "solved": 0}
    # The visit of Dec 30 falls in the year and month of its start: not this year.
    assert got[(county_a.pk, 1)]["visits"] == 0
    assert got[(prefecture.pk, 3)] == {"visits": 2, "days": 4, "findings": 3, "solved": 1}
    assert got[(prefecture.pk, 4)] == {"visits": 1, "days": 2, "findings": 1, "solved": 0}
    assert got[(prefecture.pk, 5)]["visits"] == 1
    assert got[(county_b.pk, 5)] == {"visits": 1, "days": 1, "findings": 0, "solved": 0}
    # A community has no leaders of its own here: visits to it are not its leaders'.
    assert got[(community_a.pk, 3)]["visits"] == 0
    assert len(got) == 4 * 12


def test_it_gives_nothing_for_no_units(db):
    assert stats.monthly([], YEAR) == {}


def test_it_totals_per_leader_solved_first(hand_counted, leader_a):
    rows = stats.per_leader(Visit.objects.all(), YEAR)
    assert [r.name for r in rows] == ["刘建华", "陈志远", "吴领导"]
    liu = rows[0]
    assert (liu.visits, liu.days, liu.findings, liu.solved) == (2, 4, 3, 1)
    assert liu.required == 90  # a county leader's default


def test_it_counts_solved_only_when_closed(hand_counted, county_a):
    assert stats.totals([county_a], YEAR)[county_a.pk]["solved"] == 1
    Item.objects.update(status=Status.IN_PROGRESS)
    assert stats.totals([county_a], YEAR)[county_a.pk]["solved"] == 0


def test_it_shows_where_they_went(hand_counted, prefecture, county_a, county_b):
    went = stats.where_they_went(Visit.objects.all(), YEAR)
    assert [(r["unit"].name, r["visits"], r["days"]) for r in went["prefectures"]] == [
        ("昆明市", 4, 7)
    ]
    # 陈志远's visit to two places of 西山区 counts once for it.
    assert [(r["unit"].name, r["visits"], r["days"]) for r in went["counties"]] == [
        ("西山区", 3, 6),
        ("五华区", 1, 1),
    ]
