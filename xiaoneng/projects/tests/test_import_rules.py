"""The ledger import's rules found missing by the audit: re-importing fewer columns, the
start and 入库 dates, month numbers, batches (created only by a successful import, moving
projects between them), the names people write for units, and readable error messages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.conftest import make_unit
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import services
from xiaoneng.projects.models import Batch, Project, Status
from xiaoneng.projects.parsing import BadValue, parse_date, parse_money
from xiaoneng.units.models import Level

from .conftest import HEADERS, ledger_row, xlsx

D = Decimal
TODAY = dt.date(2022, 9, 20)
FEW = ["项目编号", "项目名称", "州市", "县市区", "行业类别", "总投资(万元)"]


def _import(rows, headers=HEADERS, **kw):
    kw.setdefault("batch", Batch.objects.get(code="2022Q2"))
    kw.setdefault("actor", SYSTEM)
    kw.setdefault("today", TODAY)
    return services.import_projects(xlsx(headers, rows), **kw)


def _errors(rows, headers=HEADERS, **kw) -> list:
    with pytest.raises(ImportFailed) as info:
        _import(rows, headers, **kw)
    return info.value.errors


# --- 3. A column absent from the file leaves the field alone -------------------------------


def test_a_reimport_with_fewer_columns_keeps_the_other_fields(batch, county_a):
    full = ledger_row("P1", **{"年度计划投资(万元)": 600, "实际开工时间": dt.datetime(2022, 3, 15),
                               "是否入库": "是", "入库时间": "2022-04", "累计完成投资(万元)": 300})  # fmt: skip
    _import([full])
    before = Project.objects.get(code="P1")
    assert before.status == Status.IN_STATS and before.annual_plan == D("600")
    result = _import([["P1", "新名字", "昆明市", "西山区", "交通", 2000]], FEW)
    assert (result.updated, result.created) == (1, 0)
    after = Project.objects.get(code="P1")
    assert (after.name, after.total_investment) == ("新名字", D("2000.00"))
    for field in ("annual_plan", "planned_start", "actual_start", "in_stats", "in_stats_on",
                  "completed_ytd", "completed_year", "owner", "leader_in_charge", "status"):  # fmt: skip
        assert getattr(after, field) == getattr(before, field), field
    log = ChangeLog.objects.filter(action="import", object_id=after.pk).order_by("id").last()
    assert set(log.after) - {"updated_at"} >= {"name", "total_investment"}
    assert log.before["in_stats"] == log.after["in_stats"] is True


def test_a_reimport_without_the_county_column_keeps_the_county(batch, county_a):
    _import([ledger_row("P1")])
    _import(
        [["P1", "项目", "昆明市", "交通", 1000]],
        ["项目编号", "项目名称", "州市", "行业类别", "总投资"],
    )
    assert Project.objects.get(code="P1").county == county_a


def test_new_projects_of_a_short_ledger_get_the_defaults(batch, county_a):
    _import([["N1", "新项目", "昆明市", "西山区", "交通", 500]], FEW)
    project = Project.objects.get(code="N1")
    assert project.annual_plan == D("0") and project.actual_start is None
    assert not project.in_stats and project.status == Status.NOT_STARTED


def test_the_rules_hold_against_the_values_a_project_keeps(batch, county_a):
    _import([ledger_row("P1", **{"年度计划投资(万元)": 900})])
    errors = _errors([["P1", "项目", "昆明市", "西山区", "交通", 800]], FEW)  # total < annual
    assert [(e.row, e.column) for e in errors] == [(2, "年度计划投资(万元)")]
    assert "不能大于总投资" in errors[0].message and "文件中没有该列" in errors[0].message


# --- 4. Start and 入库 dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"是否入库": "是", "入库时间": "2022-05"}, "是否入库", "应填“实际开工时间”"),
        ({"是否入库": "是"}, "是否入库", "应填“实际开工时间”"),
        ({"是否入库": None, "入库时间": "2022-05"}, "是否入库", "应填“实际开工时间”"),  # ⇒ 入库
        ({"实际开工时间": "2022-09-21"}, "实际开工时间", "不能晚于今天"),
        ({"实际开工时间": "2022-06-10", "是否入库": "是", "入库时间": "2022-06-09"},
         "入库时间", "入库时间早于实际开工时间"),
        ({"实际开工时间": "2022-06-10", "是否入库": "是", "入库时间": "2022-05"},
         "入库时间", "入库时间早于实际开工时间"),
        ({"实际开工时间": "2022-06-10", "是否入库": "是", "入库时间": "2022-10"},
         "入库时间", "不能晚于今天"),
    ],
)  # fmt: skip
def test_it_refuses_impossible_dates_naming_the_column(batch, county_a, cells, column, reason):
    errors = _errors([ledger_row("D1", **cells)])
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert reason in errors[0].message
    assert not Project.objects.exists()


def test_it_accepts_the_dates_as_they_should_be(batch, county_a):
    rows = [
        ledger_row("D1", **{"实际开工时间": "2022-06-10", "是否入库": "是", "入库时间": "2022-06"}),
        ledger_row("D2", **{"实际开工时间": "2022-09-20"}),  # today
    ]
    assert _import(rows).created == 2
    assert Project.objects.get(code="D2").status == Status.STARTED


# --- 5. A month typed into a number cell -------------------------------------------------


def _number_cells(rows: list[list]) -> bytes:
    """A ledger whose date cells are numbers (xlsxwriter writes 2026.1 as the number)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def test_a_month_in_a_number_cell_is_refused_not_guessed(batch, county_a):
    rows = [
        ledger_row("M1", **{"计划开工时间": 2026.10}),
        ledger_row("M2", **{"计划开工时间": 2022.3}),
    ]
    with pytest.raises(ImportFailed) as info:
        services.import_projects(_number_cells(rows), batch=batch, actor=SYSTEM)
    errors = info.value.errors
    assert [(e.row, e.column) for e in errors] == [(2, "计划开工时间"), (3, "计划开工时间")]
    assert "2026-10" in errors[0].message and "日期单元格" in errors[0].message
    assert errors[0].value == 2026.1  # as Excel stores it
    with pytest.raises(BadValue):
        parse_date(2026.1)
    assert parse_date("2026.10") == dt.date(2026, 10, 1)  # as text it is unambiguous
    assert parse_date(202610.0) == dt.date(2026, 10, 1)


