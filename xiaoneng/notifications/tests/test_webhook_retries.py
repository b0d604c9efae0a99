"""Robot messages that fail are retried with backoff, against a real HTTP server on 127.0.0.1."""

import contextlib
import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Webhook, WebhookDelivery
from xiaoneng.notifications.tests.robots import DOWN, OK, serve

pytestmark = pytest.mark.django_db


REFUSED = (200, {"errcode": 310000, "errmsg": "sign not match"})
_server = {"messages": []}  # what the current robot server received: (path, JSON body)


def received() -> list[str]:
    """The texts the robot server received, in order."""
    return [body["text"]["content"] for _path, body in _server["messages"]]


@pytest.fixture
def robot(county_a, settings):
    """robot(*answers) → a WeCom robot whose server (robots.serve, a real local HTTP server,
    allow-listed as a relay) answers each message with the next answer; the last repeats."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with contextlib.ExitStack() as stack:

        def _hook(*script):
            base, _server["messages"] = stack.enter_context(serve(*script))
            url = f"{base}/cgi-bin/webhook/send?key=k"
            return Webhook.objects.create(
                unit=county_a, name="西山企微群", kind="wecom", url=url, actor=SYSTEM
            )

        yield _hook


def send(county_a, handler_a):
    services.deliver([handler_a.pk], verb="urge", title="催办：供水整改", unit_ids=[county_a.pk])
    return WebhookDelivery.objects.get()


class TestImmediateBackend:
    """The immediate backend cannot defer: the first attempt runs at once, the retries are
    made by `retry_due_deliveries` (the `retry-webhooks` command) when they are due."""

    @pytest.fixture(autouse=True)
    def _immediate(self, settings):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }

    def test_it_fails_twice_then_succeeds(self, robot, county_a, handler_a):
        hook = robot(DOWN, REFUSED, OK)
        d = send(county_a, handler_a)
        t0 = d.last_attempt_at
        assert (d.status, d.attempts) == ("pending", 1)
        assert "500" in d.last_error
        assert d.next_attempt_at == t0 + dt.timedelta(minutes=1)
        # Not due yet: nothing is sent.
        assert services.retry_due_deliveries(now=t0 + dt.timedelta(seconds=59), actor=SYSTEM) == {}
        assert len(received()) == 1
        # errcode ≠ 0 counts as a failure.
        t1 = t0 + dt.timedelta(minutes=1)
        assert services.retry_due_deliveries(now=t1, actor=SYSTEM) == {"retry": 1}
        d.refresh_from_db()
        assert (d.status, d.attempts) == ("pending", 2)
        assert "310000" in d.last_error
        assert d.next_attempt_at == t1 + dt.timedelta(minutes=5)
        assert "失败（第 2 次）" in Webhook.objects.get(pk=hook.pk).last_status
        t2 = t1 + dt.timedelta(minutes=5)
        assert services.retry_due_deliveries(now=t2, actor=SYSTEM) == {"sent": 1}
        d.refresh_from_db()
        assert (d.status, d.attempts, d.sent_at, d.next_attempt_at) == ("sent", 3, t2, None)
        assert Webhook.objects.get(pk=hook.pk).last_status == "ok"
        assert len(received()) == 3 and "催办：供水整改" in received()[-1]
        assert services.retry_due_deliveries(now=t2 + dt.timedelta(hours=1), actor=SYSTEM) == {}

    def test_it_gives_up_after_the_last_attempt(self, robot, county_a, handler_a):
        robot(DOWN)
        d = send(county_a, handler_a)
        now = d.last_attempt_at
        for delay in services.RETRY_DELAYS:
            now += delay
            services.retry_due_deliveries(now=now, actor=SYSTEM)
        d.refresh_from_db()
        assert (d.status, d.attempts, d.next_attempt_at) == ("failed", 4, None)
        assert len(received()) == 4
        assert services.retry_due_deliveries(now=now + dt.timedelta(days=1), actor=SYSTEM) == {}
        assert len(received()) == 4

    def test_the_command_retries_what_is_due(self, robot, county_a, handler_a, capsys):
        robot(DOWN, OK)
        d = send(county_a, handler_a)
        WebhookDelivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
        call_command("retry-webhooks")
        assert "送达 1" in capsys.readouterr().out
        d.refresh_from_db()
        assert (d.status, d.attempts) == ("sent", 2)

    def test_a_webhook_switched_off_meanwhile_is_not_retried(self, robot, county_a, handler_a):
        hook = robot(DOWN, OK)
        d = send(county_a, handler_a)
        Webhook.objects.filter(pk=hook.pk).update(active=False)
        assert services.retry_due_deliveries(now=d.next_attempt_at, actor=SYSTEM) == {"failed": 1}
        d.refresh_from_db()
        assert d.status == "failed" and "停用" in d.last_error
        assert len(received()) == 1

    def test_admins_see_failed_deliveries_of_their_units_only(
        self, robot, client_for, county_a, county_b, admin_a, handler_a
    ):
        robot(DOWN)
        d = send(county_a, handler_a)
        WebhookDelivery.objects.filter(pk=d.pk).update(status="failed", attempts=4)
        page = client_for(admin_a).get("/inbox/webhooks/").content.decode()
        assert "催办：供水整改" in page and "4 / 4" in page and "upstream" not in page
        assert "500" in page
        admin_b = make_user("wh_admin", county_b, "unit_admin")
        other = client_for(admin_b).get("/inbox/webhooks/").content.decode()
        assert "催办：供水整改" not in other
        assert client_for(handler_a).get("/inbox/webhooks/").status_code == 403


class TestDatabaseQueue:
    """With the database queue (the default) a failure queues the next attempt for later
    (django-tasks `run_after`), and the worker runs it once due."""

    @pytest.fixture(autouse=True)
    def _database_queue(self, settings, monkeypatch):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        # The worker closes "old" connections between tasks; inside the test's transaction
        # (autocommit off) PostgreSQL's connection would count as unusable and be closed.
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )

    def work(self):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    def test_the_worker_retries_at_the_scheduled_time(self, robot, county_a, handler_a):
        from django_tasks_db.models import DBTaskResult

        robot(DOWN, REFUSED, OK)
        d = send(county_a, handler_a)
        assert (d.status, d.attempts) == ("pending", 0)
        self.work()
        d.refresh_from_db()
        assert (d.status, d.attempts) == ("pending", 1)
        waiting = DBTaskResult.objects.get(status="READY")
        assert waiting.run_after == d.next_attempt_at
        assert d.next_attempt_at - d.last_attempt_at == dt.timedelta(minutes=1)
        self.work()  # not due yet: the worker leaves it alone
        assert len(received()) == 1
        for expected in (2, 3):
            past = timezone.now() - dt.timedelta(seconds=1)
            DBTaskResult.objects.filter(status="READY").update(run_after=past)
            WebhookDelivery.objects.filter(pk=d.pk).update(next_attempt_at=past)
            self.work()
            d.refresh_from_db()
            assert d.attempts == expected
        assert d.status == "sent" and len(received()) == 3
        assert not DBTaskResult.objects.filter(status="READY").exists()


class TestResend:
    """An admin sends a message that was given up on once more, from the robot page."""

    @pytest.fixture(autouse=True)
    def _immediate(self, settings):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }

    def failed(self, robot, county_a, handler_a, *script):
        robot(DOWN, *script)
        d = send(county_a, handler_a)
        later = timezone.now()
        for delay in services.RETRY_DELAYS:
            later += delay + dt.timedelta(seconds=1)
            services.retry_due_deliveries(now=later, actor=SYSTEM)
        d.refresh_from_db()
        assert d.status == "failed" and d.attempts == 4
        return d

    def test_an_admin_resends_a_failed_message(
        self, robot, county_a, handler_a, admin_a, client_for, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        from xiaoneng.core.models import ChangeLog

        d = self.failed(robot, county_a, handler_a, DOWN, DOWN, DOWN, OK)
        c = client_for(admin_a)
        page = c.get(reverse("notifications:webhook_list")).content.decode()
        url = reverse("notifications:delivery_resend", args=[d.pk])
        assert url in page
        with django_capture_on_commit_callbacks(execute=True):
            r = c.post(url)
        assert r.status_code == 302
        d.refresh_from_db()
        assert d.status == "sent" and d.attempts == 1 and len(received()) == 5
        assert ChangeLog.objects.filter(action="resend", object_id=d.pk).count() == 1
        r = c.post(url, follow=True)  # no longer failed: refused, nothing sent
        assert "只有发送失败的消息可以重新发送" in r.content.decode()
        assert len(received()) == 5

    def test_outsiders_and_handlers_cannot_resend(
        self, robot, county_a, county_b, handler_a, client_for
    ):
        from django.urls import reverse

        d = self.failed(robot, county_a, handler_a, DOWN, DOWN, DOWN)
        url = reverse("notifications:delivery_resend", args=[d.pk])
        admin_b = make_user("wh_admin", county_b, "unit_admin", name="五华管理员")
        assert client_for(admin_b).post(url).status_code == 404
        assert client_for(handler_a).post(url).status_code == 403
        d.refresh_from_db()
        assert d.status == "failed" and len(received()) == 4
