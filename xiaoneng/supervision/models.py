"""督查督办: items (tasks, problems, responsibilities), their timeline, urges, attachments,
the holiday table, and the negative list (behaviours and violations)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel, StoredFile
from xiaoneng.units.models import Unit


class ItemKind(models.TextChoices):
    TASK = "task", _("督办事项")
    PROBLEM = "problem", _("问题")
    RESPONSIBILITY = "responsibility", _("责任事项")


KIND_PREFIX = {"task": "DB", "problem": "WT", "responsibility": "ZR"}
KIND_LIST_LABEL = {"task": _("督办事项"), "problem": _("问题清单"), "responsibility": _("责任清单")}


class Source(models.TextChoices):
    SUPERIOR = "superior", _("上级交办")
    MEETING = "meeting", _("会议决定")
    INSTRUCTION = "instruction", _("领导批示")
    GRASSROOTS = "grassroots", _("下基层发现")
    INSPECTION = "inspection", _("督导检查")
    HOTLINE = "hotline", _("12345热线")
    PUBLIC = "public", _("群众反映")
    UNANNOUNCED = "unannounced", _("暗访")
    COMMUNITY = "community", _("社区议事")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    PLAN_SUBMITTED = "plan_submitted", _("方案已报")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSURE_REQUESTED = "closure_requested", _("申请办结")
    SENT_BACK = "sent_back", _("已退回")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    NONE = "none", _("已办结")


class DeadlineBasis(models.TextChoices):
    DATE = "date", _("指定日期")
    DAYS = "days", _("自然日")
    WORKDAYS = "workdays", _("工作日")


class Item(BaseModel):
    kind = models.CharField(_("类型"), max_length=16, choices=ItemKind.choices, default="task")
    code = models.CharField(_("编号"), max_length=24, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default="superior")
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_items"
    )
    co_units = models.ManyToManyField(
        Unit,
        verbose_name=_("配合单位"),
        through="ItemCoUnit",
        blank=True,
        related_name="co_items",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_items",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_items",
    )
    assigning_unit = models.ForeignKey(
        Unit, verbose_name=_("交办单位"), on_delete=models.PROTECT, related_name="assigned_items"
    )
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    deadline_basis = models.CharField(
        _("时限计算方式"), max_length=10, choices=DeadlineBasis.choices, default="date"
    )
    deadline_count = models.PositiveIntegerField(_("时限天数"), null=True, blank=True)
    deadline_provisional = models.BooleanField(
        _("时限暂按周末计算"),
        default=False,
        help_text=_("该年度节假日安排尚未载入，时限暂只扣除周末，载入后自动重算"),
    )
    plan_deadline = models.DateField(_("方案报送时限"), null=True, blank=True)
    plan = models.TextField(_("实施方案"), blank=True)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default="normal"
    )
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("用顿号或逗号分隔"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    rectification = models.TextField(_("整改措施"), blank=True)
    evidence = models.TextField(_("办结材料说明"), blank=True)
    standard = models.TextField(_("完成标准及考核方式"), blank=True)
    ref = models.CharField(_("关联对象"), max_length=100, blank=True)
    urge_count = models.PositiveIntegerField(_("催办次数"), default=0)
    escalated = models.BooleanField(_("已提级督办"), default=False)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # The light last computed by the deadline scan: the scan notifies on a change of it.
    # Pages compute the light live in SQL (see lights.py); this column only remembers.
    light = models.CharField(
        _("灯色（上次扫描）"), max_length=8, choices=Light.choices, default="green"
    )
    # The scan's UPDATE stamps its own number here on the rows whose light worsened; the
    # same scan then notifies exactly the rows carrying its number (no clearing pass needed).
    worsened_in_scan = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["deadline", "id"], name="sup_item_deadline"),
            models.Index(fields=["lead_unit", "deadline", "id"], name="sup_item_lead_deadline"),
            models.Index(fields=["assigning_unit", "deadline"], name="sup_item_assigner"),
            models.Index(fields=["kind", "status", "deadline"], name="sup_item_kind_status"),
            # Partial: a plain index over mostly-equal values looks useless to the planner.
            models.Index(
                fields=["worsened_in_scan"],
                name="sup_item_worsened",
                condition=Q(worsened_in_scan__isnull=False),
            ),
        ]

    # The change log leaves out the scan's bookkeeping (core.models.ChangeLog.display_changes).
    history_hidden = ("light", "worsened_in_scan")

    def __str__(self) -> str:
        return f"{self.code or ''} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def lead_unit_name(self) -> str:
        return self.lead_unit.name

    def tag_list(self) -> list[str]:
        text = self.tags.replace("，", "、").replace(",", "、")
        return [t.strip() for t in text.split("、") if t.strip()]


class ItemCoUnit(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("配合单位")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="unique_item_counit")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.unit_id}"


class EventAction(models.TextChoices):
    ASSIGN = "assign", _("交办")
    ACKNOWLEDGE = "acknowledge", _("签收")
    SUBMIT_PLAN = "submit_plan", _("报送方案")
    REPORT_PROGRESS = "report_progress", _("进展反馈")
    REQUEST_CLOSURE = "request_closure", _("申请办结")
    APPROVE = "approve", _("审核通过，办结销号")
    SEND_BACK = "send_back", _("退回")
    REOPEN = "reopen", _("重办")
    URGE = "urge", _("催办")
    ESCALATE = "escalate", _("提级督办")
    DECOMPOSE = "decompose", _("分解交办")
    DEADLINE = "deadline", _("时限重算")
    IMPORT = "import", _("导入")  # an import's changes before services.update_item
    CHANGE = "change", _("修改")


# The change log names an item's actions as its timeline does.
Item.history_actions = {
    **dict(EventAction.choices),
    "roll_up": _("下级进度汇总"),
    "recompute_deadline": _("时限重算"),
}


class ItemEvent(BaseModel):
    """The item's timeline: one row per action, with actor, time, comment and percent."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("说明"), blank=True)
    percent = models.PositiveSmallIntegerField(_("进度(%)"), null=True, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "created_at"], name="sup_event_item")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.comment[:40]}"


