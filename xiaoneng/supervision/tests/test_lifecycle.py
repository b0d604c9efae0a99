import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.conftest import make_unit
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item, ItemEvent, Status
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_walks_an_item_from_assignment_to_closure(make_item, handler_a, province_supervisor):
    item = make_item(kind="problem", rectification="")
    assert item.code.startswith("WT-") and item.status == "assigned"
    assert Notification.objects.filter(recipient=handler_a, verb="assigned").exists()
    item = services.acknowledge(item, actor=handler_a)
    item = services.submit_plan(item, actor=handler_a, plan="三步整改")
    item = services.report_progress(
        item,
        actor=handler_a,
        percent=40,
        comment="已清理占道",
        files=[SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)],
    )
    assert item.status == "in_progress" and item.progress == 40
    with pytest.raises(ValidationError, match="整改措施"):
        services.request_closure(item, actor=handler_a, evidence="验收记录")
    item = services.request_closure(
        item, actor=handler_a, evidence="验收记录", rectification="划定疏导点"
    )
    assert item.status == "closure_requested" and item.progress == 100
    item = services.send_back(item, actor=province_supervisor, comment="证据不足")
    assert item.status == "sent_back"
    item = services.request_closure(item, actor=handler_a, evidence="补充验收记录")
    item = services.approve(item, actor=province_supervisor, comment="同意销号")
    assert item.status == "closed" and item.closed_on == dt.date.today()
    item = services.reopen(item, actor=province_supervisor, comment="群众再次反映")
    assert item.status == "in_progress" and item.closed_on is None
    actions = list(item.events.values_list("action", flat=True))
    assert actions == [
        "assign",
        "acknowledge",
        "submit_plan",
        "report_progress",
        "request_closure",
        "send_back",
        "request_closure",
        "approve",
        "reopen",
    ]
    logged = set(ChangeLog.objects.filter(object_id=item.pk).values_list("action", flat=True))
    assert {"create", "acknowledge", "approve", "send_back", "reopen"} <= logged
    assert item.attachments.get().content_type == "image/png"


@pytest.mark.parametrize(
    "action,status",
    [
        ("submit_plan", "assigned"),
        ("report_progress", "assigned"),
        ("request_closure", "assigned"),
        ("request_closure", "acknowledged"),
        ("approve", "in_progress"),
        ("send_back", "assigned"),
        ("reopen", "in_progress"),
        ("acknowledge", "closed"),
        ("approve", "closed"),
    ],
)
def test_it_refuses_invalid_transitions_with_a_clear_message(make_item, action, status):
    item = make_item()
    Item.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.transition(item, actor=SYSTEM, action=action, comment="x", percent=10, plan="p")
    label = Status(status).label
    assert exc.value.messages == [f"事项当前状态为“{label}”，不能{services.RULES[action].label}。"]


def test_it_refuses_the_wrong_side(make_item, handler_a, province_supervisor, handler_b):
    item = make_item()
    with pytest.raises(PermissionDenied):
        services.acknowledge(item, actor=province_supervisor)
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=50, comment="过半")
    services.request_closure(item, actor=handler_a, comment="完成")
    with pytest.raises(PermissionDenied):
        services.approve(item, actor=handler_a)
    with pytest.raises(PermissionDenied):  # the outsider cannot even see it
        services.approve(item, actor=handler_b)
    with pytest.raises(ValidationError, match=r"理由|说明"):
        services.send_back(item, actor=province_supervisor, comment="")


def test_it_refuses_unknown_actions_and_bad_percent(make_item, handler_a):
    item = services.acknowledge(make_item(), actor=handler_a)
    with pytest.raises(ValidationError, match="未知操作"):
        services.transition(item, actor=handler_a, action="close_now")
    with pytest.raises(ValidationError, match="0 到 100"):
        services.report_progress(item, actor=handler_a, percent=120, comment="x")


def test_it_urges_and_escalates_to_the_leader_after_k_urges(
    make_item, province_supervisor, handler_a, leader_a, settings
):
    settings.XIAONENG_URGE_ESCALATE_AFTER = 2
    settings.XIAONENG_URGE_MIN_WORKDAYS = 0  # the interval has its own test (test_urge.py)
    item = make_item()
    services.urge(item, actor=province_supervisor, comment="请加快")
    assert not Notification.objects.filter(recipient=leader_a).exists()
    services.urge(item, actor=province_supervisor, comment="再催", confirm_escalation=True)
    item.refresh_from_db()
    assert item.urge_count == 2 and item.escalated
    assert Notification.objects.filter(recipient=leader_a, verb="escalate").count() == 1
    assert Notification.objects.filter(recipient=handler_a, verb="urge").count() == 2
    with pytest.raises(PermissionDenied):
        services.urge(item, actor=handler_a)


