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
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.versioning import check_version
from xiaoneng.notifications.models import (
    DeliveryStatus,
    EmailDelivery,
    Notification,
    Preference,
    Webhook,
    WebhookDelivery,
)

# Robot messages and emails: the first attempt at once, then retries this long after each
# failure; after the last retry fails the message is marked failed (4 attempts in about 36
# minutes).
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
SUBJECT_MAX = 120  # characters


def one_line(subject: str) -> str:
    """An email subject: one line (each run of whitespace, line breaks included, becomes one
    space) of at most SUBJECT_MAX characters (a longer one is cut, ending with …)."""
    text = " ".join(subject.split())
    return text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…"


def send_emails(emails: Iterable[tuple[int, str, str, str]]) -> dict[str, int]:
    """The one way email leaves: (recipient id, address, subject, body) each. Every email is
    written down (`EmailDelivery`) and attempted at once; one that fails is retried like a
    robot message (RETRY_DELAYS, `retry-webhooks`) and after the last attempt marked failed
    with its reason, listed on the robot page for the recipient's unit admins.
    Returns counts by outcome ("sent", "retry", "failed")."""
    now = timezone.now()
    rows = EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(
                recipient_id=user_id,
                address=address,
                subject=one_line(subject),
                body=body,
                next_attempt_at=now + ATTEMPT_LEASE,  # held by the first attempt, below
            )
            for user_id, address, subject, body in emails
        ]
    )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[_record(EmailDelivery, row, _send_email(row), now=now)] += 1
    return dict(counts)


def _send_email(row: EmailDelivery) -> str | None:
    """Send one email; None when the mail server took it, else a short fixed reason."""
    import smtplib

    try:
        EmailMessage(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.address]).send()
    except smtplib.SMTPRecipientsRefused:
        return _("收件地址被拒绝")
    except smtplib.SMTPAuthenticationError:
        return _("邮件服务器认证失败")
    except smtplib.SMTPResponseException as exc:
        return f"SMTP {exc.smtp_code}"
    except TimeoutError:
        return _("连接邮件服务器超时")
    except OSError:  # refused, unreachable, disconnected
        return _("连接邮件服务器失败")
    except Exception:  # a bad address, a bug: logged for the operator
        logging.getLogger(__name__).exception("could not send email %s", row.pk)
        return _("邮件发送失败")
    return None


def email_now(notifications, *, subject: str) -> int:
    """One email per recipient who chose immediate email, listing their notifications among
    `notifications` that were not mailed yet (links made absolute); marks them mailed.
    Users who chose the daily digest are left to `send_digests`. An email that cannot be
    sent now is retried (`send_emails`). Returns the emails sent now."""
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
    emails = []
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
        emails.append((user_id, address, f"{subject}（{len(lines)} 条）", "\n".join(body)))
    if not emails:
        return 0
    notifications.filter(recipient_id__in=[e[0] for e in emails], emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return send_emails(emails).get("sent", 0)


def email_immediately(notification_ids: list[int]) -> int:
    """One email per notification among `notification_ids` not mailed yet whose recipient has
    an address, its title as the subject (`deliver` chose the recipients). Returns the
    emails sent now."""
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).exclude(
        recipient__email=""
    )
    emails = [
        (user_id, address, title, f"{title}\n{absolute_url(url)}".rstrip())
        for user_id, address, title, url in rows.values_list(
            "recipient_id", "recipient__email", "title", "url"
        )
    ]
    rows.update(emailed_at=timezone.now())
    return send_emails(emails).get("sent", 0)


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


def _claim(model, pk: int, now: dt.datetime) -> bool:
    """Take message `pk` for one attempt if it is pending and due (pushing it forward by
    ATTEMPT_LEASE, so no other worker takes it meanwhile)."""
    return bool(
        model.objects.filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
            next_attempt_at=now + ATTEMPT_LEASE, updated_at=now
        )
    )


def _record(model, row, error: str | None, *, now: dt.datetime, final: bool = False) -> str:
    """Write down attempt number `row.attempts + 1` of a message: sent (`error` None), or due
    again after RETRY_DELAYS, or failed after the last retry (or at once when `final`).
    Returns "sent", "retry" or "failed"."""
    attempts = row.attempts + 1
    if error is None:
        model.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.SENT,
            attempts=attempts,
            last_attempt_at=now,
            sent_at=now,
            next_attempt_at=None,
            updated_at=now,
        )
        return "sent"
    retry_at = None if final or attempts > len(RETRY_DELAYS) else now + RETRY_DELAYS[attempts - 1]
    model.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED,
        attempts=attempts,
        last_attempt_at=now,
        last_error=error[:300],
        next_attempt_at=retry_at,
        updated_at=now,
    )
    if retry_at is None:
        return "failed"
    _schedule_retry(model, row.pk, retry_at)
    return "retry"


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """One attempt at a robot message, if it is pending and due. Returns "sent", "retry",
    "failed", or "skipped" (not pending, not due, or another worker holds it).

    A failure (address not allowed, network error, HTTP status other than 200, errcode ≠ 0)
    schedules the next attempt after RETRY_DELAYS; after the last one the delivery is marked
    failed. The attempt is recorded on the delivery row and, as the latest result, on the
    webhook — as a short fixed reason, never what the server answered (webhooks.post)."""
    from xiaoneng.notifications import webhooks

    now = now or timezone.now()
    if not _claim(WebhookDelivery, delivery_id, now):
        return "skipped"
    row = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    hook = row.webhook
    if not hook.active or hook.deleted_at is not None:
        return _record(
            WebhookDelivery, row, _("群机器人已停用或删除，不再发送。"), now=now, final=True
        )
    try:
        webhooks.post(hook.kind, hook.url, hook.secret, row.text)
        error = None
    except webhooks.RobotError as exc:
        error = str(exc)
    except Exception:  # a bug rather than the robot: logged for the operator
        logging.getLogger(__name__).exception("could not send robot message %s", row.pk)
        error = _("发送出错")
    status = "ok" if error is None else f"失败（第 {row.attempts + 1} 次）：{error}"
    Webhook.objects.filter(pk=hook.pk).update(last_status=status[:200], last_sent_at=now)
    return _record(WebhookDelivery, row, error, now=now)


