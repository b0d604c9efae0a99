"""Background work of notifications (django-tasks; run by `xiaoneng db_worker`). The daily
digest and the retry safety net are jobs of the schedule (core/schedule.py).

These tasks act for the system, and write only the messages' bookkeeping (attempts, status,
emailed_at: set-based updates the change log does not record); a task that comes to write a
logged change passes `actor=policy.SYSTEM` to it."""

from django_tasks import task


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

    return email_immediately(notification_ids)
