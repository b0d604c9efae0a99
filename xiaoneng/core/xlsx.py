"""Excel ledgers (台账): reading uploaded sheets and writing exports.

Every import in the project reads through `read_sheet()`, which maps Chinese
headers to field names in any order, and reports problems as `CellError`s that
name the sheet, the row as Excel numbers it, the column and the reason. An
import collects all errors first and writes nothing if there is any.
"""

import datetime as dt
import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core import guarded


@dataclass(frozen=True)
class CellError:
    sheet: str  # the file's name when row is 0
    row: int  # as Excel shows it (the header is row 1); 0: the whole file
    column: str  # the header text
    message: str
    value: Any = None

    def __str__(self) -> str:
        if not self.row:  # the whole file (it cannot be read): `sheet` is the file's name
            return _("文件“%(file)s”：%(reason)s") % {"file": self.sheet, "reason": self.message}
        where = _("工作表“%(sheet)s”第 %(row)s 行") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _("“%(column)s”列") % {"column": self.column}
        shown = ""
        if self.value not in (None, ""):
            shown = _("（值：%(value)s）") % {"value": self.value}
        return f"{where}{shown}：{self.message}"


class ImportFailed(Exception):
    """Raised with every error found; the import wrote nothing."""

    def __init__(self, errors: list[CellError], warnings: list[str] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Sheet:
    name: str
    # field name -> header text as found in the file
    headers: dict[str, str]
    rows: list[tuple[int, dict[str, Any]]]
    warnings: list[str] = field(default_factory=list)


def _clean_header(text: Any) -> str:
    return (
        str(text or "")
        .strip()
        .replace("\n", "")
        .replace(" ", "")
        .replace("（", "(")
        .replace("）", ")")
    )


def read_sheet(
    source,
    columns: Mapping[str, Iterable[str]],
    *,
    required: Iterable[str] = (),
    sheet: str | int = 0,
    file_label: str = "",
    heartbeat=None,
) -> Sheet:
    """Read one sheet whose first row is headers, through the guarded reader
    (`core.guarded`: size, archive and extent checks, then a limited child process).

    `columns` maps a field name to the header texts it may appear under.
    Unknown columns are ignored with a warning; a missing required column is an error.
    Blank rows are skipped. Each row comes back as (excel_row_number, {field: value}).
    """
    label = file_label or "?"
    try:
        book = guarded.parse_sheet(source, sheet=sheet, heartbeat=heartbeat)
    except guarded.UnsafeFile as exc:
        logging.getLogger(__name__).warning("refused spreadsheet %r: %s", file_label, exc)
        raise ImportFailed([CellError(label, 0, "", str(exc))]) from exc
    except guarded.Unreadable as exc:
        # The library's text is English and technical: logged, not shown.
        logging.getLogger(__name__).info("unreadable spreadsheet %r: %s", file_label, exc)
        raise ImportFailed(
            [CellError(label, 0, "", _("无法读取该文件，请上传 .xlsx 文件"))]
        ) from exc
    if not book.sheet_names:
        raise ImportFailed([CellError(label, 0, "", _("文件中没有工作表"))])
    sheet_name, data = book.sheet, book.rows
    if not data:
        raise ImportFailed([CellError(sheet_name, 1, "", _("工作表是空的，第 1 行应为表头"))])

    lookup: dict[str, str] = {}
    for name, aliases in columns.items():
        for alias in aliases:
            lookup[_clean_header(alias)] = name
    position: dict[str, int] = {}
    headers: dict[str, str] = {}
    warnings = []
    for idx, raw in enumerate(data[0]):
        text = _clean_header(raw)
        if not text:
            continue
        fname = lookup.get(text)
        if fname is None:
            warnings.append(_("已忽略未知列“%s”") % str(raw).strip())
        elif fname in position:
            raise ImportFailed([CellError(sheet_name, 1, str(raw), _("该列重复出现"))])
        else:
            position[fname] = idx
            headers[fname] = str(raw).strip()
    missing = [f for f in required if f not in position]
    if missing:
        wanted = "、".join(next(iter(columns[f])) for f in missing)
        raise ImportFailed([CellError(sheet_name, 1, "", _("缺少必需的列：%s") % wanted)])

    rows = []
    for offset, raw_row in enumerate(data[1:], start=2):
        values = {}
        for fname, idx in position.items():
            value = raw_row[idx] if idx < len(raw_row) else None
            if isinstance(value, str):
                value = value.strip()
            values[fname] = None if value == "" else value
        if all(v is None for v in values.values()):
            continue
        rows.append((offset, values))
    return Sheet(name=sheet_name, headers=headers, rows=rows, warnings=warnings)


def as_text(value: Any) -> str:
    """A cell as text: Excel stores codes and phone numbers typed as numbers as floats."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def iter_chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A text starting with one of these is a formula (or a DDE command) to Excel and WPS when
# typed; such cells carry the "quote prefix" style (the leading ' of Excel), shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(buffer, **options):
    """An xlsxwriter workbook that writes every text as a string: no formula, URL or number
    conversion of strings, whatever a cell holds. Every export goes through it."""
    import xlsxwriter

    options.update(strings_to_formulas=False, strings_to_urls=False, strings_to_numbers=False)
    options.setdefault("in_memory", True)
    options.setdefault("default_date_format", "yyyy-mm-dd")
    book = xlsxwriter.Workbook(buffer, options)
    book.xn_text = book.add_format({"quote_prefix": True})
    book.xn_decimals = {}  # decimal places -> number format, made on first use
    return book


def decimal_format(book, value: Decimal):
    """The number format showing a Decimal as stored: money (2 places) as #,##0.00, a rate
    (1 place) as #,##0.0."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places not in book.xn_decimals:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        book.xn_decimals[places] = book.add_format({"num_format": pattern})
    return book.xn_decimals[places]


def write_cell(ws, row: int, col: int, value, book, cell_format=None) -> None:
    """One cell of an export: text as a string (quote-prefixed when it starts like a
    formula), numbers as numbers, dates without a time zone.

    A Decimal (money, rates) is never passed through float: xlsxwriter writes the number's
    own text (`format(value, ".16G")`) into the cell, so 99999999999999.99 stays exactly
    that, shown with as many decimal places as it carries."""
    if value is None:
        return
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            ws.write_string(row, col, value, cell_format or book.xn_text)
        else:
            ws.write_string(row, col, value, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, value, cell_format or decimal_format(book, value))
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), cell_format)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, cell_format)
    else:
        write_cell(ws, row, col, str(value), book, cell_format)


def write_xlsx(
    headers: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    sheet: str = "Sheet1",
    widths: list[int] | None = None,
    notes: dict[int, str] | None = None,
) -> bytes:
    """A plain .xlsx with a bold frozen header row; rows are streamed (constant memory)."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, constant_memory=True)
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, text in enumerate(headers):
        ws.write_string(0, col, text, bold)
        ws.set_column(col, col, (widths[col] if widths else max(10, len(text) * 2 + 2)))
        if notes and col in notes:
            ws.write_comment(0, col, notes[col])
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            write_cell(ws, r, c, value, book)
    book.close()
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
