"""The fieldwork module's panel of the workbench (core.workbench): a leader's own year at
the grassroots — visits and days against the requirement of their level, findings and
findings solved — and the visits whose findings still wait to become problem items.

Who gets it: whoever may record visits for themself (policy "record_visit" on their own
person: a leader). Each counter counts the rows of the visit list it links to, through the
list's own FilterSet over the same query string.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.workbench import Counter, Panel
from xiaoneng.fieldwork import conf, stats
from xiaoneng.fieldwork.filters import VisitFilterSet
from xiaoneng.fieldwork.models import Visit


def _visits(user, params: dict):
    query = urlencode(params)
    filterset = VisitFilterSet(
        QueryDict(query), Visit.objects.restrict(user, "view"), request=SimpleNamespace(user=user)
    )
    return filterset.qs, f"{reverse('fieldwork:visit_list')}?{query}"


def panels(user) -> list[Panel]:
    if getattr(user, "is_system", False) or not policy.can(user, "record_visit", user):
        return []
    year = timezone.localdate().year
    mine, mine_url = _visits(user, {"leader": user.pk, "year": year})
    figures = dict.fromkeys(stats.KEYS, 0)
    for row in stats.with_figures(mine).values("n_days", "n_findings", "n_solved"):
        figures["visits"] += 1
        figures["days"] += row["n_days"]
        figures["findings"] += row["n_findings"]
        figures["solved"] += row["n_solved"]
    required = conf.required_days(user.unit.level)
    pending, pending_url = _visits(user, {"leader": user.pk, "pending": "true"})
    counters = [
        Counter(
            label=_("本年度下基层"),
            count=figures["visits"],
            url=mine_url,
            hint=_("%(days)d 天，年度要求 %(required)d 天")
            % {"days": figures["days"], "required": required},
        ),
        Counter(
            label=_("有待转为问题清单的记录"),
            count=pending.count(),
            url=pending_url,
            tone="warn",
            hint=_("发现的问题要转办，才能跟踪解决"),
        ),
    ]
    return [
        Panel(
            title=_("下基层 · 本年度"),
            counters=counters,
            links=[
                (
                    _("发现问题 %(found)d 个，已解决 %(solved)d 个")
                    % {"found": figures["findings"], "solved": figures["solved"]},
                    reverse("fieldwork:visit_stats"),
                ),
                (_("登记下基层"), reverse("fieldwork:visit_create")),
            ],
            order=40,
        )
    ]
