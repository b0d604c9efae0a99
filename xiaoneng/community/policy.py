"""Who may do what in 社区共治 (the rules of core.policy).

Three kinds of people meet here:

* **residents**: users with the resident role whose unit is a community. They see their own
  community only (its matters, its deliberations), never staff data: raise matters, second
  them, comment, report content, and rate a solved matter they raised or seconded.
* **the community's staff**: staff members (unit admin, 效能办, 承办人) whose own unit is the
  community. They run it: invitation codes and residents, the deliberation list and the
  council, leads and handling, moderation, the official answer. Only they see residents'
  phone numbers whole (accounts.privacy).
* **staff above** (the street, the county, …): they see the matters of the communities in
  their subtree (and the statistics) — a street follows its communities — but do not run a
  community's affairs.

The state of a matter (may it still be seconded, is it solved) is the service's refusal,
with its reason; who may act is here.
"""

from django.db.models import Exists, OuterRef, Q

from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.community.models import (
    Comment,
    Decision,
    Deliberation,
    Group,
    Invitation,
    Matter,
    Photo,
    Progress,
    Rating,
    Report,
    Second,
)
from xiaoneng.core import policy
from xiaoneng.units.models import Level, Unit

RESIDENT = RoleCode.RESIDENT.value
# The community's own staff who run it.
RUNNERS = frozenset({RoleCode.UNIT_ADMIN.value, RoleCode.SUPERVISOR.value, RoleCode.HANDLER.value})


def resident_community(actor) -> Unit | None:
    """The community a resident belongs to (None: not a resident of a community)."""
    unit = getattr(actor, "unit", None)
    if RESIDENT in actor.role_codes and unit is not None and unit.level == Level.COMMUNITY:
        return unit
    return None


def staff_community(actor) -> Unit | None:
    """The community whose staff `actor` is (None: not a community's staff member)."""
    unit = policy.unit_of(actor)
    if unit is not None and unit.level == Level.COMMUNITY and RUNNERS & actor.role_codes:
        return unit
    return None


def _path_q(prefix: str, unit: Unit) -> Q:
    return Q(**{f"{prefix}path__startswith": unit.path})


# --- `where` and `check` builders ---------------------------------------------------------


def seen(lookup: str):
    """`where` for rows of a community (`lookup`: the path to its community foreign key):
    a resident's own community; a staff member's subtree."""

    def where_(actor) -> Q | None:
        home = resident_community(actor)
        reach = policy.unit_of(actor)
        q = None
        if home is not None:
            q = Q(**{f"{lookup}": home.pk})
        if reach is not None:
            sub = _path_q(f"{lookup}__", reach)
            q = sub if q is None else q | sub
        return q

    return where_


def seen_check(attr: str):
    def check(actor, obj) -> bool:
        community = _follow(obj, attr)
        home = resident_community(actor)
        if home is not None and community.pk == home.pk:
            return True
        return policy.within(community, actor)

    return check


def _follow(obj, attr: str):
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


def residents_of(lookup: str):
    """`where` for rows of the actor's own community, for a resident."""

    def where_(actor) -> Q | None:
        home = resident_community(actor)
        return None if home is None else Q(**{lookup: home.pk})

    return where_


def residents_check(attr: str):
    def check(actor, obj) -> bool:
        home = resident_community(actor)
        return home is not None and _follow(obj, attr).pk == home.pk

    return check


def run_by(lookup: str):
    """`where` for rows of the community the actor runs (its staff)."""

    def where_(actor) -> Q | None:
        home = staff_community(actor)
        return None if home is None else Q(**{lookup: home.pk})

    return where_


def run_check(attr: str):
    def check(actor, obj) -> bool:
        home = staff_community(actor)
        return home is not None and _follow(obj, attr).pk == home.pk

    return check


def members(lookup: str):
    """`where` for rows of the actor's community, resident or staff (discussion, raising)."""

    def where_(actor) -> Q | None:
        home = resident_community(actor) or staff_community(actor)
        return None if home is None else Q(**{lookup: home.pk})

    return where_


def members_check(attr: str):
    def check(actor, obj) -> bool:
        home = resident_community(actor) or staff_community(actor)
        return home is not None and _follow(obj, attr).pk == home.pk

    return check


def _pair(builder, checker, path: str) -> dict:
    return {"where": builder(path), "check": checker(path.replace("__", "."))}


# --- Seeing -------------------------------------------------------------------------------

policy.register(
    Matter, "view", **_pair(seen, seen_check, "community"), doc="居民：本社区；工作人员：本级及下级"
)
for seen_model in (Comment, Progress, Photo, Rating):
    policy.register(
        seen_model, "view", **_pair(seen, seen_check, "matter__community"), doc="随所属议题可见"
    )
