"""Who may do what in 督查督办 (the rules of core.policy).

An item has two sides. The lead unit does the work ("handle": acknowledge, submit the plan,
report progress, ask to close): the lead unit's handlers, unit admins and leaders, and the
person named responsible while they belong to the lead unit's subtree. The assigning side
judges it ("review": approve or send back a closure, reopen; the same people "change" it
through the ledger): supervisors of the assigning unit or of a unit above it, and, for a
child item, the parent's handlers (一级带着一级干) — for the children they see by the child's
lead or assigning unit. Those reviewers "urge" it, and so does every supervisor above its
lead unit (a prefecture's 效能办 chases its counties' red items whoever assigned them). Who
may split an item among the lead unit's sub-units ("decompose") is either side.

Which units may lead a new item ("assign" on a Unit) is the supervisors' and leaders' own
subtree; which child items may hang under an item (lead units within the parent's lead
unit's subtree, services.check_child_unit) is a rule of the data, not of the person.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from xiaoneng.core import policy
from xiaoneng.supervision.models import (
    Attachment,
    Behaviour,
    Holiday,
    Item,
    ItemCoUnit,
    ItemEvent,
    Urge,
    Violation,
)
from xiaoneng.units.models import Unit

# The lead unit's people who act on its items; the 效能办 (supervisors); who may assign.
HANDLER_ROLES = ("handler", "unit_admin", "leader")
SUPERVISORS = ("supervisor",)
ASSIGNERS = ("supervisor", "leader")


def item_reach(prefix: str = ""):
    """`where` for items (through `prefix`) whose lead unit, a co-unit or the assigning unit
    lies in the actor's subtree; the province (the root of the tree) reaches every item."""

    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        if unit.parent_id is None:
            return Q()
        path = unit.path
        sub = Unit.objects.filter(path__startswith=path).values("pk")
        co = ItemCoUnit.objects.filter(item=OuterRef(f"{prefix}pk"), unit__path__startswith=path)
        return (
            Q(**{f"{prefix}lead_unit__in": sub})
            | Q(**{f"{prefix}assigning_unit__in": sub})
            | Q(Exists(co))
        )

    return where_


# --- The two sides of an item -------------------------------------------------------------


def handle_where(prefix: str = ""):
    """`where` for the items (through `prefix`) whose lead unit the actor acts for: the lead
    unit's handlers, admins and leaders; and the named responsible person, while the lead
    unit lies in their subtree (a person moved elsewhere no longer acts for it)."""

    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        q = Q(
            **{
                f"{prefix}responsible": actor.pk,
                f"{prefix}lead_unit__path__startswith": unit.path,
            }
        )
        if actor.has_role(*HANDLER_ROLES):
            q |= Q(**{f"{prefix}lead_unit": unit.pk})
        return q

    return where_


def handles(actor, item: Item) -> bool:
    """`handle_where()` for one item."""
    unit = policy.unit_of(actor)
    if unit is None:
        return False
    if item.lead_unit_id == unit.pk and actor.has_role(*HANDLER_ROLES):
        return True
    return item.responsible_id == actor.pk and policy.within(item.lead_unit, actor)


def review_where(actor) -> Q | None:
    """The items the actor judges: assigned by their subtree, if a supervisor; the children
    of items they handle, led or assigned within their subtree."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    below = Q(lead_unit__path__startswith=unit.path) | Q(assigning_unit__path__startswith=unit.path)
    parts = [handle_where("parent__")(actor) & below]
    if actor.has_role(*SUPERVISORS):
        parts.append(Q(assigning_unit__path__startswith=unit.path))
    return reduce(or_, parts)


def reviews(actor, item: Item) -> bool:
    """`review_where()` for one item (its parent read if it has one)."""
    unit = policy.unit_of(actor)
    if unit is None:
        return False
    if actor.has_role(*SUPERVISORS) and policy.within(item.assigning_unit, actor):
        return True
    if item.parent_id is None or not (
        policy.within(item.lead_unit, actor) or policy.within(item.assigning_unit, actor)
    ):
        return False
    parent = item.parent  # read only now: most items have none, or fail the test above
    return parent is not None and handles(actor, parent)


def urge_where(actor) -> Q | None:
    """The items the actor may urge: those they review, and, for a supervisor (效能办),
    every item led by a unit of their subtree, whoever assigned it — a prefecture's or a
    county's 效能办 chases the red items of its own units, not only those it assigned."""
    review = review_where(actor)
    unit = policy.unit_of(actor)
    if review is None or unit is None:
        return None
    if actor.has_role(*SUPERVISORS):
        return review | Q(lead_unit__path__startswith=unit.path)
    return review


def urges(actor, item: Item) -> bool:
    """`urge_where()` for one item."""
    if actor.has_role(*SUPERVISORS) and policy.within(item.lead_unit, actor):
        return True
    return reviews(actor, item)


