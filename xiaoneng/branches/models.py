"""机关–社区联建: pairings of an organ's party branch with a community's, and the activities
party branches hold (alone, or together: an organ's with a community's is 联建)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel, StoredFile
from xiaoneng.units.models import Kind, Level, PartyBranch, Unit

# The kinds of unit whose branches are an organ's (机关): the four organs and departments.
ORGAN_KINDS = frozenset(
    {Kind.PARTY_COMMITTEE, Kind.CONGRESS, Kind.GOVERNMENT, Kind.CPPCC, Kind.DEPARTMENT}
)


def is_community(unit: Unit) -> bool:
    """A community's or a village's unit (社区村): its level or its kind says so."""
    return unit.level == Level.COMMUNITY or unit.kind == Kind.COMMUNITY


def is_organ(unit: Unit) -> bool:
    """An organ's unit (机关): one of the four organs or a department, above the communities."""
    return unit.kind in ORGAN_KINDS and not is_community(unit)


class BranchPairing(BaseModel):
    """结对共建: an organ's branch paired with a community's, from a date (to a date, if it
    ended). Only one pairing of the same two branches is open at a time."""

    organ_branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("机关党支部"),
        on_delete=models.PROTECT,
        related_name="organ_pairings",
    )
    community_branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("社区（村）党支部"),
        on_delete=models.PROTECT,
        related_name="community_pairings",
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    notes = models.TextField(_("共建内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ_branch", "community_branch"],
                condition=Q(ended_on__isnull=True, deleted_at__isnull=True),
                name="unique_open_branch_pairing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_branch} — {self.community_branch}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()

    def branch_ids(self) -> set[int]:
        return {self.organ_branch_id, self.community_branch_id}


MAX_PARTICIPANTS = 100_000


class ActivityKind(models.TextChoices):
    THEME_DAY = "theme_day", _("主题党日")
    ORG_LIFE = "org_life", _("组织生活会")
    JOINT_STUDY = "joint_study", _("联学联建")
    VOLUNTEER = "volunteer", _("志愿服务")
    PRACTICAL = "practical", _("为民办实事")


class BranchActivity(BaseModel):
    """An activity of one or more party branches. Held together by an organ's branch and a
    community's, it is 机关–社区联建, shown on both branches' pages."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    date = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    branches = models.ManyToManyField(
        PartyBranch, verbose_name=_("参加的党支部"), related_name="activities"
    )
    participant_count = models.PositiveIntegerField(
        _("参加人数"), null=True, blank=True, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    participants = models.TextField(
        _("参加人员"), blank=True, help_text=_("可只填人数，也可列出姓名，用顿号分隔")
    )
    notes = models.TextField(_("活动内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("党支部活动")
        verbose_name_plural = _("党支部活动")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


def photo_path(instance, filename: str) -> str:
    return f"branches/{instance.activity_id}/{filename}"


class ActivityPhoto(StoredFile):
    """A photo of an activity: optional, never asked for (减负)."""

    activity = models.ForeignKey(
        BranchActivity, on_delete=models.PROTECT, related_name="photos", verbose_name=_("活动")
    )
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=255)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
