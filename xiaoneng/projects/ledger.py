"""The ledger (台账) import: `xiaoneng import projects FILE.xlsx --batch 2022Q2` and the web
import. The columns are `ledgers.PROJECTS`: its headers (in any order, with their aliases),
its cell parsers, the columns a re-import may change. Every error collected with its row,
column, value and reason, all or nothing, re-import updates by code; each row checked by
`services.check_project`, the edit form's rules; written set-based (`core.bulk.write_rows`)
in chunks that report their progress, with their change-log rows.
"""

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import bulk, policy
from xiaoneng.core.ledgers import shown
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, iter_chunks
from xiaoneng.projects.industries import AmbiguousIndustry, IndustryIndex
from xiaoneng.projects.ledgers import PROJECTS
from xiaoneng.projects.models import Batch, MonthlyReport, Project, Status
from xiaoneng.projects.parsing import read_ledger
from xiaoneng.projects.services import (
    CHUNK,
    Progress,
    _no_progress,
    check_project,
    derive_status,
    may_change_batch,
    save_batch,
)
from xiaoneng.units.models import Level, Unit
from xiaoneng.units.names import AmbiguousName, NameIndex


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    batch: Batch | None = None

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": self.warnings,
        }


class UnitLookup:
    """Prefectures by any of their names (official, short, former, "红河州", "版纳": see
    `units.names`); counties by name within one prefecture. A name that fits two units
    raises `AmbiguousName` (never a guess). Only the units whose names the actor may read
    (their subtree, and the prefecture above a county: `view_ancestors`): a unit outside
    them is answered as one that does not exist. Whether a project may be put there is
    the rows' check (`services.check_project`)."""

    def __init__(self, actor):
        units = Unit.objects.restrict(actor, "view_ancestors")
        units = list(units.filter(level__in=[Level.PREFECTURE, Level.COUNTY]))
        self.by_id = {u.pk: u for u in units}
        prefectures = [u for u in units if u.level == Level.PREFECTURE]
        self._counties = [u for u in units if u.level == Level.COUNTY and u.parent_id]
        self._prefectures = NameIndex(prefectures)
        self._by_prefecture = NameIndex(self._counties, group=lambda u: u.parent_id)
        self._anywhere: NameIndex | None = None

    def prefecture(self, text: str) -> Unit | None:
        return self._prefectures.find(text)

    def county(self, prefecture: Unit, text: str) -> Unit | None:
        return self._by_prefecture.find(text, prefecture.pk)

    def county_anywhere(self, text: str) -> Unit | None:
        if self._anywhere is None:
            self._anywhere = NameIndex(self._counties)
        return self._anywhere.find(text)


CHECK_STEP = 5000  # rows between two progress reports while checking
WRITE_CHUNK = 5000  # rows per write step (each step reports its progress)


def _attname(key: str) -> str:
    return Project._meta.get_field(key).attname


# attnames the ledger sets on a project (re-import compares and updates these): the
# columns a re-import may change, the batch (chosen for the file), the status that follows
# from them, the year of the completed investment, and a soft-deleted project's return.
IMPORTED = [
    *(_attname(key) for key in PROJECTS.updatable()),
    "batch_id", "status", "completed_year", "deleted_at",
]  # fmt: skip


