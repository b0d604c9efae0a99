"""The community module's panels of the workbench (core.workbench).

- The community's own staff (policy "run_community" on their community): the matters to put
  on the deliberation list (still collecting seconds), those waiting for the council, the
  adopted ones waiting for a lead, those whose handling is overdue (by how many working
  days, at most), and the reports to handle.
- A resident: the matters they raised, those they seconded, and the solved ones waiting for
  their rating.

Each counter counts the rows of the list it links to, through the list's own FilterSet
(filters.MatterFilterSet, filters.ReportFilterSet) over the same query string.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.community.filters import MatterFilterSet, ReportFilterSet, visible_matters
from xiaoneng.community.models import Matter, Report
from xiaoneng.core import policy
from xiaoneng.core.workbench import Counter, Panel
from xiaoneng.supervision.workdays import Calendar
from xiaoneng.units.models import Unit


def _rows(user, filterset_class, queryset, url_name: str, params: dict):
    query = urlencode(params)
    filterset = filterset_class(QueryDict(query), queryset, request=SimpleNamespace(user=user))
    return filterset.qs, f"{reverse(url_name)}?{query}"


def _matters(user, params: dict):
    return _rows(user, MatterFilterSet, visible_matters(user), "community:matter_list", params)


def _staff_panel(user) -> Panel:
    raised, raised_url = _matters(user, {"stage": "raised"})
    listed, listed_url = _matters(user, {"stage": "listed"})
    unled, unled_url = _matters(user, {"status": "adopted"})
    late, late_url = _matters(user, {"overdue": "true"})
    reports, reports_url = _rows(
        user,
        ReportFilterSet,
        Report.objects.restrict(user, "view"),
        "community:report_list",
        {"open": "true"},
    )
    today = timezone.localdate()
    oldest = late.order_by("deadline").values_list("deadline", flat=True).first()
    worst = Calendar().workdays_between(oldest, today) if oldest else 0
    return Panel(
        title=_("社区议事"),
        counters=[
            Counter(
                label=_("征集附议中"),
                count=raised.count(),
                url=raised_url,
                hint=_("可直接列入议事"),
            ),
            Counter(label=_("待议事会商议"), count=listed.count(), url=listed_url),
            Counter(
                label=_("已采纳待确定牵头"),
                count=unled.count(),
                url=unled_url,
                tone="warn",
            ),
            Counter(
                label=_("办理超期"),
                count=late.count(),
                url=late_url,
                tone="danger",
                hint=(_("最长超期 %d 个工作日") % worst) if worst else "",
            ),
            Counter(
                label=_("待处理举报"),
                count=reports.count(),
                url=reports_url,
                tone="warn",
            ),
        ],
        links=[
            (_("登记议事会"), reverse("community:deliberation_create")),
            (_("提出议题"), reverse("community:matter_create")),
        ],
        order=30,
    )


def _resident_panel(user) -> Panel:
    mine, mine_url = _matters(user, {"mine": "true"})
    seconded, seconded_url = _matters(user, {"seconded": "true"})
    to_rate, to_rate_url = _matters(user, {"to_rate": "true"})
    return Panel(
        title=_("社区议事"),
        counters=[
            Counter(label=_("我提出的议题"), count=mine.count(), url=mine_url),
            Counter(label=_("我附议的议题"), count=seconded.count(), url=seconded_url),
            Counter(
                label=_("等我评价"),
                count=to_rate.count(),
                url=to_rate_url,
                tone="warn",
                hint=_("已办结，请说说是否满意"),
            ),
        ],
        links=[
            (_("我要反映一件事"), reverse("community:matter_create")),
            (_("看看社区议题"), reverse("community:matter_list")),
        ],
        order=10,
    )


def panels(user) -> list[Panel]:
    if getattr(user, "is_system", False) or not policy.can_any(user, "view", Matter):
        return []
    if policy.can_any(user, "run_community", Unit):
        return [_staff_panel(user)]
    if policy.can_any(user, "second", Matter):
        return [_resident_panel(user)]
    return []
