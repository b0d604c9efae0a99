"""Sending notifications: inbox rows, email (immediate or daily digest), group robots.

Callers inside a transaction use `notify(...)`: everything happens after commit, so a
rolled-back action notifies nobody.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.notifications.models import (
    DeliveryStatus,
    Notification,
    Preference,
    Webhook,
    WebhookDelivery,
)

# Robot messages: the first attempt at once, then retries this long after each failure;
# after the last retry fails the delivery is marked failed (4 attempts in about 36 minutes).
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
)
ATTEMPT_LEASE = dt.timedelta(minutes=2)  # longer than one HTTP attempt may take


def _enqueue(task, *args):
    try:
        task.enqueue(*args)
    except Exception:  # the queue being down must not break the action that notified
        logging.getLogger(__name__).exception("could not enqueue %s", task)


def absolute_url(url: str) -> str:
    """A site path made absolute with `settings.SITE_URL` (XIAONENG_SITE_URL), for email and
    robot messages, which are read outside the site. Unchanged while the setting is unset,
    and for a URL that is empty or already absolute."""
    base = settings.SITE_URL
    if base and url.startswith("/") and not url.startswith("//"):
        return base + url
    return url


def _mailable_now(users):
    """The users who get an email right away: active, with an address, not on the digest,
    email not switched off (no preference row means immediate)."""
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(notification_preference__delivery="digest")
        .exclude(notification_preference__email=False)
    )


def deliver(
    recipient_ids: Iterable[int],
    *,
    verb: str,
    title: str,
    url: str = "",
    ref: str = "",
    unit_ids: Iterable[int] = (),
) -> list[Notification]:
    """Write inbox rows now; queue immediate emails and the units' robot messages."""
    from django.contrib.auth import get_user_model

    from xiaoneng.notifications import tasks

    ids = sorted({i for i in recipient_ids if i})
    notes = Notification.objects.bulk_create(
        [Notification(recipient_id=i, verb=verb, title=title[:300], url=url, ref=ref) for i in ids]
    )
    mailable = set(
        _mailable_now(get_user_model().objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    immediate = [n.pk for n in notes if n.recipient_id in mailable]
    if immediate:
        _enqueue(tasks.send_immediate_emails, immediate)
    text = f"【效能平台】{title}"
    if url:
        text += f"\n{absolute_url(url)}"
    for row in robot_messages(dict.fromkeys(unit_ids, text)):
        _enqueue(tasks.deliver_webhook, row.pk)
    return notes


def robot_messages(texts: dict[int, str]) -> list[WebhookDelivery]:
    """One pending robot message (`WebhookDelivery`, due now) per active webhook of each unit
    in `texts` (unit id → text), in one bulk insert. The caller sends them: a task per
    message (`deliver`) or an attempt right away (`deliver_inserted`)."""
    if not texts:
        return []
    hooks = Webhook.objects.filter(unit_id__in=list(texts), active=True).values_list(
        "pk", "unit_id"
    )
    now = timezone.now()
    return WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook_id=pk, text=texts[unit_id], next_attempt_at=now)
            for pk, unit_id in hooks
        ]
    )


# An immediate email written for many notifications at once lists this many; the rest are
# counted and left to the inbox.
EMAIL_LIST_MAX = 50


