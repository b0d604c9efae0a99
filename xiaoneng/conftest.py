"""Fixtures shared by every app's tests: a small unit tree and three kinds of user.

- `province_supervisor`: 省效能办, sees everything;
- `handler_a`: a handler in county A (西山区);
- `handler_b`: a handler in county B (五华区), the outsider for county A's data.
"""

import pytest

from xiaoneng.accounts.models import Role, User
from xiaoneng.units.models import Kind, Level, Unit

PASSWORD = "Test-pass-2026"


def make_unit(code, name, level, parent=None, kind=Kind.GOVERNMENT) -> Unit:
    unit = Unit(code=code, name=name, level=level, parent=parent, kind=kind)
    unit.save()
    return unit


def make_user(username, unit, *roles, name="") -> User:
    user = User(username=username, unit=unit, name=name or username)
    user.set_password(PASSWORD)
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def province(db) -> Unit:
    return make_unit("530000", "云南省", Level.PROVINCE)


@pytest.fixture
def prefecture(province) -> Unit:
    return make_unit("530100", "昆明市", Level.PREFECTURE, province)


@pytest.fixture
def county_a(prefecture) -> Unit:
    return make_unit("530112", "西山区", Level.COUNTY, prefecture)


@pytest.fixture
def county_b(prefecture) -> Unit:
    return make_unit("530102", "五华区", Level.COUNTY, prefecture)


@pytest.fixture
def province_supervisor(province) -> User:
    return make_user("sheng_xn", province, "supervisor", name="王效能")


@pytest.fixture
def handler_a(county_a) -> User:
    return make_user("xs_cb", county_a, "handler", name="周承办")


@pytest.fixture
def handler_b(county_b) -> User:
    return make_user("wh_cb", county_b, "handler", name="郑承办")


@pytest.fixture
def admin_a(county_a) -> User:
    return make_user("xs_admin", county_a, "unit_admin", name="孙管理")


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user."""
    from django.test import Client

    def _login(user):
        c = Client()
        c.force_login(user)
        return c

    return _login
