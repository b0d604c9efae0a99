"""REST API of 督查督办: /api/items/ (list with the list page's filters, create, retrieve,
PATCH to change), progress reports, urges, children; /api/violations/."""

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
from xiaoneng.supervision import listing, negative, services
from xiaoneng.supervision.filters import ItemFilterSet, ViolationFilterSet
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


class PeopleField(serializers.PrimaryKeyRelatedField):
    """A person among `people(caller)` (an item's responsible person, a violation's); anyone
    else gets the answer of an id that does not exist."""

    def __init__(self, *, people, **kwargs):
        self.people = people
        super().__init__(queryset=User.objects.none(), **kwargs)

    def get_queryset(self):
        return self.people(getattr(self.context.get("request"), "user", None))


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
    # The form's fields, restricted as the form's are (AssignForm).
    lead_unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), action="assign")
    co_units = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), action="assign", many=True, required=False
    )
    responsible = PeopleField(people=services.people_to_name, required=False, allow_null=True)
    parent = ScopedPrimaryKeyRelatedField(
        queryset=Item.objects.all(), action="assign_child", required=False, allow_null=True
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


def _people_seen(actor):
    return User.objects.restrict(actor, "view").filter(is_active=True)


class ItemUpdateSerializer(Serializer):
    """PATCH: any of the ledger's updatable columns (services.update_item), and the version.
    Units and people are named among those the caller sees; the service requires a lead
    unit or co-unit they may assign to (unless the item has it already) and a responsible
    person of the lead unit."""

    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    lead_unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    co_units = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    responsible = PeopleField(people=_people_seen, required=False, allow_null=True)
    assigned_on = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False)
    deadline_workdays = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rectification = serializers.CharField(required=False, allow_blank=True)
    standard = serializers.CharField(required=False, allow_blank=True)
    version = serializers.CharField(max_length=30, help_text=VERSION_HELP)


LOWER_REASON_HELP = "进度下调原因：percent 低于事项当前进度时必填，否则 400。"


class TransitionSerializer(Serializer):
    action = serializers.ChoiceField(choices=services.ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    percent = serializers.IntegerField(required=False, min_value=0, max_value=100)
    plan = serializers.CharField(required=False, allow_blank=True)
    rectification = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    lower_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=LOWER_REASON_HELP
    )
    version = serializers.CharField(max_length=30, help_text=VERSION_HELP)


class ProgressSerializer(Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField()
    lower_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=LOWER_REASON_HELP
    )
    version = serializers.CharField(max_length=30, help_text=VERSION_HELP)


class UrgeSerializer(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_escalation = serializers.BooleanField(
        required=False,
        default=False,
        help_text="本次催办将提级督办时（催办次数达到 XIAONENG_URGE_ESCALATE_AFTER）须为 true，否则 400。",
    )


class ChildrenSerializer(Serializer):
    # The lead unit's sub-units (DecomposeForm): within the caller's subtree.
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
    # A write looks its row up among those the caller may take the write on (as the pages
    # do); a transition's is named in its body (transitions()).
    policy_actions = {"progress": "handle", "urges": "urge", "partial_update": "change"}

    def get_policy_action(self) -> str:
        request = getattr(self, "request", None)
        if request is not None and request.method == "POST":
            if self.action == "children":
                return "decompose"
            if self.action == "transitions":
                data = request.data
                rule = services.RULES.get(data.get("action")) if hasattr(data, "get") else None
                return rule.who if rule is not None else "view"  # the serializer says why
        return super().get_policy_action()

    def get_queryset(self):
        return with_light(super().get_queryset())

    def list(self, request, *args, **kwargs):
        """Attention first, as the list page: red, yellow, green, closed (listing.AttentionList:
        a page fetched segment by segment from the light counts, each an indexed query),
        then the page's items read as the serializer needs them."""
        scoped = self.filter_queryset(super().get_queryset())
        ordered = listing.AttentionList(scoped, listing.light_counts(scoped))
        page = self.paginate_queryset(ordered)
        found = self.get_queryset().in_bulk([row.pk for row in page])
        data = ItemSerializer([found[row.pk] for row in page], many=True).data
        return self.get_paginated_response(data)

    def _fresh(self, item):
        return with_light(self.queryset.restrict(self.request.user, "view")).get(pk=item.pk)

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemSerializer})
    def create(self, request, *args, **kwargs):
        data = ItemCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            item = services.assign_item(actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ItemUpdateSerializer, responses={200: ItemSerializer, 409: StaleEditSerializer}
    )
    def partial_update(self, request, *args, **kwargs):
        """修改事项 (services.update_item, as the edit page and the ledger import): the
        fields sent, with the version the item was read at."""
        item = self.get_object()
        data = ItemUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        try:
            item = services.update_item(item, actor=request.user, version=version, **values)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ItemSerializer(self._fresh(item)).data)

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
        rows = with_light(self.queryset.restrict(request.user, "view")).filter(
            pk__in=[c.pk for c in children]
        )
        return Response(ItemSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class ViolationSerializer(ModelSerializer):
    behaviour = ScopedPrimaryKeyRelatedField(queryset=Behaviour.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), action="record_violation")
    # An account or item outside the caller's reach gets the answer of an id that does not
    # exist (ViolationForm's choices).
    person = PeopleField(people=negative.people_for, required=False, allow_null=True)
    item = ScopedPrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True
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
    filterset_class = ViolationFilterSet

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        try:
            serializer.instance = negative.record_violation(actor=self.request.user, **values)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
