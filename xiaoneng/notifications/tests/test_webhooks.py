"""Robot webhooks against a real HTTP server on 127.0.0.1 (no mocks)."""

import pytest
from django.core import mail

from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Notification, Preference, Webhook
from xiaoneng.notifications.tests.robots import dingtalk_signature_ok, serve


@pytest.fixture
def robot_server(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # the local robot server, as a relay
    with serve() as server:
        yield server


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
def test_it_signs_dingtalk_messages(robot_server, county_a, handler_a):
    base, received = robot_server
    secret = "SEC0123456789abcdef"
    Webhook.objects.create(
        unit=county_a,
        name="钉钉群",
        kind="dingtalk",
        url=f"{base}/robot/send?access_token=t",
        secret=secret,
        actor=SYSTEM,
    )
    services.deliver(
        [handler_a.pk],
        verb="urge",
        title="催办：某事项",
        url="/supervision/1/",
        unit_ids=[county_a.pk],
    )
    path, body = received[0]
    assert dingtalk_signature_ok(path, secret) and path.startswith("/robot/send?access_token=t&")
    assert body["msgtype"] == "text" and "催办：某事项" in body["text"]["content"]
    assert Webhook.objects.get().last_status == "ok"


@pytest.mark.django_db
def test_it_posts_to_wecom_unsigned_and_only_for_the_units_own_hooks(
    robot_server, county_a, county_b, handler_a
):
    base, received = robot_server
    Webhook.objects.create(
        unit=county_a,
        name="企微群",
        kind="wecom",
        url=f"{base}/cgi-bin/webhook/send?key=k",
        actor=SYSTEM,
    )
    Webhook.objects.create(
        unit=county_b, name="五华群", kind="wecom", url=f"{base}/other", actor=SYSTEM
    )
    services.deliver([handler_a.pk], verb="assigned", title="新交办", unit_ids=[county_a.pk])
    assert [p for p, _b in received] == ["/cgi-bin/webhook/send?key=k"]


@pytest.mark.django_db
def test_it_emails_immediately_or_in_a_daily_digest(handler_a, handler_b):
    handler_a.email, handler_b.email = "a@example.org", "b@example.org"
    handler_a.save(actor=SYSTEM)
    handler_b.save(actor=SYSTEM)
    Preference.objects.create(user=handler_b, delivery="digest", actor=SYSTEM)
    services.deliver([handler_a.pk, handler_b.pk], verb="urge", title="催办")
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert services.send_digests(actor=SYSTEM) == 1
    assert mail.outbox[-1].to == ["b@example.org"]
    assert services.send_digests(actor=SYSTEM) == 0


@pytest.mark.django_db
def test_the_inbox_shows_only_my_messages(client_for, handler_a, handler_b):
    Notification.objects.create(recipient=handler_a, verb="x", title="给周承办的", actor=SYSTEM)
    page = client_for(handler_b).get("/inbox/").content.decode()
    assert "给周承办的" not in page
    c = client_for(handler_a)
    assert "给周承办的" in c.get("/inbox/").content.decode()
    c.post("/inbox/read/")
    assert services.unread_count(handler_a) == 0
