from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.nav import NavEntry


class NotificationsConfig(AppConfig):
    name = "xiaoneng.notifications"
    verbose_name = "消息通知"
    nav = [
        NavEntry(
            _("消息"),
            "notifications:inbox",
            order=90,
            model="notifications.Notification",
            count="xiaoneng.notifications.services.unread_count",
            count_text=_("%(n)s 条未读"),
        )
    ]

    def ready(self):
        from xiaoneng.notifications import checks  # noqa: F401  (system checks)
