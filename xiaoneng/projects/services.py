"""Actions on projects: batches, the ledger import, monthly reports.

Every write runs in one transaction, takes the actor as `actor=` (a user, or
`core.policy.SYSTEM` for commands and the demo loader), asks the policy
(`projects/policy.py`) and is audited.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, policy
from xiaoneng.core.forms import date_window
from xiaoneng.core.ledgers import shown
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import StaleEdit, changed_since, check_version, version_at
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, iter_chunks
from xiaoneng.projects import conf
from xiaoneng.projects.formats import wan
from xiaoneng.projects.ledgers import PROJECTS, REPORTS
from xiaoneng.projects.models import (
    DEFAULT_INDUSTRIES,
    Batch,
    Industry,
    MonthlyReport,
    Project,
    Status,
    month_index,
    name_from_code,
    stage_of,
)
from xiaoneng.projects.parsing import add_months, read_ledger

CHUNK = 2000

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# --- Reference data ----------------------------------------------------------------------


def ensure_default_industries(*, actor=SYSTEM) -> list[Industry]:
    """The default catalogue (idempotent; edited names and aliases are kept). Reference
    data: no permission is asked; `actor` is who the change log names (the system)."""
    existing = {i.name for i in Industry.all_objects.all()}
    new = [
        Industry(name=name, aliases=aliases, sort=i)
        for i, (name, aliases) in enumerate(DEFAULT_INDUSTRIES)
        if name not in existing
    ]
    if new:
        Industry.objects.bulk_create(new)
        audit.log_bulk(
            Industry.objects.filter(name__in=[i.name for i in new]), "create", actor=actor
        )
    return list(Industry.objects.all())


def may_change_batch(actor, batch: Batch | None) -> bool:
    """May `actor` change `batch`, or create one (None)?"""
    if batch is None:
        return policy.can_any(actor, "change", Batch)
    return policy.can(actor, "change", batch)


@transaction.atomic
def save_batch(*, actor, code: str, name: str = "", ceremony_date: dt.date | None = None) -> Batch:
    """Create the batch `code`, or set the name and ceremony date given (empty: kept). A new
    batch without a name takes the one its code implies (2026Q4 → 2026年第四季度集中开工)."""
    batch = Batch.all_objects.filter(code=code).first()
    if not may_change_batch(actor, batch):
        raise PermissionDenied(_("只有省效能办可以建立开工批次。"))
    batch = batch or Batch(code=code, name=name_from_code(code))
    batch.name = name or batch.name
    batch.ceremony_date = ceremony_date or batch.ceremony_date
    batch.deleted_at = None
    batch.full_clean()
    batch.save(actor=actor)
    return batch


@transaction.atomic
def update_batch(
    batch: Batch, *, actor, name: str, ceremony_date: dt.date | None, version: str | None = None
) -> Batch:
    """Change a batch's name and ceremony date (either may be cleared); audited by the save.
    `version`: the version the edit was read at (core.versioning); None: not checked."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not may_change_batch(actor, batch):
        raise PermissionDenied(_("只有省效能办可以修改开工批次。"))
    check_version(batch, version)
    batch.name = name.strip()
    batch.ceremony_date = ceremony_date
    batch.full_clean()
    batch.save(actor=actor)
    return batch


# --- Validation shared by the edit form and the import ------------------------------------


