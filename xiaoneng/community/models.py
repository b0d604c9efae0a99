"""社区共治 ("大家的事情大家议，大家的事情大家办"): what a community's residents raise, discuss,
deliberate and handle.

A resident is a user with the resident role whose unit is a community (units.Level
COMMUNITY); they join with an `Invitation` code or are added by the community's staff. A
`Matter` (议题) is raised, seconded (`Second`), discussed (`Comment`), put on the
deliberation list (by enough seconds, `conf.second_threshold()`, or by the staff), decided
at a `Deliberation` (`Decision`: adopt, reject, merge, refer up), handled by a lead (a user
or a named `Group`) in `Step`s with `Progress` posts, closed with a result and rated
(`Rating`). What the community cannot solve goes up to the street (the community's parent
unit) as a supervision item (`Matter.item`): when the council refers it, or when an adopted
matter passes its deadline (escalation). Residents report content (`Report`); staff hide it
(the `Moderated` fields), and hidden content never reaches the public board.

The facts (is it open, solved, overdue; who may rate) are computed in one place: the
`MatterQuerySet` methods and the properties beside them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import AliveManager, AllManager, BaseModel, ScopedQuerySet, StoredFile
from xiaoneng.units.models import Unit

TITLE_MAX = 100
TEXT_MAX = 5000  # a matter's description, a progress post, minutes: longer is refused
COMMENT_MAX = 1000
REASON_MAX = 500


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("环境卫生")
    REPAIR = "repair", _("设施维修")
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    SAFETY = "safety", _("安全隐患")
    SERVICE = "service", _("公共服务")
    OTHER = "other", _("其他")


class MatterStatus(models.TextChoices):
    RAISED = "raised", _("征集附议")  # open, collecting seconds
    LISTED = "listed", _("待议事")  # on the deliberation list
    ADOPTED = "adopted", _("已采纳")  # decided: to be handled, no lead yet
    HANDLING = "handling", _("办理中")  # a lead is on it
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("未采纳")
    MERGED = "merged", _("已合并")
    REFERRED = "referred", _("已提交街道")  # the street handles it as a supervision item


# Matters the community still has in hand.
OPEN_STATUSES = (
    MatterStatus.RAISED,
    MatterStatus.LISTED,
    MatterStatus.ADOPTED,
    MatterStatus.HANDLING,
)
# Matters with a handling deadline: overdue once it has passed (`overdue_q`, `is_overdue`).
LATE_STATUSES = (MatterStatus.ADOPTED, MatterStatus.HANDLING)
# Matters that may still be seconded and put on the deliberation list.
SECONDABLE = (MatterStatus.RAISED, MatterStatus.LISTED)


class Referral(models.TextChoices):
    DECISION = "decision", _("议事会决定提交")
    ESCALATION = "escalation", _("逾期未办结自动提交")


class Moderated(models.Model):
    """A row staff may hide (with a reason): shown as "已隐藏" to others, never on the board."""

    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("隐藏人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    hidden_reason = models.CharField(_("隐藏原因"), max_length=REASON_MAX, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Invitation(BaseModel):
    """A code a community's staff hand out; a resident signs up with it (phone and name)."""

    community = models.ForeignKey(
        Unit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="invitations"
    )
    code = models.CharField(_("邀请码"), max_length=16, unique=True)
    note = models.CharField(_("备注"), max_length=100, blank=True)  # "3 栋", "议事会成员"
    expires_at = models.DateTimeField(_("有效期至"))
    max_uses = models.PositiveIntegerField(_("可用次数"))
    uses = models.PositiveIntegerField(_("已用次数"), default=0)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    def refusal(self, now=None) -> str | None:
        """Why the code cannot be used now (None: it can). The one rule for the sign-up."""
        now = now or timezone.now()
        if self.revoked_at is not None or self.deleted_at is not None:
            return str(_("该邀请码已作废，请向社区工作人员索取新的邀请码。"))
        if now >= self.expires_at:
            return str(_("该邀请码已过期，请向社区工作人员索取新的邀请码。"))
        if self.uses >= self.max_uses:
            return str(_("该邀请码已用完，请向社区工作人员索取新的邀请码。"))
        return None


