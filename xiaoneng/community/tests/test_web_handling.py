"""The council and the handling pages: a deliberation (the listed matters ticked already),
its decisions with their votes (more votes than attendees refused, nothing changed), the
lead (a group or a person, the working days prefilled), progress posts with photos, closing,
rating by the raiser and seconders only; a matter referred to the street shows the street
item's status, with a link only for who may see the item; the groups; the workbench."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.community import conf, services
from xiaoneng.community.models import (
    Decision,
    Deliberation,
    Group,
    MatterStatus,
    Progress,
    Rating,
)
from xiaoneng.community.tests.samples_base import png
from xiaoneng.community.tests.test_web_matters import detail, raise_, text
from xiaoneng.core.workbench import panels_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(resident_a, community_a, residents_a, staff_a):
    matter = raise_(resident_a, community_a, title="垃圾清运不及时")
    services.second(matter, actor=residents_a[1])
    services.list_for_deliberation(matter, actor=staff_a)
    return matter


@pytest.fixture
def meeting(staff_a, community_a, listed):
    return services.create_deliberation(
        actor=staff_a,
        community=community_a,
        date=timezone.localdate(),
        place="社区议事厅",
        attendee_count=9,
        matters=[listed],
    )


def decide_url(meeting):
    return reverse("community:deliberation_decide", args=[meeting.pk])


def votes(matter, **data):
    fields = {
        "decision": "adopt",
        "votes_for": 7,
        "votes_against": 1,
        "votes_abstain": 1,
        "reason": "",
        "merge_into": "",
        "matter": matter.pk,
        **data,
    }
    return {f"m{matter.pk}-{k}": v for k, v in fields.items()}


def test_the_staff_hold_a_deliberation_with_the_listed_ticked(
    client_for, staff_a, listed, community_a, resident_a
):
    c = client_for(staff_a)
    other = raise_(resident_a, community_a, title="还在征集附议的事")
    page = text(c.get(reverse("community:deliberation_create")))
    ticked = re.findall(r'<input type="checkbox" name="matters" value="(\d+)"[^>]* checked>', page)
    assert ticked == [str(listed.pk)]  # the listed one; the one still collecting seconds not
    assert "还在征集附议的事" in page
    response = c.post(
        reverse("community:deliberation_create"),
        {
            "date": timezone.localdate().isoformat(),
            "place": "社区议事厅",
            "attendee_count": 9,
            "attendees": "议事会成员九人",
            "matters": [listed.pk, other.pk],
        },
    )
    meeting = Deliberation.objects.get()
    assert response.status_code == 302
    assert set(meeting.decisions.values_list("matter_id", flat=True)) == {listed.pk, other.pk}
    other.refresh_from_db()
    assert other.status == MatterStatus.LISTED
    page = text(c.get(reverse("community:deliberation_detail", args=[meeting.pk])))
    assert "记录决定" in page and "垃圾清运不及时" in page


def test_a_deliberation_needs_its_attendees(client_for, staff_a):
    response = client_for(staff_a).post(
        reverse("community:deliberation_create"),
        {"date": timezone.localdate().isoformat(), "place": "厅", "attendee_count": 0},
    )
    assert response.status_code == 400 and not Deliberation.objects.exists()


def test_residents_see_deliberations_but_hold_none(client_for, residents_a, meeting):
    c = client_for(residents_a[2])
    page = text(c.get(reverse("community:deliberation_detail", args=[meeting.pk])))
    assert "垃圾清运不及时" in page and "记录决定" not in page
    response = c.post(decide_url(meeting), votes(meeting.decisions.get().matter))
    assert response.status_code == 403
    assert c.get(reverse("community:deliberation_create")).status_code == 403


def test_more_votes_than_attendees_are_refused_and_nothing_changes(
    client_for, staff_a, meeting, listed
):
    response = client_for(staff_a).post(decide_url(meeting), votes(listed, votes_for=9))
    assert response.status_code == 400
    assert "不能超过参会人数（9）" in text(response)
    listed.refresh_from_db()
    assert listed.status == MatterStatus.LISTED
    assert Decision.objects.get().decision == ""


def test_a_rejection_needs_its_reason(client_for, staff_a, meeting, listed):
    c = client_for(staff_a)
    response = c.post(decide_url(meeting), votes(listed, decision="reject"))
    assert response.status_code == 400 and "请填写理由" in text(response)
    c.post(decide_url(meeting), votes(listed, decision="reject", reason="不属于社区职责"))
    listed.refresh_from_db()
    assert listed.status == MatterStatus.REJECTED


def test_a_merge_goes_into_another_matter(client_for, staff_a, meeting, listed, resident_a):
    target = raise_(resident_a, listed.community, title="小区环境整治")
    client_for(staff_a).post(
        decide_url(meeting), votes(listed, decision="merge", merge_into=target.pk)
    )
    listed.refresh_from_db()
    assert listed.status == MatterStatus.MERGED and listed.merged_into == target
    assert "小区环境整治" in text(client_for(resident_a).get(detail(listed)))


def test_adopt_lead_progress_close_and_rate(
    client_for, staff_a, meeting, listed, residents_a, resident_a, community_a
):
    staff = client_for(staff_a)
    staff.post(decide_url(meeting), votes(listed))
    listed.refresh_from_db()
    assert listed.status == MatterStatus.ADOPTED
    page = text(client_for(resident_a).get(detail(listed)))
    assert "赞成 7 票，反对 1 票，弃权 1 票" in page
    # the lead: the working days prefilled with the default
    page = text(staff.get(detail(listed)))
    assert f'name="deadline_workdays" value="{conf.deadline_workdays()}"' in page
    group = services.create_group(
        actor=staff_a, community=community_a, kind="volunteers", name="红马甲志愿服务队"
    )
    response = staff.post(
        reverse("community:matter_lead", args=[listed.pk]),
        {"lead_group": group.pk, "lead_user": residents_a[3].pk, "deadline_workdays": 10},
    )
    assert response.status_code == 400 and "只能选一个" in text(response)
    staff.post(
        reverse("community:matter_lead", args=[listed.pk]),
        {"lead_group": group.pk, "steps": "联系清运公司\n增加班次\n", "deadline_workdays": 10},
    )
    listed.refresh_from_db()
    assert listed.status == MatterStatus.HANDLING and listed.lead_group == group
    assert list(listed.steps.values_list("text", flat=True)) == ["联系清运公司", "增加班次"]
    # a resident may not post progress
    response = client_for(residents_a[2]).post(
        reverse("community:matter_progress", args=[listed.pk]), {"text": "我来"}
    )
    assert response.status_code == 403
    step = listed.steps.first()
    staff.post(
        reverse("community:matter_progress", args=[listed.pk]),
        {"text": "已联系清运公司", "photos": [png("清运.png")], "steps_done": [step.pk]},
    )
    post = Progress.objects.get()
    assert post.photos.count() == 1
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    page = text(client_for(resident_a).get(detail(listed)))
    assert "已联系清运公司" in page and "红马甲志愿服务队" in page
    # closing needs a result
    response = staff.post(reverse("community:matter_close", args=[listed.pk]), {"result": ""})
    assert response.status_code == 400
    staff.post(reverse("community:matter_close", args=[listed.pk]), {"result": "已每日清运两次"})
    listed.refresh_from_db()
    assert listed.status == MatterStatus.CLOSED
    # the raiser and the seconder rate; another resident may not
    page = text(client_for(resident_a).get(detail(listed)))
    assert "您对办理结果满意吗" in page and "基本满意" in page
    client_for(resident_a).post(
        reverse("community:matter_rate", args=[listed.pk]), {"rating": "satisfied"}
    )
    client_for(residents_a[1]).post(
        reverse("community:matter_rate", args=[listed.pk]),
        {"rating": "basically_satisfied", "comment": "还可以"},
    )
    stranger = client_for(residents_a[4])
    assert "您对办理结果满意吗" not in text(stranger.get(detail(listed)))
    response = stranger.post(
        reverse("community:matter_rate", args=[listed.pk]), {"rating": "dissatisfied"}
    )
    assert response.status_code == 403
    assert sorted(Rating.objects.values_list("rating", flat=True)) == [
        "basically_satisfied",
        "satisfied",
    ]
    # a rating may be changed
    client_for(resident_a).post(
        reverse("community:matter_rate", args=[listed.pk]), {"rating": "dissatisfied"}
    )
    assert Rating.objects.get(resident=resident_a).rating == "dissatisfied"
    page = text(client_for(resident_a).get(detail(listed)))
    assert "您的评价：不满意" in page


def test_a_referred_matter_shows_the_street_item(
    client_for, staff_a, meeting, listed, resident_a, street_staff
):
    client_for(staff_a).post(decide_url(meeting), votes(listed, decision="refer"))
    listed.refresh_from_db()
    item = listed.item
    assert listed.status == MatterStatus.REFERRED and item is not None
    item_url = reverse("supervision:item_detail", args=[item.pk])
    page = text(client_for(resident_a).get(detail(listed)))
    assert "街道办理" in page and item.get_status_display() in page and item_url not in page
    page = text(client_for(street_staff).get(detail(listed)))
    assert item_url in page


def test_only_the_community_s_staff_register_groups(client_for, staff_a, residents_a):
    c = client_for(staff_a)
    response = c.post(
        reverse("community:group_list"),
        {"kind": "property", "name": "绿城物业", "contact": residents_a[1].pk},
    )
    assert response.status_code == 302
    group = Group.objects.get()
    assert group.contact == residents_a[1]
    response = c.post(reverse("community:group_list"), {"kind": "property", "name": "绿城物业"})
    assert response.status_code == 400 and "已有名为“绿城物业”" in text(response)
    resident = client_for(residents_a[2])
    assert (
        resident.post(
            reverse("community:group_list"), {"kind": "volunteers", "name": "我的队"}
        ).status_code
        == 403
    )
    assert Group.objects.count() == 1
    page = text(resident.get(reverse("community:group_list")))
    assert "绿城物业" in page and "13800000001" not in page  # the contact's phone masked
    assert "138****0001" in page
    assert "13800000001" in text(c.get(reverse("community:group_list")))


def _listed_count(client, url) -> int:
    return client.get(url).context["page"].paginator.count


def test_the_workbench_counts_what_the_lists_show(
    client_for, staff_a, meeting, listed, resident_a, residents_a, community_a
):
    raise_(residents_a[2], community_a, title="还在征集")
    services.second(listed, actor=residents_a[3])
    services.report(listed, actor=residents_a[4], reason="重复")
    staff = client_for(staff_a)
    (panel,) = [p for p in panels_for(staff_a) if p.title == "社区议事"]
    counts = {c.label: c.count for c in panel.counters}
    assert counts == {
        "征集附议中": 1,
        "待议事会商议": 1,
        "已采纳待确定牵头": 0,
        "办理超期": 0,
        "待处理举报": 1,
    }
    for counter in panel.counters:
        assert _listed_count(staff, counter.url) == counter.count, counter.label
    (mine,) = [p for p in panels_for(residents_a[1]) if p.title == "社区议事"]
    resident = client_for(residents_a[1])
    for counter in mine.counters:
        assert _listed_count(resident, counter.url) == counter.count, counter.label
    assert {c.label: c.count for c in mine.counters}["我附议的议题"] == 1
    home = text(resident.get(reverse("core:home")))
    assert "我附议的议题" in home and "等我评价" in home


def test_the_street_s_staff_and_the_outsider_get_no_community_panel(street_staff, handler_b):
    for user in (street_staff, handler_b):
        assert not [p for p in panels_for(user) if p.title == "社区议事"]


def test_a_reported_progress_post_is_hidden_from_residents_and_the_board(
    client_for, staff_a, meeting, listed, residents_a, community_a
):
    services.decide(meeting, actor=staff_a, matter=listed, decision="adopt", votes_for=9)
    services.assign_lead(listed, actor=staff_a, lead_user=staff_a)
    post = services.post_progress(
        listed, actor=staff_a, text="联系人周师傅 13800000004", photos=[png("现场.png")]
    )
    photo = post.photos.get()
    services.set_photo_public(photo, actor=staff_a, public=True)
    board = reverse("community:board", args=[community_a.code])
    photo_url = reverse("community:board_photo", args=[community_a.code, photo.pk])
    assert photo_url in text(client_for(residents_a[3]).get(board))
    resident = client_for(residents_a[2])
    resident.post(
        reverse("community:matter_report", args=[listed.pk]),
        {"reason": "泄露电话", "progress": post.pk},
    )
    assert "泄露电话" in text(client_for(staff_a).get(reverse("community:report_list")))
    client_for(staff_a).post(
        reverse("community:content_hide", args=["progress", post.pk]), {"reason": "含个人电话"}
    )
    post.refresh_from_db()
    assert post.is_hidden and not post.reports.filter(handled_at__isnull=True).exists()
    page = text(resident.get(detail(listed)))
    assert "13800000004" not in page and "已隐藏" in page
    assert resident.get(reverse("community:photo", args=[photo.pk])).status_code == 404
    assert photo_url not in text(client_for(residents_a[3]).get(board))
    assert client_for(residents_a[3]).get(photo_url).status_code == 404