# --- 6. Batches: created only by a successful import; moving projects is asked for ------------


def test_a_failed_import_creates_no_batch(tmp_path, county_a, batch):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(HEADERS, [ledger_row("C1", county="火星区")]))
    with pytest.raises(CommandError):
        call_command("import", "projects", str(bad), "--batch", "2023Q1", no_progress=True)
    assert not Batch.all_objects.filter(code="2023Q1").exists()
    with pytest.raises(ImportFailed):
        services.import_projects(xlsx(HEADERS, [ledger_row("C1", county="火星区")]),
                                 batch="2023Q1", actor=SYSTEM)  # fmt: skip
    assert not Batch.all_objects.filter(code="2023Q1").exists()
    result = services.import_projects(xlsx(HEADERS, [ledger_row("C1")]), batch="2023Q1",
                                      actor=SYSTEM, ceremony_date=dt.date(2023, 3, 8))  # fmt: skip
    assert result.batch.code == "2023Q1" and result.batch.ceremony_date == dt.date(2023, 3, 8)
    assert Project.objects.get(code="C1").batch == result.batch
    # A batch the import creates is named after its code.
    assert result.batch.name == "2023年第一季度集中开工"
    assert ChangeLog.objects.filter(object_repr="2023年第一季度集中开工", action="create").exists()


