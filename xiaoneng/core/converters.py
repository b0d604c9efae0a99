"""Ids typed into URLs and query strings.

An id is 1 to 2^63 - 1 (a bigint, the widest integer column of both databases), in ASCII
digits. Anything else names no row: a URL answers 404, a query parameter is ignored or
refused by its form. Django's own `<int:>` accepts any length, and str.isdigit() accepts
"²", which int() refuses.
"""

from django.urls import register_converter

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
