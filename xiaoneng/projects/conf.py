"""Thresholds of the project module, from the environment with safe defaults.

They are read through `get()` at call time, so a test (or a Django setting of the same
name, `PROJECTS_<NAME>`) can override them. Why the environment and not a table: the
thresholds change once a campaign, by a decision of the 效能办 that is worth a deploy
note, and DESIGN.md keeps runtime configuration out of the database.
"""

from decimal import Decimal

from django.conf import settings

from xiaoneng.env import env_int, env_str


def _decimals(text: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(p.strip()) for p in text.split(",") if p.strip())


DEFAULTS = {
    # Brackets (亿元), cumulative and inclusive: "≥ 10亿".
    "TOTAL_BRACKETS_YI": _decimals(
        env_str("XIAONENG_PROJECTS_TOTAL_BRACKETS_YI", "10,20,30,50,100")
    ),
    "ANNUAL_BRACKETS_YI": _decimals(
        env_str("XIAONENG_PROJECTS_ANNUAL_BRACKETS_YI", "0.5,1,2,5,10")
    ),
    # Late start: yellow once the planned month is over, red when more than N months late.
    "START_YELLOW_MONTHS": env_int("XIAONENG_PROJECTS_START_YELLOW_MONTHS", 1),
    "START_RED_MONTHS": env_int("XIAONENG_PROJECTS_START_RED_MONTHS", 3),
    # Late 入库: yellow N months after the actual start without 入库, red after M months.
    "STATS_YELLOW_MONTHS": env_int("XIAONENG_PROJECTS_STATS_YELLOW_MONTHS", 1),
    "STATS_RED_MONTHS": env_int("XIAONENG_PROJECTS_STATS_RED_MONTHS", 2),
    # Completion pace: points behind the expected share of the annual plan.
    "PACE_YELLOW_POINTS": env_int("XIAONENG_PROJECTS_PACE_YELLOW_POINTS", 10),
    "PACE_RED_POINTS": env_int("XIAONENG_PROJECTS_PACE_RED_POINTS", 30),
    # A month's report is due by this day of the next month.
    "REPORT_DUE_DAY": env_int("XIAONENG_PROJECTS_REPORT_DUE_DAY", 10),
    # The big screen reloads its figures this often (seconds).
    "SCREEN_REFRESH_SECONDS": env_int("XIAONENG_PROJECTS_SCREEN_REFRESH_SECONDS", 60),
}


def get(name: str):
    return getattr(settings, f"PROJECTS_{name}", DEFAULTS[name])


WAN_PER_YI = Decimal(10000)
