"""Raising a matter, seconding it to the deliberation list, and the online discussion (大家议):
the services' rules and refusals."""

import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.community import services
from xiaoneng.community.models import Comment, Matter, MatterStatus, Photo, Second
from xiaoneng.community.tests.samples_base import PNG, png
from xiaoneng.notifications.models import Notification


def raise_(actor, community, **kwargs):
    fields = {"category": "repair", "title": "楼道灯不亮", "description": "3 栋 2 单元"}
    fields.update(kwargs)
    return services.raise_matter(actor=actor, community=community, **fields)


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names]


@pytest.fixture
def matter(resident_a, community_a):
    return raise_(resident_a, community_a)


# --- Raising ------------------------------------------------------------------------------


def test_a_resident_raises_a_matter_with_photos_and_the_staff_are_told(
    resident_a, community_a, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matter = raise_(resident_a, community_a, place="3 栋", photos=[png("灯.png")])
    assert matter.status == MatterStatus.RAISED
    assert matter.raised_by == resident_a
    photo = matter.photos.get()
    assert photo.content_type == "image/png" and not photo.public
    assert photo.file.read() == PNG
    told = Notification.objects.get(recipient=staff_a, verb="matter_raised")
    assert "楼道灯不亮" in told.title
    assert not Notification.objects.filter(recipient=resident_a).exists()


def test_the_staff_raise_a_matter_too(staff_a, community_a):
    assert raise_(staff_a, community_a).raised_by == staff_a


def test_no_one_outside_the_community_raises_its_matters(
    resident_b, street_staff, handler_b, community_a
):
    for outsider in (resident_b, street_staff, handler_b):
        with pytest.raises(PermissionDenied):
            raise_(outsider, community_a)
    assert not Matter.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "  "}, "title", "请填写标题"),
        ({"title": "题" * 101}, "title", "标题不能超过 100 个字"),
        ({"description": "长" * 100_000}, "description", "具体情况不能超过 5000 个字"),
        ({"category": "weather"}, "category", "请选择类别"),
        ({"place": "地" * 101}, "place", "地点不能超过 100 个字"),
    ],
)
def test_bad_text_is_refused_naming_the_field_and_nothing_is_stored(
    resident_a, community_a, settings, fields, field, words
):
    with pytest.raises(ValidationError) as exc:
        raise_(resident_a, community_a, photos=[png()], **fields)
    assert words in exc.value.message_dict[field][0]
    assert not Matter.all_objects.exists() and not Photo.all_objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_text_file_named_png_is_refused_by_its_content_and_nothing_is_stored(
    resident_a, community_a, settings
):
    fake = SimpleUploadedFile("照片.png", "这不是图片".encode(), content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        raise_(resident_a, community_a, photos=[png("好的.png"), fake])
    assert exc.value.message_dict["photos"] == ["文件“照片.png”不是照片：只接受 PNG 或 JPEG 图片。"]
    assert not Matter.all_objects.exists() and not Photo.all_objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_an_oversize_photo_is_refused_and_nothing_is_stored(resident_a, community_a, settings):
    settings.XIAONENG_COMMUNITY_PHOTO_MB = 1
    big = SimpleUploadedFile("大.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        raise_(resident_a, community_a, photos=[png(), big])
    assert "超过 1 MB" in exc.value.message_dict["photos"][0]
    assert not Matter.all_objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_failure_after_the_photos_were_stored_removes_their_files(
    resident_a, community_a, settings, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("the inbox is down")

    monkeypatch.setattr(services, "_tell", boom)
    with pytest.raises(RuntimeError):
        raise_(resident_a, community_a, photos=[png()])
    assert not Matter.all_objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_photo_is_named_by_its_content(resident_a, community_a):
    jpeg = SimpleUploadedFile("blob", b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    matter = raise_(resident_a, community_a, photos=[jpeg])
    photo = matter.photos.get()
    assert photo.content_type == "image/jpeg" and photo.name == "blob.jpg"


# --- Seconding ----------------------------------------------------------------------------


def test_a_resident_seconds_once_and_not_their_own(matter, residents_a):
    first, second = residents_a[0], residents_a[1]
    services.second(matter, actor=second)
    matter.refresh_from_db()
    assert matter.seconds_count == 1
    with pytest.raises(ValidationError) as exc:
        services.second(matter, actor=second)
    assert exc.value.messages == ["您已附议过该议题，每人只能附议一次。"]
    with pytest.raises(ValidationError) as exc:
        services.second(matter, actor=first)
    assert exc.value.messages == ["不能附议自己提出的议题。"]
    assert Second.objects.count() == 1


def test_no_one_outside_the_community_seconds(matter, resident_b, staff_a, street_staff):
    for outsider in (resident_b, staff_a, street_staff):
        with pytest.raises(PermissionDenied):
            services.second(matter, actor=outsider)
    assert not Second.objects.exists()


def test_the_fifth_second_lists_the_matter_by_itself_and_tells_the_raiser(
    matter, residents_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for resident in residents_a[1:5]:
            services.second(matter, actor=resident)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RAISED and matter.seconds_count == 4
    assert not Notification.objects.filter(verb="matter_listed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.second(matter, actor=residents_a[5])
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED and matter.listed_at is not None
    told = Notification.objects.get(verb="matter_listed")
    assert told.recipient == residents_a[0]
    assert "附议已达 5 人" in told.title


def test_the_threshold_is_a_setting(matter, residents_a, settings):
    settings.XIAONENG_COMMUNITY_SECOND_THRESHOLD = 3
    for resident in residents_a[1:3]:
        services.second(matter, actor=resident)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RAISED
    services.second(matter, actor=residents_a[3])
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED


def test_withdrawing_does_not_unlist_and_is_refused_once_decided(matter, residents_a, settings):
    settings.XIAONENG_COMMUNITY_SECOND_THRESHOLD = 2
    services.second(matter, actor=residents_a[1])
    services.second(matter, actor=residents_a[2])
    matter = services.withdraw_second(matter, actor=residents_a[2])
    assert matter.status == MatterStatus.LISTED and matter.seconds_count == 1
    with pytest.raises(ValidationError) as exc:
        services.withdraw_second(matter, actor=residents_a[2])
    assert exc.value.messages == ["您没有附议该议题。"]
    Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.ADOPTED)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_second(matter, actor=residents_a[1])
    assert "不能撤回附议" in exc.value.messages[0]
    assert Second.objects.filter(matter=matter).count() == 1


def test_a_decided_or_hidden_matter_takes_no_second(matter, residents_a, staff_a):
    services.hide(matter, actor=staff_a, reason="重复")
    with pytest.raises(ValidationError) as exc:
        services.second(matter, actor=residents_a[1])
    assert exc.value.messages == ["该议题已隐藏，不能附议。"]
    Matter.all_objects.filter(pk=matter.pk).update(status=MatterStatus.REJECTED)
    with pytest.raises(ValidationError) as exc:
        services.second(matter, actor=residents_a[1])
    assert exc.value.messages == ["该议题已处于“未采纳”状态，不能再附议。"]


def test_the_staff_list_a_matter_and_residents_cannot(matter, staff_a, residents_a):
    with pytest.raises(PermissionDenied):
        services.list_for_deliberation(matter, actor=residents_a[1])
    matter = services.list_for_deliberation(matter, actor=staff_a)
    assert matter.status == MatterStatus.LISTED and matter.listed_at is not None
    with pytest.raises(ValidationError) as exc:
        services.list_for_deliberation(matter, actor=staff_a)
    assert exc.value.messages == ["该议题已在待议事清单中。"]


# --- Discussion ---------------------------------------------------------------------------


def test_comments_have_one_level_of_replies_and_the_one_replied_to_is_told(
    matter, residents_a, django_capture_on_commit_callbacks
):
    a, b, c = residents_a[1], residents_a[2], residents_a[3]
    top = services.comment(matter, actor=a, text="同意，晚上很黑")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment(matter, actor=b, text="我也遇到过", reply_to=top)
    assert reply.reply_to == top
    told = Notification.objects.get(verb="comment_reply")
    assert told.recipient == a and "楼道灯不亮" in told.title
    with pytest.raises(ValidationError) as exc:
        services.comment(matter, actor=c, text="回复的回复", reply_to=reply)
    assert exc.value.message_dict["reply_to"] == ["只能回复一级评论，不能回复回复。"]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(matter, actor=a, text="自己补充", reply_to=top)
    assert Notification.objects.filter(verb="comment_reply").count() == 1  # not oneself


def test_a_comment_is_refused_when_empty_too_long_or_out_of_the_community(
    matter, residents_a, resident_b, community_a
):
    with pytest.raises(ValidationError) as exc:
        services.comment(matter, actor=residents_a[1], text=" ")
    assert exc.value.message_dict["text"] == ["请填写评论内容。"]
    with pytest.raises(ValidationError) as exc:
        services.comment(matter, actor=residents_a[1], text="长" * 1001)
    assert "评论内容不能超过 1000 个字" in exc.value.message_dict["text"][0]
    with pytest.raises(PermissionDenied):
        services.comment(matter, actor=resident_b, text="外社区")
    other = raise_(residents_a[2], community_a, title="另一议题")
    elsewhere = services.comment(other, actor=residents_a[1], text="那边的评论")
    with pytest.raises(ValidationError) as exc:
        services.comment(matter, actor=residents_a[3], text="回复", reply_to=elsewhere)
    assert "不属于该议题" in exc.value.message_dict["reply_to"][0]
    assert Comment.objects.filter(matter=matter).count() == 0


def test_the_staff_mark_one_reply_official(matter, residents_a, staff_a):
    top = services.comment(matter, actor=residents_a[1], text="什么时候修")
    first = services.comment(matter, actor=staff_a, text="本周内修好", reply_to=top)
    later = services.comment(matter, actor=staff_a, text="已报修，周五修好", reply_to=top)
    with pytest.raises(PermissionDenied):
        services.mark_official(first, actor=residents_a[1])
    with pytest.raises(ValidationError) as exc:
        services.mark_official(top, actor=staff_a)
    assert exc.value.messages == ["只能将回复标为官方答复。"]
    services.mark_official(first, actor=staff_a)
    services.mark_official(later, actor=staff_a)
    assert list(Comment.objects.filter(is_official=True)) == [later]
