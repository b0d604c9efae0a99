"""API building blocks shared by every module."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError

from xiaoneng.core.converters import MAX_ID
from xiaoneng.core.forms import bounded_validators, validate_date


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


class BoundedInputMixin:
    """The API's side of core.forms: dates in the window, texts within their maximum."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.read_only:
                continue
            if isinstance(field, serializers.DateField | serializers.DateTimeField):
                field.validators.append(validate_date)
            elif isinstance(field, serializers.CharField):
                field.validators = bounded_validators(field.validators, field.max_length)
                field.max_length = field.max_length or settings.TEXT_MAX_CHARS  # in the schema
        return fields


class Serializer(BoundedInputMixin, serializers.Serializer):
    pass


class ModelSerializer(BoundedInputMixin, serializers.ModelSerializer):
    pass


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """?limit=1..max_limit and ?offset=0..; anything else is refused, naming the parameter
    (DRF's own ignores a bad value, and a limit beyond 64 bits fails in the database)."""

    max_limit = 1000

    def get_limit(self, request):
        if self.limit_query_param in request.query_params:
            return self._number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit

    def get_offset(self, request):
        if self.offset_query_param in request.query_params:
            return self._number(request, self.offset_query_param, 0, MAX_ID)
        return 0

    def _number(self, request, name, low, high) -> int:
        text = request.query_params[name]
        if text.isascii() and text.isdigit() and len(text) <= 19 and low <= int(text) <= high:
            return int(text)
        raise ValidationError(
            {name: [_("应为 %(low)d 至 %(high)d 之间的整数。") % {"low": low, "high": high}]}
        )
