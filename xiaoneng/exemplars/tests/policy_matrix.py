"""This app's rows of the permission matrix (core/tests/test_policy_matrix.py gathers them):
典型引路法."""

from xiaoneng.core.policy import SYSTEM

STAFF_ROLES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer"]
DOWN = "own sub"
MANAGERS = ("supervisor", "unit_admin")
WRITERS = ("unit_admin", "handler", "leader", "supervisor")
RECOMMENDERS = ("unit_admin", "leader", "supervisor")


def only(roles, where: str) -> dict:
    return dict.fromkeys(roles, where)


EXPECTED: dict = {
    # drafts (the factory's): the actor's own subtree; a promoted case is every staff member's
    ("exemplars.Exemplar", "view"): only(STAFF_ROLES, DOWN),
    ("exemplars.ExemplarAttachment", "view"): only(STAFF_ROLES, DOWN),
    ("units.Unit", "write_exemplar"): only(WRITERS, DOWN),
    ("exemplars.Exemplar", "change"): only(WRITERS, DOWN),
    ("exemplars.Exemplar", "recommend"): only(RECOMMENDERS, DOWN),
    # the level above: never the actor's own unit's case
    ("exemplars.Exemplar", "promote"): {"supervisor": "sub"},
    ("exemplars.Exemplar", "send_back"): {"supervisor": "sub"},
    ("exemplars.Exemplar", "publish"): {"supervisor": "sub"},
    ("exemplars.Exemplar", "restore"): only(MANAGERS, DOWN),
}


def _exemplar(unit, tree):
    from xiaoneng.exemplars.models import Exemplar

    return Exemplar.objects.create(
        title=f"{unit.name}案例", unit=unit, summary="简介", actor=SYSTEM
    )


def _attachment(unit, tree):
    from xiaoneng.exemplars.models import ExemplarAttachment

    return ExemplarAttachment.objects.create(
        exemplar=_exemplar(unit, tree),
        name="佐证.txt",
        content_type="text/plain",
        size=1,
        file=f"exemplars/test/{unit.code}.txt",
        actor=SYSTEM,
    )


FACTORIES = {
    "exemplars.Exemplar": _exemplar,
    "exemplars.ExemplarAttachment": _attachment,
}
