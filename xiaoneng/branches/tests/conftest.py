import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, PartyBranch


@pytest.fixture
def office(province):
    return make_unit("530000-ZF", "云南省人民政府办公厅", Level.PROVINCE, province)


@pytest.fixture
def community(county_a):
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, kind=Kind.STREET)
    return make_unit("530112007001", "永兴路社区", Level.COMMUNITY, street, kind=Kind.COMMUNITY)


@pytest.fixture
def organ_branch(office):
    return PartyBranch.objects.create(unit=office, name="省政府办公厅机关第一党支部", actor=SYSTEM)


@pytest.fixture
def community_branch(community):
    return PartyBranch.objects.create(unit=community, name="永兴路社区党支部", actor=SYSTEM)


@pytest.fixture
def province_admin(province):
    return make_user("sheng_admin", province, "unit_admin", name="省管理员")


@pytest.fixture
def community_handler(community):
    return make_user("yx_cb", community, "handler", name="社区干部")


@pytest.fixture
def office_handler(office):
    return make_user("zf_cb", office, "handler", name="办公厅干部")
