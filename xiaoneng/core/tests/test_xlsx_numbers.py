"""Exports write money as exact decimals with a number format, never through float."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl

from xiaoneng.core import guarded
from xiaoneng.core.xlsx import new_workbook, write_cell, write_xlsx


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def values(content: bytes, row: int = 2) -> list[str]:
    """The raw text of the row's number cells, as written into the file."""
    return re.findall(rf'<c r="[A-Z]+{row}"[^>]*><v>([^<]*)</v>', sheet_xml(content))


def test_it_writes_a_decimal_exactly():
    # 99999999999999.99 through float comes out as 99999999999999.98.
    content = write_xlsx(
        ["总投资（万元）", "本年累计完成投资（万元）"],
        [[Decimal("99999999999999.99"), Decimal("12345678901234.56")]],
    )
    assert values(content) == ["99999999999999.99", "12345678901234.56"]


def test_it_shows_money_with_two_places_and_a_rate_with_one():
    content = write_xlsx(["金额", "完成率%", "个数"], [[Decimal("1234.50"), Decimal("45.5"), 7]])
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    money, rate, count = ws[2]
    assert money.number_format == "#,##0.00"
    assert money.value == 1234.5
    assert rate.number_format == "#,##0.0"
    assert count.number_format == "General"
    assert values(content) == ["1234.50", "45.5", "7"]


def test_a_given_cell_format_wins():
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    ws = book.add_worksheet("Sheet1")
    write_cell(ws, 0, 0, Decimal("0.125"), book, book.add_format({"num_format": "0.00%"}))
    book.close()
    assert values(buffer.getvalue(), row=1) == ["0.125"]
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.number_format == "0.00%"


def test_a_dimension_without_a_column_letter_is_read():
    # `<dimension ref="5"/>`: no column letters; the check falls back to column A (it used
    # to call str.decode and fail).
    guarded._check_dimension(b'<dimension ref="5"/>', "x.xlsx", 10, 10)
