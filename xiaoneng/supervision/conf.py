"""Thresholds of the supervision module, from the environment (settings may override in tests).

They are read on every use, so `settings.XIAONENG_LIGHT_YELLOW_DAYS = …` in a test (or a
restart with a new environment in production) takes effect at once. See docs/supervision.md
for why these live in the environment and not in a table.
"""

from django.conf import settings

from xiaoneng.env import env_int

DEFAULTS = {
    # yellow when the deadline is this many days away or fewer
    "XIAONENG_LIGHT_YELLOW_DAYS": 3,
    # yellow when progress is behind the expected pace by more than this many points
    "XIAONENG_LIGHT_BEHIND_POINTS": 20,
    # after this many urges an item is escalated to the lead unit's leaders
    "XIAONENG_URGE_ESCALATE_AFTER": 3,
    # the plan (实施方案) is due this many natural days after assignment
    "XIAONENG_PLAN_DAYS": 10,
}


def get(name: str) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return env_int(name, DEFAULTS[name])


def yellow_days() -> int:
    return get("XIAONENG_LIGHT_YELLOW_DAYS")


def behind_points() -> int:
    return get("XIAONENG_LIGHT_BEHIND_POINTS")


def escalate_after() -> int:
    return get("XIAONENG_URGE_ESCALATE_AFTER")


def plan_days() -> int:
    return get("XIAONENG_PLAN_DAYS")