def _either_where(actor) -> Q | None:
    handle, review = handle_where()(actor), review_where(actor)
    return None if handle is None or review is None else handle | review


def _either(actor, item: Item) -> bool:
    return handles(actor, item) or reviews(actor, item)


# --- Who sees a violation record ------------------------------------------------------------


def _violations(actor) -> Q | None:
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(unit__path__startswith=unit.path) | Q(published=True)


def _violation_seen(actor, v: Violation) -> bool:
    return policy.unit_of(actor) is not None and (v.published or policy.within(v.unit, actor))


# --- Seeing -------------------------------------------------------------------------------

policy.register(Item, "view", where=item_reach(), doc="牵头、协办或交办单位在本单位及下级")
for model in (ItemEvent, Attachment, Urge):
    policy.register(model, "view", where=item_reach("item__"), doc="所属事项可见")
policy.register(
    Holiday, "view", where=policy.staff_rows, doc="节假日安排是公开的事实：所有干部可见"
)
policy.register(Behaviour, "view", where=policy.staff_rows, doc="负面清单条目：所有干部可见")
policy.register(
    Violation,
    "view",
    where=_violations,
    check=_violation_seen,
    doc="本单位及下级的记录，以及已曝光的案例",
)

# --- Items --------------------------------------------------------------------------------

policy.register(
    Unit,
    "assign",
    roles=ASSIGNERS,
    **policy.subtree(""),
    doc="可作为新事项牵头单位、配合单位的单位（交办、台账导入）：本单位及下级，效能办或领导",
)
policy.register(
    Item,
    "assign_child",
    roles=ASSIGNERS,
    where=item_reach(),
    doc="在该事项下交办子事项（子事项的牵头单位另由 check_child_unit 检查）：可见的事项，效能办或领导",
)
policy.register(
    Item,
    "handle",
    where=handle_where(),
    check=handles,
    doc="签收、报送方案、反馈进展、申请办结：牵头单位的承办人、管理员、领导，及在牵头单位的责任人",
)
policy.register(
    Item,
    "review",
    where=review_where,
    check=reviews,
    doc="审核办结、退回、重办：交办单位及其上级的效能办；子事项还有上级事项的承办人",
)
policy.register(
    Item,
    "force_close",
    roles=SUPERVISORS,
    where=review_where,
    check=reviews,
    doc="下级事项未办结时强制办结：审核人中的效能办",
)
policy.register(
    Item,
    "urge",
    where=urge_where,
    check=urges,
    doc="催办：审核人，以及牵头单位在本单位及下级的效能办",
)
policy.register(
    Item, "change", where=review_where, check=reviews, doc="修改事项（台账导入）：与审核相同"
)
policy.register(
    Item,
    "decompose",
    where=_either_where,
    check=_either,
    doc="分解交办给牵头单位的下级单位：承办方或审核方",
)
policy.register(
    None,
    "import_items",
    roles=ASSIGNERS,
    doc="导入督办台账（逐行：新增须可向牵头单位交办，修改须可修改该事项）：效能办或领导",
)
policy.register(
    None,
    "manage_holidays",
    roles=("supervisor", "unit_admin"),
    check=policy.province_check,
    doc="维护节假日安排（全国统一）：省级效能办或管理员",
)

# --- The workbench (工作台): which of the module's panels a person gets -----------------------

policy.register(
    None,
    "handle_items",
    roles=("handler", "unit_admin"),
    doc="工作台的承办计数（待签收、待报方案、进展待报…）：承办人、管理员；被指定为责任人的另见其事项",
)
policy.register(
    None,
    "supervise_items",
    roles=SUPERVISORS,
    doc="工作台的督查计数（本单位及下级的红灯、提级督办、待审核）：效能办",
)
policy.register(
    None,
    "oversee_items",
    roles=("leader",),
    doc="工作台的领导计数（提级督办、本单位及下级牵头的事项）：领导干部",
)

# --- The negative list --------------------------------------------------------------------

policy.register(
    Unit,
    "record_violation",
    roles=SUPERVISORS,
    **policy.subtree(""),
    doc="登记违反负面清单的记录：本单位及下级单位，效能办",
)
policy.register(
    Violation,
    "publish",
    roles=SUPERVISORS,
    **policy.subtree("unit"),
    doc="在曝光台公开或撤下：本单位及下级的记录，效能办",
)
policy.register(
    Violation,
    "view_record",
    **policy.subtree("unit"),
    doc="记录清单及修改历史（不只是曝光的内容）：本单位及下级的记录",
)
policy.register(
    Behaviour,
    "change",
    roles=SUPERVISORS,
    where=policy.province_rows,
    check=policy.province_check,
    doc="维护负面行为目录（全省统一）：省效能办",
)
