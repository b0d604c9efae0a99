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
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, audit_sql, bulk
from xiaoneng.core.xlsx import CellError, ImportFailed, iter_chunks, read_sheet
from xiaoneng.projects.models import Batch, Industry, MonthlyReport, Project, Status
from xiaoneng.projects.parsing import BadValue, parse_date, parse_flag, parse_money, parse_text
from xiaoneng.projects.services import (
    CHUNK,
    Progress,
    _no_progress,
    can_manage,
    check_project,
    derive_status,
)
from xiaoneng.units.models import Level, Unit

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

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": self.warnings,
        }


def _name_keys(unit: Unit) -> set[str]:
    keys = {unit.name, unit.short_name, unit.former_name}
    for suffix in ("市", "州", "县", "区"):
        if unit.name.endswith(suffix) and len(unit.name) > 2:
            keys.add(unit.name[: -len(suffix)])
    return {k for k in keys if k}


class UnitLookup:
    """Prefectures by name (or short name, or former name); counties by name within one."""

    def __init__(self):
        self.prefectures: dict[str, Unit] = {}
        self.counties: dict[tuple[int, str], Unit] = {}
        units = list(Unit.objects.filter(level__in=[Level.PREFECTURE, Level.COUNTY]))
        for unit in units:
            if unit.level == Level.PREFECTURE:
                for key in _name_keys(unit):
                    self.prefectures.setdefault(key, unit)
        for unit in units:
            if unit.level == Level.COUNTY and unit.parent_id:
                for key in _name_keys(unit):
                    self.counties.setdefault((unit.parent_id, key), unit)
        # "红河哈尼族彝族自治州" is written "红河州"; add the first two characters + 州/市.
        for unit in units:
            if unit.level == Level.PREFECTURE and len(unit.name) > 3:
                self.prefectures.setdefault(unit.name[:2] + unit.name[-1], unit)

    def prefecture(self, text: str) -> Unit | None:
        return self.prefectures.get(text)

    def county(self, prefecture: Unit, text: str) -> Unit | None:
        return self.counties.get((prefecture.pk, text))

    def county_anywhere(self, text: str) -> Unit | None:
        for (_pid, key), unit in self.counties.items():
            if key == text:
                return unit
        return None


def industry_lookup() -> dict[str, Industry]:
    found = {}
    for industry in Industry.objects.all():
        found.setdefault(industry.name, industry)
        for alias in industry.alias_list():
            found.setdefault(alias, industry)
    return found


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


