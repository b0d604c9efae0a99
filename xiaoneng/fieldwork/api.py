"""REST API of 下基层: /api/visits/ (list with the list page's filters, retrieve, create
through services.record_visit), /api/visits/{id}/findings/ (add one),
/api/findings/{id}/to-item/ (turn one into a problem item), /api/visits/stats/."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from xiaoneng.accounts.models import User
from xiaoneng.core import policy
from xiaoneng.core.api import (
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSetMixin,
    Serializer,
)
from xiaoneng.core.converters import parse_id, parse_number
from xiaoneng.fieldwork import services, stats
from xiaoneng.fieldwork.filters import VisitFilterSet
from xiaoneng.fieldwork.models import Finding, Visit, VisitKind
from xiaoneng.supervision.api import _drf_error
from xiaoneng.units.models import Unit


class FindingSerializer(ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "order", "text", "item"]
        read_only_fields = ["id", "order", "item"]


class VisitSerializer(ModelSerializer):
    leader_name = serializers.StringRelatedField(source="leader", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    places = serializers.SerializerMethodField()
    days = serializers.IntegerField(read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "leader",
            "leader_name",
            "unit",
            "unit_name",
            "start_date",
            "end_date",
            "days",
            "kind",
            "places",
            "met",
            "notes",
            "findings",
        ]
        read_only_fields = fields

    def get_places(self, visit) -> list[dict]:
        return [{"id": u.pk, "name": u.name} for u in visit.place_list()]


class VisitCreateSerializer(Serializer):
    leader = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), action="record_visit")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    kind = serializers.ChoiceField(choices=VisitKind.choices, default=VisitKind.SURVEY)
    places = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), action="visit_place", many=True, allow_empty=False
    )
    met = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    findings = serializers.ListField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        default=list,
        max_length=services.MAX_FINDINGS,
    )

    def validate(self, attrs):
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["结束日期不能早于开始日期。"]})
        return attrs


class FindingCreateSerializer(Serializer):
    text = serializers.CharField(max_length=2000)


class ToItemSerializer(Serializer):
    lead_unit = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), action="assign", required=False
    )
    deadline = serializers.DateField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ToItemResultSerializer(Serializer):
    finding = serializers.IntegerField()
    item = serializers.IntegerField()
    code = serializers.CharField()


class StatsRowSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    visits = serializers.IntegerField()
    days = serializers.IntegerField()
    findings = serializers.IntegerField()
    solved = serializers.IntegerField()
    required = serializers.IntegerField(required=False)


class StatsSerializer(Serializer):
    year = serializers.IntegerField()
    unit = serializers.IntegerField()
    units = StatsRowSerializer(many=True)
    leaders = StatsRowSerializer(many=True)


def _visits():
    return Visit.objects.select_related("leader", "unit").prefetch_related(
        "visitplace_set__unit", "findings"
    )


class VisitViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = _visits().order_by("-start_date", "-id")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    policy_actions = {"findings": "change"}

    def _fresh(self, visit):
        return _visits().restrict(self.request.user, "view").get(pk=visit.pk)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        data = VisitCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            visit = services.record_visit(actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(VisitSerializer(self._fresh(visit)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FindingCreateSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        visit = self.get_object()
        data = FindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            finding = services.add_finding(visit, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="年度，默认今年"),
            OpenApiParameter("unit", int, description="单位编号，默认本单位"),
        ],
        responses={200: StatsSerializer},
    )
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Per unit (the unit and its sub-units, each rolling up its subtree's leaders) and
        per leader: visits, days (with the annual requirement), findings, findings solved."""
        this = timezone.localdate().year
        year = parse_number(request.query_params.get("year"), 2000, this + 1) or this
        own = policy.unit_of(request.user)
        if own is None:
            raise PermissionDenied
        unit = own
        unit_id = parse_id(request.query_params.get("unit"))
        if unit_id is not None:
            unit = Unit.objects.restrict(request.user, "view").filter(pk=unit_id).first() or own
        seen = Unit.objects.restrict(request.user, "view")
        units = [unit, *seen.filter(parent=unit).order_by("sort_key")]
        figures = stats.totals(units, year)
        leaders = stats.per_leader(
            Visit.objects.restrict(request.user, "view").filter(unit__path__startswith=unit.path),
            year,
        )
        return Response(
            {
                "year": year,
                "unit": unit.pk,
                "units": [{"id": u.pk, "name": u.name, **figures[u.pk]} for u in units],
                "leaders": [
                    {
                        "id": r.leader_id,
                        "name": r.name,
                        "visits": r.visits,
                        "days": r.days,
                        "findings": r.findings,
                        "solved": r.solved,
                        "required": r.required,
                    }
                    for r in leaders
                ],
            }
        )


class FindingViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Finding.objects.order_by("id")
    serializer_class = FindingSerializer
    policy_actions = {"to_item": "convert"}

    @extend_schema(request=ToItemSerializer, responses={201: ToItemResultSerializer})
    @action(detail=True, methods=["post"], url_path="to-item")
    def to_item(self, request, pk=None):
        """转为问题清单: the finding becomes a problem item (once only)."""
        finding = self.get_object()
        data = ToItemSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            item = services.finding_to_item(finding, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(
            {"finding": finding.pk, "item": item.pk, "code": item.code},
            status=status.HTTP_201_CREATED,
        )