class GroupKind(models.TextChoices):
    PARTY_MEMBERS = "party_members", _("党员")
    VOLUNTEERS = "volunteers", _("志愿服务队")
    PROPERTY = "property", _("物业公司")
    STREET = "street", _("街道办事处")
    OTHER = "other", _("其他")


class Group(BaseModel):
    """A named group that can lead a matter: 党员先锋队, 志愿服务队, the property company, the
    street office. `contact` (optional) is the user who posts its progress."""

    community = models.ForeignKey(
        Unit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="handling_groups"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("办理力量")
        verbose_name_plural = _("办理力量")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                condition=Q(deleted_at__isnull=True),
                name="community_group_unique_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MatterQuerySet(ScopedQuerySet):
    """The facts of a matter, as SQL (lists, counters, statistics) — one home each."""

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def solved(self):
        return self.filter(solved_q())

    def overdue(self, today):
        return self.filter(overdue_q(today))

    def shown(self):
        """Not hidden by moderation (the public board, counts for residents)."""
        return self.filter(hidden_at__isnull=True)


def overdue_q(today) -> Q:
    """Overdue: adopted or being handled, and past the handling deadline."""
    return Q(status__in=LATE_STATUSES, deadline__lt=today)


def solved_q(prefix: str = "") -> Q:
    """Solved: closed by the community, or referred up and the street's item closed."""
    from xiaoneng.supervision.models import Status

    return Q(**{f"{prefix}status": MatterStatus.CLOSED}) | Q(
        **{f"{prefix}status": MatterStatus.REFERRED, f"{prefix}item__status": Status.CLOSED}
    )


def solved_on_expression(prefix: str = ""):
    """`Matter.solved_on()` in SQL, for rows of `solved_q()`: the community's closing day
    for a closed matter, the street item's closing day for a referred one."""
    return models.Case(
        models.When(
            **{f"{prefix}status": MatterStatus.CLOSED}, then=models.F(f"{prefix}closed_on")
        ),
        default=models.F(f"{prefix}item__closed_on"),
        output_field=models.DateField(),
    )


class MatterManager(AliveManager.from_queryset(MatterQuerySet)):
    pass


class AllMatterManager(AllManager.from_queryset(MatterQuerySet)):
    pass


class Matter(Moderated, BaseModel):
    community = models.ForeignKey(
        Unit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="matters"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_raised",
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    description = models.TextField(_("具体情况"), max_length=TEXT_MAX, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=MatterStatus.choices, default=MatterStatus.RAISED
    )
    seconds_count = models.PositiveIntegerField(_("附议数"), default=0, editable=False)
    listed_at = models.DateTimeField(_("列入议事时间"), null=True, blank=True, editable=False)
    # Decision (the last one taken: a matter is decided once)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_matters",
    )
    # Handling (大家办)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters_led",
    )
    lead_group = models.ForeignKey(
        Group,
        verbose_name=_("牵头力量"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters_led",
    )
    deadline_workdays = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), max_length=TEXT_MAX, blank=True)
    # Up to the street: one supervision item, made by a referral or an escalation, once.
    item = models.OneToOneField(
        "supervision.Item",
        verbose_name=_("街道督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_matter",
        editable=False,
    )
    referral = models.CharField(
        _("提交方式"), max_length=12, choices=Referral.choices, blank=True, editable=False
    )
    referred_at = models.DateTimeField(_("提交街道时间"), null=True, blank=True, editable=False)

    objects = MatterManager()
    all_objects = AllMatterManager()

    class Meta(BaseModel.Meta):
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="matter_community_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def lead_name(self) -> str:
        if self.lead_group_id is not None:
            return str(self.lead_group)
        if self.lead_user_id is not None:
            return str(self.lead_user)
        return ""

    def is_overdue(self, today) -> bool:
        """`overdue_q` for one row."""
        return self.status in LATE_STATUSES and self.deadline is not None and self.deadline < today

    def is_solved(self) -> bool:
        """`solved_q` for one row."""
        from xiaoneng.supervision.models import Status

        if self.status == MatterStatus.CLOSED:
            return True
        return self.status == MatterStatus.REFERRED and (
            self.item is not None and self.item.status == Status.CLOSED
        )

    def solved_on(self):
        """The day it was solved (the community's closing, or the street item's)."""
        if self.status == MatterStatus.CLOSED:
            return self.closed_on
        if self.is_solved():
            return self.item.closed_on  # type: ignore[union-attr]
        return None


class Second(models.Model):
    """附议: one per resident and matter; withdrawing deletes it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="seconds")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matter_seconds"
    )
    created_at = models.DateTimeField(_("附议时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [
            models.UniqueConstraint(fields=["matter", "resident"], name="community_second_once")
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} → {self.matter_id}"


class Comment(Moderated, BaseModel):
    """Online discussion (大家议): one level of replies; staff may mark one reply official."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matter_comments"
    )
    text = models.TextField(_("内容"), max_length=COMMENT_MAX)
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("回复"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    is_official = models.BooleanField(_("官方答复"), default=False, editable=False)

    class Meta(BaseModel.Meta):
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Deliberation(BaseModel):
    """议事会: a meeting of the community's deliberation council; its agenda is its decisions
    (one `Decision` row per matter, undecided until the council decides)."""

    community = models.ForeignKey(
        Unit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="deliberations"
    )
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    attendee_count = models.PositiveSmallIntegerField(_("参会人数"))
    attendees = models.TextField(_("参会人员"), max_length=2000, blank=True)
    minutes = models.TextField(_("会议纪要"), max_length=TEXT_MAX, blank=True)
    matters = models.ManyToManyField(
        Matter,
        verbose_name=_("议题"),
        through="Decision",
        through_fields=("deliberation", "matter"),
        related_name="deliberations",
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return _("%(date)s 议事会") % {"date": self.date}


class DecisionKind(models.TextChoices):
    ADOPT = "adopt", _("采纳")
    REJECT = "reject", _("不予采纳")
    MERGE = "merge", _("合并")
    REFER = "refer", _("提交街道")


class Decision(BaseModel):
    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="decisions"
    )
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("决定"), max_length=8, choices=DecisionKind.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    reason = models.CharField(_("理由"), max_length=REASON_MAX, blank=True)
    merge_into = models.ForeignKey(
        Matter,
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True, editable=False)

    class Meta(BaseModel.Meta):
        verbose_name = _("议事决定")
        verbose_name_plural = _("议事决定")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "matter"], name="community_decision_once"
            )
        ]

    def __str__(self) -> str:
        label = self.get_decision_display() or _("待议")
        return f"{self.matter}: {label}"


