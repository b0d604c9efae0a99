"""The community's numbers (core/thresholds.py: the environment, a Django setting of the same
name in tests, validated by a system check)."""

from xiaoneng.core.thresholds import Threshold, Thresholds

THRESHOLDS = Thresholds(
    "community",
    Threshold(
        "XIAONENG_COMMUNITY_SECOND_THRESHOLD",
        5,
        "seconds (附议) that put a matter on the deliberation list by itself (default 5)",
        minimum=1,
        maximum=10000,
    ),
    Threshold(
        "XIAONENG_COMMUNITY_DEADLINE_WORKDAYS",
        10,
        "the working days an adopted matter is given by default (default 10)",
        minimum=1,
        maximum=250,
    ),
    Threshold(
        "XIAONENG_INVITATION_DAYS",
        30,
        "days an invitation code stays valid by default (default 30)",
        minimum=1,
        maximum=366,
    ),
    Threshold(
        "XIAONENG_COMMUNITY_PHOTO_MB",
        5,
        "the largest photo a resident or the staff may attach, in MB (default 5)",
        minimum=1,
        maximum=50,
    ),
    Threshold(
        "XIAONENG_JOIN_FAILURE_LIMIT",
        10,
        "refused sign-ups one address may make before it waits (default 10)",
        minimum=1,
        maximum=1000,
    ),
    Threshold(
        "XIAONENG_JOIN_WAIT_MINUTES",
        60,
        "the window of those refusals, and the wait, in minutes (default 60)",
        minimum=1,
        maximum=1440,
    ),
)


def second_threshold() -> int:
    return THRESHOLDS.get("XIAONENG_COMMUNITY_SECOND_THRESHOLD")


def deadline_workdays() -> int:
    return THRESHOLDS.get("XIAONENG_COMMUNITY_DEADLINE_WORKDAYS")


def invitation_days() -> int:
    return THRESHOLDS.get("XIAONENG_INVITATION_DAYS")


def photo_max_bytes() -> int:
    return THRESHOLDS.get("XIAONENG_COMMUNITY_PHOTO_MB") * 1024 * 1024


def join_throttle() -> dict[str, int]:
    """The public sign-up's throttle (core/throttle.py): `limit` refusals in `minutes`."""
    return {
        "limit": THRESHOLDS.get("XIAONENG_JOIN_FAILURE_LIMIT"),
        "minutes": THRESHOLDS.get("XIAONENG_JOIN_WAIT_MINUTES"),
    }
