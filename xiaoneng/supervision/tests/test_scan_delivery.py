"""The deadline scan delivers what it writes: email to users on immediate email, the daily
digest to the others, ONE signed summary per unit robot — against a real HTTP server on
127.0.0.1, through the command, the task and the real db_worker."""

import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Notification, Preference, Webhook, WebhookDelivery
from xiaoneng.notifications.tests.robots import DOWN, OK, dingtalk_signature_ok, serve
from xiaoneng.supervision import scan
from xiaoneng.supervision.models import Item

pytestmark = pytest.mark.django_db
SECRET = "SEC-xishan-robot-secret"
SITE = "https://xiaoneng.example.gov.cn"


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 3
    settings.XIAONENG_LIGHT_BEHIND_POINTS = 20
    settings.SITE_URL = ""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # the local robot server, as a relay


@pytest.fixture
def people(handler_a, handler_b, county_a):
    """周承办 (county A) on immediate email, 吴承办 (county A) on the digest, 郑承办 the
    outsider in county B."""
    digest = make_user("xs_cb2", county_a, "handler", name="吴承办")
    for user, address in ((handler_a, "zhou"), (digest, "wu"), (handler_b, "zheng")):
        user.email = f"{address}@example.org"
        user.save(actor=SYSTEM)
    Preference.objects.create(user=digest, delivery="digest", actor=SYSTEM)
    return handler_a, digest, handler_b


@pytest.fixture
def robots(county_a, county_b):
    """robots(*answers) → what the robots received: county A's DingTalk robot (signed) and
    county B's WeCom robot, on one local server answering as scripted (default OK)."""
    with contextlib.ExitStack() as stack:

        def start(*script):
            base, received = stack.enter_context(serve(*script))
            Webhook.objects.create(
                unit=county_a,
                name="西山钉钉群",
                kind="dingtalk",
                url=f"{base}/robot/send?access_token=xs",
                secret=SECRET,
                actor=SYSTEM,
            )
            Webhook.objects.create(
                unit=county_b,
                name="五华企微群",
                kind="wecom",
                url=f"{base}/wecom?key=wh",
                actor=SYSTEM,
            )
            return received

        yield start


@pytest.fixture
def lights(make_item, county_b):
    """Three items of county A about to turn red, one yellow; one green item in county B."""

    def _make(red=3, yellow=1):
        for i in range(red):
            make_item(
                title=f"超期{i}",
                assigned_on=timezone.localdate() - dt.timedelta(days=20),
                deadline=timezone.localdate() - dt.timedelta(days=1),
            )
        for i in range(yellow):
            make_item(
                title=f"将到期{i}",
                assigned_on=timezone.localdate() - dt.timedelta(days=20),
                deadline=timezone.localdate() + dt.timedelta(days=2),
            )
        make_item(
            title="五华正常",
            lead_unit=county_b,
            deadline=timezone.localdate() + dt.timedelta(days=60),
        )
        mail.outbox.clear()

    return _make


def robot_text(received) -> str:
    [(_path, body)] = received
    return body["text"]["content"]


