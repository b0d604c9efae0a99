"""Who configures robots: a unit's admins and 效能办, down their subtree ("manage_robots",
notifications/policy.py). The inbox's button, the pages, the form's unit choices and the
service ask the same rule."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications import services
from xiaoneng.notifications.forms import WebhookForm
from xiaoneng.notifications.models import Notification, Webhook

URL = "https://oapi.dingtalk.com/robot/send?access_token=9c1f33d2b7e84a0f"


def test_the_inbox_offers_the_robots_to_admins_only(client_for, admin_a, handler_a):
    robots = reverse("notifications:webhook_list")
    assert robots in client_for(admin_a).get(reverse("notifications:inbox")).content.decode()
    assert robots not in client_for(handler_a).get(reverse("notifications:inbox")).content.decode()
    assert client_for(handler_a).get(robots).status_code == 403
    assert client_for(handler_a).get(reverse("notifications:webhook_create")).status_code == 403


def test_the_unit_choices_are_the_admins_subtree(admin_a, county_a, county_b):
    assert set(WebhookForm(user=admin_a).fields["unit"].queryset) == {county_a}


def test_a_robot_cannot_be_moved_out_of_reach(admin_a, county_a, county_b):
    hook = Webhook.objects.create(
        unit=county_a, name="西山群", kind="dingtalk", url=URL, actor=SYSTEM
    )
    with pytest.raises(PermissionDenied):
        services.save_webhook(hook, actor=admin_a, unit=county_b)
    assert Webhook.objects.get(pk=hook.pk).unit == county_a
    other = Webhook.objects.create(
        unit=county_b, name="五华群", kind="dingtalk", url=URL, actor=SYSTEM
    )
    with pytest.raises(PermissionDenied):
        services.save_webhook(other, actor=admin_a, name="改名")
    assert Webhook.objects.get(pk=other.pk).name == "五华群"


def test_a_notice_is_marked_read_by_its_recipient_only(client_for, handler_a, handler_b):
    note = Notification.objects.create(recipient=handler_a, verb="test", title="提醒", actor=SYSTEM)
    assert client_for(handler_b).post(f"/api/notifications/{note.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=note.pk).read_at is None
    response = client_for(handler_a).post(f"/api/notifications/{note.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