def _check_rows(sheet, units, industries, actor, progress: Progress = _no_progress):
    """Parse and validate every row: (parsed rows, errors). Pure Python, no queries."""
    errors: list[CellError] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    headers = sheet.headers
    name = sheet.name
    total = len(sheet.rows)
    # Dates typed as text repeat a lot in a ledger ("2022-03"): parse each text once.
    date_cache: dict[tuple[str, bool], dt.date] = {}

    for number, (row, values) in enumerate(sheet.rows, start=1):
        if number % CHECK_STEP == 0:
            progress("checking", number, total)
        bad: list[CellError] = []

        def err(fname, message, value=None, bad=bad, row=row):
            bad.append(CellError(name, row, headers.get(fname, fname), str(message), value))

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
                data[fname] = Decimal(repr(raw)).quantize(_CENT)
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
        prefecture = units.prefecture(pref_text) if pref_text else None
        if not pref_text:
            err("prefecture", _("州市不能为空"))
        elif prefecture is None:
            err("prefecture", _("没有这个州市"), pref_text)
        county = None
        county_text = str(values.get("county") or "").strip()
        if county_text and prefecture is not None:
            county = units.county(prefecture, county_text)
            if county is None:
                elsewhere = units.county_anywhere(county_text)
                if elsewhere is not None:
                    err(
                        "county",
                        _("该县市区不属于所填州市（属于%s）") % elsewhere.parent,
                        county_text,
                    )
                else:
                    err("county", _("没有这个县市区"), county_text)
        ind_text = str(values.get("industry") or "").strip()
        industry = industries.get(ind_text) if ind_text else None
        if not ind_text:
            err("industry", _("行业类别不能为空"))
        elif industry is None:
            err("industry", _("不在行业目录中（可在行业类别中添加别名）"), ind_text)
        data["prefecture"], data["county"], data["industry"] = prefecture, county, industry
        for fname, reason in check_project(data, actor=actor).items():
            err(fname, reason, values.get(fname))
        if data.get("in_stats_on") and data.get("in_stats") is None:
            data["in_stats"] = True
        if bad:
            errors.extend(bad)
        else:
            parsed.append((row, data))
    return parsed, errors


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
    Keywords: batch, actor, file_label="", progress=callable(stage, done, total), today.
    """
    with _gc_paused():
        return _import_projects(source, **kwargs)


def _import_projects(
    source,
    *,
    batch: Batch,
    actor,
    file_label: str = "",
    progress: Progress = _no_progress,
    today: dt.date | None = None,
) -> ImportResult:
    if not can_manage(actor):
        raise PermissionDenied(_("只有效能办或单位管理员可以导入项目台账。"))
    today = today or timezone.localdate()
    progress("reading", 0, 0)
    sheet = read_sheet(source, PROJECT_COLUMNS, required=REQUIRED_COLUMNS, file_label=file_label)
    total_rows = len(sheet.rows)
    progress("checking", 0, total_rows)
    parsed, errors = _check_rows(sheet, UnitLookup(), industry_lookup(), actor, progress)
    sheet.rows = []  # the parsed rows are all we need now (memory: ≈ 1 KB a row)
    headers = sheet.headers
    progress("checking", total_rows, total_rows)

    # Existing projects, by code, as plain dicts (no model instances, no snapshots).
    audited = audited_attnames(Project)
    existing: dict[str, dict] = {}
    known = bulk.ids_by(Project, "code", [d["code"] for _r, d in parsed])
    for chunk in iter_chunks(list(known.values()), CHUNK):
        for values in Project.all_objects.filter(pk__in=chunk).values(*audited):
            existing[values["code"]] = values
    with_reports: set[int] = set()
    reachable: set[int] = set()
    ids = [v["id"] for v in existing.values()]
    for chunk in iter_chunks(ids, CHUNK):
        with_reports.update(
            MonthlyReport.objects.filter(project_id__in=chunk)
            .values_list("project_id", flat=True)
            .distinct()
        )
        if actor is not None:
            reachable.update(
                Project.all_objects.visible_to(actor)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            )
    if actor is not None:
        for row, data in parsed:
            old = existing.get(data["code"])
            if old is not None and old["id"] not in reachable:
                errors.append(
                    CellError(
                        sheet.name,
                        row,
                        headers["code"],
                        _("该项目编号已被其他地区使用"),
                        data["code"],
                    )
                )
    if errors:
        progress("failed", total_rows, total_rows)
        raise ImportFailed(sorted(errors, key=lambda e: e.row), sheet.warnings)

    result = ImportResult(warnings=list(sheet.warnings))
    year = today.year
    has_completed = "completed_ytd" in headers
    new: list[dict] = []
    changed: list[tuple[dict, dict]] = []
    skipped_completed = 0
    for _row, data in parsed:
        old = existing.get(data["code"])
        values = dict(old) if old else {
            "id": None, "code": data["code"], "status": Status.NOT_STARTED,
            "completed_ytd": Decimal("0.00"), "completed_year": None, "last_report_month": None,
        }  # fmt: skip
        values.update(
            name=data["name"],
            batch_id=batch.pk,
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
    with transaction.atomic(), bulk.large_writes():
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
    result.created = len(new)
    result.updated = len(changed)
    progress("done", total_rows, total_rows)
    return result


def audited_attnames(model) -> list[str]:
    exclude = set(getattr(model, "audit_exclude", ()))
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude]