def test_moving_a_project_to_another_batch_must_be_asked_for(tmp_path, batch, county_a, capsys):
    _import([ledger_row("P1"), ledger_row("P2")])
    other = tmp_path / "aud2.xlsx"
    other.write_bytes(xlsx(HEADERS, [ledger_row("P1"), ledger_row("P3")]))
    with pytest.raises(CommandError):
        call_command("import", "projects", str(other), "--batch", "AUD2", no_progress=True)
    assert "该项目已属于批次 2022Q2" in capsys.readouterr().err
    assert set(Project.objects.filter(batch=batch).values_list("code", flat=True)) == {"P1", "P2"}
    assert not Batch.objects.filter(code="AUD2").exists()
    call_command("import", "projects", str(other), "--batch", "AUD2", "--move", no_progress=True)
    assert Project.objects.get(code="P1").batch.code == "AUD2"
    assert Project.objects.get(code="P2").batch == batch


def test_a_deleted_project_may_come_back_in_another_batch(batch, county_a):
    _import([ledger_row("P1")])
    Project.objects.get(code="P1").delete(actor=SYSTEM)
    _import([ledger_row("P1")], batch="2022Q3", ceremony_date=dt.date(2022, 9, 8))
    assert Project.objects.get(code="P1").batch.code == "2022Q3"


def test_only_the_province_creates_a_batch_by_importing(batch, county_a, admin_a):
    with pytest.raises(PermissionDenied, match="省效能办"):
        _import([ledger_row("P1")], batch="2023Q1", actor=admin_a)
    with pytest.raises(PermissionDenied, match="省效能办"):
        _import([ledger_row("P1")], actor=admin_a, ceremony_date=dt.date(2022, 6, 9))
    assert _import([ledger_row("P1")], actor=admin_a).created == 1  # an existing batch


# --- 8. Prefectures and counties by the names people write --------------------------------


@pytest.fixture
def yunnan_names(province, prefecture):
    banna = make_unit("532800", "西双版纳傣族自治州", Level.PREFECTURE, province)
    make_unit("532801", "景洪市", Level.COUNTY, banna)
    dali = make_unit("532900", "大理白族自治州", Level.PREFECTURE, province)
    make_unit("532922", "漾濞彝族自治县", Level.COUNTY, dali)
    make_unit("530126", "石林彝族自治县", Level.COUNTY, prefecture)
    return banna, dali


@pytest.mark.parametrize(
    ("pref", "county", "expected"),
    [
        ("西双版纳州", "景洪市", "景洪市"),
        ("版纳", "景洪", "景洪市"),
        ("昆明市", "石林县", "石林彝族自治县"),
        ("昆明", "石林", "石林彝族自治县"),
        ("大理州", "漾濞县", "漾濞彝族自治县"),
        ("大理白族自治州", "漾濞彝族自治县", "漾濞彝族自治县"),
    ],
)
def test_it_reads_the_common_names_of_units(batch, yunnan_names, pref, county, expected):
    _import([ledger_row("U1", prefecture=pref, county=county)])
    assert Project.objects.get(code="U1").county.name == expected


def test_an_ambiguous_name_is_refused_with_both_units(batch, yunnan_names, prefecture):
    make_unit("530199", "石林区", Level.COUNTY, prefecture)  # (made up: two 石林)
    errors = _errors([ledger_row("U1", county="石林"), ledger_row("U2", county="石林县")])
    assert [(e.row, e.column) for e in errors] == [(2, "县市区")]
    assert "石林彝族自治县" in errors[0].message and "石林区" in errors[0].message


# --- 9. The ceremony date on the command line ------------------------------------------------


@pytest.mark.parametrize("text", ["2022/6/8", "2022-06-08", "2022年6月8日", "2022.6.8"])
def test_the_ceremony_date_takes_the_ledgers_date_forms(tmp_path, county_a, text):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(HEADERS, [ledger_row("C1")]))
    call_command("import", "projects", str(good), "--batch", "2022Q2", "--ceremony-date", text,
                 no_progress=True)  # fmt: skip
    assert Batch.objects.get(code="2022Q2").ceremony_date == dt.date(2022, 6, 8)