def _check_rows(
    sheet,
    units,
    industries,
    actor,
    progress: Progress = _no_progress,
    *,
    existing: dict[str, dict] | None = None,
    today: dt.date | None = None,
):
    """Parse and validate every row: (parsed rows, errors). Pure Python, no queries.

    Each cell through its column's parser (`PROJECTS.parse_row`), the names of places and
    industries looked up, then the edit form's rules (`services.check_project`).
    `existing` holds the stored projects by code: a column the file does not have keeps
    their value, and the rules are checked on the values the project will have.
    """
    errors: list[CellError] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    name = sheet.name
    total = len(sheet.rows)
    existing = existing or {}
    today = today or timezone.localdate()
    # Optional columns the file leaves out: a new project gets the empty cell's value, an
    # existing one keeps its own.
    blanks = PROJECTS.blanks(sheet)
    absent = [f for f in PROJECTS.optional() if f not in sheet.headers]
    parse_row = PROJECTS.parse_row

    for number, (row, cells) in enumerate(sheet.rows, start=1):
        if number % CHECK_STEP == 0:
            progress("checking", number, total)
        data, bad = parse_row(sheet, row, cells)
        if blanks:
            data = {**blanks, **data}

        def err(fname, message, value=None, bad=bad, row=row):
            label = PROJECTS.header_of(sheet, fname)
            bad.append(CellError(name, row, label, str(message), shown(value)))

        code = data.get("code")
        if "code" in data:
            if not code:
                err("code", _("项目编号不能为空"))
            elif code in seen:
                err("code", _("与第 %s 行的项目编号重复") % seen[code], code)
            else:
                seen[code] = row
        if not data.get("name") and "name" in data:
            err("name", _("项目名称不能为空"))
        if cells.get("total_investment") is None:
            err("total_investment", _("总投资不能为空"))
        pref_text = data["prefecture"]
        prefecture = county = None
        if not pref_text:
            err("prefecture", _("州市不能为空"))
        else:
            try:
                prefecture = units.prefecture(pref_text)
            except AmbiguousName as exc:
                err("prefecture", exc, pref_text)
            else:
                if prefecture is None:
                    err("prefecture", _("没有这个州市"), pref_text)
        county_text = data["county"]
        if county_text and prefecture is not None:
            try:
                county = units.county(prefecture, county_text)
            except AmbiguousName as exc:
                err("county", exc, county_text)
            else:
                if county is None:
                    err("county", _county_elsewhere(units, county_text), county_text)
        ind_text = data["industry"]
        industry = None
        if not ind_text:
            err("industry", _("行业类别不能为空"))
        else:
            try:
                industry = industries.find(ind_text)
            except AmbiguousIndustry as exc:
                err("industry", exc, ind_text)
            else:
                if industry is None:
                    err("industry", _("不在行业目录中（可在行业类别中添加别名）"), ind_text)
        data["prefecture"], data["county"], data["industry"] = prefecture, county, industry
        old = existing.get(code) if absent and code else None
        if old is not None:
            # Columns the file leaves out keep the project's stored values.
            for fname in absent:
                data[fname] = units.by_id.get(old["county_id"]) if fname == "county" else old[fname]
        if data.get("in_stats_on") and data.get("in_stats") is None:
            data["in_stats"] = True
        for fname, reason in check_project(data, actor=actor, today=today).items():
            if old is not None and fname in absent:
                reason = _("%(reason)s（文件中没有该列，按项目现有的值检查）") % {"reason": reason}
            err(fname, reason, cells.get(fname))
        if bad:
            errors.extend(bad)
        else:
            parsed.append((row, data))
    return parsed, errors


def _county_elsewhere(units, text: str) -> str:
    """Why a county is not found in the prefecture the row names."""
    try:
        elsewhere = units.county_anywhere(text)
    except AmbiguousName as exc:
        names = "、".join(f"{units.by_id[u.parent_id]}{u.name}" for u in exc.units)
        return _("该县市区不属于所填州市（有%s）") % names
    if elsewhere is not None:
        return _("该县市区不属于所填州市（属于%s）") % units.by_id[elsewhere.parent_id]
    return _("没有这个县市区")


