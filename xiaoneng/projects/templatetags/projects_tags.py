import json
from decimal import Decimal

from django import template

from xiaoneng.projects.charts import table_rows

register = template.Library()


@register.filter
def spec_json(spec: dict) -> str:
    """A chart's spec as JSON for its data-spec attribute (the template escapes it)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


@register.filter
def chart_rows(spec: dict) -> list[list]:
    return table_rows(spec)


@register.filter
def rate(value) -> str:
    """A percentage with one decimal, or "—" when it has no denominator."""
    if value is None:
        return "—"
    return f"{value:.1f}%"


@register.filter
def yi(value) -> str:
    """万元 → 亿元 with two decimals."""
    if value is None:
        return "—"
    return f"{(Decimal(value) / 10000):,.2f}"


@register.filter
def wan(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def light(level) -> str:
    return {2: "light-red", 1: "light-yellow"}.get(level, "light-green")


@register.filter
def get(row: dict, key: str):
    return row.get(key)
