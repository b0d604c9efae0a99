"""Thresholds of the grassroots visits (core/thresholds.py: the environment, a Django setting
of the same name in tests, validated by a system check).

The annual requirement of days at the grassroots per level of the leader's unit. The
defaults are this platform's own, sensible starting points, not a national rule: provinces
set their own (e.g. a province's rule that county leaders spend a third of their working
time below), so each is configurable.
"""

from xiaoneng.core.thresholds import Threshold, Thresholds
from xiaoneng.units.models import Level

THRESHOLDS = Thresholds(
    "fieldwork",
    Threshold(
        "XIAONENG_VISIT_DAYS_PROVINCE",
        30,
        "days at the grassroots a year required of a provincial leader (default 30)",
        minimum=0,
        maximum=366,
    ),
    Threshold(
        "XIAONENG_VISIT_DAYS_PREFECTURE",
        60,
        "days at the grassroots a year required of a prefecture (州市) leader (default 60)",
        minimum=0,
        maximum=366,
    ),
    Threshold(
        "XIAONENG_VISIT_DAYS_COUNTY",
        90,
        "days at the grassroots a year required of a county (县市区) leader (default 90)",
        minimum=0,
        maximum=366,
    ),
    Threshold(
        "XIAONENG_VISIT_DAYS_TOWNSHIP",
        120,
        "days at the grassroots a year required of a township or street leader (default 120)",
        minimum=0,
        maximum=366,
    ),
    Threshold(
        "XIAONENG_FINDING_DEADLINE_DAYS",
        30,
        "the deadline a finding's problem item is given by default, in natural days",
        minimum=1,
        maximum=366,
    ),
)

_BY_LEVEL = {
    Level.PROVINCE: "XIAONENG_VISIT_DAYS_PROVINCE",
    Level.PREFECTURE: "XIAONENG_VISIT_DAYS_PREFECTURE",
    Level.COUNTY: "XIAONENG_VISIT_DAYS_COUNTY",
    Level.TOWNSHIP: "XIAONENG_VISIT_DAYS_TOWNSHIP",
}


def required_days(level: str) -> int:
    """The annual requirement for a leader whose unit is at `level` (a community's own
    cadres live at the grassroots: 0)."""
    name = _BY_LEVEL.get(level)  # type: ignore[call-overload]
    return THRESHOLDS.get(name) if name else 0


def finding_deadline_days() -> int:
    return THRESHOLDS.get("XIAONENG_FINDING_DEADLINE_DAYS")
