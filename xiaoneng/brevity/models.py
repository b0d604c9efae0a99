"""Meetings (会风) and documents (文风), checked against the brevity rules.

Durations are minutes. A document keeps the limit that applied when it was registered
(`limit`): the limits are configurable (brevity/conf.py) and a later change of the rules
must not turn a document registered within its limit into one over it, years afterwards.
So `over` is one plain comparison of two columns (`Document.objects.over()`), the same on
both databases, in lists, filters, statistics and the API.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.brevity import rules
from xiaoneng.brevity.conf import KINDS
from xiaoneng.core.models import AliveManager, AllManager, BaseModel, ScopedQuerySet


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("全体会议")
    SPECIAL = "special", _("专题会议")
    WORK = "work", _("工作会议")
    GROUP = rules.GROUP_DISCUSSION, _("分组讨论")
    OTHER = "other", _("其他")


class Mode(models.TextChoices):
    ONSITE = "onsite", _("现场")
    VIDEO = "video", _("视频")


class SpeechRole(models.TextChoices):
    MAIN = rules.MAIN, _("主要负责同志（主要讲话、主报告）")
    OTHER = "other", _("其他")


class MeetingQuerySet(ScopedQuerySet):
    def with_rules(self):
        """Each meeting with `in_breach` (breaks a rule: rules.breach_q) and
        `checked_minutes` (the duration the rules check)."""
        return self.annotate(
            checked_minutes=rules.length_expression(),
            in_breach=models.ExpressionWrapper(
                rules.breach_q(), output_field=models.BooleanField()
            ),
        )

    def in_breach(self):
        return self.filter(rules.breach_q())

    def within_rules(self):
        return self.filter(rules.within_q())


class MeetingManager(AliveManager.from_queryset(MeetingQuerySet)):
    pass


class Meeting(BaseModel):
    organiser = models.ForeignKey(
        "units.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("日期"))
    days = models.PositiveSmallIntegerField(
        _("会期（天）"), default=1, help_text=_("开几天会，一般为 1")
    )
    planned_minutes = models.PositiveIntegerField(
        _("计划时长（分钟）"), help_text=_("以分钟计，如一个半小时填 90")
    )
    actual_minutes = models.PositiveIntegerField(
        _("实际时长（分钟）"),
        null=True,
        blank=True,
        help_text=_("会后填写；未填时按计划时长检查"),
    )
    mode = models.CharField(_("形式"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    attendees = models.PositiveIntegerField(_("参会人数"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MeetingManager()
    all_objects = AllManager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organiser", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def length(self) -> int:
        return rules.meeting_length(self)

    def breaches(self) -> list[rules.Breach]:
        return rules.breaches(self, list(self.speeches.all()))


class Speech(BaseModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="speeches"
    )
    speaker = models.CharField(_("讲话人"), max_length=50)
    role = models.CharField(
        _("讲话类别"), max_length=10, choices=SpeechRole.choices, default=SpeechRole.OTHER
    )
    minutes = models.PositiveIntegerField(_("时长（分钟）"))
    sort = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("讲话")
        verbose_name_plural = _("讲话")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}（{self.minutes} 分钟）"


# The 15 kinds of 党政机关公文处理工作条例, stored as their names (通知, 纪要 …).
DOCUMENT_KINDS = [(kind, kind) for kind in KINDS]


class DocumentQuerySet(ScopedQuerySet):
    def over(self):
        return self.filter(OVER_Q)

    def within_limit(self):
        return self.exclude(OVER_Q)


# A document over the limit that applied when it was registered: the one SQL definition.
OVER_Q = Q(chars__gt=F("limit"))


class DocumentManager(AliveManager.from_queryset(DocumentQuerySet)):
    pass


class Document(BaseModel):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文种"), max_length=10, choices=DOCUMENT_KINDS)
    title = models.CharField(_("标题"), max_length=200)
    date = models.DateField(_("成文日期"))
    chars = models.PositiveIntegerField(_("字数"), help_text=_("按 Word 字数统计的口径"))
    single_task = models.BooleanField(
        _("部署单项工作或具体工作"),
        default=False,
        help_text=_("部署专项工作或具体工作的文件，字数限额更低"),
    )
    # The limit in force at registration (see the module's docstring); set by the service.
    limit = models.PositiveIntegerField(_("字数限额"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DocumentManager()
    all_objects = AllManager()

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def over(self) -> bool:
        return self.chars > self.limit
