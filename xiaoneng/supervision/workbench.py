"""督查督办 on the workbench (工作台, core.workbench): per side of the work, counters that
open the item list filtered to exactly the rows they count, and the most urgent open items.

Every counter is a set of the item list's own filters (ItemFilterSet): its number is that
filterset's row count for the user, its link the list with those filters, so the two cannot
differ (tests/test_workbench.py follows every link and compares). Who gets which panel is
the policy's ("handle_items", "supervise_items", "oversee_items": supervision/policy.py):

- the lead unit's side (承办): items the user may "handle" — 待签收, 待报方案, 进展待报,
  即将到期, 已超期, 被退回;
- supervisors (效能办): items led in their unit's subtree — 已超期（红灯）, 提级督办;
  closures waiting for their review (待审核); and the rows of their 我的待办;
- leaders: items led in their subtree escalated to leaders (提级督办), and the open items
  their unit and those below lead, with the red ones.

Overdue and red are one number: red is "open and past the deadline" (lights.py), so a
supervisor sees one counter 已超期（红灯）, not two equal ones.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.workbench import Counter, Panel
from xiaoneng.supervision import listing
from xiaoneng.supervision.models import Item, Status

URGENT_SHOWN = 5


def list_url(params: dict) -> str:
    return f"{reverse('supervision:item_list')}?{urlencode(params)}"


def count(user, params: dict) -> int:
    """The number of rows the item list shows for `params` (its "共 N 项")."""
    return listing.filtered(user, params).qs.count()


def counter(user, label, params: dict, tone: str = "", hint: str = "") -> Counter:
    return Counter(label, count(user, params), list_url(params), tone, hint)


def urgent(user, params: dict) -> list:
    """The first rows of the list `params` opens, attention first (red, then yellow …)."""
    filterset = listing.filtered(user, params)
    base = filterset.qs
    return listing.AttentionList(base, listing.light_counts(base))[:URGENT_SHOWN]


def handler_counters(user) -> list[Counter]:
    mine = {"mine": "handle"}
    return [
        counter(user, _("待签收"), {**mine, "status": Status.ASSIGNED}, "warn"),
        counter(user, _("待报方案"), {**mine, "status": Status.ACKNOWLEDGED}),
        counter(
            user,
            _("进展待报"),
            {**mine, "due": "report"},
            hint=_("方案已报或办理中，近期未反馈进展"),
        ),
        counter(user, _("即将到期"), {**mine, "due": "soon"}, "warn"),
        counter(user, _("已超期"), {**mine, "light": "red"}, "danger"),
        counter(user, _("被退回"), {**mine, "status": Status.SENT_BACK}, "warn"),
    ]


def supervisor_counters(user) -> list[Counter]:
    subtree = {"unit": user.unit_id}
    return [
        counter(
            user,
            _("已超期（红灯）"),
            {**subtree, "light": "red"},
            "danger",
            _("本单位及下级牵头"),
        ),
        counter(user, _("提级督办"), {**subtree, "escalated": "true", "status": "open"}, "warn"),
        counter(user, _("待审核"), {"mine": "review", "status": Status.CLOSURE_REQUESTED}),
        Counter(
            _("我的待办"),
            listing.my_work_count(user),
            reverse("supervision:my_work"),
            hint=_("待办理、待审核、可催办"),
        ),
    ]


def leader_counters(user) -> list[Counter]:
    subtree = {"unit": user.unit_id}
    return [
        counter(user, _("提级督办"), {**subtree, "escalated": "true", "status": "open"}, "warn"),
        counter(user, _("牵头事项（未办结）"), {**subtree, "status": "open"}),
        counter(user, _("其中红灯"), {**subtree, "light": "red"}, "danger"),
    ]


def panels(user) -> list[Panel]:
    if not policy.can_any(user, "view", Item) or user.unit_id is None:
        return []
    sides = []
    # The lead unit's people, and anyone named responsible for an item.
    if policy.can(user, "handle_items") or Item.objects.restrict(user, "handle").exists():
        sides.append(
            (_("督查督办 · 承办"), handler_counters(user), {"mine": "handle", "status": "open"})
        )
    if policy.can(user, "supervise_items"):
        sides.append(
            (
                _("督查督办 · 督查"),
                supervisor_counters(user),
                {"unit": user.unit_id, "status": "open"},
            )
        )
    if policy.can(user, "oversee_items"):
        sides.append(
            (_("督查督办 · 领导"), leader_counters(user), {"unit": user.unit_id, "status": "open"})
        )
    found = []
    for index, (title, counters, scope) in enumerate(sides):
        extra = {}
        if index == 0:  # the most urgent items once, under the first panel
            extra = {
                "template": "supervision/_workbench_urgent.html",
                "context": {"rows": urgent(user, scope), "all_url": list_url(scope)},
            }
        found.append(
            Panel(
                title,
                counters,
                order=10 + index,
                **extra,
            )
        )
    return found
