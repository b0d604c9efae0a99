"""Fixtures shared by every app's tests: a small unit tree and three kinds of user.

- `province_supervisor`: 省效能办, sees everything;
- `handler_a`: a handler in county A (西山区);
- `handler_b`: a handler in county B (五华区), the outsider for county A's data.
"""

import os

import pytest

from xiaoneng.accounts.models import Role, User
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, Unit

PASSWORD = "Test-pass-2026"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_unit(code, name, level, parent=None, kind=Kind.GOVERNMENT) -> Unit:
    """Test data is the system's: written as SYSTEM."""
    unit = Unit(code=code, name=name, level=level, parent=parent, kind=kind)
    unit.save(actor=SYSTEM)
    return unit


def make_user(username, unit, *roles, name="") -> User:
    user = User(username=username, unit=unit, name=name or username)
    user.set_password(PASSWORD)
    user.save(actor=SYSTEM)
    user.roles.set(Role.for_codes(roles))
    return user


@pytest.fixture(scope="session", autouse=True)
def _static_not_collected(tmp_path_factory):
    """Static files as a fresh checkout serves them (plain names, from the app folders),
    whatever a demo or a deployment collected into the data directory: a stale manifest
    there would point the pages at old copies. test_static_files collects its own."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")


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


# --- Browser tests (Playwright driving Debian's chromium) -------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium: `npx playwright install` cannot download here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def logged_in_page(page, live_server):
    """logged_in_page(user) → a Playwright page logged in through the real login form."""

    def _login(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


# Text that every county-A object built for the URL walk shows (core/tests/test_url_walk.py):
# the outsider must never see it.
URL_MARKER = "甲县内部"


@pytest.fixture
def url_ctx(province_supervisor, handler_a, handler_b, admin_a, county_a, county_b):
    """What each app's tests/url_samples.py builds its county-A objects from."""
    return {
        "county_a": county_a,
        "county_b": county_b,
        "handler_a": handler_a,
        "handler_b": handler_b,
        "admin_a": admin_a,
        "supervisor": province_supervisor,
        "marker": URL_MARKER,
    }