def project_errors(values: dict, *, today: dt.date | None = None) -> dict[str, str]:
    """Cross-field rules of a project; field name -> reason (naming the other column)."""
    errors = {}
    today = today or timezone.localdate()
    total = values.get("total_investment")
    annual = values.get("annual_plan")
    completed = values.get("completed_ytd")
    if total is not None and annual is not None and annual > total:
        errors["annual_plan"] = _("年度计划投资不能大于总投资")
    if total is not None and completed is not None and completed > total:
        errors["completed_ytd"] = _("累计完成投资不能大于总投资")
    county, prefecture = values.get("county"), values.get("prefecture")
    if county is not None and prefecture is not None and county.parent_id != prefecture.pk:
        errors["county"] = _("该县市区不属于所填州市")
    start, stats_on = values.get("actual_start"), values.get("in_stats_on")
    if start and start > today:
        errors["actual_start"] = _("实际开工时间不能晚于今天（%s）；尚未开工请留空") % today
    if stats_on and values.get("in_stats") is False:
        errors["in_stats_on"] = _("未入库的项目不应填入库时间（“是否入库”为否）")
    elif stats_on and stats_on > today:
        errors["in_stats_on"] = _("入库时间不能晚于今天（%s）") % today
    elif start and stats_on and _before_start(stats_on, start):
        errors["in_stats_on"] = _("入库时间早于实际开工时间（%s）") % start
    if values.get("in_stats") and not start:
        errors["in_stats"] = _("已入库（是否入库为“是”）的项目应填“实际开工时间”")
    status = values.get("status")
    if status in (Status.COMPLETED, Status.IN_PRODUCTION) and not start:
        errors["status"] = _("已竣工或已投产的项目应填实际开工时间")
    elif status and status not in (Status.COMPLETED, Status.IN_PRODUCTION):
        expected = derive_status({**values, "status": None})
        if status != expected:
            errors["status"] = _("状态与开工、入库情况不符（应为“%s”）") % Status(expected).label
    return errors


def _before_start(stats_on: dt.date, start: dt.date) -> bool:
    """入库 is often written as a month ("2022-06" = the 1st): a first of the month is
    compared by month, any other day by day."""
    if stats_on.day == 1:
        return (stats_on.year, stats_on.month) < (start.year, start.month)
    return stats_on < start


def derive_status(values: dict) -> str:
    """未开工 / 已开工 / 已入库 follow from the dates and the flag; 竣工 and 投产 are kept
    (`models.stage_of`, the Python twin of `Project.objects.with_facts()`)."""
    return stage_of(values)


def check_project(values: dict, *, actor, today: dt.date | None = None) -> dict[str, str]:
    """Every rule on one project's values, for the import and the edit form alike; the
    place (county, or prefecture without one) must be one the actor may put projects in."""
    errors = project_errors(values, today=today)
    prefecture, county = values.get("prefecture"), values.get("county")
    if prefecture is not None and not policy.can(actor, "place_projects", county or prefecture):
        errors.setdefault("county" if county else "prefecture", _("不在您的管理范围内"))
    return errors


# The edit form's fields: the ledger's columns a re-import may change, and the status (竣工
# and 投产 are chosen by a person; the ledger's stages follow from its dates).
EDITABLE_FIELDS = [*PROJECTS.updatable(), "status"]


@transaction.atomic
def update_project(project: Project, *, actor, version: str | None = None, **values) -> Project:
    """Change one project from the edit form: the import's rules, the importer's rights.

    `values` holds any of EDITABLE_FIELDS; `completed_ytd` only while the project has no
    monthly report (最多报一次: afterwards the reports are its single source). `version`:
    the version the form was read at (core.versioning); None: not checked.
    """
    policy.require(actor, "change", project, _("只有效能办或单位管理员可以修改项目。"))
    project = Project.objects.select_for_update().get(pk=project.pk)
    project.ensure(actor, "change")
    check_version(project, version)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_project: not editable: {sorted(unknown)}")
    has_reports = MonthlyReport.objects.filter(project=project, is_opening=False).exists()
    if "completed_ytd" in values and has_reports:
        if values["completed_ytd"] != project.completed_ytd:
            raise ValidationError(
                {"completed_ytd": _("该项目已有月度调度，累计完成投资以月报为准，不能在此修改")}
            )
        del values["completed_ytd"]
    if values.get("planned_start"):
        values["planned_start"] = values["planned_start"].replace(day=1)
    merged = {f: getattr(project, f) for f in EDITABLE_FIELDS} | values
    errors = check_project(merged, actor=actor)
    if errors:
        raise ValidationError(errors)
    completed = values.pop("completed_ytd", None)
    for name, value in values.items():
        setattr(project, name, value)
    if completed is not None and (
        completed != project.completed_ytd or project.completed_year is None
    ):
        set_opening_figure(project, completed, actor=actor, today=timezone.localdate())
    project.full_clean()
    project.save(actor=actor)
    return project


