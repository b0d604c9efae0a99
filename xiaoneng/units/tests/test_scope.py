from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level, Unit


def visible_codes(user, action="view"):
    return set(Unit.objects.restrict(user, action).values_list("code", flat=True))


def test_the_province_supervisor_sees_every_unit(province_supervisor, county_a, county_b):
    assert visible_codes(province_supervisor) == {"530000", "530100", "530112", "530102"}


def test_a_county_handler_sees_its_subtree_only(handler_a, county_a, county_b):
    """Seeing is the own subtree: the units above are not rows one works on (issue 11)."""
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a)
    assert visible_codes(handler_a) == {"530112", street.code}
    assert policy.can(handler_a, "view", street) and policy.can(handler_a, "view", county_a)
    assert not policy.can(handler_a, "view", county_a.parent)
    assert not policy.can(handler_a, "view", county_b)


def test_the_chain_above_is_seen_by_name_through_view_ancestors(handler_a, county_a, county_b):
    """Breadcrumbs name the units above: their own action, never the default of a write."""
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a)
    assert visible_codes(handler_a, "view_ancestors") == {"530000", "530100", "530112", street.code}
    for unit in Unit.objects.all():
        assert policy.can(handler_a, "view_ancestors", unit) is (unit.code != "530102")


def test_a_resident_sees_no_staff_data(county_a):
    community = make_unit("530112007001", "永兴路社区", Level.COMMUNITY, county_a)
    resident = make_user("jm", community, "resident")
    assert visible_codes(resident) == set()


def test_anonymous_and_inactive_users_see_nothing(handler_a, county_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.restrict(AnonymousUser(), "view").exists()
    handler_a.is_active = False
    assert not Unit.objects.restrict(handler_a, "view").exists()


def test_moving_a_unit_moves_its_subtree(county_a, county_b):
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a)
    community = make_unit("530112007001", "永兴路社区", Level.COMMUNITY, street)
    street.parent = county_b
    street.save(actor=SYSTEM)
    community.refresh_from_db()
    assert community.path == f"{county_b.path}{street.pk}/{community.pk}/"
    assert community.is_within(county_b) and not community.is_within(county_a)


def test_the_outsider_gets_404_for_a_unit_of_county_a(client_for, handler_b, county_a):
    assert client_for(handler_b).get(f"/units/{county_a.pk}/").status_code == 404
    assert client_for(handler_b).get(f"/api/units/{county_a.pk}/").status_code == 404
