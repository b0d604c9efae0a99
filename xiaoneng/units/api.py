from rest_framework import serializers, viewsets

from xiaoneng.core.api import ScopedViewSetMixin
from xiaoneng.units.filters import UnitFilterSet
from xiaoneng.units.models import Unit


class UnitSerializer(serializers.ModelSerializer):
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
    """Units within the caller's scope: its own subtree and the chain above it."""

    queryset = Unit.objects.order_by("path")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
