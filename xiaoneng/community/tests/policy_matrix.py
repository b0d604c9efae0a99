"""This app's rows of the permission matrix (core/tests/test_policy_matrix.py gathers them):
社区共治.

The matrix's actors sit in a county: none of them is a resident of a community or a
community's own staff, so every action that runs a community or takes part in it is nobody's
here (the community's own people are tested in community/tests/test_policy.py); what a
county's staff get is to see the matters, meetings and groups of their subtree.
"""

import datetime as dt

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM

STAFF_ROLES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer"]
STAFF_DOWN = dict.fromkeys(STAFF_ROLES, "own sub")

EXPECTED: dict = {
    ("community.Matter", "view"): STAFF_DOWN,
    ("community.Comment", "view"): STAFF_DOWN,
    ("community.Progress", "view"): STAFF_DOWN,
    ("community.Photo", "view"): STAFF_DOWN,
    ("community.Rating", "view"): STAFF_DOWN,
    ("community.Deliberation", "view"): STAFF_DOWN,
    ("community.Decision", "view"): STAFF_DOWN,
    ("community.Group", "view"): STAFF_DOWN,
    # taking part: the community's residents (and its staff), none of the matrix's people
    ("units.Unit", "raise_matter"): {},
    ("community.Matter", "second"): {},
    ("community.Matter", "comment"): {},
    ("community.Matter", "report"): {},
    ("community.Matter", "rate"): {},
    # running a community: its own staff only, never a county's
    ("units.Unit", "run_community"): {},
    ("community.Matter", "manage"): {},
    ("community.Matter", "handle"): {},
    ("community.Deliberation", "manage"): {},
    ("community.Invitation", "view"): {},
    ("community.Invitation", "manage"): {},
    ("community.Group", "manage"): {},
    ("community.Report", "view"): {},
    ("community.Report", "manage"): {},
    # a resident's phone whole: themself and their community's staff (here: another person)
    ("accounts.User", "see_phone"): {},
}


def _matter(unit, tree):
    from xiaoneng.community.models import Matter

    return Matter.objects.create(
        community=unit, category="repair", title=f"{unit.name}路灯不亮", actor=SYSTEM
    )


def _resident(unit):
    return make_user(f"jm{unit.code}", unit, "resident")


def _comment(unit, tree):
    from xiaoneng.community.models import Comment

    return Comment.objects.create(
        matter=_matter(unit, tree), author=_resident(unit), text="同意", actor=SYSTEM
    )


def _progress(unit, tree):
    from xiaoneng.community.models import Progress

    return Progress.objects.create(
        matter=_matter(unit, tree), author=_resident(unit), text="已联系物业", actor=SYSTEM
    )


def _photo(unit, tree):
    from xiaoneng.community.models import Photo

    return Photo.objects.create(
        matter=_matter(unit, tree),
        name="现场.png",
        content_type="image/png",
        size=1,
        file=f"community/test/{unit.code}.png",
        actor=SYSTEM,
    )


def _rating(unit, tree):
    from xiaoneng.community.models import Rating

    return Rating.objects.create(
        matter=_matter(unit, tree), resident=_resident(unit), rating="satisfied", actor=SYSTEM
    )


def _deliberation(unit, tree):
    from xiaoneng.community.models import Deliberation

    return Deliberation.objects.create(
        community=unit, date=dt.date(2026, 5, 1), place="议事厅", attendee_count=9, actor=SYSTEM
    )


def _decision(unit, tree):
    from xiaoneng.community.models import Decision

    return Decision.objects.create(
        deliberation=_deliberation(unit, tree), matter=_matter(unit, tree), actor=SYSTEM
    )


def _group(unit, tree):
    from xiaoneng.community.models import Group

    return Group.objects.create(community=unit, kind="volunteers", name="志愿队", actor=SYSTEM)


def _invitation(unit, tree):
    from django.utils import timezone

    from xiaoneng.community.models import Invitation

    return Invitation.objects.create(
        community=unit,
        code=f"M{unit.code}"[:16],
        expires_at=timezone.now() + dt.timedelta(days=1),
        max_uses=5,
        actor=SYSTEM,
    )


def _report(unit, tree):
    from xiaoneng.community.models import Report

    return Report.objects.create(
        matter=_matter(unit, tree),
        target="matter",
        reporter=_resident(unit),
        reason="广告",
        actor=SYSTEM,
    )


# A community's row "at" a unit: that unit stands in for the community.
FACTORIES = {
    "community.Matter": _matter,
    "community.Comment": _comment,
    "community.Progress": _progress,
    "community.Photo": _photo,
    "community.Rating": _rating,
    "community.Deliberation": _deliberation,
    "community.Decision": _decision,
    "community.Group": _group,
    "community.Invitation": _invitation,
    "community.Report": _report,
}
