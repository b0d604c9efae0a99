"""The community's own people against its rules (the permission matrix's actors sit in a
county and so prove only who may not): residents of the community, its staff, the street
above it, and a resident of another community."""

import pytest

from xiaoneng.community.models import Group, Invitation, Matter, Second
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM


@pytest.fixture
def matter(community_a, resident_a):
    return Matter.objects.create(
        community=community_a, raised_by=resident_a, category="repair", title="路灯", actor=SYSTEM
    )


def _both(actor, action, obj) -> bool:
    """`can` and `restrict` agree, and say this."""
    answer = policy.can(actor, action, obj)
    seen = policy.restrict(type(obj)._base_manager.filter(pk=obj.pk), actor, action).exists()
    assert answer is seen, (actor, action, obj)
    return answer


def test_residents_take_part_in_their_own_community_only(
    matter, residents_a, resident_b, community_a, community_b
):
    neighbour = residents_a[1]
    for action in ("view", "second", "comment", "report"):
        assert _both(neighbour, action, matter), action
        assert not _both(resident_b, action, matter), action
    assert _both(neighbour, "raise_matter", community_a)
    assert not _both(neighbour, "raise_matter", community_b)
    assert not _both(resident_b, "raise_matter", community_a)
    for action in ("manage", "handle"):
        assert not _both(neighbour, action, matter), action
    assert not _both(neighbour, "run_community", community_a)


def test_only_the_raiser_and_seconders_rate(matter, residents_a):
    raiser, seconder, other = residents_a[0], residents_a[1], residents_a[2]
    Second.objects.create(matter=matter, resident=seconder)
    assert _both(raiser, "rate", matter)
    assert _both(seconder, "rate", matter)
    assert not _both(other, "rate", matter)


def test_the_community_staff_run_it_and_the_street_only_sees(
    matter, staff_a, street_staff, community_a, handler_a
):
    invitation = Invitation.objects.create(
        community=community_a,
        code="ABCDEFGH",
        expires_at=matter.created_at,
        max_uses=1,
        actor=SYSTEM,
    )
    group = Group.objects.create(
        community=community_a, kind="volunteers", name="志愿队", actor=SYSTEM
    )
    for action in ("view", "manage", "handle", "comment"):
        assert _both(staff_a, action, matter), action
    assert not _both(staff_a, "second", matter)  # the staff do not second
    assert _both(staff_a, "run_community", community_a)
    assert _both(staff_a, "raise_matter", community_a)
    assert _both(staff_a, "manage", invitation)
    assert _both(staff_a, "manage", group)
    for above in (street_staff, handler_a):
        assert _both(above, "view", matter)
        for action in ("manage", "handle", "comment", "second"):
            assert not _both(above, action, matter), action
        assert not _both(above, "run_community", community_a)
        assert not _both(above, "manage", invitation)


def test_a_lead_handles_the_matter_it_leads(matter, residents_a, community_a):
    volunteer = residents_a[3]
    assert not _both(volunteer, "handle", matter)
    matter.lead_user = volunteer
    matter.save(actor=SYSTEM)
    assert _both(volunteer, "handle", matter)
    contact = residents_a[4]
    group = Group.objects.create(
        community=community_a,
        kind="party_members",
        name="党员先锋队",
        contact=contact,
        actor=SYSTEM,
    )
    matter.lead_user, matter.lead_group = None, group
    matter.save(actor=SYSTEM)
    assert _both(contact, "handle", matter)
    assert not _both(volunteer, "handle", matter)


def test_whole_phone_numbers_for_oneself_and_the_community_staff(
    residents_a, staff_a, street_staff, resident_b
):
    person = residents_a[0]
    assert _both(person, "see_phone", person)
    assert _both(staff_a, "see_phone", person)
    assert not _both(residents_a[1], "see_phone", person)
    assert not _both(street_staff, "see_phone", person)
    assert not _both(resident_b, "see_phone", person)
