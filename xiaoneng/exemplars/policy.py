"""Who may do what with exemplars (典型案例; the rules of core.policy).

Seeing. The cases of units in the actor's subtree, at any status; and every promoted (推广)
case, by all staff: spreading good practice is the point of promoting it. Residents see
none (the public page shows the public ones later, by its own rule).

Writing. A case is written, and edited while it is a draft, by the staff (unit admins,
handlers, leaders, 效能办) of its unit's subtree ("write_exemplar" on the unit; "change" on a
draft). Each status step is its own action:

* "recommend" (草稿 → 推荐): a unit admin, leader or 效能办 whose subtree holds the case's
  unit — the unit itself, or a level above it, puts its case forward;
* "promote" (推荐 → 推广): a 效能办 of a unit *above* the case's unit — nobody promotes
  their own unit's case (a county recommends, its prefecture or the province promotes);
* "send_back" (推荐 or 推广 → 草稿, with a reason): the same people as "promote", the
  level that judges the recommendation;
* "publish" (the public flag, for the public page; promoted cases only): the same people
  as "promote".

Whether the case is at the status a step starts from is a rule of the data, checked by the
service (exemplars.services.take_step), which says so in words.
"""

from django.db.models import Q

from xiaoneng.accounts.policy import MANAGERS
from xiaoneng.core import policy
from xiaoneng.exemplars.models import Exemplar, ExemplarAttachment, Status
from xiaoneng.units.models import Unit

WRITERS = ("unit_admin", "handler", "leader", "supervisor")
RECOMMENDERS = ("unit_admin", "leader", "supervisor")
PROMOTERS = ("supervisor",)


def _seen(prefix: str = ""):
    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        return Q(**{f"{prefix}unit__path__startswith": unit.path}) | Q(
            **{f"{prefix}status": Status.PROMOTED}
        )

    return where_


def _seen_check(actor, exemplar: Exemplar) -> bool:
    return policy.unit_of(actor) is not None and (
        exemplar.status == Status.PROMOTED or policy.within(exemplar.unit, actor)
    )


def _drafts(actor) -> Q | None:
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(unit__path__startswith=unit.path, status=Status.DRAFT)


def _draft_check(actor, exemplar: Exemplar) -> bool:
    return exemplar.status == Status.DRAFT and policy.within(exemplar.unit, actor)


def _below(actor) -> Q | None:
    """Cases of units strictly below the actor's own unit."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(unit__path__startswith=unit.path) & ~Q(unit=unit.pk)


def _below_check(actor, exemplar: Exemplar) -> bool:
    unit = policy.unit_of(actor)
    return unit is not None and exemplar.unit_id != unit.pk and policy.within(exemplar.unit, actor)


policy.register(
    Exemplar,
    "view",
    where=_seen(),
    check=_seen_check,
    doc="本单位及下级单位的案例，以及所有已推广的案例",
)
policy.register(
    ExemplarAttachment,
    "view",
    where=_seen("exemplar__"),
    doc="所属案例可见",
)
policy.register(
    Unit,
    "write_exemplar",
    roles=WRITERS,
    **policy.subtree(""),
    doc="可作为新案例所属单位的单位：单位管理员、承办人、领导干部、效能办，本单位及下级",
)
policy.register(
    Exemplar,
    "change",
    roles=WRITERS,
    where=_drafts,
    check=_draft_check,
    doc="修改草稿、补充附件、删除草稿：单位管理员、承办人、领导干部、效能办，案例单位在本单位及下级",
)
policy.register(
    Exemplar,
    "recommend",
    roles=RECOMMENDERS,
    **policy.subtree("unit"),
    doc="推荐（草稿→推荐）：单位管理员、领导干部、效能办，案例单位在本单位及下级",
)
policy.register(
    Exemplar,
    "promote",
    roles=PROMOTERS,
    where=_below,
    check=_below_check,
    doc="推广（推荐→推广）：案例单位的上级单位的效能办（不能推广本单位的案例）",
)
policy.register(
    Exemplar,
    "send_back",
    roles=PROMOTERS,
    where=_below,
    check=_below_check,
    doc="退回草稿（推荐或推广→草稿，须说明理由）：与推广相同",
)
policy.register(
    Exemplar,
    "publish",
    roles=PROMOTERS,
    where=_below,
    check=_below_check,
    doc="对外公开或取消公开（仅限已推广的案例）：与推广相同",
)
policy.register(
    Exemplar,
    "restore",
    roles=MANAGERS,
    **policy.subtree("unit"),
    doc="从回收站恢复案例：单位管理员、效能办，案例单位在本单位及下级",
)
