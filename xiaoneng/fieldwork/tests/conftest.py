"""Fixtures of the visit tests: leaders of the prefecture and of county A (西山区), a
township and a community under county A (永昌街道, 永兴路社区), a recorder."""

import datetime as dt

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.fieldwork import services
from xiaoneng.units.models import Kind, Level


@pytest.fixture
def township_a(county_a):
    return make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, kind=Kind.STREET)


@pytest.fixture
def community_a(township_a):
    return make_unit("530112007001", "永兴路社区", Level.COMMUNITY, township_a, kind=Kind.COMMUNITY)


@pytest.fixture
def community_b(county_b):
    town = make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b, kind=Kind.STREET)
    return make_unit("530102001001", "华山社区", Level.COMMUNITY, town, kind=Kind.COMMUNITY)


@pytest.fixture
def leader_km(prefecture):
    return make_user("km_ld", prefecture, "leader", name="陈志远")


@pytest.fixture
def leader_a(county_a):
    return make_user("xs_ld", county_a, "leader", name="刘建华")


@pytest.fixture
def leader_b(county_b):
    return make_user("wh_ld", county_b, "leader", name="吴领导")


@pytest.fixture
def record(db):
    """record(leader, start, end=None, places=[...], findings=[...], actor=leader)."""

    def _record(leader, start, end=None, *, places, findings=(), actor=None, kind="survey"):
        return services.record_visit(
            actor=actor or leader,
            leader=leader,
            start_date=start,
            end_date=end or start,
            places=places,
            kind=kind,
            findings=findings,
        )

    return _record


D = dt.date
