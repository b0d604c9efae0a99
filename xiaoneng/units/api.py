from rest_framework import viewsets

from xiaoneng.core.api import ModelSerializer, ScopedViewSetMixin
from xiaoneng.units.filters import UnitFilterSet
from xiaoneng.units.models import Unit


class UnitSerializer(ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "depth",
            "lon",
            "lat",
        ]


class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Units within the caller's scope: its own subtree and the chain above it (the names a
    client shows in breadcrumbs: core.policy "view_ancestors")."""

    policy_action = "view_ancestors"
    queryset = Unit.objects.order_by("sort_key")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
