"""REST API of 机关–社区联建: /api/branch-pairings/ and /api/branch-activities/ (list with the
pages' filters, retrieve, create through the same services and policy as the pages)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.branches import services
from xiaoneng.branches.filters import ActivityFilterSet, PairingFilterSet
from xiaoneng.branches.models import ActivityKind, BranchActivity, BranchPairing
from xiaoneng.core.api import ModelSerializer, ScopedViewSetMixin, Serializer
from xiaoneng.supervision.api import _drf_error
from xiaoneng.units.models import PartyBranch


class BranchesField(serializers.PrimaryKeyRelatedField):
    """A branch among `choices(caller)`; any other id gets the answer of an id that does not
    exist, so ids cannot be probed."""

    def __init__(self, *, choices, **kwargs):
        self.choices_for = choices
        super().__init__(queryset=PartyBranch.objects.none(), **kwargs)

    def get_queryset(self):
        return self.choices_for(getattr(self.context.get("request"), "user", None))


class BranchSerializer(ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = PartyBranch
        fields = ["id", "name", "unit", "unit_name"]
        read_only_fields = fields


class PairingSerializer(ModelSerializer):
    organ_branch = BranchesField(choices=services.pairing_branches)
    community_branch = BranchesField(choices=services.pairing_branches)
    organ_branch_detail = BranchSerializer(source="organ_branch", read_only=True)
    community_branch_detail = BranchSerializer(source="community_branch", read_only=True)

    class Meta:
        model = BranchPairing
        fields = [
            "id",
            "organ_branch",
            "organ_branch_detail",
            "community_branch",
            "community_branch_detail",
            "started_on",
            "ended_on",
            "notes",
        ]

    def validate(self, attrs):
        start, end = attrs.get("started_on"), attrs.get("ended_on")
        if start and end and end < start:
            raise serializers.ValidationError({"ended_on": [_("结束日期不能早于结对日期。")]})
        return attrs


class EndPairingSerializer(Serializer):
    ended_on = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PairingViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = BranchPairing.objects.select_related(
        "organ_branch__unit", "community_branch__unit"
    ).order_by("-started_on", "-id")
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    policy_actions = {"end": "change"}

    def perform_create(self, serializer):
        try:
            serializer.instance = services.create_pairing(
                actor=self.request.user, **serializer.validated_data
            )
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc

    @extend_schema(request=EndPairingSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        pairing = self.get_object()
        data = EndPairingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pairing = services.end_pairing(pairing, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(PairingSerializer(pairing).data)


class ActivitySerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    branches = BranchesField(choices=services.activity_branches, many=True)
    branches_detail = BranchSerializer(source="branches", many=True, read_only=True)
    participant_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100_000
    )

    class Meta:
        model = BranchActivity
        fields = [
            "id",
            "kind",
            "title",
            "date",
            "place",
            "branches",
            "branches_detail",
            "participant_count",
            "participants",
            "notes",
        ]


class ActivityViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = BranchActivity.objects.prefetch_related("branches__unit").order_by("-date", "-id")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activity = services.record_activity(actor=request.user, **serializer.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
