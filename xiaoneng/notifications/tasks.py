"""Background work of notifications (django-tasks; run by `xiaoneng db_worker`)."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from xiaoneng.core.context import acting_as


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a robot message; a failure queues the next one (services.RETRY_DELAYS)."""
    from xiaoneng.notifications.services import attempt_delivery

    return attempt_delivery(delivery_id)


@task()
def deliver_email(email_id: int) -> str:
    """One more attempt at an email that failed (services.send_emails)."""
    from xiaoneng.notifications.services import attempt_email

    return attempt_email(email_id)


@task()
def send_immediate_emails(notification_ids: list[int]) -> int:
    from xiaoneng.notifications.services import email_immediately

    with acting_as(None):
        return email_immediately(notification_ids)


@task()
def send_digests() -> int:
    from xiaoneng.notifications.services import send_digests as run

    return run()


def yesterday_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=1)
