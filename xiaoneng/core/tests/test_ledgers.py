"""One declaration per ledger: template, header matching, parsing, export, form errors."""

import datetime as dt
import io

import openpyxl
import pytest
from django import forms

from xiaoneng.core.ledgers import CellField, Column, Ledger, choice, shown, text
from xiaoneng.core.xlsx import read_sheet

LEDGER = Ledger(
    "测试台账",
    [
        Column("code", "编号", note="留空为新增", updatable=False, parse=text(8)),
        Column("title", "标题", aliases=("事项名称",), required=True, parse=text(10)),
        Column("urgency", "紧急程度", parse=choice([("normal", "一般"), ("urgent", "紧急")])),
        Column("days", "工作日", export=lambda row: row["days"] * 1),
    ],
)


def test_the_template_has_the_headers_and_their_notes():
    book = openpyxl.load_workbook(io.BytesIO(LEDGER.template()))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["编号", "标题", "紧急程度", "工作日"]
    assert sheet["A1"].comment.text == "留空为新增"
    assert sheet["B1"].comment is None


def test_an_export_reads_back_under_any_declared_header():
    rows = [{"code": "A1", "title": "修路", "urgency": "紧急", "days": 5}]
    sheet = read_sheet(
        io.BytesIO(LEDGER.export(rows)), LEDGER.headers_by_key(), required=LEDGER.required()
    )
    assert sheet.rows == [(2, {"code": "A1", "title": "修路", "urgency": "紧急", "days": 5})]
    values, errors = LEDGER.parse_row(sheet, 2, sheet.rows[0][1])
    assert errors == []
    assert values == {"code": "A1", "title": "修路", "urgency": "urgent", "days": 5}


def test_every_bad_cell_is_named_with_its_row_header_and_value():
    book = openpyxl.Workbook()
    book.active.append(["事项名称", "紧急程度"])
    book.active.append(["一个超过十个字的很长很长的标题", "很急"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    sheet = read_sheet(buffer, LEDGER.headers_by_key(), required=LEDGER.required())
    values, errors = LEDGER.parse_row(sheet, 2, sheet.rows[0][1])
    assert values == {}
    assert [str(e) for e in errors] == [
        "工作表“Sheet”第 2 行“事项名称”列（值：一个超过十个字的很长很长的标题）："
        "不能超过 10 个字（现有 15 个）",
        "工作表“Sheet”第 2 行“紧急程度”列（值：很急）：应为：一般、紧急",
    ]


def test_the_web_forms_refusals_land_under_their_columns():
    class Form(forms.Form):
        title = forms.CharField(max_length=4)

        def clean(self):
            raise forms.ValidationError("整行不对")

    sheet = read_sheet(
        io.BytesIO(LEDGER.export([{"code": "", "title": "太长的标题", "urgency": "", "days": 1}])),
        LEDGER.headers_by_key(),
    )
    form = Form(data={"title": "太长的标题"})
    assert not form.is_valid()
    errors = LEDGER.form_errors(form, sheet, 2)
    assert [(e.column, e.message) for e in errors] == [
        ("标题", "内容过长：最多 4 个字符（现有 5 个）"),
        ("", "整行不对"),
    ]


def test_a_column_is_declared_once():
    with pytest.raises(ValueError, match="twice"):
        Ledger("x", [Column("a", "甲"), Column("a", "乙")])


# --- Export-only columns, the edit form, shown values --------------------------------------


def _day(value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("日期应写成 2022-03-15") from None


WITH_FACTS = Ledger(
    "带派生列",
    [
        Column("code", "编号", required=True, parse=text(8), note="必填"),
        Column("state", "状态", imported=False, export=lambda row: "已办结"),
        Column("title", "标题", parse=text(10), note="十字以内"),
        Column(
            "done", "完成", parse=choice([("y", "是"), ("n", "否")]),
            field=lambda **kwargs: forms.BooleanField(**kwargs),
        ),
        Column("day", "日期", parse=_day),
    ],
)  # fmt: skip


def test_an_export_only_column_is_in_the_export_and_nowhere_else():
    book = openpyxl.load_workbook(io.BytesIO(WITH_FACTS.template()))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["编号", "标题", "完成", "日期"]
    assert (sheet["A1"].comment.text, sheet["B1"].comment.text) == ("必填", "十字以内")
    assert "state" not in WITH_FACTS.headers_by_key()
    assert WITH_FACTS.required() == ["code"]
    assert WITH_FACTS.updatable() == ["code", "title", "done", "day"]
    assert WITH_FACTS.optional() == ["title", "done", "day"]
    exported = WITH_FACTS.export([{"code": "A1", "title": "修路", "done": "是", "day": None}])
    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows == [("编号", "状态", "标题", "完成", "日期"), ("A1", "已办结", "修路", "是", None)]
    sheet = read_sheet(io.BytesIO(exported), WITH_FACTS.headers_by_key())
    assert sheet.warnings == ["已忽略未知列“状态”"]
    # A column the file leaves out: its empty cell's value, and its declared header.
    assert WITH_FACTS.blanks(sheet) == {}
    assert WITH_FACTS.header_of(sheet, "title") == "标题"


def test_a_bad_cell_shows_its_value_as_typed():
    sheet = read_sheet(io.BytesIO(LEDGER.export([])), LEDGER.headers_by_key())
    assert (shown(2000.0), shown(2.5), shown(dt.datetime(2022, 3, 15))) == (2000, 2.5, "2022-03-15")
    _values, errors = WITH_FACTS.parse_row(sheet, 2, {"code": 123456789.0, "day": "昨天"})
    assert [(e.column, e.value) for e in errors] == [("编号", 123456789), ("日期", "昨天")]


def test_the_edit_form_reads_as_the_import_reads():
    class Form(WITH_FACTS.form_class(["title", "done", "day", "code"])):
        extra = forms.CharField(required=False)

    form = Form(data={"code": "A1", "title": "一个超过十个字的很长很长的标题", "day": "2022-13-01"})
    assert list(form.fields) == ["code", "title", "done", "day", "extra"]
    assert [form.fields[k].label for k in ("code", "title", "done")] == ["编号", "标题", "完成"]
    assert form.fields["code"].required and not form.fields["title"].required
    assert isinstance(form.fields["done"], forms.BooleanField)
    assert not form.is_valid()
    assert form.errors["title"] == ["不能超过 10 个字（现有 15 个）"]  # the parser's words
    assert form.errors["day"] == ["日期应写成 2022-03-15"]
    form = Form(data={"code": " A1 ", "title": "", "day": "2022-03-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "code": "A1", "title": "", "done": False, "day": dt.date(2022, 3, 1), "extra": ""
    }  # fmt: skip


def test_a_cell_field_shows_a_stored_value_as_it_is_typed():
    field = CellField(text(5), display=lambda day: f"{day:%Y-%m}")
    assert field.prepare_value(dt.date(2022, 3, 1)) == "2022-03"
    assert field.prepare_value("2022-03") == "2022-03"
    with pytest.raises(KeyError, match="nope"):
        LEDGER.form_fields(["nope"])
