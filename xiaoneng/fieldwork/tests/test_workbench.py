"""A leader's home page: their year at the grassroots, and the visits whose findings still
wait to become problem items; each counter counts the rows of the list it links to."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xiaoneng.core.workbench import panels_for
from xiaoneng.fieldwork import services


def _panel(user):
    found = [p for p in panels_for(user) if p.title.startswith("下基层")]
    return found[0] if found else None


def _listed(client, url) -> int:
    return client.get(url).context["page"].paginator.count


def test_a_leader_sees_their_year_and_what_waits(
    record, client_for, leader_a, leader_km, community_a, township_a
):
    today = timezone.localdate()
    start = dt.date(today.year, 1, 2)
    first = record(leader_a, start, start + dt.timedelta(days=2), places=[community_a],
                   findings=["路灯坏了", "井盖缺失"])  # fmt: skip
    record(leader_a, start, places=[township_a])  # no findings: nothing waits
    record(leader_km, start, places=[township_a], findings=["别人的问题"])
    record(leader_a, dt.date(today.year - 1, 6, 1), places=[community_a], findings=["去年"])
    panel = _panel(leader_a)
    visits, pending = panel.counters
    assert visits.count == 2 and "4 天" in visits.hint and "年度要求 90 天" in visits.hint
    assert pending.count == 2  # this year's first visit and last year's
    c = client_for(leader_a)
    assert _listed(c, visits.url) == visits.count
    assert _listed(c, pending.url) == pending.count
    services.finding_to_item(first.findings.first(), actor=leader_a)
    services.finding_to_item(first.findings.last(), actor=leader_a)
    assert _panel(leader_a).counters[1].count == 1
    assert "发现问题 2 个，已解决 0 个" in _panel(leader_a).links[0][0]
    home = c.get(reverse("core:home")).content.decode()
    assert "本年度下基层" in home and "有待转为问题清单的记录" in home


def test_only_leaders_get_it(handler_a, admin_a, province_supervisor):
    for user in (handler_a, admin_a, province_supervisor):
        assert _panel(user) is None