# --- Ledger import (xiaoneng/projects/ledger.py) ------------------------------------------


def import_projects(source, **kwargs):
    """Create or update projects from a ledger; see `ledger.import_projects`."""
    from xiaoneng.projects.ledger import import_projects as run

    return run(source, **kwargs)


# --- Monthly reports -------------------------------------------------------------------------


def report_due_date(year: int, month: int) -> dt.date:
    """A month's report is due by day N of the next month."""
    nxt = add_months(dt.date(year, month, 1), 1)
    return nxt.replace(day=min(conf.get("REPORT_DUE_DAY"), 28))


def required_report_month(today: dt.date) -> int:
    """The month index of the latest month whose report is already due."""
    due_day = min(conf.get("REPORT_DUE_DAY"), 28)
    previous = add_months(today.replace(day=1), -1)
    if today.day <= due_day:
        previous = add_months(previous, -1)
    return month_index(previous.year, previous.month)


def _neighbours(project: Project, year: int, month: int):
    # The opening report (the ledger's figure) is replaced by the first report, not checked
    # against it.
    reports = MonthlyReport.objects.filter(project=project, year=year, is_opening=False)
    before = reports.filter(month__lt=month).order_by("-month").first()
    after = reports.filter(month__gt=month).order_by("month").first()
    return before, after


def check_report(
    project: Project,
    *,
    year: int,
    month: int,
    completed_this_month: Decimal | None,
    completed_ytd: Decimal | None,
    today: dt.date,
    neighbours: tuple | None = None,
) -> tuple[Decimal, Decimal, dict[str, str]]:
    """Fill in whichever of this month / year to date is missing; return the errors.

    `neighbours` = (before, after): the reports of the same year just before and after
    this month, anything with `.month` and `.completed_ytd` (default: the stored ones).
    """
    errors: dict[str, str] = {}
    if not 1 <= month <= 12:
        errors["month"] = _("月份应为 1–12")
        return Decimal(0), Decimal(0), errors
    earliest = date_window()[0].year  # the window of every date (core.forms)
    if year < earliest:
        errors["year"] = _("年份不能早于 %s 年") % earliest
        return Decimal(0), Decimal(0), errors
    if (year, month) > (today.year, today.month):
        errors["month"] = _("不能填报未来月份")
        if year > today.year:  # (no stored report to compare with)
            return Decimal(0), Decimal(0), errors
    before, after = neighbours or _neighbours(project, year, month)
    previous_ytd = before.completed_ytd if before else Decimal(0)
    if completed_ytd is not None:
        ytd = completed_ytd
        month_figure = ytd - previous_ytd if completed_this_month is None else completed_this_month
    elif completed_this_month is not None:
        month_figure = completed_this_month
        ytd = previous_ytd + month_figure
    else:
        errors["completed_this_month"] = _("请填写本月完成投资或本年累计完成投资")
        return Decimal(0), Decimal(0), errors
    completed_ytd, completed_this_month = ytd, month_figure
    if completed_ytd < previous_ytd:
        errors["completed_ytd"] = _("本年累计不能小于 %(m)s 月的累计 %(v)s 万元") % {
            "m": before.month,
            "v": wan(previous_ytd),
        }
    elif completed_ytd - previous_ytd != completed_this_month:
        errors["completed_this_month"] = _("本月完成应等于本年累计减去上月累计（%s 万元）") % (
            wan(completed_ytd - previous_ytd)
        )
    if after is not None and completed_ytd > after.completed_ytd:
        errors["completed_ytd"] = _("本年累计不能大于 %(m)s 月已报的累计 %(v)s 万元") % {
            "m": after.month,
            "v": wan(after.completed_ytd),
        }
    if completed_ytd > project.total_investment:
        errors["completed_ytd"] = _("本年累计不能大于总投资 %s 万元") % wan(
            project.total_investment
        )
    return completed_this_month, completed_ytd, errors


def reports_version(project: Project) -> str:
    """The version a report form is read at: its latest report's save. A report saved after
    it (a correction, or a month reported meanwhile) is someone else's newer one."""
    latest = MonthlyReport.all_objects.filter(project=project).aggregate(t=Max("updated_at"))
    return version_at(latest["t"])


