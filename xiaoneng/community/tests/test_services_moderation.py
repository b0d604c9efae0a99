"""Moderation: residents report content, the community's staff hide it (with a reason) or keep
it; every step audited; hidden content shows as "已隐藏" to everyone but its author and the
staff. And which photos the board may show."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xiaoneng.community import services
from xiaoneng.community.models import Comment, Matter, MatterStatus, Progress, Report
from xiaoneng.community.tests.samples_base import png
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification


@pytest.fixture
def matter(resident_a, community_a):
    return services.raise_matter(
        actor=resident_a,
        community=community_a,
        category="neighbours",
        title="楼上噪音",
        description="每晚十二点后仍有噪音",
        photos=[png()],
    )


@pytest.fixture
def remark(matter, residents_a):
    return services.comment(matter, actor=residents_a[1], text="不文明的话")


@pytest.fixture
def progress(matter, staff_a):
    Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.HANDLING)
    return services.post_progress(matter, actor=staff_a, text="已上门沟通")


def logged(row, **kwargs):
    kind = ContentType.objects.get_for_model(type(row))
    return ChangeLog.objects.filter(content_type=kind, object_id=row.pk, **kwargs)


def test_a_resident_reports_a_comment_and_the_staff_are_told(
    matter, remark, residents_a, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.report(matter, actor=residents_a[2], reason="辱骂他人", comment=remark)
    assert (row.target, row.comment, row.reporter) == ("comment", remark, residents_a[2])
    assert row.content() == remark
    told = Notification.objects.get(recipient=staff_a, verb="report_new")
    assert "楼上噪音" in told.title
    assert logged(row, action="create", user=residents_a[2]).exists()
    with pytest.raises(ValidationError) as exc:
        services.report(matter, actor=residents_a[2], reason="再举报", comment=remark)
    assert exc.value.messages == ["您已举报过该内容，请等待社区工作人员处理。"]


def test_a_report_is_refused_without_reason_or_from_outside(
    matter, remark, residents_a, resident_b, staff_a, community_a
):
    with pytest.raises(ValidationError) as exc:
        services.report(matter, actor=residents_a[2], reason=" ")
    assert exc.value.message_dict["reason"] == ["请填写举报理由。"]
    for outsider in (resident_b, staff_a):
        with pytest.raises(PermissionDenied):
            services.report(matter, actor=outsider, reason="不实")
    other = services.raise_matter(
        actor=residents_a[3], community=community_a, category="other", title="另一议题"
    )
    with pytest.raises(ValidationError) as exc:
        services.report(other, actor=residents_a[2], reason="不实", comment=remark)
    assert "comment" in exc.value.message_dict
    assert not Report.objects.exists()


@pytest.mark.parametrize("which", ["matter", "remark", "progress"])
def test_the_staff_hide_a_row_with_a_reason_audited_and_its_reports_are_handled(
    request, which, matter, residents_a, staff_a
):
    row = request.getfixturevalue(which)
    kwargs = {
        "matter": {},
        "remark": {"comment": row},
        "progress": {"progress": row},
    }[which]
    reported = services.report(matter, actor=residents_a[2], reason="不当", **kwargs)
    with pytest.raises(PermissionDenied):
        services.hide(row, actor=residents_a[2], reason="我觉得不好")
    with pytest.raises(ValidationError) as exc:
        services.hide(row, actor=staff_a, reason="")
    assert exc.value.message_dict["reason"] == ["请填写隐藏原因。"]
    hidden = services.hide(row, actor=staff_a, reason="含不文明用语")
    assert hidden.is_hidden and hidden.hidden_by == staff_a
    assert hidden.hidden_reason == "含不文明用语"
    entry = logged(row, user=staff_a).filter(comment__contains="含不文明用语").get()
    assert entry.after["hidden_reason"] == "含不文明用语"
    reported.refresh_from_db()
    assert reported.handled_by == staff_a and reported.outcome == "已隐藏：含不文明用语"
    assert logged(reported, user=staff_a, action="update").exists()
    with pytest.raises(ValidationError) as exc:
        services.hide(hidden, actor=staff_a, reason="再隐藏")
    assert exc.value.messages == ["该内容已隐藏。"]
    with pytest.raises(ValidationError) as exc:
        services.report(matter, actor=residents_a[3], reason="不当", **kwargs)
    assert exc.value.messages == ["该内容已隐藏，无需举报。"]


def test_the_staff_keep_reported_content_saying_why(matter, residents_a, staff_a):
    reported = services.report(matter, actor=residents_a[2], reason="不实")
    with pytest.raises(PermissionDenied):
        services.dismiss_report(reported, actor=residents_a[2], outcome="算了")
    with pytest.raises(ValidationError) as exc:
        services.dismiss_report(reported, actor=staff_a, outcome="")
    assert "outcome" in exc.value.message_dict
    kept = services.dismiss_report(reported, actor=staff_a, outcome="经核实情况属实")
    assert kept.outcome == "保留：经核实情况属实" and kept.handled_at is not None
    assert logged(kept, user=staff_a, action="update").exists()
    matter.refresh_from_db()
    assert not matter.is_hidden
    with pytest.raises(ValidationError) as exc:
        services.dismiss_report(kept, actor=staff_a, outcome="再处理")
    assert exc.value.messages == ["该举报已处理：保留：经核实情况属实"]


def test_hidden_from_everyone_but_the_author_and_the_staff(
    matter, remark, residents_a, staff_a, street_staff, resident_b
):
    author = residents_a[1]
    assert not services.hidden_from(residents_a[3], remark)
    services.hide(remark, actor=staff_a, reason="不文明")
    remark = Comment.objects.get(pk=remark.pk)
    assert services.hidden_from(residents_a[3], remark)
    assert services.hidden_from(residents_a[0], remark)  # the matter's raiser is not its author
    assert services.hidden_from(street_staff, remark)
    assert services.hidden_from(resident_b, remark)
    assert not services.hidden_from(author, remark)
    assert not services.hidden_from(staff_a, remark)
    assert not services.hidden_from(SYSTEM, remark)
    services.hide(matter, actor=staff_a, reason="重复议题")
    matter = Matter.objects.get(pk=matter.pk)
    assert not services.hidden_from(residents_a[0], matter)
    assert services.hidden_from(author, matter)
    assert not Matter.objects.shown().filter(pk=matter.pk).exists()


def test_a_hidden_matter_takes_no_comment(matter, residents_a, staff_a):
    services.hide(matter, actor=staff_a, reason="重复议题")
    with pytest.raises(ValidationError) as exc:
        services.comment(matter, actor=residents_a[1], text="还在吗")
    assert exc.value.messages == ["该议题已隐藏，不能评论。"]


def test_only_the_staff_make_a_photo_public(matter, residents_a, staff_a, street_staff):
    photo = matter.photos.get()
    for other in (residents_a[0], street_staff):
        with pytest.raises(PermissionDenied):
            services.set_photo_public(photo, actor=other, public=True)
    assert services.set_photo_public(photo, actor=staff_a, public=True).public
    assert logged(photo, user=staff_a, action="update").exists()
    assert not services.set_photo_public(photo, actor=staff_a, public=False).public


def test_hiding_a_progress_post_keeps_the_matter_handling(progress, staff_a):
    services.hide(progress, actor=staff_a, reason="照片含住户隐私")
    progress = Progress.objects.get(pk=progress.pk)
    assert progress.hidden_at <= timezone.now()
    assert progress.matter.status == MatterStatus.HANDLING
