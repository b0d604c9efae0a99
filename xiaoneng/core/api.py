"""API building blocks shared by every module."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound


class IsStaffMember(permissions.BasePermission):
    """Authenticated cadres with a unit and a staff role. Residents use the community API only."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_member)


class ScopedViewSetMixin:
    """Every API queryset passes through the model's scope gate."""

    def get_queryset(self):
        return self.queryset.all().visible_to(self.request.user)

    def get_object(self):
        # One answer, in Chinese, for "no such row" and "not yours" (Django's own text is
        # English and names the model).
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("找不到该对象，或不在您的查看范围内。")) from None


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the caller: an id outside the scope gets the
    same "does not exist" answer as an id that does not exist, so ids cannot be probed."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return super().get_queryset().visible_to(user)
