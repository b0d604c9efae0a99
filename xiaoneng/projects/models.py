"""重大项目调度: batches, industries, projects, monthly reports and web import jobs."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import AliveManager, AllManager, BaseModel, ScopedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}

DEFAULT_INDUSTRIES = [
    ("能源以外工业", "非能源工业、工业（能源以外）"),
    ("能源工业", "能源"),
    ("农业", "现代农业、高原特色农业"),
    ("文化旅游", "旅游业、文旅、旅游"),
    ("数字经济", "数字"),
    ("商贸物流", "物流、商贸"),
    ("交通", "交通运输、综合交通"),
    ("水利", "水网、水利工程"),
    ("社会事业", "民生、社会民生"),
    ("生态环保", "生态环境、环保"),
    ("城市建设", "城建、新型城镇化"),
    ("口岸", "口岸建设"),
]


_QUARTER_CODE = re.compile(r"^(?P<year>\d{4})\s*Q(?P<quarter>[1-4])$", re.IGNORECASE)


def name_from_code(code: str) -> str:
    """A batch's name from its code: 2026Q4 → 2026年第四季度集中开工 ("" for another code)."""
    match = _QUARTER_CODE.match(code.strip())
    if match is None:
        return ""
    quarter = "一二三四"[int(match["quarter"]) - 1]
    return f"{match['year']}年第{quarter}季度集中开工"


def month_index(year: int, month: int) -> int:
    """Months since year 0: consecutive months differ by one (2022-12 → 2023-01)."""
    return year * 12 + month - 1


