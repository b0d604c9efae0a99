import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xiaoneng.branches import services
from xiaoneng.branches.models import BranchActivity, BranchPairing
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import PartyBranch

pytestmark = pytest.mark.django_db


def _pair(organ_branch, community_branch):
    return services.create_pairing(
        actor=SYSTEM,
        organ_branch=organ_branch,
        community_branch=community_branch,
        started_on=dt.date(2023, 3, 1),
    )


def test_it_records_a_pairing_and_shows_it_on_both_branch_pages(
    client_for, province_admin, organ_branch, community_branch, community_handler
):
    admin = client_for(province_admin)
    response = admin.post(
        reverse("branches:pairing_create"),
        {
            "organ_branch": organ_branch.pk,
            "community_branch": community_branch.pk,
            "started_on": "2023-03-01",
            "notes": "每季度联学联建",
        },
    )
    assert response.status_code == 302
    pairing = BranchPairing.objects.get()
    assert ChangeLog.objects.filter(object_id=pairing.pk, action="create", user=province_admin)
    organ_page = admin.get(reverse("branches:branch_detail", args=[organ_branch.pk]))
    assert "永兴路社区党支部" in organ_page.content.decode()
    # The community's staff see the province's branch on their own page, as the pairing...
    local = client_for(community_handler)
    page = local.get(reverse("branches:branch_detail", args=[community_branch.pk])).content.decode()
    assert "省政府办公厅机关第一党支部" in page and "2023-03-01" in page
    # ... and no more of it: not its own page.
    assert local.get(reverse("branches:branch_detail", args=[organ_branch.pk])).status_code == 404


def test_it_shows_an_activity_of_both_branches_on_both_pages(
    client_for,
    organ_branch,
    community_branch,
    community_handler,
    office_handler,
):
    _pair(organ_branch, community_branch)
    local = client_for(community_handler)
    response = local.post(
        reverse("branches:activity_create"),
        {
            "kind": "joint_study",
            "title": "联学联建学习会",
            "date": "2024-05-10",
            "branches": [organ_branch.pk, community_branch.pk],
            "participant_count": "20",
        },
    )
    assert response.status_code == 302, response.content.decode()
    activity = BranchActivity.objects.get()
    assert set(activity.branches.all()) == {organ_branch, community_branch}
    for client, branch in [
        (local, community_branch),
        (client_for(office_handler), organ_branch),
    ]:
        page = client.get(reverse("branches:branch_detail", args=[branch.pk])).content.decode()
        assert "联学联建学习会" in page


def test_the_community_does_not_see_the_organs_other_activities(
    client_for, organ_branch, community_branch, community_handler
):
    _pair(organ_branch, community_branch)
    services.record_activity(
        actor=SYSTEM,
        kind="theme_day",
        title="机关内部主题党日",
        date=dt.date(2024, 7, 1),
        branches=[organ_branch],
    )
    local = client_for(community_handler)
    assert "机关内部主题党日" not in local.get(reverse("branches:activity_list")).content.decode()
    assert local.get("/api/branch-activities/").json()["count"] == 0


def test_it_refuses_a_pairing_of_two_organ_branches_naming_the_field(
    client_for, province_admin, organ_branch, office
):
    other = PartyBranch.objects.create(unit=office, name="机关第二党支部", actor=SYSTEM)
    response = client_for(province_admin).post(
        reverse("branches:pairing_create"),
        {"organ_branch": organ_branch.pk, "community_branch": other.pk, "started_on": "2023-03-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "不是社区（村）的党支部" in errors["community_branch"][0]
    assert not BranchPairing.objects.exists()


def test_it_refuses_a_second_open_pairing_of_the_same_branches(organ_branch, community_branch):
    _pair(organ_branch, community_branch)
    with pytest.raises(ValidationError) as exc:
        _pair(organ_branch, community_branch)
    assert "community_branch" in exc.value.error_dict


def test_it_refuses_an_activity_dated_in_the_future(
    client_for, community_branch, community_handler
):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client_for(community_handler).post(
        reverse("branches:activity_create"),
        {
            "kind": "volunteer",
            "title": "志愿服务",
            "date": tomorrow.isoformat(),
            "branches": [community_branch.pk],
        },
    )
    assert response.status_code == 200
    assert "不能晚于今天" in response.context["form"].errors["date"][0]
    api = client_for(community_handler).post(
        "/api/branch-activities/",
        {
            "kind": "volunteer",
            "title": "志愿服务",
            "date": tomorrow.isoformat(),
            "branches": [community_branch.pk],
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "date" in api.json()


def test_a_handler_may_not_record_for_a_branch_outside_their_reach(
    client_for, handler_b, community_branch
):
    response = client_for(handler_b).post(
        "/api/branch-activities/",
        {
            "kind": "volunteer",
            "title": "志愿服务",
            "date": "2024-05-01",
            "branches": [community_branch.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400  # the id answers as one that does not exist
    assert not BranchActivity.objects.exists()


def test_a_photo_must_be_a_picture(client_for, community_branch, community_handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(community_handler).post(
        reverse("branches:activity_create"),
        {
            "kind": "volunteer",
            "title": "志愿服务",
            "date": "2024-05-01",
            "branches": [community_branch.pk],
            "photos": [SimpleUploadedFile("说明.txt", "文字".encode())],
        },
    )
    assert response.status_code == 200
    assert "活动照片只接受" in response.context["form"].errors["photos"][0]
    assert not BranchActivity.objects.exists()


def test_the_outsider_sees_nothing(client_for, handler_b, organ_branch, community_branch):
    pairing = _pair(organ_branch, community_branch)
    outsider = client_for(handler_b)
    assert outsider.get("/api/branch-pairings/").json()["count"] == 0
    assert outsider.get(f"/api/branch-pairings/{pairing.pk}/").status_code == 404
    page = outsider.get(reverse("branches:branch_list")).content.decode()
    assert "永兴路社区党支部" not in page


def test_the_unit_page_links_branches_and_warns_about_leaders_without_one(
    client_for, admin_a, county_a
):
    from xiaoneng.conftest import make_user

    branch = PartyBranch.objects.create(unit=county_a, name="西山区效能办党支部", actor=SYSTEM)
    placed = make_user("xs_ld", county_a, "leader", name="刘建华")
    placed.party_branch = branch
    placed.save(actor=SYSTEM)
    make_user("xs_ld2", county_a, "leader", name="陈未编")
    page = client_for(admin_a).get(reverse("units:detail", args=[county_a.pk])).content.decode()
    assert reverse("branches:branch_detail", args=[branch.pk]) in page
    assert "以下领导干部尚未编入党支部：" in page
    warning = page.split("以下领导干部尚未编入党支部：")[1].split("</li>")[0]
    assert "陈未编" in warning and "刘建华" not in warning
