"""API building blocks shared by every module."""

from typing import TYPE_CHECKING, Any

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


if TYPE_CHECKING:  # what the mixins are mixed into
    from rest_framework import generics

    _View: Any = generics.GenericAPIView
    _Serializer: Any = serializers.Serializer
else:
    _View = _Serializer = object


class ScopedViewSetMixin(_View):
    """Every API queryset passes through the permission policy (core.policy): the rows the
    caller may take the viewset's action on. `policy_action` names it ("view" by default);
    `policy_actions` names another for some of the viewset's own actions (a POST to
    `urges` looks its row up among those the caller may "urge")."""

    policy_action = "view"
    policy_actions: dict[str, str] = {}

    def get_policy_action(self) -> str:
        return self.policy_actions.get(getattr(self, "action", None) or "", self.policy_action)

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, self.get_policy_action())

    def get_object(self):
        # One answer, in Chinese, for "no such row" and "not yours" (Django's own text is
        # English and names the model).
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("找不到该对象，或不在您的查看范围内。")) from None


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id among the rows the caller may take `action` on (the action the request
    performs with it: "assign" for an item's lead unit; "view" by default): any other id gets
    the same "does not exist" answer as an id that does not exist, so ids cannot be probed."""

    def __init__(self, *args, action: str = "view", **kwargs):
        self.policy_action = action
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        rows: Any = super().get_queryset()
        return rows.restrict(user, self.policy_action)


class BoundedInputMixin(_Serializer):
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
