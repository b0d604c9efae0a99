"""Sending notifications: inbox rows, email (immediate or daily digest), group robots.

Callers inside a transaction use `notify(...)`: everything happens after commit, so a
rolled-back action notifies nobody.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from xiaoneng.notifications.models import Notification, Preference, Webhook


def _enqueue(task, *args):
    try:
        task.enqueue(*args)
    except Exception:  # the queue being down must not break the action that notified
        import logging

        logging.getLogger(__name__).exception("could not enqueue %s", task)


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
    from xiaoneng.notifications import tasks

    ids = sorted({i for i in recipient_ids if i})
    notes = Notification.objects.bulk_create(
        [Notification(recipient_id=i, verb=verb, title=title[:300], url=url, ref=ref) for i in ids]
    )
    from django.contrib.auth import get_user_model

    mailable = set(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(notification_preference__delivery="digest")
        .exclude(notification_preference__email=False)
        .values_list("pk", flat=True)
    )
    immediate = [n.pk for n in notes if n.recipient_id in mailable]
    if immediate:
        _enqueue(tasks.send_immediate_emails, immediate)
    unit_ids = list(unit_ids)
    if unit_ids:
        text = f"【效能平台】{title}"
        if url:
            text += f"\n{url}"
        for hook_id in Webhook.objects.filter(unit_id__in=unit_ids, active=True).values_list(
            "pk", flat=True
        ):
            _enqueue(tasks.deliver_webhook, hook_id, text)
    return notes


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
        lines = [f"- {n.title} {n.url}" for n in notes]
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
