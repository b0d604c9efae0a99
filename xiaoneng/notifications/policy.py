"""Who may do what with notices, preferences and robots (the rules of core.policy).

A person's inbox and preferences are theirs alone. The group robots (DingTalk, WeCom) of a
unit are configured by its admins and 效能办 (MANAGERS), down their subtree: "manage_robots"
on a robot (edit it, restore it), on a unit (put a robot there) and on a robot's message
(send one that failed once more).
"""

from django.db.models import Q

from xiaoneng.accounts.policy import MANAGERS
from xiaoneng.core import policy
from xiaoneng.notifications.models import (
    EmailDelivery,
    Notification,
    Preference,
    Webhook,
    WebhookDelivery,
)
from xiaoneng.units.models import Unit


def _own(field: str):
    def where_(actor) -> Q:
        return Q(**{f"{field}_id": actor.pk})

    def check(actor, obj) -> bool:
        return getattr(obj, f"{field}_id") == actor.pk

    return where_, check


_recipient, _is_recipient = _own("recipient")
_user, _is_user = _own("user")

policy.register(Notification, "view", where=_recipient, check=_is_recipient, doc="发给本人的")
policy.register(
    Notification, "change", where=_recipient, check=_is_recipient, doc="标为已读：发给本人的"
)
policy.register(Preference, "view", where=_user, check=_is_user, doc="本人的")
policy.register(Preference, "change", where=_user, check=_is_user, doc="修改提醒设置：本人的")
policy.register(
    Webhook,
    "view",
    **policy.subtree("unit"),
    doc="本单位及下级单位的机器人",
)
policy.register(
    WebhookDelivery,
    "view",
    **policy.subtree("webhook__unit"),
    doc="可见机器人的发送记录",
)
policy.register(
    EmailDelivery,
    "view",
    **policy.subtree("recipient__unit"),
    doc="本单位及下级人员的邮件",
)
policy.register(
    Webhook,
    "manage_robots",
    roles=MANAGERS,
    **policy.subtree("unit"),
    doc="配置群机器人（地址、密钥、启停）：单位管理员、效能办，本单位及下级单位的机器人",
)
policy.register(
    Webhook,
    "restore",
    roles=MANAGERS,
    **policy.subtree("unit"),
    doc="从回收站恢复群机器人：与配置相同",
)
policy.register(
    Unit,
    "manage_robots",
    roles=MANAGERS,
    **policy.subtree(""),
    doc="为该单位配置群机器人：单位管理员、效能办，本单位及下级单位",
)
policy.register(
    WebhookDelivery,
    "manage_robots",
    roles=MANAGERS,
    **policy.subtree("webhook__unit"),
    doc="重新发送失败的机器人消息：单位管理员、效能办，本单位及下级单位的机器人",
)
