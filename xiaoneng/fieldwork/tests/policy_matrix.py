"""This app's rows of the permission matrix (core/tests/test_policy_matrix.py gathers them):
下基层."""

import datetime as dt

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM

STAFF_ROLES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer"]
DOWN = "own sub"
STAFF_DOWN = dict.fromkeys(STAFF_ROLES, DOWN)

EXPECTED: dict = {
    # a visit by a leader of the unit, to the unit itself
    ("fieldwork.Visit", "view"): STAFF_DOWN,
    ("fieldwork.Finding", "view"): STAFF_DOWN,
    # the leader and whoever recorded it (here the system): nobody in the matrix's county
    ("fieldwork.Visit", "change"): {},
    ("fieldwork.Finding", "convert"): {},
    # the matrix's people are handlers, not leaders: nobody records visits for them
    ("accounts.User", "record_visit"): {},
    ("units.Unit", "visit_place"): dict.fromkeys(("leader", "unit_admin", "supervisor"), DOWN),
}


def _visit(unit, tree):
    from xiaoneng.fieldwork import services

    leader = make_user(f"ld{unit.code}", unit, "leader")
    day = dt.date(2026, 5, 1)
    return services.record_visit(
        actor=SYSTEM, leader=leader, start_date=day, end_date=day, places=[unit]
    )


def _finding(unit, tree):
    from xiaoneng.fieldwork import services

    return services.add_finding(_visit(unit, tree), actor=SYSTEM, text="问题")


FACTORIES = {"fieldwork.Visit": _visit, "fieldwork.Finding": _finding}
