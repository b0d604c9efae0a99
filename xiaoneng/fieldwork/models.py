"""一线工作法 (下基层): leaders' grassroots visits and what they found there.

A visit is recorded once, by the leader or the office that works for them, in under a
minute: no photo, no location, no material "to leave a trace". Each finding can become a
problem item (supervision.Item, kind problem) in one step (services.finding_to_item).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel
from xiaoneng.units.models import Unit


class VisitKind(models.TextChoices):
    SURVEY = "survey", _("调研")
    STAY = "stay", _("蹲点")
    ON_SITE = "on_site", _("现场办公")
    RECEPTION = "reception", _("接访")
    INSPECTION = "inspection", _("督导")


class Visit(BaseModel):
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("领导干部"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The leader's unit when the visit was recorded: scope and statistics count the visit for
    # the unit the leader served then, so a leader who moves on leaves their visits behind.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("领导所在单位"),
        on_delete=models.PROTECT,
        related_name="leader_visits",
        editable=False,
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    kind = models.CharField(
        _("方式"), max_length=16, choices=VisitKind.choices, default=VisitKind.SURVEY
    )
    places = models.ManyToManyField(
        Unit,
        verbose_name=_("到访地点"),
        through="VisitPlace",
        related_name="visits_received",
    )
    met = models.TextField(_("座谈走访对象"), blank=True)
    notes = models.TextField(_("情况记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_visits",
        editable=False,
    )

    class Meta:
        verbose_name = _("下基层记录")
        verbose_name_plural = _("下基层记录")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["unit", "start_date"], name="fw_visit_unit_start"),
            models.Index(fields=["leader", "start_date"], name="fw_visit_leader_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="fw_visit_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.start_date:%Y-%m-%d}"

    @property
    def days(self) -> int:
        """Days at the grassroots, both ends included (the SQL twin: stats.days_expression)."""
        return (self.end_date - self.start_date).days + 1

    def place_list(self) -> list[Unit]:
        """The places in the order they were entered (prefetch `visitplace_set__unit`)."""
        return [vp.unit for vp in sorted(self.visitplace_set.all(), key=lambda vp: vp.order)]

    def first_place(self) -> Unit | None:
        places = self.place_list()
        return places[0] if places else None


class VisitPlace(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("到访地点")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "unit"], name="fw_unique_visit_place")
        ]
        indexes = [models.Index(fields=["unit", "visit"], name="fw_place_unit_visit")]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.unit_id}"


class Finding(BaseModel):
    visit = models.ForeignKey(
        Visit, verbose_name=_("下基层记录"), on_delete=models.PROTECT, related_name="findings"
    )
    text = models.TextField(_("发现的问题"))
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    # The problem item it became (services.finding_to_item): at most one, set once.
    item = models.OneToOneField(
        "supervision.Item",
        verbose_name=_("转为问题清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finding",
        editable=False,
    )

    class Meta:
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")
        ordering = ["visit", "order", "id"]

    def __str__(self) -> str:
        return self.first_line()[:40]

    def first_line(self) -> str:
        text = self.text.strip()
        return text.splitlines()[0].strip() if text else ""

    @property
    def title(self) -> str:
        """A problem item's title made from the finding: its first line, at most 60 characters."""
        return self.first_line()[:60] or str(_("下基层发现的问题"))