class Step(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("步骤"), max_length=200)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("办理步骤")
        verbose_name_plural = _("办理步骤")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Progress(Moderated, BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="progress_posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matter_progress"
    )
    text = models.TextField(_("进展"), max_length=TEXT_MAX)

    class Meta(BaseModel.Meta):
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


def photo_path(instance, filename: str) -> str:
    return f"community/{instance.matter_id}/{filename}"


class Photo(StoredFile):
    """A matter's photo (raised with it, or with a progress post). Public only when the
    community's staff mark it so (the board shows no other)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="photos")
    progress = models.ForeignKey(
        Progress, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=255)
    public = models.BooleanField(_("公开展示"), default=False)

    class Meta(StoredFile.Meta):
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["id"]


class RatingValue(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Rating(BaseModel):
    """The raiser's and the seconders' say on a solved matter, one each (changeable)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="ratings")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matter_ratings"
    )
    rating = models.CharField(_("评价"), max_length=20, choices=RatingValue.choices)
    comment = models.CharField(_("意见"), max_length=REASON_MAX, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["matter", "resident"], name="community_rating_once")
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class ReportTarget(models.TextChoices):
    MATTER = "matter", _("议题")
    COMMENT = "comment", _("评论")
    PROGRESS = "progress", _("进展")


class Report(BaseModel):
    """A resident's report of content (举报); staff handle it: hide the content or keep it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reports")
    target = models.CharField(_("举报对象"), max_length=10, choices=ReportTarget.choices)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    progress = models.ForeignKey(
        Progress, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_reports"
    )
    reason = models.CharField(_("举报理由"), max_length=REASON_MAX)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    outcome = models.CharField(_("处理结果"), max_length=REASON_MAX, blank=True, editable=False)

    class Meta(BaseModel.Meta):
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["handled_at", "-created_at"]

    def __str__(self) -> str:
        return self.reason[:30]

    def content(self):
        """The reported row: the matter, the comment or the progress post."""
        return {"comment": self.comment, "progress": self.progress}.get(self.target, self.matter)
