"""Urging that means something: not twice within the configured working days, the urge that
escalates confirmed, the handlers told what was urged and by whom; a send-back tells why;
progress lowered says why."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xiaoneng.core.versioning import version_of
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item, ItemEvent, Urge
from xiaoneng.supervision.workdays import add_workdays


@pytest.fixture(autouse=True)
def rules(settings):
    settings.XIAONENG_URGE_MIN_WORKDAYS = 1
    settings.XIAONENG_URGE_ESCALATE_AFTER = 3


def backdate_urges(item, days: int) -> None:
    for urge in Urge.objects.filter(item=item):
        Urge.objects.filter(pk=urge.pk).update(created_at=urge.created_at - dt.timedelta(days=days))


def state(item) -> tuple:
    item.refresh_from_db()
    return (
        item.urge_count,
        item.escalated,
        Urge.objects.filter(item=item).count(),
        Notification.objects.filter(ref=f"supervision.item:{item.pk}", verb="urge").count(),
    )


def test_a_second_urge_within_a_working_day_is_refused_saying_when(make_item, province_supervisor):
    item = make_item()
    services.urge(item, actor=province_supervisor, comment="请加快")
    before = state(item)
    with pytest.raises(ValidationError) as refused:
        services.urge(item, actor=province_supervisor, comment="再催")
    again, _provisional = add_workdays(timezone.localdate(), 1)
    assert f"{again.month}月{again.day}日" in refused.value.messages[0]
    assert "起可再次催办" in refused.value.messages[0]
    assert state(item) == before  # nothing written
    assert services.next_urge_on(item) == again
    # A working day later (the urge dated back past it) it goes through.
    backdate_urges(item, 7)
    assert services.next_urge_on(item) is None
    services.urge(item, actor=province_supervisor, comment="再催")
    assert state(item)[0] == 2


def test_no_interval_when_it_is_set_to_zero(make_item, province_supervisor, settings):
    settings.XIAONENG_URGE_MIN_WORKDAYS = 0
    item = make_item()
    services.urge(item, actor=province_supervisor)
    services.urge(item, actor=province_supervisor)
    assert state(item)[0] == 2


def test_the_urge_that_escalates_must_be_confirmed(
    make_item, province_supervisor, leader_a, settings, django_capture_on_commit_callbacks
):
    settings.XIAONENG_URGE_ESCALATE_AFTER = 2
    item = make_item()
    assert not services.urge_escalates(item)
    services.urge(item, actor=province_supervisor)
    backdate_urges(item, 7)
    item.refresh_from_db()
    assert services.urge_escalates(item)
    before = state(item)
    with pytest.raises(ValidationError, match="本次催办后将提级至牵头单位领导督办"):
        services.urge(item, actor=province_supervisor, comment="第二次")
    assert state(item) == before
    assert not Notification.objects.filter(recipient=leader_a).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.urge(item, actor=province_supervisor, comment="第二次", confirm_escalation=True)
    item.refresh_from_db()
    assert item.escalated and item.urge_count == 2
    assert Notification.objects.filter(recipient=leader_a, verb="escalate").count() == 1


def test_the_handlers_notice_carries_the_text_and_who_urged(
    make_item, province_supervisor, handler_a, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.urge(item, actor=province_supervisor, comment="请于本周五前报送整改进展")
    notice = Notification.objects.get(recipient=handler_a, verb="urge")
    assert "请于本周五前报送整改进展" in notice.title
    assert province_supervisor.unit.name in notice.title
    assert str(province_supervisor) in notice.title


def test_the_page_brings_a_refused_urge_back_with_the_reason_and_the_text(
    make_item, client_for, province_supervisor
):
    item = make_item()
    c = client_for(province_supervisor)
    url = reverse("supervision:item_urge", args=[item.pk])
    assert c.post(url, {"comment": "第一次"}).status_code == 302
    before = state(item)
    r = c.post(url, {"comment": "马上反馈"})
    text = r.content.decode()
    assert r.status_code == 200 and "未能催办" in text and "起可再次催办" in text
    assert "马上反馈" in text  # what was typed stays
    assert state(item) == before
    # The page says so before anyone tries.
    page = c.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert "起可再次催办" in page


def test_the_page_asks_for_the_escalations_confirmation(
    make_item, client_for, province_supervisor, settings
):
    settings.XIAONENG_URGE_ESCALATE_AFTER = 1
    item = make_item()
    c = client_for(province_supervisor)
    page = c.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert "本次催办后将提级至牵头单位领导督办" in page and 'name="confirm_escalation"' in page
    url = reverse("supervision:item_urge", args=[item.pk])
    r = c.post(url, {"comment": "提级"})
    assert r.status_code == 200 and "请勾选" in r.content.decode()
    assert state(item)[0] == 0
    assert c.post(url, {"comment": "提级", "confirm_escalation": "on"}).status_code == 302
    assert Item.objects.get(pk=item.pk).escalated


def test_the_api_refuses_with_400(make_item, client_for, province_supervisor, settings):
    item = make_item()
    api = client_for(province_supervisor)
    url = f"/api/items/{item.pk}/urges/"
    assert api.post(url, {"comment": "快"}, content_type="application/json").status_code == 201
    r = api.post(url, {"comment": "再快"}, content_type="application/json")
    assert r.status_code == 400 and "起可再次催办" in r.json()["detail"][0]
    settings.XIAONENG_URGE_MIN_WORKDAYS = 0
    settings.XIAONENG_URGE_ESCALATE_AFTER = 2
    r = api.post(url, {}, content_type="application/json")
    assert r.status_code == 400 and "提级" in r.json()["detail"][0]
    r = api.post(url, {"confirm_escalation": True}, content_type="application/json")
    assert r.status_code == 201 and r.json()["escalated"] is True


def test_a_send_back_notice_carries_the_reason(
    make_item, province_supervisor, handler_a, django_capture_on_commit_callbacks
):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=80, comment="基本完成")
    services.request_closure(item, actor=handler_a, comment="完成", evidence="验收记录")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(item, actor=province_supervisor, comment="缺少群众满意度回访")
    notice = Notification.objects.get(recipient=handler_a, verb="send_back")
    assert "退回" in notice.title and "缺少群众满意度回访" in notice.title


def test_progress_lowered_needs_a_reason_which_the_timeline_keeps(make_item, handler_a, client_for):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=60, comment="过半")
    with pytest.raises(ValidationError, match="由 60% 下调至 40%，请填写下调原因"):
        services.report_progress(item, actor=handler_a, percent=40, comment="重新核算")
    item.refresh_from_db()
    assert item.progress == 60
    services.report_progress(
        item, actor=handler_a, percent=40, comment="重新核算", lower_reason="部分整改返工"
    )
    item.refresh_from_db()
    assert item.progress == 40
    event = ItemEvent.objects.filter(item=item, action="report_progress").last()
    assert "部分整改返工" in event.comment and "60%" in event.comment
    # The same figure or a higher one asks nothing.
    services.report_progress(item, actor=handler_a, percent=40, comment="持平")
    # On the page: the field is there, and a lower figure without it comes back.
    c = client_for(handler_a)
    page = c.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert "进度下调原因" in page
    r = c.post(
        reverse("supervision:item_action", args=[item.pk, "report_progress"]),
        {"percent": 10, "comment": "再核", "version": version_of(Item.objects.get(pk=item.pk))},
    )
    assert r.status_code == 200 and "请填写下调原因" in r.content.decode()
    assert Item.objects.get(pk=item.pk).progress == 40