def set_opening_figure(project: Project, completed_ytd: Decimal, *, actor, today: dt.date) -> None:
    """The completed investment of a project without monthly reports (the ledger's or the
    edit form's 累计完成投资), entered as its opening report of this month; the project's
    figure is written with it. The ledger import does the same set-based
    (`ledger._write_openings`)."""
    year, month = today.year, today.month
    rows = MonthlyReport.all_objects.filter(project=project)
    opening = (
        rows.filter(year=year, month=month).first()
        or rows.filter(is_opening=True, deleted_at__isnull=True).first()
    )
    if opening is None and completed_ytd:
        opening = MonthlyReport(project=project)
    if opening is not None:
        opening.year, opening.month = year, month
        opening.completed_this_month = opening.completed_ytd = completed_ytd
        opening.is_opening, opening.is_late, opening.deleted_at = True, False, None
        opening.reported_by_id = actor.pk  # None: the system
        opening.save(actor=actor)
        for other in rows.filter(is_opening=True, deleted_at__isnull=True).exclude(pk=opening.pk):
            other.delete(actor=actor)
    project.completed_ytd = completed_ytd
    project.completed_year = year


def _apply_to_project(project: Project, report: MonthlyReport, *, actor) -> None:
    """Keep the project's derived current figure in step with its latest report. A report
    changes no fact a person types: started stays "has an actual start date" (with_facts)."""
    index = report.month_index
    if project.last_report_month is None or index >= project.last_report_month:
        project.completed_ytd = report.completed_ytd
        project.completed_year = report.year
        project.last_report_month = index
        project.save(actor=actor)


