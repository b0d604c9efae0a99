"""Thresholds of the supervision module (core/thresholds.py: the environment, a Django
setting of the same name in tests, validated by a system check). See docs/supervision.md
for why these live in the environment and not in a table.
"""

from xiaoneng.core.thresholds import Threshold, Thresholds

THRESHOLDS = Thresholds(
    "supervision",
    Threshold(
        "XIAONENG_LIGHT_YELLOW_DAYS",
        3,
        "yellow when the deadline is this many days away or fewer",
        minimum=0,
    ),
    Threshold(
        "XIAONENG_LIGHT_BEHIND_POINTS",
        20,
        "yellow when progress is behind the expected pace by more than this many points",
        minimum=0,
        maximum=100,
    ),
    Threshold(
        "XIAONENG_URGE_ESCALATE_AFTER",
        3,
        "after this many urges an item is escalated to the lead unit's leaders",
        minimum=1,
    ),
    Threshold(
        "XIAONENG_URGE_MIN_WORKDAYS",
        1,
        "an item is urged again only this many working days after its last urge (0: any time)",
        minimum=0,
    ),
    Threshold(
        "XIAONENG_PROGRESS_REPORT_DAYS",
        15,
        "an item at work with no plan or progress report for this many days is 进展待报",
        minimum=1,
    ),
    Threshold(
        "XIAONENG_PLAN_DAYS",
        10,
        "the plan (实施方案) is due this many natural days after assignment",
        minimum=1,
    ),
)


def get(name: str) -> int:
    return THRESHOLDS.get(name)


def yellow_days() -> int:
    return get("XIAONENG_LIGHT_YELLOW_DAYS")


def behind_points() -> int:
    return get("XIAONENG_LIGHT_BEHIND_POINTS")


def escalate_after() -> int:
    return get("XIAONENG_URGE_ESCALATE_AFTER")


def plan_days() -> int:
    return get("XIAONENG_PLAN_DAYS")


def urge_min_workdays() -> int:
    return get("XIAONENG_URGE_MIN_WORKDAYS")


def progress_report_days() -> int:
    return get("XIAONENG_PROGRESS_REPORT_DAYS")