def attempt_email(email_id: int, *, now: dt.datetime | None = None) -> str:
    """One attempt at an email, if it is pending and due (like `attempt_delivery`)."""
    now = now or timezone.now()
    if not _claim(EmailDelivery, email_id, now):
        return "skipped"
    row = EmailDelivery.objects.get(pk=email_id)
    return _record(EmailDelivery, row, _send_email(row), now=now)


def _schedule_retry(model, pk: int, when: dt.datetime) -> None:
    """Queue the next attempt for `when` if the task backend can defer (the database
    backend can); otherwise `retry_due_deliveries` (the `retry-webhooks` command) picks the
    message up once it is due."""
    from xiaoneng.notifications import tasks

    task = tasks.deliver_webhook if model is WebhookDelivery else tasks.deliver_email
    if getattr(task.get_backend(), "supports_defer", False):
        _enqueue(task.using(run_after=when), pk)


def resend_delivery(delivery: WebhookDelivery, *, actor) -> None:
    """An admin sends a message that was given up on once more: its attempts start over,
    the first one right after commit. Audited; only a failed delivery can be resent."""
    from xiaoneng.core import audit
    from xiaoneng.notifications import tasks

    with transaction.atomic():
        delivery.ensure(actor, "manage_robots")
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
        audit.log(delivery, "resend", actor=actor, comment=delivery.text[:200])
        transaction.on_commit(lambda: _enqueue(tasks.deliver_webhook, delivery.pk))


def retry_due_deliveries(*, actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Attempt every pending robot message and email that is due — the safety net for a
    queue that cannot defer, was down, or lost a task. Returns counts by outcome.

    A job of the schedule: `actor` is who runs it (SYSTEM). Its writes are the messages'
    own bookkeeping (attempts, status: set-based updates the change log does not record),
    so nothing here is logged in its name; a write that is must pass it."""
    now = now or timezone.now()
    counts: dict[str, int] = defaultdict(int)
    for model, attempt in ((WebhookDelivery, attempt_delivery), (EmailDelivery, attempt_email)):
        due = model.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        for pk in list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:1000]):
            counts[attempt(pk, now=now)] += 1
    return dict(counts)


def notify(recipient_ids, **kwargs) -> None:
    """After the current transaction commits, deliver (see `deliver`)."""
    ids = list(recipient_ids)
    transaction.on_commit(lambda: deliver(ids, **kwargs))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.restrict(user, "change").filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@transaction.atomic
def set_preference(user, *, actor, delivery: str, email: bool) -> Preference:
    pref = Preference.objects.filter(user=user).first()
    if pref is None:
        pref = Preference.objects.create(user=user, actor=actor)
    pref.ensure(actor, "change")
    pref.delivery = delivery
    pref.email = email
    pref.save(actor=actor)
    return pref


@transaction.atomic
def save_webhook(hook: Webhook | None, *, actor, version: str | None = None, **fields) -> Webhook:
    """`version`: the version the form was read at (core.versioning); None: not checked.
    The robot must lie, before and after, where the actor may configure robots."""
    message = _("只能配置本单位及下级单位的群机器人。")
    if hook is None:
        hook = Webhook()
    else:
        hook.ensure(actor, "manage_robots")  # where it is now
        check_version(Webhook.all_objects.select_for_update().get(pk=hook.pk), version)
    for key, value in fields.items():
        setattr(hook, key, value)
    if hook.unit_id is not None:  # without a unit, full_clean refuses it
        policy.require(actor, "manage_robots", hook, message)  # where it is to be
    hook.full_clean()
    hook.save(actor=actor)
    hook.ensure(actor, "manage_robots")
    return hook


def send_digests(*, actor) -> int:
    """One email per user who chose the daily digest, listing what is unread and not yet
    mailed (through `send_emails`: one that fails is retried). Returns the emails written.

    A job of the schedule: `actor` is who runs it (SYSTEM). It writes only the bookkeeping
    of the mail (emailed_at, the email rows), which the change log does not record; a write
    that is must pass it."""
    rows = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            recipient__notification_preference__delivery="digest",
            recipient__notification_preference__email=True,
        )
        .exclude(recipient__email="")
        .order_by("recipient_id", "created_at")
        .values_list("pk", "recipient_id", "recipient__email", "title", "url")
    )
    by_user: dict[tuple[int, str], list[str]] = defaultdict(list)
    ids = []
    for pk, user_id, address, title, url in rows:
        by_user[(user_id, address)].append(f"- {title} {absolute_url(url)}".rstrip())
        ids.append(pk)
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    send_emails(
        (user_id, address, _("效能平台每日提醒（%(n)d 条）") % {"n": len(lines)}, "\n".join(lines))
        for (user_id, address), lines in by_user.items()
    )
    return len(by_user)
