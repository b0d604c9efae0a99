"""Invitation codes (community/residents.py): the community's staff create and revoke them;
nobody else does, and a resident of another community cannot open their pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from xiaoneng.community import residents
from xiaoneng.community.models import Invitation

pytestmark = pytest.mark.django_db


def test_it_makes_an_eight_character_code_easy_to_read(community_a, staff_a):
    invitation = residents.create_invitation(
        actor=staff_a, community=community_a, max_uses=20, note="3 栋"
    )
    assert len(invitation.code) == 8
    assert set(invitation.code) <= set(residents.CODE_ALPHABET)
    assert not set(invitation.code) & set("0O1IL")
    assert invitation.max_uses == 20 and invitation.uses == 0 and invitation.note == "3 栋"
    assert invitation.created_by == staff_a
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 29.9 < days <= 30  # conf.invitation_days()
    assert residents.invitation_state(invitation) == "有效"


def test_the_codes_are_unique(community_a, staff_a):
    codes = {
        residents.create_invitation(actor=staff_a, community=community_a, max_uses=1).code
        for _ in range(30)
    }
    assert len(codes) == 30


def test_the_days_and_uses_are_the_staffs_to_choose_within_bounds(community_a, staff_a):
    invitation = residents.create_invitation(
        actor=staff_a, community=community_a, max_uses="5", days=7
    )
    assert 6.9 < (invitation.expires_at - timezone.now()).total_seconds() / 86400 <= 7
    for field, values in (
        ("max_uses", {"max_uses": 0}),
        ("max_uses", {"max_uses": "²"}),
        ("max_uses", {"max_uses": "9" * 5000}),
        ("days", {"max_uses": 1, "days": 367}),
        ("days", {"max_uses": 1, "days": -1}),
    ):
        with pytest.raises(ValidationError) as refused:
            residents.create_invitation(actor=staff_a, community=community_a, **values)
        assert field in refused.value.message_dict
    assert refused.value.message_dict["days"] == ["有效天数应为 1 至 366 之间的整数。"]
    assert Invitation.objects.count() == 1


def test_only_the_communitys_own_staff_create_codes(
    community_a, community_b, staff_a, street_staff, resident_a, handler_a
):
    for actor in (street_staff, resident_a, handler_a):
        with pytest.raises(PermissionDenied):
            residents.create_invitation(actor=actor, community=community_a, max_uses=1)
    with pytest.raises(PermissionDenied):
        residents.create_invitation(actor=staff_a, community=community_b, max_uses=1)
    assert not Invitation.objects.exists()


def test_the_states_read_as_the_refusals(community_a, staff_a):
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    later = timezone.now() + dt.timedelta(days=31)
    assert residents.invitation_state(invitation, later) == "已过期"
    invitation.uses = 1
    assert residents.invitation_state(invitation) == "已用完"
    residents.revoke_invitation(invitation, actor=staff_a)
    invitation.refresh_from_db()
    assert residents.invitation_state(invitation) == "已作废"
    assert invitation.refusal() == "该邀请码已作废，请向社区工作人员索取新的邀请码。"
    with pytest.raises(ValidationError):
        residents.revoke_invitation(invitation, actor=staff_a)


def test_only_the_communitys_staff_revoke(community_a, staff_a, street_staff, resident_a):
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    for actor in (street_staff, resident_a):
        with pytest.raises(PermissionDenied):
            residents.revoke_invitation(invitation, actor=actor)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- The page -----------------------------------------------------------------------------


def test_the_staff_create_list_and_revoke_codes_on_the_page(client_for, community_a, staff_a):
    client = client_for(staff_a)
    url = reverse("community_residents:invitations")
    response = client.post(url, {"max_uses": "3", "days": "", "note": "议事会成员"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.max_uses, invitation.note) == (3, "议事会成员")
    page = client.get(url).content.decode()
    assert invitation.code in page and "有效" in page and "0 / 3" in page
    assert f"?code={invitation.code}" in page

    revoke = reverse("community_residents:invitation_revoke", args=[invitation.pk])
    assert client.post(revoke).status_code == 302
    page = client.get(url).content.decode()
    assert "已作废" in page
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_the_page_names_a_bad_number(client_for, community_a, staff_a):
    url = reverse("community_residents:invitations")
    response = client_for(staff_a).post(url, {"max_uses": "0", "days": "500"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_no_one_else_opens_the_staffs_pages(
    client_for, community_a, staff_a, street_staff, resident_a, resident_b, handler_b
):
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    revoke = reverse("community_residents:invitation_revoke", args=[invitation.pk])
    pages = [
        reverse("community_residents:invitations"),
        reverse("community_residents:residents"),
        reverse("community_residents:import"),
        reverse("community_residents:import_template"),
    ]
    for person in (street_staff, resident_a, resident_b, handler_b):
        client = client_for(person)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 403, (person, url)
            assert invitation.code not in response.content.decode()
        assert client.post(revoke).status_code == 404, person
        assert client.post(pages[0], {"max_uses": "5"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Invitation.objects.count() == 1


def test_another_communitys_staff_cannot_touch_this_ones_codes(
    client_for, community_a, community_b, staff_a
):
    from xiaoneng.conftest import make_user

    staff_b = make_user("hs_sq", community_b, "unit_admin", "handler", name="华山社区干部")
    invitation = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    client = client_for(staff_b)
    page = client.get(reverse("community_residents:invitations")).content.decode()
    assert invitation.code not in page
    revoke = reverse("community_residents:invitation_revoke", args=[invitation.pk])
    assert client.post(revoke).status_code == 404
