"""Fixtures of the community tests: 永兴路社区 under 永昌街道 (西山区, county A) with its staff
and residents, and 华山社区 under county B."""

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.units.models import Kind, Level


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 takes half a second a password on this machine, and these tests make a dozen
    accounts each: a fast hasher for the tests (the login code is the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def street_a(county_a):
    return make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, kind=Kind.STREET)


@pytest.fixture
def community_a(street_a):
    return make_unit("530112007001", "永兴路社区", Level.COMMUNITY, street_a, kind=Kind.COMMUNITY)


@pytest.fixture
def community_b(county_b):
    town = make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b, kind=Kind.STREET)
    return make_unit("530102001001", "华山社区", Level.COMMUNITY, town, kind=Kind.COMMUNITY)


@pytest.fixture
def staff_a(community_a):
    """The community's own staff (社区工作人员): unit admin and 承办人."""
    user = make_user("yx_sq", community_a, "unit_admin", "handler", name="李社区")
    user.phone = "13900000001"
    user.save()
    return user


@pytest.fixture
def street_staff(street_a):
    return make_user("yc_jd", street_a, "unit_admin", "handler", name="张街道")


def _resident(username, community, name, phone):
    user = make_user(username, community, "resident", name=name)
    user.phone = phone
    user.save()
    return user


@pytest.fixture
def residents_a(community_a):
    """Six residents of 永兴路社区 (enough to pass the default threshold of 5 seconds)."""
    names = ["冯居民", "赵大妈", "钱大爷", "孙阿姨", "周师傅", "吴老师"]
    return [
        _resident(f"jm{i}", community_a, name, f"1380000000{i}") for i, name in enumerate(names)
    ]


@pytest.fixture
def resident_a(residents_a):
    return residents_a[0]


@pytest.fixture
def resident_b(community_b):
    return _resident("hs_jm", community_b, "华山居民", "13700000009")
