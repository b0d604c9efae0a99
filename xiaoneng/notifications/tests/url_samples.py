from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification, Webhook, WebhookDelivery


def samples(ctx) -> dict:
    hook = Webhook.objects.create(
        unit=ctx["county_a"],
        name=f"{ctx['marker']}群",
        kind="wecom",
        url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x",
        actor=SYSTEM,
    )
    note = Notification.objects.create(
        recipient=ctx["handler_a"], verb="assigned", title=f"{ctx['marker']}通知", actor=SYSTEM
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, text=f"{ctx['marker']}消息", status="failed", attempts=4, actor=SYSTEM
    )
    return {
        "notifications:webhook_edit": {"pk": hook.pk},
        "notifications:delivery_resend": {"pk": delivery.pk},
        "api-notification-detail": {"pk": note.pk},
        "api-notification-read": {"pk": note.pk},
    }