policy.register(
    Deliberation,
    "view",
    **_pair(seen, seen_check, "community"),
    doc="居民：本社区；工作人员：本级及下级",
)
policy.register(
    Decision, "view", **_pair(seen, seen_check, "deliberation__community"), doc="随议事会可见"
)
policy.register(
    Group, "view", **_pair(seen, seen_check, "community"), doc="居民：本社区；工作人员：本级及下级"
)

# --- Residents ----------------------------------------------------------------------------

policy.register(
    Unit,
    "raise_matter",
    roles=(RESIDENT, *RUNNERS),
    where=members("pk"),
    check=lambda actor, unit: members_check("")(actor, unit),
    doc="提出议题：本社区居民和本社区工作人员",
)
policy.register(
    Matter,
    "second",
    roles=(RESIDENT,),
    **_pair(residents_of, residents_check, "community"),
    doc="附议：本社区居民（本人提出的除外，由服务判断）",
)
policy.register(
    Matter,
    "comment",
    roles=(RESIDENT, *RUNNERS),
    **_pair(members, members_check, "community"),
    doc="参与讨论：本社区居民和本社区工作人员",
)
policy.register(
    Matter,
    "report",
    roles=(RESIDENT,),
    **_pair(residents_of, residents_check, "community"),
    doc="举报不当内容：本社区居民",
)
policy.register(
    Matter,
    "rate",
    roles=(RESIDENT,),
    where=lambda actor: (
        None
        if resident_community(actor) is None
        else Q(community=resident_community(actor).pk)  # type: ignore[union-attr]
        & (
            Q(raised_by=actor.pk)
            | Q(Exists(Second.objects.filter(matter=OuterRef("pk"), resident=actor.pk)))
        )
    ),
    check=lambda actor, matter: (
        residents_check("community")(actor, matter)
        and (matter.raised_by_id == actor.pk or matter.seconds.filter(resident=actor.pk).exists())
    ),
    doc="评价办理结果：提出人和附议人（须已办结，由服务判断）",
)

# --- The community's staff ----------------------------------------------------------------

policy.register(
    Unit,
    "run_community",
    roles=RUNNERS,
    where=run_by("pk"),
    check=run_check(""),
    doc="社区事务：邀请码、居民、议事会、办理力量（本社区工作人员）",
)
for managed, path, doc in (
    (Matter, "community", "列入议事、确定牵头、办理、办结、隐藏、官方答复：本社区工作人员"),
    (Deliberation, "community", "议事会的议程、纪要和决定：本社区工作人员"),
    (Invitation, "community", "邀请码：本社区工作人员"),
    (Group, "community", "办理力量：本社区工作人员"),
    (Report, "matter__community", "处理举报：本社区工作人员"),
):
    policy.register(managed, "manage", roles=RUNNERS, **_pair(run_by, run_check, path), doc=doc)
policy.register(
    Invitation, "view", roles=RUNNERS, **_pair(run_by, run_check, "community"), doc="本社区工作人员"
)
policy.register(
    Report,
    "view",
    roles=RUNNERS,
    **_pair(run_by, run_check, "matter__community"),
    doc="本社区工作人员",
)


def _handles_where(actor) -> Q | None:
    home = staff_community(actor)
    q = Q(lead_user=actor.pk) | Q(lead_group__contact=actor.pk)
    return q if home is None else q | Q(community=home.pk)


def _handles(actor, matter: Matter) -> bool:
    home = staff_community(actor)
    if home is not None and matter.community_id == home.pk:
        return True
    if matter.lead_user_id is not None and matter.lead_user_id == actor.pk:
        return True
    group = matter.lead_group
    return group is not None and group.contact_id is not None and group.contact_id == actor.pk


policy.register(
    Matter,
    "handle",
    where=_handles_where,
    check=_handles,
    doc="发布办理进展：本社区工作人员、牵头人、牵头力量的联系人",
)


# --- Phone numbers ------------------------------------------------------------------------


def _phone_where(actor) -> Q | None:
    home = staff_community(actor)
    return Q(pk=actor.pk) if home is None else Q(pk=actor.pk) | Q(unit=home.pk)


def _sees_phone(actor, person) -> bool:
    home = staff_community(actor)
    return person.pk == actor.pk or (home is not None and person.unit_id == home.pk)


policy.register(
    User,
    "see_phone",
    where=_phone_where,
    check=_sees_phone,
    doc="看到完整手机号：本人，及本社区工作人员看本社区的人（其他人一律打码）",
)
