"""The ledger import: headers in any order, every date form, all-or-nothing, updates by code."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import services
from xiaoneng.projects.models import Project, Status
from xiaoneng.projects.parsing import BadValue, parse_date, parse_flag

from .conftest import HEADERS, ledger_row, xlsx


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-03", dt.date(2022, 3, 1)),
        ("2022-03-15", dt.date(2022, 3, 15)),
        ("2022/3/15", dt.date(2022, 3, 15)),
        ("2022年3月", dt.date(2022, 3, 1)),
        ("2022年3月15日", dt.date(2022, 3, 15)),
        (dt.datetime(2022, 3, 15, 0, 0), dt.date(2022, 3, 15)),
        (dt.date(2022, 3, 15), dt.date(2022, 3, 15)),
        (None, None),
    ],
)
def test_it_reads_every_date_form(value, expected):
    assert parse_date(value) == expected


def test_it_reads_the_planned_month_as_its_first_day():
    assert parse_date("2022/3/15", month_only=True) == dt.date(2022, 3, 1)


@pytest.mark.parametrize("value", ["2022-13", "2022-02-30", "三月", "2022.3.15.1"])
def test_it_refuses_bad_dates(value):
    with pytest.raises(BadValue):
        parse_date(value)


def test_it_reads_flags():
    assert parse_flag("是") is True
    assert parse_flag("否") is False
    assert parse_flag(None) is None
    with pytest.raises(BadValue):
        parse_flag("可能")


def _ledger(rows, headers=HEADERS):
    return xlsx(headers, rows)


def test_it_imports_excel_date_cells_and_text_dates(batch, county_a):
    content = _ledger(
        [
            ledger_row("P1", **{"计划开工时间": "2022年3月", "实际开工时间": dt.datetime(2022, 3, 15)}),
            ledger_row("P2", **{"计划开工时间": "2022/4/15", "实际开工时间": "2022-05-02",
                               "是否入库": "是", "入库时间": "2022-06"}),
        ]
    )  # fmt: skip
    result = services.import_projects(content, batch=batch, actor=SYSTEM)
    assert result.created == 2
    p1, p2 = Project.objects.order_by("code")
    assert p1.planned_start == dt.date(2022, 3, 1)
    assert p1.actual_start == dt.date(2022, 3, 15)
    assert p1.status == Status.STARTED
    assert p1.county == county_a and p1.prefecture == county_a.parent
    assert p2.planned_start == dt.date(2022, 4, 1)
    assert p2.in_stats and p2.in_stats_on == dt.date(2022, 6, 1)
    assert p2.status == Status.IN_STATS
    assert ChangeLog.objects.filter(action="import").count() == 2


def test_it_reads_headers_in_any_order_and_ignores_unknown_columns(batch, county_a):
    headers = ["备注", "总投资(万元)", "项目名称", "项目编号", "行业类别", "州市"]
    content = xlsx(headers, [["随便", 2000, "昆明环线", "P9", "旅游业", "昆明"]])
    result = services.import_projects(content, batch=batch, actor=SYSTEM)
    assert result.created == 1
    assert any("备注" in w for w in result.warnings)
    project = Project.objects.get(code="P9")
    assert project.industry.name == "文化旅游"  # by its alias 旅游业
    assert project.county is None


def test_it_writes_nothing_when_some_rows_are_bad_and_names_exactly_those_rows(
    batch, county_a, county_b
):
    rows = [
        ledger_row("OK1"),
        ledger_row("BAD3", **{"年度计划投资(万元)": 2000}),  # annual plan > total
        ledger_row("OK4"),
        ledger_row("BAD5", county="不存在区"),
        ledger_row("BAD6", **{"计划开工时间": "明年"}),
        ledger_row("BAD7", **{"是否入库": "也许"}),
        ledger_row("BAD8", **{"累计完成投资(万元)": 1500}),  # completed > total
        ledger_row("OK4"),  # duplicate code
    ]
    with pytest.raises(ImportFailed) as info:
        services.import_projects(_ledger(rows), batch=batch, actor=SYSTEM, file_label="t.xlsx")
    errors = info.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (3, "年度计划投资(万元)"),
        (5, "县市区"),
        (6, "计划开工时间"),
        (7, "是否入库"),
        (8, "累计完成投资(万元)"),
        (9, "项目编号"),
    ]
    assert errors[0].value == 2000
    assert "不能大于总投资" in errors[0].message
    assert "第 5 行" in str(errors[1]) and "不存在区" in str(errors[1])
    assert Project.all_objects.count() == 0
    assert not ChangeLog.objects.filter(action="import").exists()


def test_it_refuses_a_county_of_another_prefecture(batch, county_a, province):
    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Level

    qujing = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    make_unit("530302", "麒麟区", Level.COUNTY, qujing)
    with pytest.raises(ImportFailed) as info:
        services.import_projects(
            _ledger([ledger_row("X", county="麒麟区")]), batch=batch, actor=SYSTEM
        )
    assert info.value.errors[0].row == 2
    assert "不属于所填州市" in info.value.errors[0].message


def test_it_updates_by_code_on_reimport(batch, county_a):
    services.import_projects(
        _ledger([ledger_row("P1"), ledger_row("P2")]), batch=batch, actor=SYSTEM
    )
    first = Project.objects.get(code="P1")
    rows = [
        ledger_row("P1", name="改名了", **{"总投资(万元)": 3000}),
        ledger_row("P2"),
        ledger_row("P3"),
    ]
    result = services.import_projects(_ledger(rows), batch=batch, actor=SYSTEM)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    project = Project.objects.get(code="P1")
    assert project.pk == first.pk
    assert project.name == "改名了" and project.total_investment == Decimal("3000.00")
    log = ChangeLog.objects.filter(action="import", object_id=project.pk).order_by("id").last()
    assert log.before["name"] == "项目" and log.after["name"] == "改名了"
    assert Project.objects.count() == 3


def test_it_keeps_an_importer_within_their_subtree(batch, county_a, county_b, handler_b):
    from xiaoneng.conftest import make_user

    admin_b = make_user("wh_admin", county_b, "unit_admin")
    with pytest.raises(ImportFailed) as info:
        services.import_projects(_ledger([ledger_row("P1")]), batch=batch, actor=admin_b)
    # A county outside the importer's subtree reads as one that does not exist (issue 10).
    assert info.value.errors[0].message == "没有这个县市区"
    with pytest.raises(PermissionDenied):
        services.import_projects(
            _ledger([ledger_row("P1", county="五华区")]), batch=batch, actor=handler_b
        )


def test_the_command_imports_and_exits_non_zero_on_errors(tmp_path, county_a, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(_ledger([ledger_row("C1"), ledger_row("C2")]))
    call_command("import", "projects", str(good), "--batch", "2022Q2")
    assert Project.objects.filter(batch__code="2022Q2").count() == 2
    err = capsys.readouterr().err
    assert "\r" in err and "100%" in err  # the progress bar redraws in place
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_ledger([ledger_row("C3", county="火星区")]))
    with pytest.raises(CommandError):
        call_command("import", "projects", str(bad), "--batch", "2022Q2")
    assert "第 2 行" in capsys.readouterr().err
    assert not Project.objects.filter(code="C3").exists()


def test_the_model_enforces_the_same_rules(make_project, county_a, province):
    from django.core.exceptions import ValidationError

    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Level

    other = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    project = make_project("M1", county=county_a)
    project.annual_plan = Decimal("5000")  # > total 1000
    project.prefecture = other  # 西山区 is not in 曲靖市
    with pytest.raises(ValidationError) as info:
        project.full_clean()
    assert set(info.value.message_dict) == {"annual_plan", "county"}