def email_now(notifications, *, subject: str) -> int:
    """One email per recipient who chose immediate email, listing their notifications among
    `notifications` that were not mailed yet (links made absolute); marks them mailed.
    Users who chose the daily digest are left to `send_digests`. A recipient whose email
    cannot be sent is logged and skipped (their rows stay unmailed). Returns emails sent."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    rows = (
        notifications.filter(
            emailed_at__isnull=True,
            recipient__in=_mailable_now(get_user_model().objects.all()).values("pk"),
        )
        .order_by("recipient_id", "id")
        .values_list("recipient_id", "recipient__email", "title", "url")
    )
    by_user: dict[tuple[int, str], list[str]] = defaultdict(list)
    for user_id, address, title, url in rows:
        by_user[(user_id, address)].append(f"- {title} {absolute_url(url)}".rstrip())
    sent = []
    for (user_id, address), lines in by_user.items():
        body = lines[:EMAIL_LIST_MAX]
        if len(lines) > EMAIL_LIST_MAX:
            body.append(
                _("…… 另有 %(n)d 条，见消息中心 %(url)s")
                % {
                    "n": len(lines) - EMAIL_LIST_MAX,
                    "url": absolute_url(reverse("notifications:inbox")),
                }
            )
        try:
            send_mail(
                f"{subject}（{len(lines)} 条）",
                "\n".join(body),
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except Exception:  # one bad address or a mail server hiccup must not stop the others
            logging.getLogger(__name__).exception("could not email user %s", user_id)
            continue
        sent.append(user_id)
    if sent:
        notifications.filter(recipient_id__in=sent, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return len(sent)


def deliver_inserted(notifications, *, subject: str, unit_texts: dict[int, str]) -> dict[str, int]:
    """Deliver what a set-based writer (the deadline scan) already put in the inbox, in the
    foreground — so a command run without a worker delivers too. Call it after commit, never
    while holding the writer's locks: one email per recipient who chose immediate email
    (`email_now`; digest users get theirs from `send_digests`), and one message per active
    robot of each unit in `unit_texts`, attempted at once (`attempt_delivery`); a failed one
    is retried like every robot message (RETRY_DELAYS, `retry-webhooks`).
    Returns counts: "emails" and the robot outcomes ("sent", "retry", …)."""
    counts: dict[str, int] = defaultdict(int)
    counts["emails"] = email_now(notifications, subject=subject)
    for row in robot_messages(unit_texts):
        counts[attempt_delivery(row.pk)] += 1
    return dict(counts)


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """One attempt at a robot message, if it is pending and due. Returns "sent", "retry",
    "failed", or "skipped" (not pending, not due, or another worker holds it).

    A failure (network error, HTTP error, an answer with errcode ≠ 0) schedules the next
    attempt after RETRY_DELAYS; after the last one the delivery is marked failed. The
    attempt is recorded on the delivery row and, as the latest result, on the webhook."""
    from xiaoneng.notifications import webhooks

    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + ATTEMPT_LEASE, updated_at=now)
    if not claimed:
        return "skipped"
    row = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    hook = row.webhook
    if not hook.active or hook.deleted_at is not None:
        WebhookDelivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_error="群机器人已停用或删除，不再发送。",
            updated_at=now,
        )
        return "failed"
    attempts = row.attempts + 1
    try:
        webhooks.post(hook.kind, hook.url, hook.secret, row.text)
    except Exception as exc:  # network, HTTP or platform refusal: count it, retry or give up
        error = str(exc)[:300]
        retry_at = now + RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else None
        WebhookDelivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED,
            attempts=attempts,
            last_attempt_at=now,
            last_error=error,
            next_attempt_at=retry_at,
            updated_at=now,
        )
        Webhook.objects.filter(pk=hook.pk).update(
            last_status=f"失败（第 {attempts} 次）：{error}"[:200], last_sent_at=now
        )
        if retry_at is None:
            return "failed"
        _schedule_retry(row.pk, retry_at)
        return "retry"
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENT,
        attempts=attempts,
        last_attempt_at=now,
        sent_at=now,
        next_attempt_at=None,
        updated_at=now,
    )
    Webhook.objects.filter(pk=hook.pk).update(last_status="ok", last_sent_at=now)
    return "sent"


def _schedule_retry(delivery_id: int, when: dt.datetime) -> None:
    """Queue the next attempt for `when` if the task backend can defer (the database
    backend can); otherwise `retry_due_deliveries` (the `retry-webhooks` command) picks the
    delivery up once it is due."""
    from xiaoneng.notifications import tasks

    if getattr(tasks.deliver_webhook.get_backend(), "supports_defer", False):
        _enqueue(tasks.deliver_webhook.using(run_after=when), delivery_id)


def resend_delivery(delivery: WebhookDelivery, *, actor) -> None:
    """An admin sends a message that was given up on once more: its attempts start over,
    the first one right after commit. Audited; only a failed delivery can be resent."""
    from xiaoneng.core import audit
    from xiaoneng.notifications import tasks

    with transaction.atomic():
        delivery.ensure_visible_to(actor)
        now = timezone.now()
        resent = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.FAILED
        ).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            updated_at=now,
        )
        if not resent:
            raise ValidationError(_("只有发送失败的消息可以重新发送。"))
        audit.log(delivery, "resend", comment=delivery.text[:200])
        transaction.on_commit(lambda: _enqueue(tasks.deliver_webhook, delivery.pk))


def retry_due_deliveries(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Attempt every pending robot message that is due — the safety net for a queue that
    cannot defer, was down, or lost a task. Returns counts by outcome."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
    counts: dict[str, int] = defaultdict(int)
    for pk in list(due.values_list("pk", flat=True)[:1000]):
        counts[attempt_delivery(pk, now=now)] += 1
    return dict(counts)


def notify(recipient_ids, **kwargs) -> None:
    """After the current transaction commits, deliver (see `deliver`)."""
    ids = list(recipient_ids)
    transaction.on_commit(lambda: deliver(ids, **kwargs))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.visible_to(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@transaction.atomic
def set_preference(user, *, actor, delivery: str, email: bool) -> Preference:
    pref, _ = Preference.objects.get_or_create(user=user)
    pref.delivery = delivery
    pref.email = email
    pref.save()
    return pref


@transaction.atomic
def save_webhook(hook: Webhook | None, *, actor, **fields) -> Webhook:
    from django.core.exceptions import PermissionDenied

    unit = fields.get("unit") or (hook.unit if hook else None)
    if actor is not None and (
        not actor.has_role("unit_admin", "supervisor")
        or actor.unit is None
        or unit is None
        or not unit.is_within(actor.unit)
    ):
        raise PermissionDenied("只能配置本单位及下级单位的群机器人。")
    if hook is None:
        hook = Webhook()
    else:
        hook.ensure_visible_to(actor) if actor else None
    for key, value in fields.items():
        setattr(hook, key, value)
    hook.full_clean()
    hook.save()
    return hook


def send_digests() -> int:
    """One email per user who chose the daily digest, listing what is unread and not yet mailed."""
    rows = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            recipient__notification_preference__delivery="digest",
            recipient__notification_preference__email=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user = defaultdict(list)
    for note in rows:
        by_user[note.recipient].append(note)
    for user, notes in by_user.items():
        lines = [f"- {n.title} {absolute_url(n.url)}".rstrip() for n in notes]
        send_mail(
            f"效能平台每日提醒（{len(notes)} 条）",
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    Notification.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
        emailed_at=timezone.now()
    )
    return len(by_user)
