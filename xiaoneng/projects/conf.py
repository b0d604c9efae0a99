"""Thresholds of the project module (core/thresholds.py: the environment variable
`XIAONENG_PROJECTS_<NAME>`, or a Django setting of that name in tests, validated by a
system check). Read through `get("<NAME>")` at call time. Why the environment and not a
table: the thresholds change once a campaign, by a decision of the 效能办 that is worth a
deploy note, and the design keeps runtime configuration out of the database.
"""

from decimal import Decimal

from xiaoneng.core.thresholds import Threshold, Thresholds, decimals

PREFIX = "XIAONENG_PROJECTS_"


def _t(name: str, default, help: str, **kwargs) -> Threshold:
    return Threshold(PREFIX + name, default, help, **kwargs)


THRESHOLDS = Thresholds(
    "projects",
    # Brackets (亿元), cumulative and inclusive: "≥ 10亿".
    _t(
        "TOTAL_BRACKETS_YI",
        decimals("10,20,30,50,100"),
        "total-investment brackets (亿元, cumulative, inclusive)",
        parse=decimals,
        minimum=Decimal(0),
        ascending=True,
    ),
    _t(
        "ANNUAL_BRACKETS_YI",
        decimals("0.5,1,2,5,10"),
        "annual-plan brackets (亿元)",
        parse=decimals,
        minimum=Decimal(0),
        ascending=True,
    ),
    # Late start: yellow once the planned month is over, red when more than N months late.
    _t("START_YELLOW_MONTHS", 1, "late start: yellow, months after the planned month"),
    _t("START_RED_MONTHS", 3, "late start: red, months after the planned month"),
    # Late 入库: yellow N months after the actual start without 入库, red after M months.
    _t("STATS_YELLOW_MONTHS", 1, "late 入库: yellow, months after the actual start"),
    _t("STATS_RED_MONTHS", 2, "late 入库: red, months after the actual start"),
    # Completion pace: points behind the expected share of the annual plan.
    _t("PACE_YELLOW_POINTS", 10, "completion behind pace: yellow, points", maximum=100),
    _t("PACE_RED_POINTS", 30, "completion behind pace: red, points", maximum=100),
    # A month's report is due by this day of the next month.
    _t("REPORT_DUE_DAY", 10, "a month's report is due by this day", minimum=1, maximum=31),
    # The big screen reloads its figures this often (seconds).
    _t("SCREEN_REFRESH_SECONDS", 60, "the big screen reloads this often", minimum=1),
    ordered=[
        (PREFIX + "START_YELLOW_MONTHS", PREFIX + "START_RED_MONTHS"),
        (PREFIX + "STATS_YELLOW_MONTHS", PREFIX + "STATS_RED_MONTHS"),
        (PREFIX + "PACE_YELLOW_POINTS", PREFIX + "PACE_RED_POINTS"),
    ],
)


def get(name: str):
    return THRESHOLDS.get(PREFIX + name)


WAN_PER_YI = Decimal(10000)
