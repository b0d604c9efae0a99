"""API building blocks shared by every module."""

from rest_framework import permissions, serializers


class IsStaffMember(permissions.BasePermission):
    """Authenticated cadres with a unit and a staff role. Residents use the community API only."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_member)


class ScopedViewSetMixin:
    """Every API queryset passes through the model's scope gate."""

    def get_queryset(self):
        return self.queryset.all().visible_to(self.request.user)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the caller: an id outside the scope gets the
    same "does not exist" answer as an id that does not exist, so ids cannot be probed."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return super().get_queryset().visible_to(user)