def test_a_bad_ceremony_date_is_a_clean_error(tmp_path, county_a):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(HEADERS, [ledger_row("C1")]))
    with pytest.raises(CommandError, match="--ceremony-date 6月8号"):
        call_command("import", "projects", str(good), "--batch", "2022Q2",
                     "--ceremony-date", "6月8号")  # fmt: skip
    assert not Batch.objects.exists()


def test_the_ceremony_date_of_an_existing_batch_is_changed_and_said(
    tmp_path, batch, county_a, capsys
):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(HEADERS, [ledger_row("C1")]))
    call_command("import", "projects", str(good), "--batch", "2022Q2", "--ceremony-date",
                 "2022/6/18", no_progress=True)  # fmt: skip
    batch.refresh_from_db()
    assert batch.ceremony_date == dt.date(2022, 6, 18)
    assert "集中开工日期已由 2022-06-08 改为 2022-06-18" in capsys.readouterr().err
    log = ChangeLog.objects.filter(
        content_type__model="batch", object_id=batch.pk, action="update"
    ).get()
    assert log.before["ceremony_date"] == "2022-06-08"
    assert log.after["ceremony_date"] == "2022-06-18"


# --- Error messages as people read them -------------------------------------------------------


def test_a_ledger_with_headers_only_has_no_data_rows(tmp_path, county_a, capsys):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(xlsx(HEADERS, []))
    with pytest.raises(CommandError) as info:
        call_command("import", "projects", str(empty), "--batch", "2022Q2", no_progress=True)
    assert info.value.returncode == 1
    assert "没有数据行" in capsys.readouterr().err
    assert not Batch.objects.exists()


def test_file_errors_name_no_row_and_no_library_text(tmp_path, county_a, capsys):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("import", "projects", str(junk), "--batch", "2022Q2", no_progress=True)
    err = capsys.readouterr().err
    # Nothing but this line: no "第 0 行", no text of the spreadsheet library.
    assert err.splitlines()[-1].strip() == "文件“junk.xlsx”：无法读取该文件，请上传 .xlsx 文件"


def test_values_are_shown_as_typed(batch, county_a):
    errors = _errors([ledger_row("V1", **{"年度计划投资(万元)": 2000, "实际开工时间": "2022-13"})])
    shown = {e.column: e.value for e in errors}
    assert shown == {"年度计划投资(万元)": 2000, "实际开工时间": "2022-13"}
    plan = next(e for e in errors if e.column == "年度计划投资(万元)")
    assert "（值：2000）" in str(plan) and "2000.0" not in str(plan)


def test_money_with_more_than_two_decimals_is_refused(batch, county_a):
    errors = _errors([ledger_row("V1", **{"总投资(万元)": 1000.005}),
                      ledger_row("V2", **{"年度计划投资(万元)": "12.345"})])  # fmt: skip
    assert [(e.row, e.column) for e in errors] == [(2, "总投资(万元)"), (3, "年度计划投资(万元)")]
    assert all("最多两位小数" in e.message for e in errors)
    assert parse_money(0.1 + 0.2) == D("0.30")  # a formula's binary noise is not a decimal
    assert parse_money("1,234.50") == D("1234.50")


def test_a_county_of_two_other_prefectures_is_named_with_both(batch, yunnan_names, province):
    from xiaoneng.units.models import Unit

    banna, dali = yunnan_names
    make_unit("532802", "城关区", Level.COUNTY, banna)
    make_unit("532902", "城关区", Level.COUNTY, dali)
    errors = _errors([ledger_row("U1", county="城关区")])  # 昆明市 has none
    assert "不属于所填州市" in errors[0].message
    assert (
        "西双版纳傣族自治州城关区" in errors[0].message
        and "大理白族自治州城关区" in errors[0].message
    )
    assert Unit.objects.filter(name="城关区").count() == 2
