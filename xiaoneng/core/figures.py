"""What the statistics of several modules (文风 brevity, 社区共治 community) share: a rate and
an average as the published tables round them, the SQL that files a row under the child unit
whose subtree holds it, and the figures as an API answers them."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import StrIndex, Substr


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, rounded half up (None: nothing to divide)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def average(total: int, n: int, places: str = "0.1") -> Decimal | None:
    if not n:
        return None
    return (Decimal(total) / Decimal(n)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def child_key(path_field: str, unit):
    """The path of the child of `unit` whose subtree holds the row (`unit`'s own path for
    a row of `unit` itself), as SQL: the path up to the first "/" after `unit`'s path."""
    cut = len(unit.path)
    rest = Substr(F(path_field), cut + 1)
    return Substr(F(path_field), 1, StrIndex(rest, Value("/")) + cut)


def jsonable(data: dict, *, unit_fields: Sequence[str] = ("id", "name")) -> dict:
    """The statistics as an API answers them: a unit (any row) as {field: value} of
    `unit_fields` ("id" is its primary key), rates as numbers, keys as strings."""

    def convert(value):
        if isinstance(value, models.Model):
            return {f: value.pk if f == "id" else getattr(value, f) for f in unit_fields}
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(data)
