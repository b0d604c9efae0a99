"""Handling an adopted matter (大家办): the lead, the steps and the deadline in working days,
progress posts, closing, rating, and the escalation of what is overdue."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.community import services
from xiaoneng.community.models import (
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Rating,
    Referral,
)
from xiaoneng.community.tests.samples_base import png
from xiaoneng.core import schedule
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision.models import Item, Status
from xiaoneng.supervision.workdays import add_workdays


def raise_(actor, community, title="垃圾清运不及时"):
    return services.raise_matter(
        actor=actor, community=community, category="environment", title=title
    )


def adopt(matter, staff):
    meeting = services.create_deliberation(
        actor=staff,
        community=matter.community,
        date=timezone.localdate(),
        place="厅",
        attendee_count=9,
    )
    services.decide(meeting, actor=staff, matter=matter, decision="adopt", votes_for=9)
    matter.refresh_from_db()
    return matter


@pytest.fixture
def adopted(resident_a, residents_a, community_a, staff_a):
    matter = raise_(resident_a, community_a)
    services.second(matter, actor=residents_a[1])
    return adopt(matter, staff_a)


@pytest.fixture
def group(staff_a, community_a, residents_a):
    return services.create_group(
        actor=staff_a,
        community=community_a,
        kind="volunteers",
        name="志愿服务队",
        contact=residents_a[2],
    )


@pytest.fixture
def handling(adopted, staff_a, group):
    return services.assign_lead(
        adopted, actor=staff_a, lead_group=group, steps=["联系清运公司", "增加班次"]
    )


# --- The lead -----------------------------------------------------------------------------


def test_a_lead_group_steps_and_a_deadline_in_working_days(
    adopted, staff_a, group, residents_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matter = services.assign_lead(
            adopted,
            actor=staff_a,
            lead_group=group,
            steps=["联系清运公司", " ", "增加班次"],
            deadline_workdays=7,
        )
    assert matter.status == MatterStatus.HANDLING
    assert matter.lead_group == group and matter.lead_user is None
    assert matter.deadline_workdays == 7
    assert matter.deadline == add_workdays(timezone.localdate(), 7)[0]
    assert [s.text for s in matter.steps.all()] == ["联系清运公司", "增加班次"]
    raiser = Notification.objects.get(recipient=residents_a[0], verb="matter_lead")
    assert "志愿服务队" in raiser.title
    assert Notification.objects.filter(recipient=residents_a[2], verb="matter_lead").exists()


def test_the_default_deadline_is_the_setting(adopted, staff_a, settings):
    settings.XIAONENG_COMMUNITY_DEADLINE_WORKDAYS = 3
    matter = services.assign_lead(adopted, actor=staff_a, lead_user=staff_a)
    assert matter.deadline == add_workdays(timezone.localdate(), 3)[0]
    assert matter.deadline_workdays == 3


def test_a_lead_is_one_person_or_one_group_of_the_community(
    adopted, staff_a, group, resident_b, community_b, handler_b
):
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(adopted, actor=staff_a)
    assert exc.value.message_dict["lead_user"] == ["请选择牵头人或牵头力量。"]
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(adopted, actor=staff_a, lead_user=staff_a, lead_group=group)
    assert exc.value.message_dict["lead_group"] == ["牵头人和牵头力量只能选一个。"]
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(adopted, actor=staff_a, lead_user=resident_b)
    assert "lead_user" in exc.value.message_dict
    from xiaoneng.community.models import Group

    theirs = Group.objects.create(
        community=community_b, kind="property", name="华山物业", actor=SYSTEM
    )
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(adopted, actor=staff_a, lead_group=theirs)
    assert exc.value.message_dict["lead_group"] == ["只能选择本社区的办理力量。"]
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(adopted, actor=staff_a, lead_user=staff_a, deadline_workdays=0)
    assert "deadline_workdays" in exc.value.message_dict
    adopted.refresh_from_db()
    assert adopted.status == MatterStatus.ADOPTED and not adopted.steps.exists()


def test_only_the_staff_give_a_lead_and_only_to_an_adopted_matter(
    adopted, staff_a, resident_a, residents_a, community_a
):
    with pytest.raises(PermissionDenied):
        services.assign_lead(adopted, actor=resident_a, lead_user=staff_a)
    raised = raise_(residents_a[3], community_a, title="刚提出")
    with pytest.raises(ValidationError) as exc:
        services.assign_lead(raised, actor=staff_a, lead_user=staff_a)
    assert "只有已采纳的议题可以确定牵头" in exc.value.messages[0]


def test_a_group_is_named_once_per_community(staff_a, community_a, group, resident_a):
    with pytest.raises(ValidationError) as exc:
        services.create_group(
            actor=staff_a, community=community_a, kind="volunteers", name="志愿服务队"
        )
    assert exc.value.message_dict["name"] == ["本社区已有名为“志愿服务队”的办理力量。"]
    with pytest.raises(ValidationError) as exc:
        services.create_group(actor=staff_a, community=community_a, kind="army", name="新队")
    assert "kind" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_group(actor=resident_a, community=community_a, kind="other", name="居民队")


# --- Progress -----------------------------------------------------------------------------


def test_the_staff_and_the_lead_post_progress_with_photos_and_steps(
    handling, staff_a, residents_a, django_capture_on_commit_callbacks
):
    step = handling.steps.first()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_progress(
            handling,
            actor=staff_a,
            text="已联系清运公司",
            photos=[png("清运.png")],
            steps_done=[step],
        )
    assert post.photos.get().progress == post
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    assert Notification.objects.filter(recipient=residents_a[0], verb="matter_progress").exists()
    # The group's contact (a resident) posts as the lead.
    services.post_progress(handling, actor=residents_a[2], text="志愿者已到场")
    assert handling.progress_posts.count() == 2


def test_progress_is_refused_to_others_and_off_handling(
    handling, adopted, residents_a, staff_a, resident_b
):
    with pytest.raises(PermissionDenied):
        services.post_progress(handling, actor=residents_a[1], text="我来说")
    with pytest.raises(PermissionDenied):
        services.post_progress(handling, actor=resident_b, text="外社区")
    with pytest.raises(ValidationError) as exc:
        services.post_progress(handling, actor=staff_a, text="  ")
    assert exc.value.message_dict["text"] == ["请填写进展情况。"]
    other = raise_(residents_a[3], handling.community, title="别的")
    other_step = services.assign_lead(
        adopt(other, staff_a), actor=staff_a, lead_user=staff_a, steps=["别的步骤"]
    ).steps.get()
    with pytest.raises(ValidationError) as exc:
        services.post_progress(handling, actor=staff_a, text="进展", steps_done=[other_step])
    assert exc.value.message_dict["steps_done"] == ["所选步骤不属于该议题。"]


def test_a_refused_progress_photo_stores_nothing(handling, staff_a, settings):
    import os

    fake = SimpleUploadedFile("现场.png", b"plain text, not a picture")
    with pytest.raises(ValidationError) as exc:
        services.post_progress(handling, actor=staff_a, text="进展", photos=[png(), fake])
    assert "不是照片" in exc.value.message_dict["photos"][0]
    assert not Progress.all_objects.exists() and not Photo.all_objects.exists()
    assert [f for _d, _s, names in os.walk(settings.MEDIA_ROOT) for f in names] == []


# --- Closing and rating -------------------------------------------------------------------


def test_closing_needs_a_result_and_tells_raiser_and_seconders(
    handling, staff_a, residents_a, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as exc:
        services.close_matter(handling, actor=staff_a, result="")
    assert exc.value.message_dict["result"] == ["请填写办理结果。"]
    with pytest.raises(PermissionDenied):
        services.close_matter(handling, actor=residents_a[2], result="办好了")
    with django_capture_on_commit_callbacks(execute=True):
        matter = services.close_matter(handling, actor=staff_a, result="每天清运两次")
    assert matter.status == MatterStatus.CLOSED and matter.closed_on == timezone.localdate()
    assert matter.is_solved()
    told = set(
        Notification.objects.filter(verb="matter_closed").values_list("recipient", flat=True)
    )
    assert told == {residents_a[0].pk, residents_a[1].pk}
    with pytest.raises(ValidationError):
        services.close_matter(matter, actor=staff_a, result="再办结一次")


def test_the_raiser_and_seconders_rate_a_solved_matter_and_may_change_it(
    handling, staff_a, residents_a
):
    raiser, seconder, other = residents_a[0], residents_a[1], residents_a[3]
    with pytest.raises(ValidationError) as exc:
        services.rate(handling, actor=raiser, rating="satisfied")
    assert exc.value.messages == ["议题办结后才能评价。"]
    matter = services.close_matter(handling, actor=staff_a, result="每天清运两次")
    with pytest.raises(PermissionDenied):
        services.rate(matter, actor=other, rating="satisfied")
    with pytest.raises(PermissionDenied):
        services.rate(matter, actor=staff_a, rating="satisfied")
    with pytest.raises(ValidationError) as exc:
        services.rate(matter, actor=raiser, rating="great")
    assert "rating" in exc.value.message_dict
    services.rate(matter, actor=raiser, rating="basically_satisfied", comment="还行")
    services.rate(matter, actor=seconder, rating="satisfied")
    services.rate(matter, actor=raiser, rating="satisfied", comment="很好")
    assert sorted(Rating.objects.values_list("resident", "rating", "comment")) == sorted(
        [(raiser.pk, "satisfied", "很好"), (seconder.pk, "satisfied", "")]
    )


# --- Escalation ---------------------------------------------------------------------------


def test_an_overdue_matter_escalates_once_and_one_not_overdue_does_not(
    handling,
    adopted,
    staff_a,
    residents_a,
    community_a,
    street_a,
    django_capture_on_commit_callbacks,
):
    fresh = services.assign_lead(
        adopt(raise_(residents_a[4], community_a, title="未逾期"), staff_a),
        actor=staff_a,
        lead_user=staff_a,
    )
    stale = adopt(raise_(residents_a[5], community_a, title="已采纳未确定牵头"), staff_a)
    Matter.objects.filter(pk=stale.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    today = handling.deadline + dt.timedelta(days=1)
    Matter.objects.filter(pk=fresh.pk).update(deadline=today)  # due today: not overdue yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(actor=SYSTEM, today=today) == 2
    handling.refresh_from_db()
    stale.refresh_from_db()
    for matter in (handling, stale):
        assert matter.status == MatterStatus.REFERRED
        assert matter.referral == Referral.ESCALATION
        assert matter.item.lead_unit == street_a
    assert Item.objects.count() == 2
    assert Notification.objects.filter(recipient=residents_a[0], verb="matter_escalated").exists()
    assert Notification.objects.filter(recipient=staff_a, verb="matter_escalated").exists()
    assert services.escalate_overdue(actor=SYSTEM, today=today) == 0
    assert Item.objects.count() == 2
    fresh.refresh_from_db()
    assert fresh.status == MatterStatus.HANDLING and fresh.item is None


def test_an_escalated_matter_is_solved_when_the_street_closes_it_and_then_rated(
    handling, residents_a
):
    services.escalate_overdue(actor=SYSTEM, today=handling.deadline + dt.timedelta(days=1))
    handling.refresh_from_db()
    with pytest.raises(ValidationError):
        services.rate(handling, actor=residents_a[0], rating="satisfied")
    Item.objects.filter(pk=handling.item_id).update(
        status=Status.CLOSED, closed_on=timezone.localdate()
    )
    handling = Matter.objects.get(pk=handling.pk)
    assert (
        services.rate(handling, actor=residents_a[1], rating="dissatisfied").rating
        == "dissatisfied"
    )


def test_the_escalation_is_a_daily_job_after_the_deadline_scan():
    job = schedule.get("escalate-community-matters")
    assert job.function() is services.escalate_overdue
    assert job.at == dt.time(1, 30) > schedule.get("scan-deadlines").at
