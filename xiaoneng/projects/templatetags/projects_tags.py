import json

from django import template

from xiaoneng.projects import formats
from xiaoneng.projects.charts import MONEY_KEYS, RATE_KEYS, table_rows
from xiaoneng.units import names

register = template.Library()


@register.filter
def spec_json(spec: dict) -> str:
    """A chart's spec as JSON for its data-spec attribute (the template escapes it)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


@register.filter
def chart_rows(spec: dict) -> list[list]:
    return table_rows(spec)


@register.filter
def in_unit(cell) -> str:
    """A chart's (value, unit) as its table view writes it (formats.in_unit)."""
    value, unit = cell
    return formats.in_unit(value, unit)


@register.filter
def rate(value) -> str:
    """A percentage with one decimal, or "—" when it has no denominator."""
    return formats.rate(value)


@register.filter
def yi(value) -> str:
    """万元 → 亿元 with two decimals and thousands separators."""
    return formats.yi(value)


@register.filter
def wan(value) -> str:
    return formats.wan(value)


@register.filter
def count(value) -> str:
    return formats.count(value)


@register.filter
def light(level) -> str:
    return {2: "light-red", 1: "light-yellow"}.get(level, "light-green")


@register.filter
def get(row: dict, key: str):
    return row.get(key)


@register.filter
def rank_value(row: dict, key: str) -> str:
    """The figure a ranking is by, written as everywhere: 亿元, a rate or a count."""
    value = row.get(key)
    if key in RATE_KEYS:
        return formats.rate(value)
    if key in MONEY_KEYS:
        return f"{formats.yi(value)}亿元"
    return f"{formats.count(value)}个"


@register.filter
def common_name(name: str) -> str:
    """红河哈尼族彝族自治州 → 红河州 (units.names): a list's place names on one line."""
    return names.common_name(name or "")