@transaction.atomic
def save_report(
    project: Project,
    *,
    actor,
    year: int,
    month: int,
    completed_this_month: Decimal | None = None,
    completed_ytd: Decimal | None = None,
    progress: str = "",
    difficulties: str = "",
    today: dt.date | None = None,
    version: str | None = None,
) -> MonthlyReport:
    """Record (or correct) one month of one project. `version`: reports_version() when
    the form was read; a report of this month saved since is not overwritten."""
    policy.require(actor, "report", project, _("只有项目填报员或效能办可以填报月度调度。"))
    project = Project.objects.select_for_update().get(pk=project.pk)
    project.ensure(actor, "report")
    report = MonthlyReport.all_objects.filter(project=project, year=year, month=month).first()
    if version is not None and report is not None and changed_since(report, version):
        raise StaleEdit(report, version, version=reports_version(project))
    today = today or timezone.localdate()
    this_month, ytd, errors = check_report(
        project,
        year=year,
        month=month,
        completed_this_month=completed_this_month,
        completed_ytd=completed_ytd,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    if report is None:
        report = MonthlyReport(project=project, year=year, month=month)
        report.is_late = today > report_due_date(year, month)
    report.deleted_at = None
    report.is_opening = False
    report.completed_this_month = this_month
    report.completed_ytd = ytd
    report.progress = progress
    report.difficulties = difficulties
    report.reported_by_id = actor.pk  # None: the system
    report.save(actor=actor)
    # 最多报一次: the first report replaces the ledger's figure.
    for opening in MonthlyReport.objects.filter(project=project, is_opening=True):
        opening.delete(actor=actor)
    _apply_to_project(project, report, actor=actor)
    return report


@dataclass
class _Month:
    """A month's year-to-date figure while a sheet is checked: stored or from the sheet."""

    month: int
    completed_ytd: Decimal


@transaction.atomic
def projects_to_report(actor, today: dt.date):
    """The projects `actor` may report on that owe last month's report (alerts.due_report_q),
    by code: the rows of their 月度调度表 and the workbench's 待报."""
    from xiaoneng.projects import alerts

    return (
        Project.objects.restrict(actor, "report")
        .filter(alerts.due_report_q(today))
        .order_by("code")
    )


def monthly_sheet(actor, today: dt.date) -> tuple[dt.date, bytes]:
    """(the month asked for, the .xlsx): the report sheet prefilled with the projects that
    owe last month's report, their code, name and this year's figure so far, so that the
    reporter types only this month's numbers."""
    from xiaoneng.projects import alerts
    from xiaoneng.projects.ledgers import monthly_sheet as write_sheet

    month = alerts.report_month(today)
    projects = list(projects_to_report(actor, today))
    so_far: dict[int, Decimal] = {}
    earlier = (
        MonthlyReport.objects.filter(
            project__in=[p.pk for p in projects], year=month.year, month__lt=month.month
        )
        .order_by("project_id", "month")
        .values_list("project_id", "completed_ytd")
    )
    for pk, ytd in earlier:
        so_far[pk] = ytd  # the latest month wins
    rows = [(p, so_far.get(p.pk)) for p in projects]
    return month, write_sheet(rows, year=month.year, month=month.month)


@dataclass
class ReportImport:
    count: int  # reports saved
    skipped: list[str]  # codes of rows left blank (the prefilled sheet's untouched rows)


def import_reports(
    source, *, actor, file_label: str = "", today: dt.date | None = None
) -> ReportImport:
    """Monthly reports of many projects from one sheet; all or nothing.

    Every row is checked in one pass, against the stored reports and the sheet's other
    rows of the same project and year (its earlier months as the sheet leaves them), so
    that every error is reported at once; nothing is saved if there is one. A row whose
    figures, progress and difficulties are all empty is passed over (the prefilled sheet
    lists every project that owes the month; one not typed in is not reported by it).
    """
    from xiaoneng.projects.ledgers import REFERENCE_HEADERS

    if not policy.can_any(actor, "report", Project):
        raise PermissionDenied(_("只有项目填报员或效能办可以填报月度调度。"))
    today = today or timezone.localdate()
    sheet = read_ledger(
        source, REPORTS.headers_by_key(), required=REPORTS.required(), file_label=file_label
    )
    visible = Project.objects.restrict(actor, "report")
    codes = {as_text(v.get("code")) for _r, v in sheet.rows} - {""}
    projects = {}
    for chunk in iter_chunks(sorted(codes), CHUNK):
        projects.update({p.code: p for p in visible.filter(code__in=chunk)})
    errors: list[CellError] = []

    def err(row, fname, message, value=None):
        column = REPORTS.header_of(sheet, fname)
        errors.append(CellError(sheet.name, row, column, str(message), shown(value)))

    # The reference columns of the prefilled sheet are not unknown columns.
    sheet.warnings = [w for w in sheet.warnings if not any(h in w for h in REFERENCE_HEADERS)]
    typed = ("completed_this_month", "completed_ytd", "progress", "difficulties")
    skipped: list[str] = []
    rows = []
    blanks = REPORTS.blanks(sheet)  # the optional columns the file leaves out
    for row, cells in sheet.rows:
        if all(as_text(cells.get(key)) == "" for key in typed):
            skipped.append(as_text(cells.get("code")))
            continue
        values, bad = REPORTS.parse_row(sheet, row, cells)
        values = {**blanks, **values}
        code = values["code"]
        project = projects.get(code)
        if project is None:
            err(row, "code", _("没有这个项目编号，或不在您的范围内"), code)
        errors.extend(bad)
        for fname in ("year", "month"):
            if fname in values and values[fname] is None:
                err(row, fname, _("年份和月份不能为空"))
        year, month = values.get("year"), values.get("month")
        money = {f: values[f] for f in ("completed_this_month", "completed_ytd") if f in values}
        if project is not None and year is not None and month is not None and len(money) == 2:
            texts = {f: values.get(f, "") for f in ("progress", "difficulties")}
            rows.append((row, project, year, month, money, texts, cells))

    if skipped and not rows and not errors:
        message = _(
            "表中没有填写任何项目的本月数字，未导入；请在“本月完成投资”或“本年累计”中填写后再上传"
        )
        raise ImportFailed([CellError(file_label or sheet.name, 0, "", message)], sheet.warnings)
    # The year-to-date order, per project and year: the stored months, each replaced by
    # the sheet's row for that month once it has been checked (rows in month order).
    rows.sort(key=lambda r: (r[1].pk, r[2], r[3]))
    stored: dict[tuple[int, int], dict[int, Decimal]] = {}
    pairs = {(r[1].pk, r[2]) for r in rows}
    for chunk in iter_chunks(sorted({pk for pk, _y in pairs}), CHUNK):
        reports = MonthlyReport.objects.filter(
            project_id__in=chunk, year__in={y for _p, y in pairs}, is_opening=False
        ).values_list("project_id", "year", "month", "completed_ytd")
        for pk, year, month, ytd in reports:
            stored.setdefault((pk, year), {})[month] = ytd
    checked = []
    for row, project, year, month, money, texts, values in rows:
        months = stored.setdefault((project.pk, year), {})
        earlier = [m for m in months if m < month]
        later = [m for m in months if m > month]
        before = _Month(max(earlier), months[max(earlier)]) if earlier else None
        after = _Month(min(later), months[min(later)]) if later else None
        this_month, ytd, problems = check_report(
            project,
            year=year,
            month=month,
            completed_this_month=money["completed_this_month"],
            completed_ytd=money["completed_ytd"],
            today=today,
            neighbours=(before, after),
        )
        for fname, reason in problems.items():
            err(row, fname, reason, values.get(fname))
        if not problems:
            months[month] = ytd
            checked.append((project, year, month, this_month, ytd, texts))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row), sheet.warnings)
    for project, year, month, this_month, ytd, texts in checked:
        save_report(
            project,
            actor=actor,
            year=year,
            month=month,
            completed_this_month=this_month,
            completed_ytd=ytd,
            progress=texts["progress"],
            difficulties=texts["difficulties"],
            today=today,
        )
    return ReportImport(count=len(checked), skipped=skipped)