def test_it_decomposes_rolls_up_and_guards_the_parent(
    make_item, county_a, handler_a, province_supervisor
):
    street1 = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    street2 = make_unit("530112002", "马街街道", Level.TOWNSHIP, county_a)
    parent = make_item()
    services.acknowledge(parent, actor=handler_a)
    children = services.decompose(parent, actor=handler_a, units=[street1, street2])
    assert [c.lead_unit for c in children] == [street1, street2]
    assert all(c.code and c.assigning_unit == county_a for c in children)
    with pytest.raises(ValidationError, match="已分解"):
        services.decompose(parent, actor=handler_a, units=[street1])
    services.acknowledge(children[0], actor=SYSTEM)
    services.report_progress(children[0], actor=SYSTEM, percent=60, comment="过半")
    parent.refresh_from_db()
    assert parent.progress == 30
    services.report_progress(parent, actor=handler_a, percent=30, comment="汇总")
    services.request_closure(parent, actor=handler_a, comment="申请")
    with pytest.raises(ValidationError, match="下级事项未办结"):
        services.approve(parent, actor=province_supervisor)
    parent = services.approve(parent, actor=province_supervisor, override_reason="街道任务已并入")
    assert parent.status == "closed"
    assert "强制办结" in ItemEvent.objects.filter(item=parent, action="approve").get().comment
    # the child's reviewer is the parent's lead unit (一级带着一级干)
    services.request_closure(children[0], actor=SYSTEM, comment="完成")
    services.approve(children[0], actor=handler_a)


def test_it_checks_attachment_content_not_extension(make_item, province_supervisor, settings):
    item = make_item()
    with pytest.raises(ValidationError, match="不支持"):
        services.add_attachment(
            item,
            SimpleUploadedFile("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
            actor=province_supervisor,
        )
    pdf = services.add_attachment(
        item, SimpleUploadedFile("验收报告.PDF", b"%PDF-1.7 ..."), actor=province_supervisor
    )
    assert pdf.content_type == "application/pdf"
    # The name must say what the content is: a downloaded "x.bat" or "x.exe" would run.
    for name, content, reason in [
        ("x.bin", b"%PDF-1.7 ...", "文件名应以 .pdf 结尾"),
        ("通知.bat", b"del /q *.*\r\n", "纯文本附件只接受 .txt 或 .csv"),
        ("page.html", b"<script>alert(1)</script>", "纯文本附件只接受"),
    ]:
        with pytest.raises(ValidationError, match=reason):
            services.add_attachment(
                item, SimpleUploadedFile(name, content), actor=province_supervisor
            )
    text = services.add_attachment(
        item, SimpleUploadedFile("说明.txt", "整改说明".encode()), actor=province_supervisor
    )
    assert text.content_type == "text/plain"
    settings.UPLOAD_MAX_MB = 0
    with pytest.raises(ValidationError, match="超过"):
        services.add_attachment(
            item, SimpleUploadedFile("a.txt", b"hello"), actor=province_supervisor
        )


def test_it_keeps_the_outsider_from_items_and_notifications(make_item, handler_b, client_for):
    item = make_item(title="西山内部事项")
    assert not Item.objects.restrict(handler_b, "view").exists()
    assert not Notification.objects.filter(recipient=handler_b).exists()
    c = client_for(handler_b)
    assert c.get(f"/supervision/{item.pk}/").status_code == 404
    assert c.post(f"/supervision/{item.pk}/do/acknowledge/").status_code == 404
    export = c.get("/supervision/export/")
    assert export.status_code == 200 and "西山内部事项".encode() not in export.content
    assert c.get("/api/items/").json()["count"] == 0


def test_it_lets_co_units_and_the_assigning_unit_see_the_item(
    make_item, county_b, handler_b, county_a, province_supervisor
):
    item = make_item(co_units=[county_b])
    assert Item.objects.restrict(handler_b, "view").filter(pk=item.pk).exists()
    with pytest.raises(PermissionDenied):
        services.acknowledge(item, actor=handler_b)


def test_timeline_attachments_and_urges_follow_the_items_scope(
    make_item, handler_a, handler_b, province_supervisor, client_for
):
    from xiaoneng.supervision.models import Attachment, Urge

    item = make_item(files=[SimpleUploadedFile("a.txt", b"hello")])
    services.urge(item, actor=province_supervisor)
    for model in (ItemEvent, Attachment, Urge):
        assert model.objects.restrict(handler_a, "view").exists(), model
        assert not model.objects.restrict(handler_b, "view").exists(), model
    trash = client_for(province_supervisor).get("/trash/")
    assert trash.status_code == 200
