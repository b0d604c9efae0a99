"""The visit FilterSet, shared by the visit list and /api/visits/."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.fieldwork.models import Finding, Visit, VisitKind, VisitPlace
from xiaoneng.units.models import Unit


class VisitFilterSet(FilterSet):
    """The leader (by id), the kind, the year of the start date, a place (by id: visits to it
    or to a unit below it), whether a finding still waits to become a problem item. The rows are already the caller's: an id that names nothing of
    theirs matches nothing."""

    leader = IdFilter(label=_("领导干部"), field_name="leader_id")
    kind = django_filters.ChoiceFilter(label=_("方式"), choices=VisitKind.choices)
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="start_date__year", min_value=2000, max_value=2100
    )
    place = IdFilter(label=_("到访地点"), method="filter_place")
    pending = django_filters.BooleanFilter(label=_("有待转办的问题"), method="filter_pending")

    class Meta:
        model = Visit
        fields = ["leader", "kind", "year", "place", "pending"]

    def filter_pending(self, queryset, name, value):
        """Visits with a finding not yet turned into a problem item (or, "no": none)."""
        waiting = Exists(Finding.objects.filter(visit=OuterRef("pk"), item__isnull=True))
        return queryset.filter(waiting if value else ~waiting)

    def filter_place(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        below = VisitPlace.objects.filter(visit=OuterRef("pk"), unit__path__startswith=unit.path)
        return queryset.filter(Exists(below))
