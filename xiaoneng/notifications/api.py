from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api import ScopedViewSetMixin
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "verb", "title", "url", "ref", "read_at", "created_at"]


class NotificationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own inbox."""

    queryset = Notification.objects.order_by("-created_at", "-id")
    serializer_class = NotificationSerializer
    filterset_fields = ["verb"]
    policy_actions = {"read": "change"}

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        services.mark_read(request.user, [note.pk])
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)
