"""The analyzer is every staff member's; the demo data loads twice without duplicates. (The
rules on rows are in the permission matrix: tests/policy_matrix.py.)"""

import pytest

from xiaoneng.accounts.models import RoleCode
from xiaoneng.brevity import demo
from xiaoneng.brevity.models import Document, Meeting
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level


@pytest.fixture
def tree(db):
    province = make_unit("530000", "云南省", Level.PROVINCE)
    prefecture = make_unit("530100", "昆明市", Level.PREFECTURE, province)
    return {"own": make_unit("530102", "五华区", Level.COUNTY, prefecture)}


def test_every_staff_member_may_use_the_analyzer(tree):
    for role in RoleCode.values:
        actor = make_user(f"z_{role}", tree["own"], role)
        assert policy.can(actor, "analyze_documents") is (role != "resident")
    assert policy.can(SYSTEM, "analyze_documents") and not policy.can(None, "analyze_documents")


def test_the_demo_loads_once(province, prefecture, county_a):
    office = make_unit("530000-ZF", "云南省人民政府办公厅", Level.PROVINCE, province)
    ctx = {"units": {u.code: u for u in (province, prefecture, county_a, office)}, "users": {}}
    demo.load(ctx)
    demo.load(ctx)
    assert Meeting.objects.count() == len(demo.MEETINGS)
    assert Document.objects.count() == len(demo.DOCUMENTS)
    bad = {m.title for m in Meeting.objects.in_breach()}
    assert any("全体会议" in t for t in bad) and any("分组讨论" in t for t in bad)
    plenary = Meeting.objects.get(title__contains="全体会议")
    assert {b.rule for b in plenary.breaches()} == {"main_speech", "meeting_length"}
    assert not Meeting.objects.get(title__contains="推进会").breaches()
    assert Document.objects.over().exists() and Document.objects.within_limit().exists()
    assert len({d.kind for d in Document.objects.all()}) >= 4
