"""How the project pages write numbers: one function per kind, used by the templates
(projects_tags), the charts' table views and the workbench. projects/charts.js formats
what the charts draw the same way (`fmt` there), from values this module has already
rounded, so that a chart's label and its table cell read alike:

- money in 亿元 with two decimals and thousands separators: 1,234.56;
- rates with one decimal and a percent sign: 85.9%;
- counts with thousands separators: 1,343;
- a missing value (a rate without a denominator) as "—".

Money is stored in 万元; `to_yi` is the one conversion (half up, as the published tables).
"""

from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")
DASH = "—"
YI, PERCENT, COUNT = "亿元", "%", "个"  # the units a chart series may carry


def to_yi(wan) -> Decimal | None:
    """万元 → 亿元, rounded to the cent half up."""
    if wan is None:
        return None
    return (Decimal(wan) / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP)


def yi(wan) -> str:
    """万元 → "1,234.56" (亿元)."""
    value = to_yi(wan)
    return DASH if value is None else f"{value:,.2f}"


def wan(value) -> str:
    """万元 as typed in the ledger: "12,345.60"."""
    return DASH if value is None else f"{Decimal(value):,.2f}"


def rate(value) -> str:
    """A percentage (already rounded to one decimal by kpis.rate): "85.9%"."""
    return DASH if value is None else f"{Decimal(value):.1f}%"


def count(value) -> str:
    return DASH if value is None else f"{int(value):,}"


def in_unit(value, unit: str) -> str:
    """A chart's value (亿元 already converted, a rate, a count) as its table view shows it."""
    if value is None:
        return DASH
    if unit == YI:
        return f"{Decimal(str(value)):,.2f}"
    if unit == PERCENT:
        return rate(Decimal(str(value)))
    return count(value)
