"""REST API of 督查督办: /api/items/ (list with the list page's filters, create, retrieve),
transitions, progress reports, urges, children; /api/violations/."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from xiaoneng.accounts.models import User
from xiaoneng.core.api import (
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSetMixin,
    Serializer,
)
from xiaoneng.core.versioning import (
    VERSION_HELP,
    StaleEdit,
    StaleEditConflict,
    StaleEditSerializer,
    version_of,
)
from xiaoneng.supervision import negative, services
from xiaoneng.supervision.filters import ItemFilterSet
from xiaoneng.supervision.lights import with_light
from xiaoneng.supervision.models import (
    ActionTaken,
    Behaviour,
    Item,
    ItemKind,
    Source,
    Urgency,
    Violation,
)
from xiaoneng.units.models import Unit


def _drf_error(exc):
    """A service's refusal as DRF's: field errors under their field names (as the
    serializers report them), other reasons under "detail"; an edit overtaken by someone
    else's: 409 naming who changed what."""
    if isinstance(exc, StaleEdit):
        return StaleEditConflict(exc)
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})


class ItemSerializer(ModelSerializer):
    light = serializers.CharField(source="light_now", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    version = serializers.SerializerMethodField(
        help_text="读取时的版本：修改（transitions、progress）时原样带上。"
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "version",
            "code",
            "kind",
            "title",
            "description",
            "source",
            "status",
            "light",
            "lead_unit",
            "lead_unit_name",
            "responsible",
            "assigned_by",
            "assigning_unit",
            "assigned_on",
            "deadline",
            "deadline_basis",
            "deadline_count",
            "deadline_provisional",
            "plan_deadline",
            "urgency",
            "tags",
            "parent",
            "progress",
            "rectification",
            "evidence",
            "standard",
            "ref",
            "urge_count",
            "escalated",
            "closed_on",
        ]
        read_only_fields = fields

    def get_version(self, item) -> str:
        return version_of(item)


class ItemCreateSerializer(Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=Source.choices, default="superior")
    lead_unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all())
    co_units = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    responsible = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    parent = ScopedPrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True
    )
    assigned_on = serializers.DateField(required=False)
    plan_deadline = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False)
    deadline_workdays = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    deadline_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default="normal")
    tags = serializers.CharField(required=False, allow_blank=True, default="")
    rectification = serializers.CharField(required=False, allow_blank=True, default="")
    standard = serializers.CharField(required=False, allow_blank=True, default="")
    ref = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionSerializer(Serializer):
    action = serializers.ChoiceField(choices=services.ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    percent = serializers.IntegerField(required=False, min_value=0, max_value=100)
    plan = serializers.CharField(required=False, allow_blank=True)
    rectification = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.CharField(max_length=30, help_text=VERSION_HELP)


class ProgressSerializer(Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField()
    version = serializers.CharField(max_length=30, help_text=VERSION_HELP)


class UrgeSerializer(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ChildrenSerializer(Serializer):
    units = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False)


class ItemViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Item.objects.select_related("lead_unit").order_by("deadline", "id")
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet

    def get_queryset(self):
        return with_light(super().get_queryset())

    def _fresh(self, item):
        return self.get_queryset().get(pk=item.pk)

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemSerializer})
    def create(self, request, *args, **kwargs):
        data = ItemCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lead = values["lead_unit"]
        if not Unit.objects.visible_to(request.user).filter(pk=lead.pk).exists():
            raise ValidationError({"lead_unit": ["找不到该单位。"]})
        try:
            item = services.assign_item(actor=request.user, **values)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer, responses={200: ItemSerializer, 409: StaleEditSerializer}
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        item = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = services.transition(item, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data)

    @extend_schema(
        request=ProgressSerializer, responses={200: ItemSerializer, 409: StaleEditSerializer}
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        item = self.get_object()
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = services.report_progress(item, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data)

    @extend_schema(request=UrgeSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def urges(self, request, pk=None):
        item = self.get_object()
        data = UrgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.urge(item, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChildrenSerializer, responses=ItemSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def children(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            rows = self.get_queryset().filter(parent=item)
            return Response(ItemSerializer(rows, many=True).data)
        data = ChildrenSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            children = services.decompose(item, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        rows = self.get_queryset().filter(pk__in=[c.pk for c in children])
        return Response(ItemSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class ViolationSerializer(ModelSerializer):
    behaviour = ScopedPrimaryKeyRelatedField(queryset=Behaviour.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all())
    # An account outside the caller's scope gets the answer of an id that does not exist.
    person = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    person_display = serializers.StringRelatedField(source="person", read_only=True)
    action = serializers.ChoiceField(choices=ActionTaken.choices)

    class Meta:
        model = Violation
        fields = [
            "id",
            "behaviour",
            "unit",
            "person",
            "person_display",
            "person_name",
            "date",
            "facts",
            "action",
            "action_detail",
            "item",
            "published",
            "published_on",
        ]
        read_only_fields = ["published", "published_on"]

    def validate(self, attrs):
        person, unit = attrs.get("person"), attrs.get("unit")
        if person is not None and unit is not None and not negative.person_in_unit(person, unit):
            raise ValidationError({"person": [_("该账号不属于所选单位及其下级单位。")]})
        return attrs


class ViolationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Violation.objects.select_related("behaviour", "person").order_by("-date", "-id")
    serializer_class = ViolationSerializer
    filterset_fields = ["behaviour", "unit", "published", "action"]

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        if (
            values.get("item")
            and not Item.objects.visible_to(self.request.user).filter(pk=values["item"].pk).exists()
        ):
            raise ValidationError({"item": ["找不到该事项。"]})
        try:
            serializer.instance = negative.record_violation(actor=self.request.user, **values)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
