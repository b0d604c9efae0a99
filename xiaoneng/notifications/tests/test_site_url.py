"""XIAONENG_SITE_URL makes links absolute in email and robot messages (read outside the
site); unset, they stay relative. The inbox always keeps the relative link."""

import pytest
from django.core import mail

from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.test_settings_and_demo import run_cli
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Notification, Preference, Webhook
from xiaoneng.notifications.tests.robots import serve

SITE = "https://xiaoneng.example.gov.cn"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def robot_server(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # the local robot server, as a relay
    with serve() as server:
        yield server


@pytest.fixture
def sent(robot_server, county_a, handler_a, handler_b):
    """Urge-like delivery to 周承办 (immediate) and 郑承办 (digest) with county A's robot:
    returns (robot text, immediate email body, digest email body)."""
    base, received = robot_server
    Webhook.objects.create(
        unit=county_a, name="企微群", kind="wecom", url=f"{base}/send?key=k", actor=SYSTEM
    )
    handler_a.email, handler_b.email = "a@example.org", "b@example.org"
    handler_a.save(actor=SYSTEM)
    handler_b.save(actor=SYSTEM)
    Preference.objects.create(user=handler_b, delivery="digest", actor=SYSTEM)

    def _send():
        services.deliver(
            [handler_a.pk, handler_b.pk],
            verb="urge",
            title="催办：供水整改",
            url="/supervision/66/",
            unit_ids=[county_a.pk],
        )
        services.send_digests(actor=SYSTEM)
        [(_path, body)] = received
        immediate, digest = mail.outbox
        assert (immediate.to, digest.to) == (["a@example.org"], ["b@example.org"])
        return body["text"]["content"], immediate.body, digest.body

    return _send


@pytest.mark.django_db
def test_it_makes_links_absolute_in_email_and_robot_messages(sent, settings):
    settings.SITE_URL = SITE
    for text in sent():
        assert f"{SITE}/supervision/66/" in text
    assert Notification.objects.filter(url="/supervision/66/").count() == 2


@pytest.mark.django_db
def test_it_keeps_links_relative_without_a_site_url(sent, settings):
    settings.SITE_URL = ""
    for text in sent():
        assert "/supervision/66/" in text and "http" not in text


def test_absolute_url_leaves_empty_and_absolute_links_alone(settings):
    settings.SITE_URL = SITE
    assert services.absolute_url("/inbox/") == f"{SITE}/inbox/"
    assert services.absolute_url("") == ""
    assert services.absolute_url("https://other.example/x") == "https://other.example/x"
    assert services.absolute_url("//evil.example/x") == "//evil.example/x"


def test_it_is_read_from_the_environment_and_checked(tmp_path, settings):
    from xiaoneng.notifications import checks

    env = {"XIAONENG_DATA_DIR": str(tmp_path), "XIAONENG_SITE_URL": f"{SITE}/"}
    result = run_cli(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == SITE  # the trailing slash dropped
    settings.SITE_URL = "xiaoneng.example.gov.cn"
    assert [e.id for e in checks.check_site_url(None)] == ["notifications.E001"]
    settings.SITE_URL = SITE
    assert checks.check_site_url(None) == []
