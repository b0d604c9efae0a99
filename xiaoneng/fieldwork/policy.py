"""Who may do what with grassroots visits (the rules of core.policy).

* Seeing a visit: those whose subtree holds the leader's unit (the unit the leader served
  when it was recorded: Visit.unit), and those whose subtree holds one of its places — a
  community sees who came to it. Findings are seen with their visit.
* Recording a visit ("record_visit" on a User, the leader): a leader for themself; the
  office of the leader's own unit (its unit admin or 效能办/督查室) for that unit's
  leaders — the secretary who keeps the leaders' records. Nobody records for a leader of
  another unit, above or below: a higher office does not fill in a lower leader's record.
* Which units may be a visit's place ("visit_place" on a Unit): the subtree of the
  actor's area — their own unit, or for an office at its parent's level (a 省直部门, a
  county's bureau) the division it belongs to (the province, the county). An office
  records only for its own unit's leaders, so the area is the leader's too.
* Changing a visit and its findings ("change"): the leader, and whoever recorded it while
  the leader's unit lies in their subtree.
* Turning a finding into a problem item ("convert"): the same people; the item itself is
  assigned through supervision's assign_item, where Unit "assign" decides whether they may
  assign to the lead unit.
"""

from django.db.models import Exists, OuterRef, Q

from xiaoneng.accounts.models import User
from xiaoneng.core import policy
from xiaoneng.fieldwork.models import Finding, Visit, VisitPlace
from xiaoneng.units.models import Unit

LEADER = "leader"
OFFICE = ("unit_admin", "supervisor")
RECORDERS = (LEADER, *OFFICE)


def area_of(unit: Unit | None) -> Unit | None:
    """The division a unit belongs to: itself, or for an office at its parent's level (a
    省直部门 under the province, a bureau under a county) the nearest such ancestor."""
    while unit is not None and unit.parent_id is not None:
        parent = unit.parent
        if parent is None or parent.level != unit.level:
            break
        unit = parent
    return unit


# --- Seeing -------------------------------------------------------------------------------


def visit_reach(prefix: str = ""):
    """`where` for visits (through `prefix`): the leader's unit or a place in the subtree."""

    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        places = VisitPlace.objects.filter(
            visit=OuterRef(f"{prefix}pk"), unit__path__startswith=unit.path
        )
        return Q(**{f"{prefix}unit__path__startswith": unit.path}) | Q(Exists(places))

    return where_


# --- Recording ----------------------------------------------------------------------------


def _is_leader():
    return Exists(User.roles.through.objects.filter(user=OuterRef("pk"), role__code=LEADER))


def record_for_where(actor) -> Q | None:
    """The leaders `actor` may record visits for (rows of User)."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    who = Q(pk__in=[])
    if actor.has_role(LEADER):
        who |= Q(pk=actor.pk)
    if actor.has_role(*OFFICE):
        who |= Q(unit=unit.pk)
    return who & Q(_is_leader()) & Q(is_active=True)


def records_for(actor, leader) -> bool:
    """`record_for_where` for one person."""
    unit = policy.unit_of(actor)
    if unit is None or not leader.is_active or not leader.has_role(LEADER):
        return False
    if leader.pk == actor.pk and actor.has_role(LEADER):
        return True
    return actor.has_role(*OFFICE) and leader.unit_id == unit.pk


def place_where(actor) -> Q | None:
    area = area_of(policy.unit_of(actor))
    return None if area is None else Q(path__startswith=area.path)


def place_check(actor, unit: Unit) -> bool:
    area = area_of(policy.unit_of(actor))
    return area is not None and unit.path.startswith(area.path)


# --- Changing -----------------------------------------------------------------------------


def change_where(prefix: str = ""):
    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        return Q(**{f"{prefix}leader": actor.pk}) | Q(
            **{f"{prefix}recorded_by": actor.pk, f"{prefix}unit__path__startswith": unit.path}
        )

    return where_


def changes(actor, visit: Visit) -> bool:
    if policy.unit_of(actor) is None:
        return False
    if visit.leader_id == actor.pk:
        return True
    return visit.recorded_by_id == actor.pk and policy.within(visit.unit, actor)


policy.register(Visit, "view", where=visit_reach(), doc="领导所在单位或到访地点在本单位及下级")
policy.register(Finding, "view", where=visit_reach("visit__"), doc="所属下基层记录可见")
policy.register(
    User,
    "record_visit",
    roles=RECORDERS,
    where=record_for_where,
    check=records_for,
    doc="为其登记下基层：领导干部本人；本单位的管理员、效能办为本单位的领导干部",
)
policy.register(
    Unit,
    "visit_place",
    roles=RECORDERS,
    where=place_where,
    check=place_check,
    doc="可选作到访地点的单位：本单位（部门则为所属地区）及下级，领导干部、管理员、效能办",
)
policy.register(
    Visit,
    "change",
    where=change_where(),
    check=changes,
    doc="修改下基层记录、补充发现的问题：领导本人，及在本单位及下级的登记人",
)
policy.register(
    Finding,
    "convert",
    where=change_where("visit__"),
    check=lambda actor, finding: changes(actor, finding.visit),
    doc="将发现的问题转为问题清单：与修改相同（交办另须可向牵头单位交办）",
)
