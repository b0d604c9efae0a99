"""Ids and numbers typed into URLs and query strings.

An id is 1 to 2^63 - 1 (a bigint, the widest integer column of both databases), in ASCII
digits. Anything else names no row: a URL answers 404, a query parameter is ignored or
refused by its form. Django's own `<int:>` accepts any length, and str.isdigit() accepts
"²", which int() refuses.
"""

from django.urls import register_converter
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id that a query parameter names, or None if it names none."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_number(value, low: int, high: int) -> int | None:
    """A whole number in [low, high] typed into a query parameter (a year, a month), or
    None: ASCII digits only, and never longer than `high` (int() of 5,000 digits raises)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))):
        return None
    number = int(text)
    return number if low <= number <= high else None


def year_and_month(params, first_year: int) -> tuple[int, int | None, list[str]]:
    """The year (`first_year` to next year; this year by default) and month (1–12; None:
    the whole year) a statistics page's query asks for, and what was wrong with them: a bad
    value falls back to the default, and the page says so."""
    errors = []
    this_year = timezone.localdate().year
    year, month = this_year, None
    text = params.get("year", "")
    if text:
        if (found := parse_number(text, first_year, this_year + 1)) is not None:
            year = found
        else:
            errors.append(
                _("年份应为 %(first)d 至 %(last)d 之间的整数，已按今年统计。")
                % {"first": first_year, "last": this_year + 1}
            )
    text = params.get("month", "")
    if text:
        if (found := parse_number(text, 1, 12)) is not None:
            month = found
        else:
            errors.append(_("月份应为 1 至 12 之间的整数，已按全年统计。"))
    return year, month, errors


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django tries the next pattern, then answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
