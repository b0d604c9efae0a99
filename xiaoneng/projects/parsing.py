"""Reading project ledgers: the sheet (`read_ledger`) and cell values — dates in the forms
people type, 是/否, money, whole numbers, texts. The ledgers' columns (`ledgers.py`) and the
edit forms read through these same functions."""

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from xiaoneng.core.forms import date_error
from xiaoneng.core.xlsx import CellError, ImportFailed, read_sheet

_DATE_PATTERNS = [
    # 2022-03-15, 2022/3/15, 2022.3.15, 2022年3月15日
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    # 2022-03, 2022/3, 2022.3, 2022年3月
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$"),
    # 20220315, 202203
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
]

TRUE_WORDS = {"是", "y", "yes", "true", "1", "已入库", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "未入库", "×"}
CENT = Decimal("0.01")


class BadValue(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


def parse_date(value, *, month_only: bool = False) -> dt.date | None:
    """A date from an Excel date cell or text; `month_only` gives the first day of the month.

    Text without a day ("2022-03", "2022年3月") is the first day of that month.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _check_window(value)
        return value.replace(day=1) if month_only else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            # Excel keeps "2026.10" typed into a number cell as the number 2026.1: October
            # and January cannot be told apart, so a number with decimals is never a date.
            raise BadValue(
                _(
                    "数字单元格无法区分 2026.1 与 2026.10，请写成文本 2026-10、2026年10月或使用日期单元格"
                )
            )
        text = str(int(value))
    else:
        text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.lastindex and m.lastindex >= 3 and m.group(3) else 1
            try:
                date = dt.date(year, month, day)
            except ValueError:
                raise BadValue(_("日期不存在")) from None
            _check_window(date)
            return date.replace(day=1) if month_only else date
    raise BadValue(_("无法识别的日期，请写成 2022-03、2022-03-15、2022/3/15 或 2022年3月"))


def _check_window(date: dt.date) -> None:
    """The window of every form and API body (core.forms): 2000 to ten years ahead."""
    if error := date_error(date):
        raise BadValue(error)


_FLAG_CELLS = {"是": True, "否": False}


def parse_flag(value) -> bool | None:
    if type(value) is str and value in _FLAG_CELLS:  # as most cells are: the answer sooner
        return _FLAG_CELLS[value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    text = text.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise BadValue(_("只能填“是”或“否”"))


def parse_money(value) -> Decimal | None:
    """万元 with at most two decimals; commas allowed; never negative."""
    if type(value) is float and 0 <= value < 1e13:
        # A number cell, as most are: the same answer as below, sooner.
        amount = Decimal(repr(value))
        cents = amount.quantize(CENT)
        if cents == amount:
            return cents
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(_("应为数字（万元）"))
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise BadValue(_("应为数字（万元）")) from None
    if not number.is_finite():
        raise BadValue(_("应为数字（万元）"))
    if number < 0:
        raise BadValue(_("不能为负数"))
    rounded = number.quantize(CENT)
    if rounded != number and not (isinstance(value, float) and _float_noise(value, rounded)):
        raise BadValue(_("最多两位小数（万元）"))
    number = rounded
    if number >= Decimal("1e14"):
        raise BadValue(_("数值过大"))
    return number


def _float_noise(value: float, rounded: Decimal) -> bool:
    """Is a number cell's value two decimals plus binary noise (1234.5600000000002, left by
    an Excel formula), rather than more decimals someone typed?"""
    return abs(float(rounded) - value) <= 1e-9 * max(1.0, abs(value))


def parse_text(value, max_length: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > max_length:
        raise BadValue(_("超过 %d 个字") % max_length)
    return text


def text_cell(max_length: int | None = None):
    """A ledger's text column: `parse_text` at `max_length` (None: settings.TEXT_MAX_CHARS,
    the maximum of every form's text without its own); `max_length` is also the edit
    form's (core.ledgers.CellField)."""

    def parse(value) -> str:
        limit = max_length or settings.TEXT_MAX_CHARS
        if type(value) is str and len(value) <= limit:  # a stripped text cell (read_sheet)
            return value.strip()
        return parse_text(value, limit)

    parse.max_length = max_length  # type: ignore[attr-defined]
    return parse


def parse_int(value) -> int | None:
    """A whole number (a year or a month: 2022, 2022.0, "2022年", "7月")."""
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace("年", "").replace("月", "").strip())
    except ValueError:
        raise BadValue(_("应为整数")) from None
    if not number.is_integer():
        raise BadValue(_("应为整数"))
    return int(number)


# A ledger's date columns: `parse_date`, remembering the cells it has read (a ledger of
# 100,000 rows repeats "2022-03" and the same few hundred days; checking the date window
# costs more than reading the date). A date once inside the window stays inside it (the
# window only grows as the days pass); refusals are not remembered, and a change of the
# window's settings (tests) forgets everything.
read_day = functools.lru_cache(maxsize=4096, typed=True)(parse_date)
read_month = functools.lru_cache(maxsize=4096, typed=True)(
    functools.partial(parse_date, month_only=True)
)


@receiver(setting_changed)
def _forget_dates(*, setting, **kwargs):
    if setting.startswith("DATE_") or setting in ("TIME_ZONE", "USE_TZ"):
        read_day.cache_clear()
        read_month.cache_clear()


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(date.day, last))


def read_ledger(source, columns, *, required, file_label: str = "", heartbeat=None):
    """`read_sheet`, and a sheet without data rows refused."""
    sheet = read_sheet(
        source, columns, required=required, file_label=file_label, heartbeat=heartbeat
    )
    if not sheet.rows:
        raise ImportFailed(
            [CellError(sheet.name, 2, "", _("没有数据行：第 1 行是表头，数据从第 2 行开始"))],
            sheet.warnings,
        )
    return sheet