# --- Web import --------------------------------------------------------------------------


@transaction.atomic
def start_import(
    *,
    actor,
    upload,
    batch: Batch | str,
    ceremony_date: dt.date | None = None,
    move: bool = False,
):
    """Keep the uploaded ledger and queue its import; the page polls the returned job.

    A new batch code is not created here but by the import, in its transaction (a failed
    import leaves no empty batch); who may create or change a batch is checked now, so the
    form can say so at once.
    """
    from xiaoneng.projects.models import ImportJob
    from xiaoneng.projects.tasks import run_project_import

    policy.require(actor, "import_projects", message=_("只有效能办或单位管理员可以导入项目台账。"))
    code = batch.code if isinstance(batch, Batch) else str(batch).strip()
    existing = batch if isinstance(batch, Batch) else Batch.objects.filter(code=code).first()
    if existing is None and not may_change_batch(actor, None):
        raise ValidationError(
            {"batch": _("没有批次 %s；新批次只能由省效能办建立，请从列表中选择已有批次。") % code}
        )
    if (
        existing is not None
        and ceremony_date
        and ceremony_date != existing.ceremony_date
        and not may_change_batch(actor, existing)
    ):
        raise ValidationError({"ceremony_date": _("只有省效能办可以修改批次的集中开工日期。")})
    if existing is None:
        probe = Batch(code=code, ceremony_date=ceremony_date)
        probe.full_clean(validate_unique=False)
    job = ImportJob(
        batch=existing,
        batch_code=code,
        ceremony_date=ceremony_date,
        move_projects=move,
        created_by=actor,
        file_name=upload.name[:200],
    )
    job.file.save(upload.name, upload, save=False)
    job.save(actor=actor)
    transaction.on_commit(lambda: run_project_import.enqueue(job.pk))
    return job


@transaction.atomic
def save_industry(
    industry: Industry | None,
    *,
    actor,
    name: str,
    aliases: str = "",
    sort: int = 0,
    version: str | None = None,
) -> Industry:
    if not policy.can_any(actor, "change", Industry):
        raise PermissionDenied(_("只有省效能办可以维护行业目录。"))
    if industry is not None:
        industry = Industry.objects.select_for_update().get(pk=industry.pk)
        industry.ensure(actor, "change")
        check_version(industry, version)
    clash = Industry.all_objects.filter(name=name)
    if industry is not None:
        clash = clash.exclude(pk=industry.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名行业。")})
    industry = industry or Industry()
    industry.name, industry.aliases, industry.sort = name, aliases, sort
    industry.full_clean()
    industry.save(actor=actor)
    return industry
