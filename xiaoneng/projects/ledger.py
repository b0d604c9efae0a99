"""The ledger (台账) import: `xiaoneng import projects FILE.xlsx --batch 2022Q2` and the web
import. Headers in any order, every error collected with its row, column, value and reason,
all or nothing, re-import updates by code; written set-based (`core.bulk`) in chunks that
report their progress, with change-log rows the database builds from the new rows
(`core.audit_sql.log_inserted`) or, for updated rows, from the old and new values
(`core.audit.log_rows`).
"""

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, audit_sql, bulk
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, iter_chunks
from xiaoneng.projects.industries import AmbiguousIndustry, IndustryIndex
from xiaoneng.projects.models import Batch, MonthlyReport, Project, Status
from xiaoneng.projects.parsing import (
    BadValue,
    parse_date,
    parse_flag,
    parse_money,
    parse_text,
    read_ledger,
    shown,
)
from xiaoneng.projects.services import (
    CHUNK,
    Progress,
    _no_progress,
    can_manage,
    check_project,
    derive_status,
    is_province_supervisor,
    save_batch,
)
from xiaoneng.units.models import Level, Unit
from xiaoneng.units.names import AmbiguousName, NameIndex

PROJECT_COLUMNS = {
    "code": ["项目编号", "项目代码", "编号"],
    "name": ["项目名称", "名称"],
    "prefecture": ["州市", "州(市)", "所属州市"],
    "county": ["县市区", "县(市、区)", "县(市区)", "所属县市区"],
    "industry": ["行业类别", "行业", "所属行业"],
    "total_investment": ["总投资(万元)", "总投资"],
    "annual_plan": ["年度计划投资(万元)", "年度计划投资", "年度计划"],
    "planned_start": ["计划开工时间", "计划开工月份", "计划开工"],
    "actual_start": ["实际开工时间", "实际开工日期", "开工时间"],
    "in_stats": ["是否入库", "入库"],
    "in_stats_on": ["入库时间", "入库日期"],
    "completed_ytd": ["累计完成投资(万元)", "累计完成投资", "本年累计完成投资(万元)"],
    "owner": ["项目业主", "业主单位", "业主"],
    "leader_in_charge": ["包保领导", "包保责任领导"],
    "private_investment": ["是否民间投资", "民间投资"],
    "top_priority": ["是否重中之重", "重中之重"],
}
REQUIRED_COLUMNS = ["code", "name", "prefecture", "industry", "total_investment"]
TEMPLATE_HEADERS = [
    "项目编号", "项目名称", "州市", "县市区", "行业类别", "总投资(万元)", "年度计划投资(万元)",
    "计划开工时间", "实际开工时间", "是否入库", "入库时间", "累计完成投资(万元)", "项目业主",
    "包保领导", "是否民间投资", "是否重中之重",
]  # fmt: skip
TEMPLATE_NOTES = [
    "必填，唯一；再次导入时按编号更新", "必填", "必填，如 昆明市 或 昆明", "可空（州市本级项目）",
    "必填，行业名称或别名，如 交通、旅游业", "必填，万元", "万元，不大于总投资",
    "如 2022-03、2022年3月", "如 2022-03-15、2022/3/15 或日期单元格", "是/否", "如 2022-04",
    "万元，已有月报的项目以月报为准", "", "", "是/否", "是/否",
]  # fmt: skip
UPDATED_FIELDS = [
    "name", "batch", "prefecture", "county", "industry", "total_investment", "annual_plan",
    "planned_start", "actual_start", "in_stats", "in_stats_on", "owner", "leader_in_charge",
    "private_investment", "top_priority", "status", "completed_ytd", "completed_year",
]  # fmt: skip


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
    raises `AmbiguousName` (never a guess). Only the units the actor may see (None: the
    system, all): a unit outside the scope is answered as one that does not exist."""

    def __init__(self, actor=None):
        units = Unit.objects.all() if actor is None else Unit.objects.visible_to(actor)
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


_TEXT_FIELDS = (("code", 40), ("name", 200), ("owner", 200), ("leader_in_charge", 100))
_MONEY_FIELDS = ("total_investment", "annual_plan", "completed_ytd")
_FLAG_FIELDS = ("in_stats", "private_investment", "top_priority")
_DATE_FIELDS = (("planned_start", True), ("actual_start", False), ("in_stats_on", False))
_FLAGS = {"是": True, "否": False}
CHECK_STEP = 5000  # rows between two progress reports while checking
WRITE_CHUNK = 5000  # rows per write step (each step reports its progress)
_CENT = Decimal("0.01")
# attnames the ledger sets on a project (re-import compares and updates these)
IMPORTED = [
    "name", "batch_id", "prefecture_id", "county_id", "industry_id", "total_investment",
    "annual_plan", "planned_start", "actual_start", "in_stats", "in_stats_on", "owner",
    "leader_in_charge", "private_investment", "top_priority", "status", "completed_ytd",
    "completed_year", "deleted_at",
]  # fmt: skip


# Optional columns: absent from a file, they keep an existing project's value (attname in
# the stored row → the field of the parsed row); a new project gets the default.
KEPT_WHEN_ABSENT = [
    "county", "annual_plan", "planned_start", "actual_start", "in_stats", "in_stats_on",
    "completed_ytd", "owner", "leader_in_charge", "private_investment", "top_priority",
]  # fmt: skip


def column_label(headers: dict, fname: str) -> str:
    """The column as the file names it, or its template name when the file has none."""
    return headers.get(fname) or PROJECT_COLUMNS[fname][0]


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

    `existing` holds the stored projects by code: a column the file does not have keeps
    their value, and the rules are checked on the values the project will have.
    """
    errors: list[CellError] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    headers = sheet.headers
    name = sheet.name
    total = len(sheet.rows)
    existing = existing or {}
    today = today or timezone.localdate()
    absent = [f for f in KEPT_WHEN_ABSENT if f not in headers]
    # Dates typed as text repeat a lot in a ledger ("2022-03"): parse each text once.
    date_cache: dict[tuple[str, bool], dt.date] = {}

    for number, (row, values) in enumerate(sheet.rows, start=1):
        if number % CHECK_STEP == 0:
            progress("checking", number, total)
        bad: list[CellError] = []

        def err(fname, message, value=None, bad=bad, row=row):
            label = column_label(headers, fname)
            bad.append(CellError(name, row, label, str(message), shown(value)))

        data: dict = {}
        # Fast paths for the cell types a ledger normally holds; anything else goes through
        # the parse functions, which say what is wrong.
        for fname, limit in _TEXT_FIELDS:
            raw = values.get(fname)
            if type(raw) is str and len(raw) <= limit:
                data[fname] = raw
                continue
            try:
                data[fname] = parse_text(raw, limit)
            except BadValue as exc:
                err(fname, exc, raw)
        for fname in _MONEY_FIELDS:
            raw = values.get(fname)
            if type(raw) is float and 0 <= raw < 1e13:
                amount = Decimal(repr(raw))
                cents = amount.quantize(_CENT)
                if cents == amount:
                    data[fname] = cents
                    continue
            try:
                data[fname] = parse_money(raw)
            except BadValue as exc:
                err(fname, exc, raw)
                data[fname] = None
        for fname in _FLAG_FIELDS:
            raw = values.get(fname)
            flag = _FLAGS.get(raw) if type(raw) is str else None
            if flag is not None:
                data[fname] = flag
                continue
            try:
                data[fname] = parse_flag(raw)
            except BadValue as exc:
                err(fname, exc, raw)
        for fname, month_only in _DATE_FIELDS:
            raw = values.get(fname)
            kind = type(raw)
            if raw is None:
                data[fname] = None
                continue
            if kind is dt.date or kind is dt.datetime:
                day = raw.date() if kind is dt.datetime else raw
                data[fname] = day.replace(day=1) if month_only else day
                continue
            if kind is str:
                known = date_cache.get((raw, month_only))
                if known is not None:
                    data[fname] = known
                    continue
            try:
                data[fname] = parse_date(raw, month_only=month_only)
            except BadValue as exc:
                err(fname, exc, raw)
                data[fname] = None
            else:
                if kind is str and data[fname] is not None:
                    date_cache[(raw, month_only)] = data[fname]
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
        if values.get("total_investment") is None:
            err("total_investment", _("总投资不能为空"))
        pref_text = str(values.get("prefecture") or "").strip()
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
        county_text = str(values.get("county") or "").strip()
        if county_text and prefecture is not None:
            try:
                county = units.county(prefecture, county_text)
            except AmbiguousName as exc:
                err("county", exc, county_text)
            else:
                if county is None:
                    err("county", _county_elsewhere(units, county_text), county_text)
        ind_text = str(values.get("industry") or "").strip()
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
            err(fname, reason, values.get(fname))
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
    if found is None and not is_province_supervisor(actor):
        raise PermissionDenied(_("没有批次 %s；新批次只能由省效能办建立。") % code)
    if (
        found is not None
        and ceremony_date
        and ceremony_date != found.ceremony_date
        and not is_province_supervisor(actor)
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
    if not can_manage(actor):
        raise PermissionDenied(_("只有效能办或单位管理员可以导入项目台账。"))
    batch_code, batch = _resolve_batch(batch, actor, ceremony_date)
    batch_id = batch.pk if batch is not None else None
    today = today or timezone.localdate()
    progress("reading", 0, 0)
    sheet = read_ledger(
        source,
        PROJECT_COLUMNS,
        required=REQUIRED_COLUMNS,
        file_label=file_label,
        # The parse runs in a child process; the job shows it is alive meanwhile.
        heartbeat=lambda: progress("reading", 0, 0),
    )
    total_rows = len(sheet.rows)
    headers = sheet.headers

    # Existing projects, by code, as plain dicts (no model instances, no snapshots): the
    # checks need them for the columns a file leaves out.
    audited = audited_attnames(Project)
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
    report_attnames = audited_attnames(MonthlyReport)
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
        if actor is not None:
            reachable.update(
                Project.all_objects.visible_to(actor)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            )
    errors.extend(
        _reach_and_batch_errors(sheet, parsed, existing, reachable, actor, batch_id, move)
    )
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
        if has_completed and data["completed_ytd"] is not None:
            # 最多报一次: once monthly reports exist they are the source of the figure.
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
    _now, now_param = bulk.now_param()
    insert_cols = [c for c in audited if c != "id"]
    insert_values = itemgetter(*insert_cols)
    update_cols = [*IMPORTED, "updated_at"]
    update_values = itemgetter(*IMPORTED)
    written = 0
    with transaction.atomic():
        batch = _save_batch(batch, batch_code, actor, ceremony_date, batch_name, result)
        if batch_id is None:
            for values in new:
                values["batch_id"] = batch.pk
            for _old, values in changed:
                values["batch_id"] = batch.pk
        with bulk.large_writes():
            for chunk in iter_chunks(new, WRITE_CHUNK):
                ids = bulk.insert_rows(
                    Project,
                    [*insert_cols, "created_at", "updated_at"],
                    [(*insert_values(v), now_param, now_param) for v in chunk],
                    return_ids=True,
                )
                audit_sql.log_inserted(
                    Project, ids, "import", repr_columns=("code", "name"), comment=file_label
                )
                for values, pk in zip(chunk, ids, strict=True):
                    values["id"] = pk
                written += len(chunk)
                progress("writing", written, to_write)
            for chunk in iter_chunks(changed, WRITE_CHUNK):
                bulk.update_rows(
                    Project,
                    update_cols,
                    [(*update_values(v), now_param, v["id"]) for _o, v in chunk],
                )
                audit.log_rows(
                    Project,
                    ((v["id"], f"{v['code']} {v['name']}", o, v) for o, v in chunk),
                    "import",
                    comment=file_label,
                )
                written += len(chunk)
                progress("writing", written, to_write)
            _write_openings(openings, existing, report_rows, actor, today, file_label)
    result.batch = batch
    result.created = len(new)
    result.updated = len(changed)
    progress("done", total_rows, total_rows)
    return result


def _write_openings(openings, existing, report_rows, actor, today, file_label) -> None:
    """The ledger's 累计完成投资 of projects without monthly reports, as their opening
    reports of this month (services.set_opening_figure, set-based): completed investment
    has one source, the reports. A project whose figure is unchanged keeps its opening
    report; a zero needs none unless one exists."""
    year, month = today.year, today.month
    actor_id = actor.pk if actor is not None else None
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

    _now, now_param = bulk.now_param()
    columns = [c for c in audited_attnames(MonthlyReport) if c != "id"]
    for chunk in iter_chunks(inserts, WRITE_CHUNK):
        ids = bulk.insert_rows(
            MonthlyReport,
            [*columns, "created_at", "updated_at"],
            [(*(r[c] for c in columns), now_param, now_param) for r in chunk],
            return_ids=True,
        )
        for row, pk in zip(chunk, ids, strict=True):
            row["id"] = pk
        audit.log_rows(
            MonthlyReport, ((r["id"], label(r), None, r) for r in chunk), "import",
            comment=file_label,
        )  # fmt: skip
    for chunk in iter_chunks(updates, WRITE_CHUNK):
        bulk.update_rows(
            MonthlyReport,
            [*columns, "updated_at"],
            [(*(n[c] for c in columns), now_param, n["id"]) for _o, n in chunk],
        )
        audit.log_rows(
            MonthlyReport, ((n["id"], label(n), o, n) for o, n in chunk), "import",
            comment=file_label,
        )  # fmt: skip
    for report in MonthlyReport.objects.filter(pk__in=retired):
        report.delete()


def _reach_and_batch_errors(sheet, parsed, existing, reachable, actor, batch_id, move):
    """Rows naming a project the importer may not write, or one of another batch (moving a
    project between batches must be asked for: `move`)."""
    errors = []
    code_column = sheet.headers["code"]
    elsewhere: list[tuple[int, str, int]] = []
    for row, data in parsed:
        old = existing.get(data["code"])
        if old is None:
            continue
        if actor is not None and old["id"] not in reachable:
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


def audited_attnames(model) -> list[str]:
    exclude = set(getattr(model, "audit_exclude", ()))
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude]
