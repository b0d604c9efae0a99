"""Who may do what to units and party branches (the rules of core.policy).

Maintaining the tree is a question about the unit *above*: "manage_units" on a unit P is
"may add, edit, move and delete the units under P" (a unit admin or 效能办, P in their own
subtree); "change" on a unit U asks it of U's parent, so nobody edits or deletes their own
unit (that is the level above's), and the top of the tree (the province) is the system's.
"""

from django.db.models import Q

from xiaoneng.accounts.policy import MANAGERS
from xiaoneng.core import policy
from xiaoneng.units.models import PartyBranch, Unit


def _ancestors_too(actor) -> Q | None:
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(path__startswith=unit.path) | Q(pk__in=unit.ancestor_ids())


def _ancestors_too_check(actor, unit) -> bool:
    reach = policy.unit_of(actor)
    return reach is not None and (
        unit.path.startswith(reach.path) or reach.path.startswith(unit.path)
    )


def _below(actor) -> Q | None:
    """Units whose parent lies in the actor's subtree: their own unit's subtree without it."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    return Q(parent__path__startswith=unit.path)


def _below_check(actor, unit) -> bool:
    return unit.parent_id is not None and policy.within(unit.parent, actor)


policy.register(
    Unit,
    "view",
    **policy.subtree(""),
    doc="本单位及下级单位",
)
policy.register(
    Unit,
    "view_ancestors",
    where=_ancestors_too,
    check=_ancestors_too_check,
    doc="本单位、下级单位，以及上级单位的名称（面包屑、上级事项的交办单位）",
)
policy.register(
    Unit,
    "manage_units",
    roles=MANAGERS,
    **policy.subtree(""),
    doc="在该单位之下新增、调整下级单位：单位管理员、效能办，该单位在本单位及下级",
)
policy.register(
    None,
    "manage_units",
    check=lambda actor, _obj: False,
    doc="单位树的顶端（省级单位）：只由系统（命令、演示数据）建立和维护",
)
policy.register(
    Unit,
    "change",
    roles=MANAGERS,
    where=_below,
    check=_below_check,
    doc="编辑、删除单位：单位管理员、效能办，其上级单位在本单位及下级（本单位由上一级维护）",
)
policy.register(
    Unit,
    "restore",
    roles=MANAGERS,
    where=_below,
    check=_below_check,
    doc="从回收站恢复单位：与编辑、删除相同",
)
policy.register(
    PartyBranch,
    "view",
    **policy.subtree("unit"),
    doc="本单位及下级单位的党支部",
)
policy.register(
    PartyBranch,
    "restore",
    roles=MANAGERS,
    **policy.subtree("unit"),
    doc="从回收站恢复党支部：单位管理员、效能办，本单位及下级单位的",
)
policy.register(
    None,
    "belong_to_branch",
    roles=("leader",),
    doc="须编入一个党支部的人：领导干部（单位页提示尚未编入的）",
)
