"""The visit list, the figures and the where page take a bounded number of queries: the same
bound with 3 visits (in 3 counties, by 3 leaders) as with 30 (in 30 counties, by 30 leaders),
findings and problem items (some of them closed) included."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.fieldwork import services
from xiaoneng.supervision import services as supervision
from xiaoneng.units.models import Kind, Level

pytestmark = pytest.mark.django_db

# What each page takes whatever the number of visits, units and leaders: the session, the
# user, their roles and unit, the unread count, then the page's own (list: count, rows,
# places; stats: the child units, the per-unit and per-leader aggregates; where: the (visit,
# place) pairs, the regions' names). Measured 8, 8 and 7 on both databases; two to spare for
# the shell, while 3 → 30 visits would add dozens if any row were fetched one by one.
BOUNDS = {"visit_list": 10, "visit_stats": 10, "visit_where": 9}


def grow(prefecture, start: int, stop: int) -> None:
    """Counties start…stop−1 under the prefecture, each with a community, a leader and a
    visit there with two findings: the first one an item, closed in every third county."""
    for i in range(start, stop):
        county = make_unit(f"5301{40 + i}", f"测试{i}县", Level.COUNTY, prefecture)
        town = make_unit(f"5301{40 + i}001", f"测试{i}镇", Level.TOWNSHIP, county, Kind.STREET)
        leader = make_user(f"ld{i}", county, "leader", name=f"领导{i}")
        visit = services.record_visit(
            actor=leader,
            leader=leader,
            start_date=timezone.localdate() - dt.timedelta(days=i % 20),
            end_date=timezone.localdate() - dt.timedelta(days=i % 20) + dt.timedelta(days=i % 3),
            places=[town, county],
            findings=[f"问题{i}甲", f"问题{i}乙"],
        )
        item = services.finding_to_item(visit.findings.order_by("order").first(), actor=leader)
        if i % 3 == 0:
            supervision.acknowledge(item, actor=SYSTEM)
            supervision.report_progress(item, actor=SYSTEM, percent=80, comment="整改中")
            supervision.request_closure(
                item, actor=SYSTEM, rectification="已整改", evidence="现场核实"
            )
            supervision.approve(item, actor=SYSTEM)


@pytest.mark.parametrize("name", list(BOUNDS))
def test_it_takes_the_same_number_of_queries_for_3_and_30_visits(
    client_for, django_assert_max_num_queries, leader_km, prefecture, name
):
    c = client_for(leader_km)
    url = reverse(f"fieldwork:{name}")
    c.get(url)  # the session and whatever is cached once
    grow(prefecture, 0, 3)
    with django_assert_max_num_queries(BOUNDS[name]):
        small = c.get(url)
    grow(prefecture, 3, 30)
    with django_assert_max_num_queries(BOUNDS[name]):
        large = c.get(url)
    assert small.status_code == large.status_code == 200
    # The pages did show the rows they were measured with.
    assert "领导29" in large.content.decode() or name == "visit_where"
    assert "测试29县" in large.content.decode()
