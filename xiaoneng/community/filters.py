"""The FilterSets of 社区共治: matters (the matter list, the workbench's counters, the API)
and reports (the moderation queue). The rows given are already the caller's
(`restrict(user, "view")`): an id naming nothing of theirs matches nothing."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.community.models import (
    Matter,
    MatterStatus,
    Rating,
    Report,
    ReportTarget,
    Second,
    solved_q,
)
from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.units.models import Unit


def visible_matters(user):
    """The matters `user` sees (policy "view"); hidden ones only for their raiser and the
    community's staff: everyone else never finds them in a list, nor opens them."""
    managed = Matter.objects.restrict(user, "manage").values("pk")
    return Matter.objects.restrict(user, "view").filter(
        Q(hidden_at__isnull=True) | Q(raised_by=user.pk) | Q(pk__in=managed)
    )


# The tabs of the list: where a matter stands, in the words a resident uses.
STAGES = [
    ("raised", _("征集附议")),
    ("listed", _("待议事")),
    ("handling", _("办理中")),
    ("done", _("已办结")),
    ("not_adopted", _("未采纳")),
]


def stage_q(stage: str) -> Q:
    """The matters of one tab. 办理中: adopted, being handled, or sent up to the street and
    not solved there yet; 已办结: solved (models.solved_q); 未采纳: rejected or merged."""
    if stage == "raised":
        return Q(status=MatterStatus.RAISED)
    if stage == "listed":
        return Q(status=MatterStatus.LISTED)
    if stage == "handling":
        return Q(status__in=(MatterStatus.ADOPTED, MatterStatus.HANDLING)) | (
            Q(status=MatterStatus.REFERRED) & ~solved_q()
        )
    if stage == "done":
        return solved_q()
    return Q(status__in=(MatterStatus.REJECTED, MatterStatus.MERGED))


class MatterFilterSet(FilterSet):
    """The tab (stage), the exact status, the community (by id: a community, or a street or
    county and everything under it), the viewer's own (mine: raised by me; seconded: seconded
    by me; to_rate: solved, mine to rate, not rated yet), overdue (past the handling
    deadline), a word of the title."""

    stage = django_filters.ChoiceFilter(label=_("进度"), choices=STAGES, method="filter_stage")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MatterStatus.choices)
    community = IdFilter(label=_("社区"), method="filter_community")
    mine = django_filters.BooleanFilter(label=_("我提出的"), method="filter_mine")
    seconded = django_filters.BooleanFilter(label=_("我附议的"), method="filter_seconded")
    to_rate = django_filters.BooleanFilter(label=_("等我评价"), method="filter_to_rate")
    overdue = django_filters.BooleanFilter(label=_("办理超期"), method="filter_overdue")
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Matter
        fields = ["stage", "status", "community", "mine", "seconded", "to_rate", "overdue", "q"]

    def _user_pk(self):
        user = getattr(self.request, "user", None)
        return getattr(user, "pk", None)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage_q(value))

    def filter_community(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(community__path__startswith=unit.path)

    def filter_mine(self, queryset, name, value):
        q = Q(raised_by=self._user_pk())
        return queryset.filter(q if value else ~q)

    def filter_seconded(self, queryset, name, value):
        mine = Exists(Second.objects.filter(matter=OuterRef("pk"), resident=self._user_pk()))
        return queryset.filter(mine if value else ~mine)

    def filter_to_rate(self, queryset, name, value):
        """Solved matters the viewer raised or seconded and has not rated yet."""
        me = self._user_pk()
        rated = Exists(Rating.objects.filter(matter=OuterRef("pk"), resident=me))
        seconded = Exists(Second.objects.filter(matter=OuterRef("pk"), resident=me))
        waiting = solved_q() & (Q(raised_by=me) | Q(seconded)) & ~Q(rated)
        return queryset.filter(waiting if value else ~waiting)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        late = queryset.overdue(today)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class ReportFilterSet(FilterSet):
    """The moderation queue: open (not handled yet) or handled reports, by target."""

    open = django_filters.BooleanFilter(label=_("待处理"), method="filter_open")
    target = django_filters.ChoiceFilter(label=_("举报对象"), choices=ReportTarget.choices)

    class Meta:
        model = Report
        fields = ["open", "target"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(handled_at__isnull=value)
