"""Background work of notifications (django-tasks; run by `xiaoneng db_worker`)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from xiaoneng.core.context import acting_as


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a robot message; a failure queues the next one (services.RETRY_DELAYS)."""
    from xiaoneng.notifications.services import attempt_delivery

    return attempt_delivery(delivery_id)


@task()
def send_immediate_emails(notification_ids: list[int]) -> int:
    from xiaoneng.notifications.models import Notification
    from xiaoneng.notifications.services import absolute_url

    sent = 0
    with acting_as(None):
        rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        for note in rows.select_related("recipient"):
            if not note.recipient.email:
                continue
            body = f"{note.title}\n{absolute_url(note.url)}".rstrip()
            send_mail(note.title[:120], body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
            sent += 1
        rows.update(emailed_at=timezone.now())
    return sent


@task()
def send_digests() -> int:
    from xiaoneng.notifications.services import send_digests as run

    return run()


def yesterday_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=1)
