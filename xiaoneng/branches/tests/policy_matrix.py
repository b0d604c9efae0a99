"""This app's rows of the permission matrix (core/tests/test_policy_matrix.py gathers them):
机关–社区联建."""

import datetime as dt

from xiaoneng.core.policy import SYSTEM

STAFF_ROLES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer"]
DOWN = "own sub"
MANAGERS = ("supervisor", "unit_admin")
RECORDERS = ("unit_admin", "handler", "leader", "supervisor")


def only(roles, where: str) -> dict:
    return dict.fromkeys(roles, where)


STAFF_DOWN = only(STAFF_ROLES, DOWN)

EXPECTED: dict = {
    # a pairing is seen by both sides; one whose organ branch lies at the position (its
    # community below the same unit) is the actor's in their own subtree only
    ("branches.BranchPairing", "view"): STAFF_DOWN,
    ("branches.BranchPairing", "change"): only(MANAGERS, DOWN),
    ("units.PartyBranch", "pair"): only(MANAGERS, DOWN),
    ("units.PartyBranch", "record_activity"): only(RECORDERS, DOWN),
    ("branches.BranchActivity", "view"): STAFF_DOWN,
    ("branches.BranchActivity", "change"): only(RECORDERS, DOWN),
    ("branches.BranchActivity", "restore"): only(MANAGERS, DOWN),
    ("branches.ActivityPhoto", "view"): STAFF_DOWN,
}


def _branch(unit, name=""):
    from xiaoneng.units.models import PartyBranch

    return PartyBranch.objects.create(unit=unit, name=name or f"{unit.name}党支部", actor=SYSTEM)


def _pairing(unit, tree):
    """An organ branch of `unit` paired with the branch of a community below `unit`."""
    from xiaoneng.branches.models import BranchPairing
    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Kind, Level

    community = make_unit(
        f"{unit.code}C", f"{unit.name}社区", Level.COMMUNITY, unit, kind=Kind.COMMUNITY
    )
    return BranchPairing.objects.create(
        organ_branch=_branch(unit),
        community_branch=_branch(community),
        started_on=dt.date(2024, 1, 1),
        actor=SYSTEM,
    )


def _activity(unit, tree):
    from xiaoneng.branches.models import BranchActivity

    activity = BranchActivity.objects.create(
        kind="theme_day", title="主题党日", date=dt.date(2024, 7, 1), actor=SYSTEM
    )
    activity.branches.set([_branch(unit, f"{unit.name}活动党支部")])
    return activity


def _photo(unit, tree):
    from xiaoneng.branches.models import ActivityPhoto

    return ActivityPhoto.objects.create(
        activity=_activity(unit, tree),
        name="照片.png",
        content_type="image/png",
        size=1,
        file=f"branches/test/{unit.code}.png",
        actor=SYSTEM,
    )


FACTORIES = {
    "branches.BranchPairing": _pairing,
    "branches.BranchActivity": _activity,
    "branches.ActivityPhoto": _photo,
}
