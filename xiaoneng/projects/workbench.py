"""The project module's panels of the workbench (core.workbench).

- whoever sends monthly reports (policy "report"): last month's 月度调度表 still to send,
  with its deadline, and the reports missing after a deadline (缺报);
- leaders and supervisors (policy "oversee_projects"): the KPIs of their scope — the
  dashboard's own figures (kpis.summary over the projects they see) — the warned and red
  projects, and the projects whose 包保领导 is their name.

Red (tone "danger") is the red light's alone: late reports are "warn".

Every counter counts the rows of the project list it links to: both are the list's
FilterSet over the same query string (`_counter`), so they cannot disagree.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.workbench import Counter, Panel
from xiaoneng.projects import alerts, kpis
from xiaoneng.projects.filters import ProjectFilterSet
from xiaoneng.projects.models import Project


def _counter(user, label: str, params: dict, *, tone: str = "", hint: str = "") -> Counter:
    """A counter of the project list at `params`, and its link."""
    query = urlencode(params)
    filterset = ProjectFilterSet(
        QueryDict(query), Project.objects.restrict(user, "view"), request=SimpleNamespace(user=user)
    )
    url = f"{reverse('projects:project_list')}?{query}"
    return Counter(label=label, count=filterset.qs.count(), url=url, tone=tone, hint=hint)


def _reporting(user, today) -> Panel:
    """Before the deadline: last month's reports still to send (待报) and the earlier months
    missing (缺报); after it, last month's are missing too, and only 缺报 is left."""
    month = alerts.report_month(today)
    deadline = alerts.report_deadline(today)
    day = f"{deadline.month}月{deadline.day}日"
    counters = []
    if today <= deadline:
        counters.append(
            _counter(
                user,
                _("%(m)d月月度调度表待报") % {"m": month.month},
                {"warning": "due"},
                tone="warn",
                hint=_("截止日%s") % day,
            )
        )
        missing_hint = _("以前月份，已过截止日")
    else:
        missing_hint = _("含%(m)d月，截止日%(d)s已过") % {"m": month.month, "d": day}
    counters.append(
        _counter(user, _("月度调度表缺报"), {"warning": "missing"}, tone="warn", hint=missing_hint)
    )
    return Panel(
        title=_("月度调度表"),
        counters=counters,
        links=[
            (
                _("下载%d月月度调度表（已列出待报项目）") % month.month,
                reverse("projects:report_template"),
            ),
            (_("导入月度调度表"), reverse("projects:report_import")),
        ],
        order=40,
    )


def _overseeing(user, today) -> Panel:
    projects = Project.objects.restrict(user, "view")
    summary = kpis.summary(projects)
    counters = [
        _counter(user, _("预警项目"), {"warning": "warned"}, tone="warn", hint=_("黄灯或红灯")),
        _counter(user, _("红灯项目"), {"warning": "red"}, tone="danger"),
    ]
    name = (user.name or "").strip()
    if name:
        led = _counter(
            user,
            _("我包保的项目"),
            {"leader": name},
            hint=_("按“包保领导”一栏与姓名“%s”相同匹配") % name,
        )
        if led.count:
            counters.insert(0, led)
    unit = policy.unit_of(user)
    return Panel(
        title=_("重大项目调度") + (f" · {unit.name}" if unit is not None else ""),
        counters=counters,
        template="projects/_workbench_kpis.html",
        context={"summary": summary},
        links=[
            (_("项目调度一览"), reverse("projects:dashboard")),
            (_("大屏"), reverse("projects:screen")),
        ],
        order=45,
    )


def panels(user) -> list[Panel]:
    if not getattr(user, "is_staff_member", False):
        return []
    today = timezone.localdate()
    found = []
    if policy.can_any(user, "report", Project):
        found.append(_reporting(user, today))
    if policy.can(user, "oversee_projects"):
        found.append(_overseeing(user, today))
    return found