def attachment_path(instance, filename: str) -> str:
    return f"supervision/{instance.item_id}/{filename}"


class Attachment(StoredFile):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        ItemEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class Urge(BaseModel):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="urges")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("催办意见"), blank=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self) -> str:
        return f"催办 {self.item_id}"


class Holiday(BaseModel):
    """A day of the State Council's schedule: a holiday on a weekday, or a make-up workday."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    year = models.PositiveSmallIntegerField(_("所属年度安排"), db_index=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休'} {self.note}"


class Behaviour(BaseModel):
    """负面清单: a prohibited behaviour."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.TextField(_("表现"), blank=True)
    sort = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("负面行为")
        verbose_name_plural = _("负面清单")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class ActionTaken(models.TextChoices):
    REMINDER = "reminder", _("提醒谈话")
    CRITICISM = "criticism", _("通报批评")
    ADMONITION = "admonition", _("诫勉谈话")
    ORGANISATIONAL = "organisational", _("组织处理")
    DISCIPLINARY = "disciplinary", _("纪律处分")
    OTHER = "other", _("其他")


class Violation(BaseModel):
    behaviour = models.ForeignKey(
        Behaviour, verbose_name=_("负面行为"), on_delete=models.PROTECT, related_name="violations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="violations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    person_name = models.CharField(_("当事人姓名"), max_length=50, blank=True)
    date = models.DateField(_("日期"))
    facts = models.TextField(_("问题事实"))
    action = models.CharField(_("处理方式"), max_length=20, choices=ActionTaken.choices)
    action_detail = models.TextField(_("处理情况"), blank=True)
    item = models.ForeignKey(
        Item, verbose_name=_("关联事项"), null=True, blank=True, on_delete=models.SET_NULL
    )
    published = models.BooleanField(_("已曝光"), default=False)
    published_on = models.DateField(_("曝光日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("违反负面清单记录")
        verbose_name_plural = _("违反负面清单记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        who = self.person_name or (self.person and str(self.person)) or self.unit.name
        return f"{who}·{self.behaviour.name}"
