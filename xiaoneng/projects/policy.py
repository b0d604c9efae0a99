"""Who may do what with major projects (the rules of core.policy).

A project lies at its lead unit: its county, or its prefecture when it has none (州市本级).
Everyone on the staff sees the projects of their subtree; the 效能办 (supervisors) and unit
admins keep the ledger (import it, edit projects); reporters and supervisors send monthly
reports. What the whole province shares — batches and industries — is kept by the
province's 效能办 alone.
"""

from django.db.models import Q

from xiaoneng.core import policy
from xiaoneng.projects.models import Batch, ImportJob, Industry, MonthlyReport, Project
from xiaoneng.units.models import Level, Unit, subtree_ids

MANAGERS = ("supervisor", "unit_admin")  # keep the ledger and its projects
REPORTERS = ("reporter", "supervisor")  # send monthly reports


def project_reach(prefix: str = ""):
    """`where` for projects (through `prefix`) in the actor's subtree: by county, or by
    prefecture for a project without a county; the province reaches every project."""

    def where_(actor) -> Q | None:
        unit = policy.unit_of(actor)
        if unit is None:
            return None
        if unit.parent_id is None:
            return Q()
        ids = subtree_ids(unit)
        return Q(**{f"{prefix}county_id__in": ids}) | Q(
            **{f"{prefix}county__isnull": True, f"{prefix}prefecture_id__in": ids}
        )

    return where_


def project_check(actor, project) -> bool:
    """`project_reach()` for one project: its lead unit lies in the actor's subtree."""
    return policy.within(project.lead_unit, actor)


def prefecture_reach(actor) -> Q | None:
    """`where` of 比一比: the projects of the actor's prefecture (the province: all), so that a
    county sees where it stands among its prefecture's counties. Only the dashboard's sums
    by county are read through it, never a project's row."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    if unit.parent_id is None:
        return Q()
    ids = [*unit.ancestor_ids(), unit.pk]
    prefecture = Unit.objects.filter(pk__in=ids, level=Level.PREFECTURE).first()
    if prefecture is None:  # a provincial department: its own subtree
        return project_reach()(actor)
    return Q(prefecture_id=prefecture.pk)


def _own_jobs(actor) -> Q | None:
    return Q(created_by=actor) if actor.is_staff_member else None


policy.register(Batch, "view", where=policy.staff_rows, doc="开工批次：所有干部可见")
policy.register(
    Batch,
    "change",
    roles=("supervisor",),
    where=policy.province_rows,
    check=policy.province_check,
    doc="建立或修改开工批次（名称、集中开工日期）：省效能办",
)
policy.register(Industry, "view", where=policy.staff_rows, doc="行业类别：所有干部可见")
policy.register(
    Industry,
    "change",
    roles=("supervisor",),
    where=policy.province_rows,
    check=policy.province_check,
    doc="添加或修改行业类别及其别名：省效能办",
)
policy.register(
    Project,
    "view",
    where=project_reach(),
    check=project_check,
    doc="所在县（无县时所在州市）在本单位之下",
)
policy.register(
    Project,
    "compare",
    where=prefecture_reach,
    doc="比一比：本州市各县市区的汇总数字（开工率等，不含项目明细）；省级：全省",
)
policy.register(
    Project,
    "change",
    roles=MANAGERS,
    where=project_reach(),
    check=project_check,
    doc="修改项目（台账字段）：本单位及下级的项目，效能办或单位管理员",
)
policy.register(
    Project,
    "report",
    roles=REPORTERS,
    where=project_reach(),
    check=project_check,
    doc="填报月度调度（含批量导入）：本单位及下级的项目，填报员或效能办",
)
policy.register(
    Unit,
    "place_projects",
    roles=MANAGERS,
    **policy.subtree(""),
    doc="可作为项目所在县市区（无县时州市）的单位：本单位及下级，效能办或单位管理员"
    "（台账导入和项目编辑的范围检查）",
)
policy.register(
    None,
    "import_projects",
    roles=MANAGERS,
    doc="导入项目台账（逐行只能写入本单位及下级的项目）：效能办或单位管理员",
)
policy.register(
    None,
    "oversee_projects",
    roles=("supervisor", "leader"),
    doc="工作台显示本辖区重大项目指标（开工率、入库率、投资完成率）和预警项目：效能办和领导干部",
)
policy.register(MonthlyReport, "view", where=project_reach("project__"), doc="所属项目可见")
policy.register(ImportJob, "view", where=_own_jobs, doc="本人发起的导入")
