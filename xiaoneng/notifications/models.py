"""In-app notifications, each user's delivery preference, and per-unit robot webhooks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel


class Notification(BaseModel):
    """One message in one user's inbox. Written in bulk (derived data: not audited row by row)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("事件"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    ref = models.CharField(_("关联对象"), max_length=100, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notif_inbox"),
            models.Index(fields=["ref"], name="notif_ref"),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("即时提醒")
    DIGEST = "digest", _("每日汇总")


class Preference(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        _("邮件提醒方式"), max_length=10, choices=Delivery.choices, default="immediate"
    )
    email = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user} {self.get_delivery_display()}"


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class Webhook(BaseModel):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="webhooks"
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉“加签”安全设置的密钥（SEC 开头）"),
    )
    active = models.BooleanField(_("启用"), default=True)
    last_status = models.CharField(_("最近发送结果"), max_length=200, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)

    audit_exclude = ("created_at", "updated_at", "last_status", "last_sent_at")
    # The address's query (WeCom's key, DingTalk's access_token) and the signing key are the
    # group's credentials: the change log shows that they changed, never what they are.
    audit_secret = ("url", "secret")

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["unit_id", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from xiaoneng.notifications.webhooks import address_problem

        problem = self.url and address_problem(self.kind, self.url)
        if problem:
            raise ValidationError({"url": problem})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class Outgoing(BaseModel):
    """One message on its way out and its attempts (services.attempt_delivery): a robot
    message or an email. Derived data like `Notification`: written in bulk and updated in
    place, not audited row by row. `next_attempt_at` is when a pending message is due; while
    an attempt runs it is pushed forward (a lease), so two workers never send it twice.
    `last_error` is a short fixed reason (never what a server answered)."""

    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        abstract = True


class WebhookDelivery(Outgoing):
    """One robot message to one webhook."""

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("群机器人"), on_delete=models.PROTECT, related_name="deliveries"
    )
    text = models.TextField(_("消息内容"))

    class Meta:
        verbose_name = _("群机器人消息")
        verbose_name_plural = _("群机器人消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["webhook", "status", "created_at"], name="webhook_delivery_hook"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook} {self.get_status_display()}"


class EmailDelivery(Outgoing):
    """One email to one user (services.send_emails). Seen, when it fails, by the admins of the
    recipient's unit and the units above it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    address = models.CharField(_("邮箱"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("邮件")
        verbose_name_plural = _("邮件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_delivery_due")]

    def __str__(self) -> str:
        return f"{self.address} {self.get_status_display()}"
