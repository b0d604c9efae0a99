"""The public sign-up counts refusals per address (core/throttle.py): after
XIAONENG_JOIN_FAILURE_LIMIT of them within XIAONENG_JOIN_WAIT_MINUTES the address waits, on
the page and the API alike, even with a good code; another address is not held up."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from xiaoneng.accounts.models import User
from xiaoneng.community import residents
from xiaoneng.core.models import Attempt

pytestmark = pytest.mark.django_db

STRONG = "Yongxing-road-2026"
WAIT = "尝试次数过多，请 60 分钟后再试。"


@pytest.fixture
def invitation(community_a, staff_a):
    return residents.create_invitation(actor=staff_a, community=community_a, max_uses=5)


@pytest.fixture
def limit_of_three(settings):
    settings.XIAONENG_JOIN_FAILURE_LIMIT = 3
    settings.XIAONENG_JOIN_WAIT_MINUTES = 60


def page(client, code, address="10.0.0.7", phone="13712345678", **headers):
    data = {"code": code, "name": "马大姐", "phone": phone}
    data |= {"password": STRONG, "password_again": STRONG}
    return client.post(reverse("community_residents:join"), data, REMOTE_ADDR=address, **headers)


def test_after_the_limit_the_address_waits_even_with_a_good_code(
    client, invitation, limit_of_three
):
    for guess in ("ABCD2345", "ABCD2346", "ABCD2347"):
        assert page(client, guess).status_code == 400
    response = page(client, invitation.code)
    assert response.status_code == 429
    assert WAIT in response.content.decode()
    assert not User.objects.filter(phone="13712345678").exists()
    # Another address joins with the same code.
    assert page(client, invitation.code, address="10.0.0.8").status_code == 302
    assert User.objects.filter(phone="13712345678").exists()


def test_every_refusal_counts_a_taken_phone_too(client, invitation, resident_a, limit_of_three):
    for _ in range(3):
        assert page(client, invitation.code, phone=resident_a.phone).status_code == 400
    assert page(client, invitation.code, phone="13712345670").status_code == 429


def test_refusals_older_than_the_window_do_not_count(client, invitation, limit_of_three):
    for guess in ("ABCD2345", "ABCD2346", "ABCD2347"):
        page(client, guess)
    Attempt.objects.update(at=timezone.now() - dt.timedelta(minutes=61))
    assert page(client, invitation.code).status_code == 302
    # The old ones went when a new one was counted; the join itself counts nothing.
    page(client, "ABCD2348", phone="13712345679")
    assert Attempt.objects.count() == 1


def test_the_wait_counts_down_from_the_oldest_refusal(client, invitation, limit_of_three):
    for guess in ("ABCD2345", "ABCD2346", "ABCD2347"):
        page(client, guess)
    oldest = Attempt.objects.order_by("at").first()
    Attempt.objects.filter(pk=oldest.pk).update(at=timezone.now() - dt.timedelta(minutes=45))
    assert "请 15 分钟后再试" in page(client, invitation.code).content.decode()


def test_the_api_answers_429_with_retry_after(client, invitation, limit_of_three):
    body = {"code": "ABCD2345", "phone": "13712345678", "name": "马大姐", "password": STRONG}
    for _ in range(3):
        response = client.post(
            "/api/join/", body, content_type="application/json", REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 400
    response = client.post(
        "/api/join/",
        {**body, "code": invitation.code},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert WAIT in response.json()["detail"]
    assert not User.objects.filter(phone="13712345678").exists()


def test_behind_a_proxy_the_address_is_read_from_the_right(
    client, invitation, limit_of_three, settings
):
    """XIAONENG_PROXY_COUNT=1: everyone comes from the proxy's address; the client is the last
    hop of X-Forwarded-For, whatever the client wrote before it."""
    settings.XIAONENG_PROXY_COUNT = 1
    for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        forwarded = f"{spoofed}, 203.0.113.5"
        assert (
            page(client, "ABCD2345", "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code == 400
        )
    assert set(Attempt.objects.values_list("client", flat=True)) == {"203.0.113.5"}
    forwarded = "9.9.9.9, 203.0.113.5"
    assert (
        page(client, invitation.code, "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code
        == 429
    )
    forwarded = "203.0.113.6"
    assert (
        page(client, invitation.code, "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code
        == 302
    )


def test_the_login_lock_out_reads_the_same_address(client, resident_a, settings):
    settings.XIAONENG_PROXY_COUNT = 1
    client.post(
        reverse("accounts:login"),
        {"username": resident_a.username, "password": "wrong-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.5",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_the_hourly_job_forgets_refusals_older_than_a_day(client, invitation):
    page(client, "ABCD2345")
    page(client, "ABCD2346", address="10.0.0.8")
    Attempt.objects.filter(client="10.0.0.7").update(at=timezone.now() - dt.timedelta(hours=25))
    call_command("cron", "--run", "forget-refused-tries")
    assert list(Attempt.objects.values_list("client", flat=True)) == ["10.0.0.8"]