class Batch(BaseModel):
    """集中开工批次."""

    code = models.CharField(_("批次编号"), max_length=20, unique=True, help_text=_("如 2022Q2"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    ceremony_date = models.DateField(_("集中开工日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("开工批次")
        verbose_name_plural = _("开工批次")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name given, else the one its code implies (2026Q4 → 2026年第四季度集中开工)."""
        return self.name or name_from_code(self.code) or self.code


class Industry(BaseModel):
    """行业类别, with aliases used when reading ledgers."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True, help_text=_("用“、”分隔"))
    sort = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行业类别")
        verbose_name_plural = _("行业类别")
        ordering = ["sort", "name"]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        text = self.aliases
        for sep in ("，", ",", ";", "；", "/"):
            text = text.replace(sep, "、")
        return [a.strip() for a in text.split("、") if a.strip()]


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("未开工")
    STARTED = "started", _("已开工")
    IN_STATS = "in_stats", _("已入库")
    COMPLETED = "completed", _("已竣工")
    IN_PRODUCTION = "in_production", _("已投产")


# --- A project's facts: the one definition -------------------------------------------------
# Derived from what a person typed, never stored apart from it: *started* is an actual start
# date; *in statistics* is the 是否入库 flag (the rules require a start date with it);
# *completed* is a status of 竣工 or 投产, the only statuses a person chooses. The stage
# (未开工 / 已开工 / 已入库 / 竣工 / 投产) follows from these. KPIs, alerts, the ledger, the
# monthly reports, the list, the export and the API all use these conditions
# (`Project.objects.with_facts()`); `stage_of` is the same rule for values not yet saved
# (an imported row, a form), tested to agree with the SQL.
DONE = (Status.COMPLETED, Status.IN_PRODUCTION)
STARTED_Q = Q(actual_start__isnull=False)
IN_STATS_Q = Q(in_stats=True)
COMPLETED_Q = Q(status__in=DONE)


def stage_of(values) -> str:
    """The stage of a project's values (a dict or a Project): the rule of `stage_sql()`."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, None)
    if get("status") in DONE:
        return get("status")
    if get("in_stats"):
        return Status.IN_STATS
    if get("actual_start"):
        return Status.STARTED
    return Status.NOT_STARTED


def stage_sql():
    return Case(
        When(COMPLETED_Q, then=F("status")),
        When(IN_STATS_Q, then=Value(Status.IN_STATS)),
        When(STARTED_Q, then=Value(Status.STARTED)),
        default=Value(Status.NOT_STARTED),
        output_field=CharField(),
    )


class ProjectQuerySet(ScopedQuerySet):
    def with_facts(self):
        """Annotate is_started, is_in_stats, is_completed and stage (a Status value)."""
        return self.annotate(
            is_started=ExpressionWrapper(STARTED_Q, output_field=BooleanField()),
            is_in_stats=ExpressionWrapper(IN_STATS_Q, output_field=BooleanField()),
            is_completed=ExpressionWrapper(COMPLETED_Q, output_field=BooleanField()),
            stage=stage_sql(),
        )


class ProjectManager(AliveManager.from_queryset(ProjectQuerySet)):
    pass


class AllProjectsManager(AllManager.from_queryset(ProjectQuerySet)):
    pass


class Project(BaseModel):
    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    # No index of its own: the (batch, prefecture) index below serves look-ups by batch.
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("开工批次"),
        on_delete=models.PROTECT,
        related_name="projects",
        db_index=False,
    )
    prefecture = models.ForeignKey(
        "units.Unit", verbose_name=_("州市"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "units.Unit",
        verbose_name=_("县市区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业类别"), on_delete=models.PROTECT, related_name="projects"
    )
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY)
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), **MONEY, default=0)
    planned_start = models.DateField(_("计划开工月份"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工日期"), null=True, blank=True)
    in_stats = models.BooleanField(_("是否入库"), default=False)
    in_stats_on = models.DateField(_("入库日期"), null=True, blank=True)
    owner = models.CharField(_("项目业主"), max_length=200, blank=True)
    leader_in_charge = models.CharField(_("包保领导"), max_length=100, blank=True)
    private_investment = models.BooleanField(_("民间投资"), default=False)
    top_priority = models.BooleanField(_("重中之重"), default=False)
    # What a person chose is 竣工 or 投产; otherwise the column holds stage_of() of the typed
    # values, written by the same rule on every save (read the facts through with_facts()).
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    # Derived from monthly reports (最多报一次): the figure of `completed_year`, kept up to date
    # as reports arrive so that the summary never rescans the report history.
    completed_ytd = models.DecimalField(_("本年累计完成投资（万元）"), **MONEY, default=0)
    completed_year = models.PositiveSmallIntegerField(_("完成投资所属年度"), null=True, blank=True)
    last_report_month = models.PositiveIntegerField(
        _("最近月报月份序号"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")
        ordering = ["batch__code", "code"]
        # Every index is paid for on each imported row: county has its foreign-key index.
        indexes = [models.Index(fields=["batch", "prefecture"])]

    objects = ProjectManager()
    all_objects = AllProjectsManager()

    # The change log leaves out the reports' bookkeeping (core.models.ChangeLog.display_changes).
    history_hidden = ("last_report_month",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from xiaoneng.projects.services import project_errors

        errors = project_errors(
            {
                "total_investment": self.total_investment,
                "annual_plan": self.annual_plan,
                "completed_ytd": self.completed_ytd,
                "prefecture": self.prefecture if self.prefecture_id else None,
                "county": self.county if self.county_id else None,
                "in_stats": self.in_stats,
                "in_stats_on": self.in_stats_on,
                "actual_start": self.actual_start,
            }
        )
        if errors:
            raise ValidationError(errors)

    @property
    def lead_unit(self):
        return self.county or self.prefecture

    @property
    def started(self) -> bool:
        return self.actual_start is not None  # STARTED_Q

    def get_stage_display(self) -> str:
        """The stage's label: the annotated one (with_facts) or the same rule in Python."""
        return str(Status(self.__dict__.get("stage") or stage_of(self)).label)


class MonthlyReport(BaseModel):
    """月度调度: one per project and month; the single source of completed investment
    (`Project.completed_ytd` is its latest figure, written only with a report)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    completed_this_month = models.DecimalField(_("本月完成投资（万元）"), **MONEY)
    completed_ytd = models.DecimalField(_("本年累计完成投资（万元）"), **MONEY)
    progress = models.TextField(_("形象进度"), blank=True)
    difficulties = models.TextField(_("困难问题"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("逾期填报"), default=False)
    # The ledger's 累计完成投资 (or the edit form's, before any report), entered as the
    # report of the month it was imported in: until the project's first monthly report
    # (which soft-deletes it), the one figure of its completed investment.
    is_opening = models.BooleanField(_("台账期初数"), default=False)

    class Meta:
        verbose_name = _("月度调度")
        verbose_name_plural = _("月度调度")
        ordering = ["project", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="unique_report_per_month"
            )
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}-{self.month:02d}"

    @property
    def month_index(self) -> int:
        return month_index(self.year, self.month)


class ImportJob(BaseModel):
    """A ledger uploaded from the web, imported by a background task; its progress is polled."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        READING = "reading", _("读取中")
        CHECKING = "checking", _("校验中")
        WRITING = "writing", _("写入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("有错误，未导入")

    kind = models.CharField(_("类型"), max_length=20, default="projects")
    batch = models.ForeignKey(
        Batch, verbose_name=_("开工批次"), null=True, blank=True, on_delete=models.PROTECT
    )
    # What the form asked for: a new batch is only created by the import itself, in its
    # transaction (a failed import leaves no empty batch); `batch` is set once it exists.
    batch_code = models.CharField(_("批次编号"), max_length=20, blank=True)
    ceremony_date = models.DateField(_("集中开工日期"), null=True, blank=True)
    move_projects = models.BooleanField(_("移入本批次"), default=False)
    file = models.FileField(_("文件"), upload_to="projects-imports/")
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default="queued")
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or f"#{self.pk}"

    UPLOAD_DIR = "projects-imports"

    @staticmethod
    def progress_path(job_id: int) -> Path:
        """Where the running import reports its progress: a small file next to the uploads
        (every app server and worker already shares MEDIA_ROOT), because the rows written
        inside the import's one transaction are invisible to the page until commit."""
        return Path(settings.MEDIA_ROOT) / ImportJob.UPLOAD_DIR / "progress" / f"{job_id}.json"

    @property
    def live(self) -> dict:
        """{"state", "done", "total"}: from the progress file while the import runs, else
        from the row."""
        row = {"state": self.state, "done": self.done, "total": self.total}
        if self.finished or self.pk is None:
            return row
        if "_live" not in self.__dict__:
            try:
                data = json.loads(self.progress_path(self.pk).read_text())
                self._live = {k: data[k] for k in row}
            except (OSError, ValueError, KeyError, TypeError):
                self._live = row
        return self._live

    def get_live_state_display(self) -> str:
        return str(self.State(self.live["state"]).label)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        live = self.live
        return int(live["done"] * 100 / live["total"]) if live["total"] else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
