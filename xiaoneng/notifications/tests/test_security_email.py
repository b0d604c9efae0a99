"""A title with line breaks never breaks an email, and an email the mail server does not take
is retried, then marked failed with its reason for the unit admins to see — never lost.
Against Django's locmem backend and real SMTP on 127.0.0.1 (a closed port; a tiny server)."""

import contextlib
import datetime as dt
import email
import email.policy
import socket
import socketserver
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications import services
from xiaoneng.notifications.models import EmailDelivery, Notification, Preference

pytestmark = pytest.mark.django_db
TITLE = "催办：供水整改\r\n第二行\n\t第三行"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def zhou(handler_a):
    handler_a.email = "zhou@example.org"
    handler_a.save(actor=SYSTEM)
    return handler_a


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server():
    """A minimal SMTP server on 127.0.0.1: yields (port, the messages it took)."""
    taken: list = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            self.say("220 test ESMTP")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    self.say("354 end with .")
                    data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                    taken.append(email.message_from_bytes(data, policy=email.policy.default))
                    self.say("250 ok")
                elif verb == b"QUIT":
                    self.say("221 bye")
                    return
                else:  # EHLO, MAIL, RCPT, RSET, NOOP
                    self.say("250 ok")

        def say(self, text):
            self.wfile.write(text.encode() + b"\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], taken
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp(settings):
    """smtp(port) points Django's SMTP backend at 127.0.0.1:port."""

    def _point(port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    return _point


def test_a_title_with_line_breaks_makes_a_one_line_subject(zhou):
    services.deliver([zhou.pk], verb="urge", title=TITLE, url="/supervision/1/")
    [message] = mail.outbox
    assert message.subject == "催办：供水整改 第二行 第三行"
    assert "第二行" in message.body
    assert EmailDelivery.objects.get().status == "sent"


def test_a_long_title_is_cut(zhou):
    services.deliver([zhou.pk], verb="urge", title="很长的标题" * 50)
    [message] = mail.outbox
    assert len(message.subject) == services.SUBJECT_MAX and message.subject.endswith("…")


def test_the_digest_and_the_scan_email_are_one_line_too(zhou, handler_b):
    handler_b.email = "zheng@example.org"
    handler_b.save(actor=SYSTEM)
    Preference.objects.create(user=handler_b, delivery="digest", actor=SYSTEM)
    services.deliver([zhou.pk, handler_b.pk], verb="urge", title=TITLE)
    assert services.send_digests(actor=SYSTEM) == 1
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)
    services.email_now(Notification.objects.all(), subject="提醒\n（扫描）")
    assert [m.subject for m in mail.outbox] == ["提醒 （扫描）（1 条）"]


def test_a_failing_mail_server_is_retried_then_marked_failed(
    zhou, smtp, county_b, admin_a, client_for
):
    smtp(closed_port())
    services.deliver([zhou.pk], verb="urge", title=TITLE)  # no exception reaches the caller
    row = EmailDelivery.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "连接邮件服务器失败")
    assert row.subject == "催办：供水整改 第二行 第三行" and row.address == "zhou@example.org"
    assert Notification.objects.get().emailed_at is not None  # handed over, not forgotten
    now = row.last_attempt_at
    assert services.retry_due_deliveries(now=now + dt.timedelta(seconds=59), actor=SYSTEM) == {}
    for delay in services.RETRY_DELAYS:
        now += delay
        services.retry_due_deliveries(now=now, actor=SYSTEM)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert row.last_error == "连接邮件服务器失败"
    page = client_for(admin_a).get(reverse("notifications:webhook_list")).content.decode()
    assert "催办：供水整改 第二行 第三行" in page and "连接邮件服务器失败" in page
    assert "4 / 4" in page
    admin_b = make_user("mail_admin", county_b, "unit_admin")
    other = client_for(admin_b).get(reverse("notifications:webhook_list")).content.decode()
    assert "催办：供水整改" not in other


def test_the_retry_command_sends_it_once_the_server_works(zhou, smtp, capsys):
    smtp(closed_port())
    services.deliver([zhou.pk], verb="urge", title=TITLE)
    row = EmailDelivery.objects.get()
    assert row.status == "pending"
    with smtp_server() as (port, taken):
        smtp(port)
        EmailDelivery.objects.filter(pk=row.pk).update(next_attempt_at=row.last_attempt_at)
        call_command("retry-webhooks")
        assert "送达 1" in capsys.readouterr().out
        [message] = taken
    assert message["Subject"] == "催办：供水整改 第二行 第三行"
    assert message["To"] == "zhou@example.org"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    call_command("retry-webhooks")  # nothing left: sent once
    assert len(taken) == 1


def test_the_database_queue_schedules_the_retry(zhou, smtp, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(  # as in test_webhook_retries: keep the test's connection open
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    smtp(closed_port())
    services.deliver([zhou.pk], verb="urge", title=TITLE)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    row = EmailDelivery.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.task_path.endswith("deliver_email") and waiting.run_after == row.next_attempt_at