def test_it_emails_immediate_users_and_sends_one_signed_robot_message(
    people, robots, lights, django_capture_on_commit_callbacks
):
    _immediate, _digest, outsider = people
    received = robots()
    lights(red=3, yellow=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = scan.scan_deadlines(actor=SYSTEM)
    assert result.notifications == 8  # 4 items × 2 handlers of county A
    # Email now to the user on immediate email only: one, listing the four items.
    assert [m.to for m in mail.outbox] == [["zhou@example.org"]]
    body = mail.outbox[0].body
    assert "（4 条）" in mail.outbox[0].subject
    assert all(f"超期{i}" in body for i in range(3)) and "将到期0" in body
    # County A's robot: exactly one signed message naming the counts; county B's: nothing.
    assert len(received) == 1
    path, _body = received[0]
    assert path.startswith("/robot/send?access_token=xs&") and dingtalk_signature_ok(path, SECRET)
    text = robot_text(received)
    assert "西山区：新增时限预警 4 项" in text
    assert "已超期 3 项" in text and "临近时限或进度滞后 1 项" in text
    assert WebhookDelivery.objects.get().status == "sent"
    # The outsider gets nothing: no inbox row, no email, no robot message.
    assert not Notification.objects.filter(recipient=outsider).exists()
    # The digest user gets the scan's notifications in the daily digest, once.
    assert services.send_digests(actor=SYSTEM) == 1
    assert mail.outbox[-1].to == ["wu@example.org"] and "超期0" in mail.outbox[-1].body
    assert services.send_digests(actor=SYSTEM) == 0
    # A second scan finds nothing new and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert scan.scan_deadlines(actor=SYSTEM).notifications == 0
    assert mail.outbox == [] and len(received) == 1


def test_a_unit_with_many_items_gets_one_robot_message_in_constant_queries(
    people, robots, lights, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    received = robots()
    lights(red=25, yellow=0)
    with django_capture_on_commit_callbacks() as callbacks:
        scan.scan_deadlines(actor=SYSTEM)
    [deliver] = callbacks
    with django_assert_max_num_queries(11):  # not one per item (2 write down the email)
        deliver()
    assert len(received) == 1 and "已超期 25 项" in robot_text(received)
    assert [m.to for m in mail.outbox] == [["zhou@example.org"]]
    assert "（25 条）" in mail.outbox[0].subject


def test_a_failed_robot_message_is_retried_as_usual(
    people, robots, lights, django_capture_on_commit_callbacks
):
    received = robots(DOWN, OK)
    lights()
    with django_capture_on_commit_callbacks(execute=True):
        scan.scan_deadlines(actor=SYSTEM)
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts) == ("pending", 1) and "500" in d.last_error
    assert services.retry_due_deliveries(actor=SYSTEM, now=d.next_attempt_at) == {"sent": 1}
    assert len(received) == 2 and received[0][1] == received[1][1]


def test_links_are_absolute_when_the_site_url_is_set(
    people, robots, lights, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    received = robots()
    lights(red=1, yellow=0)
    with django_capture_on_commit_callbacks(execute=True):
        scan.scan_deadlines(actor=SYSTEM)
    item = Item.objects.get(title="超期0")
    assert f"{SITE}/supervision/{item.pk}/" in mail.outbox[0].body
    assert f"{SITE}/supervision/?unit={item.lead_unit_id}&light=red" in robot_text(received)
    # The inbox keeps the site's own relative link.
    assert Notification.objects.filter(url=f"/supervision/{item.pk}/").count() == 2


class TestWithoutAndWithAWorker:
    """The database queue is the default backend."""

    @pytest.fixture(autouse=True)
    def _database_queue(self, settings, monkeypatch):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        # As in notifications/tests/test_webhook_retries.py: the worker must not close the
        # test's connection between tasks.
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )

    def test_the_command_delivers_without_a_worker(
        self, people, robots, lights, django_capture_on_commit_callbacks, capsys
    ):
        from django_tasks_db.models import DBTaskResult

        received = robots()
        lights()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("scan-deadlines")
        assert "发出通知 8 条" in capsys.readouterr().out
        assert [m.to for m in mail.outbox] == [["zhou@example.org"]]
        assert "已超期 3 项" in robot_text(received)
        assert not DBTaskResult.objects.filter(status="READY").exists()  # nothing left waiting

    def test_the_daily_scan_of_the_schedule_delivers_without_a_worker(
        self, people, robots, lights, django_capture_on_commit_callbacks
    ):
        """Issue 11: the daily scan is a job of `xiaoneng cron` (no self-rescheduling chain):
        it delivers in the cron process and leaves nothing waiting in the queue."""
        from django_tasks_db.models import DBTaskResult

        received = robots()
        lights()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("cron", "--run", "scan-deadlines")
        assert [m.to for m in mail.outbox] == [["zhou@example.org"]]
        assert "已超期 3 项" in robot_text(received)
        assert not DBTaskResult.objects.filter(status="READY").exists()
