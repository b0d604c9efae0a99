"""REST API: projects (read-only, scoped) and the summary of item 5."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from xiaoneng.core.api import ModelSerializer, ScopedViewSetMixin
from xiaoneng.projects import kpis
from xiaoneng.projects.filters import ProjectFilterSet
from xiaoneng.projects.models import MonthlyReport, Project


class ProjectSerializer(ModelSerializer):
    batch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="name", read_only=True)
    prefecture_name = serializers.CharField(source="prefecture.name", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True, default=None)
    # The stage from with_facts(): one definition with the KPIs, alerts and pages.
    status = serializers.CharField(source="stage", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "batch", "prefecture", "prefecture_name", "county",
            "county_name", "industry", "total_investment", "annual_plan", "planned_start",
            "actual_start", "in_stats", "in_stats_on", "owner", "leader_in_charge",
            "private_investment", "top_priority", "status", "completed_ytd", "completed_year",
        ]  # fmt: skip


class MonthlyReportSerializer(ModelSerializer):
    class Meta:
        model = MonthlyReport
        fields = [
            "id", "year", "month", "completed_this_month", "completed_ytd", "progress",
            "difficulties", "is_late",
        ]  # fmt: skip


def batches_from(params) -> list[str]:
    codes = []
    for value in params.getlist("batch"):
        codes.extend(part.strip() for part in value.split(",") if part.strip())
    return codes


SUMMARY_PARAMETERS = [
    OpenApiParameter(
        "batch", OpenApiTypes.STR, many=True, description="批次编号，可重复或用逗号分隔"
    ),
    OpenApiParameter("prefecture", OpenApiTypes.STR, description="州市名称或区划代码"),
    OpenApiParameter("county", OpenApiTypes.STR, description="县市区名称或区划代码"),
    OpenApiParameter("industry", OpenApiTypes.STR, description="行业类别"),
]


class ProjectViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Projects within the caller's scope, filtered as the project list and its export are
    (`filters.ProjectFilterSet`: batch, prefecture, county, industry, status, warning,
    in_stats, q)."""

    queryset = (
        Project.objects.with_facts()
        .select_related("batch", "industry", "prefecture", "county")
        .order_by("code")
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    @extend_schema(parameters=SUMMARY_PARAMETERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def summary(self, request):
        """Item 5 of issue 4: the same object as `xiaoneng projects summary --json`."""
        try:
            qs, batch, scope, _unit = kpis.scoped_projects(
                request.user,
                batches=batches_from(request.query_params),
                prefecture=request.query_params.get("prefecture"),
                county=request.query_params.get("county"),
                industry=request.query_params.get("industry"),
            )
        except kpis.ScopeError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(kpis.jsonable(kpis.summary(qs, batch=batch, scope=scope)))

    @extend_schema(responses=MonthlyReportSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        project = self.get_object()
        return Response(MonthlyReportSerializer(project.reports.all(), many=True).data)
