"""The matter pages: the list (a resident's own community, the tabs, the overdue first),
raising a matter (the community not asked; bad input refused in Chinese, nothing stored),
seconding (once, not one's own, not another community's), the discussion (one level of
replies, the official answer first), reports and hiding ("已隐藏")."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xiaoneng.community import services
from xiaoneng.community.models import Comment, Matter, MatterStatus, Photo, Report, Second
from xiaoneng.community.tests.samples_base import png

pytestmark = pytest.mark.django_db


def raise_(actor, community, title="3栋路灯不亮", **kwargs):
    return services.raise_matter(
        actor=actor, community=community, category="repair", title=title, **kwargs
    )


def detail(matter) -> str:
    return reverse("community:matter_detail", args=[matter.pk])


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def matter(resident_a, community_a):
    return raise_(resident_a, community_a, description="晚上很黑", place="3栋门口")


# --- The list ----------------------------------------------------------------------------


def test_a_resident_sees_their_community_s_matters_by_tab(
    client_for, matter, residents_a, resident_b, community_b, staff_a
):
    other = raise_(resident_b, community_b, title="华山社区的事")
    listed = raise_(residents_a[1], matter.community, title="停车难")
    services.list_for_deliberation(listed, actor=staff_a)
    c = client_for(residents_a[2])
    page = text(c.get(reverse("community:matter_list")))
    assert "3栋路灯不亮" in page and "停车难" in page and other.title not in page
    assert "附议 0/5" in page and "我也遇到了 / 我支持" in page
    page = text(c.get(reverse("community:matter_list") + "?stage=listed"))
    assert "停车难" in page and "3栋路灯不亮" not in page
    services.second(matter, actor=residents_a[2])
    page = text(c.get(reverse("community:matter_list") + "?seconded=true"))
    assert "3栋路灯不亮" in page and "停车难" not in page and "我已附议" in page
    mine = text(client_for(residents_a[1]).get(reverse("community:matter_list") + "?mine=true"))
    assert "停车难" in mine and "3栋路灯不亮" not in mine


def test_the_overdue_come_first_with_their_working_days(client_for, matter, staff_a, community_a):
    late = raise_(staff_a, community_a, title="逾期的事")
    Matter.objects.filter(pk=late.pk).update(
        status=MatterStatus.HANDLING, deadline=timezone.localdate() - dt.timedelta(days=14)
    )
    page = text(client_for(staff_a).get(reverse("community:matter_list")))
    assert page.index("逾期的事") < page.index("3栋路灯不亮")
    assert "超期" in page and "个工作日" in page
    assert "逾期的事" in text(
        client_for(staff_a).get(reverse("community:matter_list") + "?overdue=true")
    )


def test_bad_filters_are_named_not_a_500(client_for, resident_a, matter):
    c = client_for(resident_a)
    for query in ("?community=" + "9" * 5000, "?stage=x", "?community=²", "?overdue=maybe"):
        response = c.get(reverse("community:matter_list") + query)
        assert response.status_code == 200, query
    assert "筛选条件" in text(c.get(reverse("community:matter_list") + "?community=abc"))


# --- Raising -----------------------------------------------------------------------------


def test_a_resident_raises_a_matter_in_their_own_community(client_for, resident_a, community_a):
    c = client_for(resident_a)
    page = text(c.get(reverse("community:matter_create")))
    assert 'name="community"' not in page and "环境卫生" in page and "永兴路社区" in page
    response = c.post(
        reverse("community:matter_create"),
        {
            "category": "environment",
            "title": "垃圾桶满了没人清",
            "description": "每天早上都满",
            "place": "5栋",
            "photos": [png("垃圾.png")],
        },
    )
    matter = Matter.objects.get(title="垃圾桶满了没人清")
    assert response.status_code == 302 and response["Location"] == detail(matter)
    assert matter.community == community_a and matter.raised_by == resident_a
    assert matter.photos.count() == 1
    page = text(c.get(detail(matter)))
    assert "议题已提出" in page and "附议 0/5" in page


@pytest.mark.parametrize(
    "data, error",
    [
        ({"category": "environment", "title": ""}, "此项必填"),
        ({"category": "", "title": "没有类别"}, "此项必填"),
        ({"category": "environment", "title": "长", "description": "字" * 100000}, "最多"),
        ({"category": "environment", "title": "字" * 101}, "最多"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client_for, resident_a, data, error):
    response = client_for(resident_a).post(reverse("community:matter_create"), data)
    assert response.status_code == 400
    assert error in text(response)
    assert not Matter.objects.exists()


def test_a_text_file_named_png_is_refused_by_its_content(client_for, resident_a):
    fake = SimpleUploadedFile("照片.png", b"just text", content_type="image/png")
    response = client_for(resident_a).post(
        reverse("community:matter_create"),
        {"category": "repair", "title": "有照片", "photos": [fake]},
    )
    assert response.status_code == 400 and "不是照片" in text(response)
    assert not Matter.objects.exists() and not Photo.objects.exists()


def test_only_residents_and_the_community_s_staff_raise(client_for, street_staff, handler_a):
    for user in (street_staff, handler_a):
        response = client_for(user).post(
            reverse("community:matter_create"), {"category": "repair", "title": "街道提的"}
        )
        assert response.status_code == 403 and "只有本社区的居民和工作人员" in text(response)
    assert not Matter.objects.exists()


# --- Seconding ---------------------------------------------------------------------------


def test_a_resident_seconds_once_and_withdraws(client_for, matter, residents_a):
    c = client_for(residents_a[1])
    page = text(c.get(detail(matter)))
    assert "附议（我也遇到了 / 我支持）" in page
    response = c.post(reverse("community:matter_second", args=[matter.pk]))
    assert response.status_code == 302
    page = text(c.get(detail(matter)))
    assert "已附议" in page and "附议 1/5" in page and "撤回附议" in page
    c.post(reverse("community:matter_second", args=[matter.pk]))
    assert "每人只能附议一次" in text(c.get(detail(matter)))
    assert Second.objects.filter(matter=matter).count() == 1
    c.post(reverse("community:matter_unsecond", args=[matter.pk]))
    assert not Second.objects.exists()


def test_the_raiser_cannot_second_their_own(client_for, matter, resident_a):
    c = client_for(resident_a)
    assert "附议（我也遇到了" not in text(c.get(detail(matter)))
    c.post(reverse("community:matter_second", args=[matter.pk]))
    assert "不能附议自己提出的议题" in text(c.get(detail(matter)))
    assert not Second.objects.exists()


def test_the_fifth_second_puts_it_on_the_deliberation_list(client_for, matter, residents_a):
    for resident in residents_a[1:]:
        client_for(resident).post(reverse("community:matter_second", args=[matter.pk]))
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED and matter.seconds_count == 5
    page = text(client_for(residents_a[0]).get(reverse("community:deliberation_list")))
    assert "待议事的议题（1）" in page and "3栋路灯不亮" in page


def test_a_resident_of_another_community_gets_404_and_cannot_second(client_for, matter, resident_b):
    c = client_for(resident_b)
    assert c.get(detail(matter)).status_code == 404
    assert c.post(reverse("community:matter_second", args=[matter.pk])).status_code == 404
    assert (
        c.post(reverse("community:comment_add", args=[matter.pk]), {"text": "路过"}).status_code
        == 404
    )
    assert not Second.objects.exists() and not Comment.objects.exists()


def test_a_resident_reaches_no_supervision_nor_project_page(client_for, resident_a):
    c = client_for(resident_a)
    for url in ("/supervision/", "/supervision/todo/", "/projects/", "/fieldwork/"):
        assert c.get(url).status_code in (403, 404), url


# --- Discussion --------------------------------------------------------------------------


def test_comments_replies_and_the_official_answer(client_for, matter, residents_a, staff_a):
    c1 = client_for(residents_a[1])
    c1.post(reverse("community:comment_add", args=[matter.pk]), {"text": "确实很黑"})
    top = Comment.objects.get()
    c0 = client_for(residents_a[0])
    c0.post(
        reverse("community:comment_add", args=[matter.pk]),
        {f"r{top.pk}-text": "谢谢", f"r{top.pk}-reply_to": top.pk},
    )
    reply = Comment.objects.get(reply_to=top)
    assert reply.author == residents_a[0]
    # a reply to a reply is refused, nothing stored
    response = c1.post(
        reverse("community:comment_add", args=[matter.pk]),
        {f"r{reply.pk}-text": "再回复", f"r{reply.pk}-reply_to": reply.pk},
    )
    assert response.status_code == 302
    assert "只能回复一级评论" in text(c1.get(detail(matter)))
    assert Comment.objects.count() == 2
    # residents may not mark the official answer
    response = c1.post(reverse("community:comment_official", args=[reply.pk]))
    assert response.status_code == 403
    staff = client_for(staff_a)
    staff.post(
        reverse("community:comment_add", args=[matter.pk]),
        {f"r{top.pk}-text": "已报修，周五修好", f"r{top.pk}-reply_to": top.pk},
    )
    answer = Comment.objects.get(text="已报修，周五修好")
    page = text(staff.get(detail(matter)))
    assert "设为官方答复" in page
    staff.post(reverse("community:comment_official", args=[answer.pk]))
    page = text(c1.get(detail(matter)))
    assert page.index("官方答复") < page.index("确实很黑")
    assert 'data-testid="official"' in page


def test_an_empty_comment_is_refused(client_for, matter, residents_a):
    response = client_for(residents_a[1]).post(
        reverse("community:comment_add", args=[matter.pk]), {"text": "  "}
    )
    assert response.status_code == 400 and "此项必填" in text(response)
    assert not Comment.objects.exists()


# --- Reports and hiding ------------------------------------------------------------------


def test_reports_go_to_the_queue_and_hiding_shows_already_hidden(
    client_for, matter, residents_a, staff_a
):
    comment = services.comment(matter, actor=residents_a[1], text="广告：13800000000 办证")
    c2 = client_for(residents_a[2])
    page = text(c2.get(detail(matter)))
    assert page.count("举报") >= 2
    c2.post(
        reverse("community:matter_report", args=[matter.pk]),
        {"reason": "广告", "comment": comment.pk},
    )
    c2.post(reverse("community:matter_report", args=[matter.pk]), {"reason": "夸大"})
    assert Report.objects.filter(comment=comment).count() == 1
    assert Report.objects.filter(target="matter").count() == 1
    # a report without a reason is refused, nothing stored
    c2.post(reverse("community:matter_report", args=[matter.pk]), {"reason": ""})
    assert Report.objects.count() == 2
    # residents have no queue
    assert c2.get(reverse("community:report_list")).status_code == 403
    staff = client_for(staff_a)
    queue = text(staff.get(reverse("community:report_list")))
    assert "广告：13800000000 办证" in queue and "夸大" in queue
    report = Report.objects.get(comment=comment)
    response = staff.post(
        reverse("community:report_hide", args=[report.pk]), {f"h{report.pk}-reason": "广告"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "广告"
    page = text(c2.get(detail(matter)))
    assert "已隐藏" in page and "办证" not in page
    assert "办证" in text(client_for(residents_a[1]).get(detail(matter)))  # the author
    # the matter's report is kept, with a reason
    kept = Report.objects.get(target="matter")
    response = staff.post(
        reverse("community:report_keep", args=[kept.pk]), {f"k{kept.pk}-outcome": "情况属实"}
    )
    kept.refresh_from_db()
    assert kept.handled_at is not None and "情况属实" in kept.outcome
    assert "没有举报" in text(staff.get(reverse("community:report_list")))


def test_a_hidden_matter_is_404_to_other_residents(client_for, matter, residents_a, staff_a):
    staff = client_for(staff_a)
    response = staff.post(
        reverse("community:content_hide", args=["matter", matter.pk]), {"reason": "重复"}
    )
    assert response.status_code == 302
    assert client_for(residents_a[1]).get(detail(matter)).status_code == 404
    assert "3栋路灯不亮" not in text(
        client_for(residents_a[1]).get(reverse("community:matter_list"))
    )
    own = text(client_for(residents_a[0]).get(detail(matter)))
    assert "已被社区工作人员隐藏" in own and "重复" in own
    assert staff.get(detail(matter)).status_code == 200


def test_residents_cannot_hide_and_a_hiding_needs_a_reason(
    client_for, matter, residents_a, staff_a
):
    url = reverse("community:content_hide", args=["matter", matter.pk])
    assert client_for(residents_a[1]).post(url, {"reason": "不喜欢"}).status_code == 403
    client_for(staff_a).post(url, {"reason": ""})
    matter.refresh_from_db()
    assert not matter.is_hidden
    assert (
        client_for(staff_a)
        .post(reverse("community:content_hide", args=["nothing", matter.pk]), {"reason": "x"})
        .status_code
        == 404
    )


def test_photos_are_seen_in_scope_and_marked_public_by_the_staff(
    client_for, resident_a, community_a, residents_a, resident_b, staff_a
):
    matter = raise_(resident_a, community_a, photos=[png()])
    photo = matter.photos.get()
    url = reverse("community:photo", args=[photo.pk])
    assert client_for(residents_a[1]).get(url).status_code == 200
    assert client_for(resident_b).get(url).status_code == 404
    public = reverse("community:photo_public", args=[photo.pk])
    assert client_for(residents_a[1]).post(public, {"public": "1"}).status_code == 403
    client_for(staff_a).post(public, {"public": "1"})
    photo.refresh_from_db()
    assert photo.public
    Matter.objects.filter(pk=matter.pk).update(hidden_at=timezone.now())
    assert client_for(residents_a[1]).get(url).status_code == 404
