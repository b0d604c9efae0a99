"""The lead and the group contact are chosen by typing (forms.CandidatePicker): a community
may have thousands of residents, far too many for a drop-down. The search
(`community:people`) is the community's own staff's, and finds the members of the community
and of its street by name, user name or four digits of a phone."""

import pytest
from django.urls import reverse

from xiaoneng.community.forms import GroupForm, LeadForm
from xiaoneng.community.models import Group, Matter
from xiaoneng.conftest import make_user
from xiaoneng.core.tests.browser import PHONE, check_page

pytestmark = pytest.mark.django_db

URL = reverse("community:people")


def search(client, community, q=""):
    response = client.get(URL, {"community": community.pk, "q": q})
    assert response.status_code == 200
    return response.json()


def test_the_staff_find_residents_and_street_staff(
    client_for, community_a, staff_a, residents_a, street_staff
):
    client = client_for(staff_a)
    found = search(client, community_a, "赵")
    assert [r["label"] for r in found["results"]] == ["赵大妈（永兴路社区 · 13800000001）"]
    assert found["results"][0]["value"] == str(residents_a[1].pk) and not found["more"]
    assert [r["name"] for r in search(client, community_a, "张街道")["results"]] == ["张街道"]
    assert [r["name"] for r in search(client, community_a, "0004")["results"]] == ["周师傅"]
    assert search(client, community_a, "000")["results"] == []  # too few digits for a phone


def test_nobody_else_searches(
    client_for, community_a, community_b, resident_a, street_staff, staff_a
):
    assert client_for(resident_a).get(URL, {"community": community_a.pk}).status_code == 403
    assert client_for(street_staff).get(URL, {"community": community_a.pk}).status_code == 403
    other = make_user("hs_sq", community_b, "unit_admin", "handler", name="华山社区员")
    assert search(client_for(other), community_a)["results"] == []
    client = client_for(staff_a)
    for bad in ("", "abc", "9" * 40, "-1", str(community_b.pk)):
        response = client.get(URL, {"community": bad, "q": "赵"})
        assert response.status_code == 200 and response.json()["results"] == []


def test_the_forms_post_an_id_and_show_the_chosen_by_name(community_a, staff_a, residents_a):
    form = GroupForm(
        {"kind": "volunteers", "name": "楼栋长", "contact": residents_a[1].pk},
        community=community_a,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact"] == residents_a[1]
    html = str(form["contact"])
    assert "赵大妈（永兴路社区）" in html and "13800000001" not in html
    assert f'data-source="{URL}?community={community_a.pk}"' in html
    outsider = make_user("hs_jm", community_a.parent.parent, "handler", name="外人")
    refused = GroupForm(
        {"kind": "volunteers", "name": "x", "contact": outsider.pk}, community=community_a
    )
    assert not refused.is_valid() and "contact" in refused.errors
    matter = Matter.objects.create(
        community=community_a,
        raised_by=residents_a[0],
        category="repair",
        title="路灯",
        actor=staff_a,
    )
    assert f"{URL}?community={community_a.pk}" in str(LeadForm(matter=matter)["lead_user"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_contact_is_chosen_by_typing_on_a_phone(
    page, logged_in_page, live_server, community_a, staff_a, residents_a
):
    page.set_viewport_size(PHONE)
    logged_in_page(staff_a)
    page.goto(f"{live_server.url}/community/groups/")
    # No group yet: the form is open.
    page.get_by_label("类别").select_option("volunteers")
    page.get_by_label("名称").fill("3栋楼栋长")
    contact = page.get_by_role("combobox", name="联系人（可不选）")
    contact.fill("赵")
    page.get_by_role("option", name="赵大妈（永兴路社区 · 13800000001）").click()
    check_page(page)
    page.get_by_role("button", name="保存").click()
    page.get_by_role("cell", name="3栋楼栋长").wait_for()
    assert Group.objects.get(name="3栋楼栋长").contact == residents_a[1]