@contextlib.contextmanager
def _gc_paused():
    """A ledger allocates hundreds of thousands of small dicts and tuples that live until
    the import ends; the cyclic collector would rescan them again and again (≈ 25 % of
    the import's time). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_projects(source, **kwargs) -> ImportResult:
    """Create or update projects (by 项目编号) from a ledger; all or nothing.

    Reading and checking take no lock; the writes happen in one transaction, and the
    first error anywhere means nothing is written (ImportFailed lists every error).
    Rows are written set-based (`core.bulk`: executemany / COPY) with their change-log rows,
    WRITE_CHUNK rows at a time, calling progress("writing", done, total) after each chunk
    (from inside the transaction: the callback must report through a channel other
    connections can see, see tasks.py).

    `batch` is a Batch or a batch code; a new code creates the batch (with `ceremony_date`,
    `batch_name`) in the import's transaction, so a failed import leaves none behind. A
    `ceremony_date` differing from an existing batch's changes it, in the same transaction.
    A project of another batch is an error of its row unless `move=True`.
    Keywords: batch, actor, file_label="", progress=callable(stage, done, total), today,
    ceremony_date, batch_name, move.
    """
    with _gc_paused():
        return _import_projects(source, **kwargs)


def _resolve_batch(batch, actor, ceremony_date):
    """(code, existing Batch or None); PermissionDenied for a change only the province makes."""
    if isinstance(batch, Batch):
        code, found = batch.code, batch
    else:
        code = str(batch or "").strip()
        if not code:
            raise ValueError("import_projects: a batch is required")
        found = Batch.objects.filter(code=code).first()
    if found is None and not may_change_batch(actor, None):
        raise PermissionDenied(_("没有批次 %s；新批次只能由省效能办建立。") % code)
    if (
        found is not None
        and ceremony_date
        and ceremony_date != found.ceremony_date
        and not may_change_batch(actor, found)
    ):
        raise PermissionDenied(_("只有省效能办可以修改批次的集中开工日期。"))
    return code, found


def _import_projects(
    source,
    *,
    batch: Batch | str,
    actor,
    file_label: str = "",
    progress: Progress = _no_progress,
    today: dt.date | None = None,
    ceremony_date: dt.date | None = None,
    batch_name: str = "",
    move: bool = False,
) -> ImportResult:
    policy.require(actor, "import_projects", message=_("只有效能办或单位管理员可以导入项目台账。"))
    batch_code, batch = _resolve_batch(batch, actor, ceremony_date)
    batch_id = batch.pk if batch is not None else None
    today = today or timezone.localdate()
    progress("reading", 0, 0)
    sheet = read_ledger(
        source,
        PROJECTS.headers_by_key(),
        required=PROJECTS.required(),
        file_label=file_label,
        # The parse runs in a child process; the job shows it is alive meanwhile.
        heartbeat=lambda: progress("reading", 0, 0),
    )
    total_rows = len(sheet.rows)
    headers = sheet.headers

    # Existing projects, by code, as plain dicts (no model instances, no snapshots): the
    # checks need them for the columns a file leaves out.
    audited = bulk.audited_attnames(Project)
    existing: dict[str, dict] = {}
    codes = list({as_text(values.get("code")) for _row, values in sheet.rows} - {""})
    known = bulk.ids_by(Project, "code", codes)
    for chunk in iter_chunks(list(known.values()), CHUNK):
        for values in Project.all_objects.filter(pk__in=chunk).values(*audited):
            existing[values["code"]] = values

    progress("checking", 0, total_rows)
    parsed, errors = _check_rows(
        sheet, UnitLookup(actor), IndustryIndex(), actor, progress, existing=existing, today=today
    )
    sheet.rows = []  # the parsed rows are all we need now (memory: ≈ 1 KB a row)
    progress("checking", total_rows, total_rows)

    with_reports: set[int] = set()
    reachable: set[int] = set()
    # The rows an opening report may be written to: a project's live opening report, or
    # any row of its project and this month (project, year and month are unique).
    report_rows: dict[int, list[dict]] = {}
    report_attnames = bulk.audited_attnames(MonthlyReport)
    this_month = Q(year=today.year, month=today.month)
    ids = [existing[d["code"]]["id"] for _r, d in parsed if d["code"] in existing]
    for chunk in iter_chunks(ids, CHUNK):
        with_reports.update(
            MonthlyReport.objects.filter(project_id__in=chunk, is_opening=False)
            .values_list("project_id", flat=True)
            .distinct()
        )
        for row in (
            MonthlyReport.all_objects.filter(project_id__in=chunk)
            .filter(Q(is_opening=True, deleted_at__isnull=True) | this_month)
            .values(*report_attnames)
        ):
            report_rows.setdefault(row["project_id"], []).append(row)
        reachable.update(
            Project.all_objects.restrict(actor, "change")
            .filter(pk__in=chunk)
            .values_list("pk", flat=True)
        )
    errors.extend(_reach_and_batch_errors(sheet, parsed, existing, reachable, batch_id, move))
    if errors:
        progress("failed", total_rows, total_rows)
        raise ImportFailed(sorted(errors, key=lambda e: e.row), sheet.warnings)

    result = ImportResult(warnings=list(sheet.warnings))
    year = today.year
    has_completed = "completed_ytd" in headers
    new: list[dict] = []
    changed: list[tuple[dict, dict]] = []
    openings: list[dict] = []  # projects whose ledger figure is their opening report
    skipped_completed = 0
    for _row, data in parsed:
        old = existing.get(data["code"])
        values = dict(old) if old else {
            "id": None, "code": data["code"], "status": Status.NOT_STARTED,
            "completed_ytd": Decimal("0.00"), "completed_year": None, "last_report_month": None,
        }  # fmt: skip
        # A column the file leaves out holds the stored value here (see _check_rows).
        values.update(
            name=data["name"],
            batch_id=batch_id,
            prefecture_id=data["prefecture"].pk,
            county_id=data["county"].pk if data["county"] else None,
            industry_id=data["industry"].pk,
            total_investment=data["total_investment"],
            annual_plan=data["annual_plan"] or Decimal("0.00"),
            planned_start=data["planned_start"],
            actual_start=data["actual_start"],
            in_stats=bool(data["in_stats"]),
            in_stats_on=data["in_stats_on"],
            owner=data.get("owner", ""),
            leader_in_charge=data.get("leader_in_charge", ""),
            private_investment=bool(data["private_investment"]),
            top_priority=bool(data["top_priority"]),
            deleted_at=None,
        )
        values["status"] = derive_status(values)
        figure = data["completed_ytd"] if has_completed else None
        if figure is not None and not (old is not None and _no_figure(old) and not figure):
            # 最多报一次: once monthly reports exist they are the source of the figure.
            # (A zero for a project without a figure records nothing: an exported list
            # imports back unchanged.)
            if old is None or old["id"] not in with_reports:
                values["completed_ytd"] = data["completed_ytd"]
                values["completed_year"] = year
                openings.append(values)
            elif old["completed_ytd"] != data["completed_ytd"]:
                skipped_completed += 1
        if old is None:
            new.append(values)
        elif any(values[k] != old[k] for k in IMPORTED):
            changed.append((old, values))
        else:
            result.unchanged += 1
    if skipped_completed:
        result.warnings.append(
            _("%d 个项目已有月度调度，其“累计完成投资”以月报为准，未按台账修改") % skipped_completed
        )

    to_write = len(new) + len(changed)
    progress("writing", 0, to_write)
    written = 0

    def wrote(rows: int) -> None:
        nonlocal written
        written += rows
        progress("writing", written, to_write)

    with transaction.atomic():
        batch = _save_batch(batch, batch_code, actor, ceremony_date, batch_name, result)
        if batch_id is None:
            for values in new:
                values["batch_id"] = batch.pk
            for _old, values in changed:
                values["batch_id"] = batch.pk
        with bulk.large_writes():
            bulk.write_rows(
                Project,
                new,
                changed,
                action="import",
                actor=actor,
                comment=file_label,
                describe=lambda v: f"{v['code']} {v['name']}",
                update_columns=IMPORTED,
                repr_columns=("code", "name"),  # Project.__str__
                chunk=WRITE_CHUNK,
                progress=wrote,
            )
            _write_openings(openings, existing, report_rows, actor, today, file_label)
    result.batch = batch
    result.created = len(new)
    result.updated = len(changed)
    progress("done", total_rows, total_rows)
    return result


def _no_figure(project: dict) -> bool:
    """A stored project that was never given a completed investment."""
    return project["completed_year"] is None and not project["completed_ytd"]


def _write_openings(openings, existing, report_rows, actor, today, file_label) -> None:
    """The ledger's 累计完成投资 of projects without monthly reports, as their opening
    reports of this month (services.set_opening_figure, set-based): completed investment
    has one source, the reports. A project whose figure is unchanged keeps its opening
    report; a zero needs none unless one exists."""
    year, month = today.year, today.month
    actor_id = actor.pk  # None: the system
    inserts: list[dict] = []
    updates: list[tuple[dict, dict]] = []
    retired: list[int] = []
    for values in openings:
        figure = values["completed_ytd"]
        old = existing.get(values["code"])
        rows = report_rows.get(values["id"], []) if old is not None else []
        live = [r for r in rows if r["is_opening"] and r["deleted_at"] is None]
        unchanged = old is not None and (old["completed_ytd"], old["completed_year"]) == (
            figure,
            year,
        )
        if unchanged and (live or not figure):
            continue
        target = next((r for r in rows if (r["year"], r["month"]) == (year, month)), None)
        target = target or (live[0] if live else None)
        retired.extend(r["id"] for r in live if r is not target)
        new = {
            **(target or {"id": None, "progress": "", "difficulties": ""}),
            "project_id": values["id"],
            "year": year,
            "month": month,
            "completed_this_month": figure,
            "completed_ytd": figure,
            "reported_by_id": actor_id,
            "is_late": False,
            "is_opening": True,
            "deleted_at": None,
        }
        if target is None:
            if figure:
                inserts.append(new)
        elif new != target:
            updates.append((target, new))
    codes = {v["id"]: v["code"] for v in openings}

    def label(row):
        return f"{codes[row['project_id']]} {row['year']}-{row['month']:02d}"

    bulk.write_rows(
        MonthlyReport,
        inserts,
        updates,
        action="import",
        actor=actor,
        comment=file_label,
        describe=label,
        chunk=WRITE_CHUNK,
    )
    for report in MonthlyReport.objects.filter(pk__in=retired):
        report.delete(actor=actor)


def _reach_and_batch_errors(sheet, parsed, existing, reachable, batch_id, move):
    """Rows naming a project the importer may not write, or one of another batch (moving a
    project between batches must be asked for: `move`)."""
    errors = []
    code_column = sheet.headers["code"]
    elsewhere: list[tuple[int, str, int]] = []
    for row, data in parsed:
        old = existing.get(data["code"])
        if old is None:
            continue
        if old["id"] not in reachable:
            errors.append(
                CellError(
                    sheet.name, row, code_column, _("该项目编号已被其他地区使用"), data["code"]
                )
            )
        elif not move and old["deleted_at"] is None and old["batch_id"] != batch_id:
            elsewhere.append((row, data["code"], old["batch_id"]))
    if elsewhere:
        codes = dict(
            Batch.all_objects.filter(pk__in={b for _r, _c, b in elsewhere}).values_list(
                "pk", "code"
            )
        )
        for row, code, other in elsewhere:
            message = _(
                "该项目已属于批次 %s；如确要移入本批次，请勾选“移入本批次”（命令行加 --move）"
            ) % codes.get(other, other)
            errors.append(CellError(sheet.name, row, code_column, message, code))
    return errors


def _save_batch(batch, code, actor, ceremony_date, name, result) -> Batch:
    """Inside the import's transaction: create the new batch, or change the ceremony date
    of an existing one (audited, like any save), saying so in the result."""
    if batch is None:
        return save_batch(actor=actor, code=code, name=name, ceremony_date=ceremony_date)
    if ceremony_date and ceremony_date != batch.ceremony_date:
        before = batch.ceremony_date
        batch = save_batch(actor=actor, code=code, ceremony_date=ceremony_date)
        result.warnings.append(
            _("批次 %(code)s 的集中开工日期已由 %(before)s 改为 %(after)s")
            % {"code": code, "before": before or "（空）", "after": ceremony_date}
        )
    return batch
