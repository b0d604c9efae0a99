"""This app's rows of the permission matrix (core/tests/test_policy_matrix.py gathers them):
会风文风."""

import datetime as dt

from xiaoneng.core.policy import SYSTEM

STAFF_ROLES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer"]
RECORDERS = ("handler", "unit_admin", "supervisor", "leader")
DOWN = "own sub"

EXPECTED: dict = {
    ("brevity.Meeting", "view"): dict.fromkeys(STAFF_ROLES, DOWN),
    ("brevity.Meeting", "change"): dict.fromkeys(RECORDERS, DOWN),
    ("brevity.Document", "view"): dict.fromkeys(STAFF_ROLES, DOWN),
    ("brevity.Document", "change"): dict.fromkeys(RECORDERS, DOWN),
    ("units.Unit", "record_brevity"): dict.fromkeys(RECORDERS, DOWN),
    (None, "analyze_documents"): dict.fromkeys(STAFF_ROLES, True),
}


def _meeting(unit, tree):
    from xiaoneng.brevity import services

    return services.save_meeting(
        None, actor=SYSTEM, organiser=unit, kind="work", title="会", date=dt.date(2026, 1, 5),
        days=1, planned_minutes=60, actual_minutes=None, mode="onsite", attendees=None,
        speeches=[],
    )  # fmt: skip


def _document(unit, tree):
    from xiaoneng.brevity import services

    return services.save_document(
        None, actor=SYSTEM, unit=unit, kind="通知", title="文", date=dt.date(2026, 1, 5),
        chars=100, single_task=False,
    )  # fmt: skip


FACTORIES = {"brevity.Meeting": _meeting, "brevity.Document": _document}
