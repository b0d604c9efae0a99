"""Who may do what in 机关–社区联建 (the rules of core.policy).

Seeing. A branch's own page is the units' rule (PartyBranch "view": its unit in the actor's
subtree). A pairing is seen by both sides: by whoever's subtree holds the organ's branch or
the community's; an activity by whoever's subtree holds one of the branches that took part.
So the community's staff see, on their own branch's page, the organ branch they are paired
with (its name and unit's name, the pairing's dates and notes) and the activities held
together — and nothing else of it: not its members, not its other activities, not its page.

Writing. An activity is recorded by the staff (unit admins, handlers, leaders, 效能办) whose
subtree holds one of the branches taking part ("record_activity" on a branch); the others
are among those branches or their open pairing partners (services.activity_branches).
Editing or deleting an activity ("change") is for the same people on its branches. A pairing
is recorded by a unit admin or 效能办 whose subtree holds both branches ("pair" on each: the
level that oversees both sides, typically the organ's), and changed or ended ("change") by
one whose subtree holds either side.
"""

from django.db.models import Exists, OuterRef, Q

from xiaoneng.accounts.policy import MANAGERS
from xiaoneng.branches.models import ActivityPhoto, BranchActivity, BranchPairing
from xiaoneng.core import policy
from xiaoneng.units.models import PartyBranch

RECORDERS = ("unit_admin", "handler", "leader", "supervisor")


def _pairing_where(actor) -> Q | None:
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(organ_branch__unit__path__startswith=unit.path) | Q(
        community_branch__unit__path__startswith=unit.path
    )


def _pairing_check(actor, pairing: BranchPairing) -> bool:
    return policy.within(pairing.organ_branch.unit, actor) or policy.within(
        pairing.community_branch.unit, actor
    )


def activity_where(prefix: str = ""):
    """`where` for activities (through `prefix`) with a branch of the actor's subtree."""

    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        through = BranchActivity.branches.through.objects.filter(
            branchactivity=OuterRef(f"{prefix}pk"),
            partybranch__unit__path__startswith=unit.path,
        )
        return Q(Exists(through))

    return where_


policy.register(
    BranchPairing,
    "view",
    where=_pairing_where,
    check=_pairing_check,
    doc="结对的机关党支部或社区党支部在本单位及下级（结对双方都可见）",
)
policy.register(
    BranchPairing,
    "change",
    roles=MANAGERS,
    where=_pairing_where,
    check=_pairing_check,
    doc="修改、结束、删除结对：单位管理员、效能办，结对任一方在本单位及下级",
)
policy.register(
    PartyBranch,
    "pair",
    roles=MANAGERS,
    **policy.subtree("unit"),
    doc="可登记结对的党支部（登记时双方都须可选）：单位管理员、效能办，本单位及下级的党支部",
)
policy.register(
    PartyBranch,
    "record_activity",
    roles=RECORDERS,
    **policy.subtree("unit"),
    doc="以该党支部名义登记活动：单位管理员、承办人、领导干部、效能办，本单位及下级的党支部",
)
policy.register(
    BranchActivity,
    "view",
    where=activity_where(),
    doc="参加活动的党支部之一在本单位及下级（联建活动机关、社区双方都可见）",
)
policy.register(
    BranchActivity,
    "change",
    roles=RECORDERS,
    where=activity_where(),
    doc="修改、删除活动，补充照片：单位管理员、承办人、领导干部、效能办，参加的党支部之一在本单位及下级",
)
policy.register(
    ActivityPhoto,
    "view",
    where=activity_where("activity__"),
    doc="所属活动可见",
)
policy.register(
    BranchActivity,
    "restore",
    roles=MANAGERS,
    where=activity_where(),
    doc="从回收站恢复活动：单位管理员、效能办，参加的党支部之一在本单位及下级",
)
