"""GET /api/community/stats/?unit=&year=&month=: the statistics page's numbers
(community/stats.py), for the staff of the unit's subtree (token or session)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.community import stats
from xiaoneng.community.models import Matter
from xiaoneng.core import policy
from xiaoneng.core.api import IsStaffMember, Serializer
from xiaoneng.core.converters import parse_id, parse_number
from xiaoneng.units.models import Unit


class CommunityStatsUnitSerializer(Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CommunityStatsFiguresSerializer(Serializer):
    communities = serializers.IntegerField(help_text="辖区内社区数")
    raised = serializers.IntegerField(help_text="提出议题数（统计期内提出，含被隐藏的）")
    adopted = serializers.IntegerField(help_text="采纳数（统计期内议事会决定采纳）")
    referred = serializers.IntegerField(help_text="提交街道数（两种方式合计）")
    referred_decision = serializers.IntegerField(help_text="议事会决定提交街道数")
    referred_escalation = serializers.IntegerField(help_text="逾期未办结自动提交街道数")
    solved = serializers.IntegerField(help_text="办结数（社区办结，或提交街道后街道办结）")
    average_workdays = serializers.FloatField(
        allow_null=True, help_text="平均办结用时（工作日，从提出到办结；无办结时为 null）"
    )
    rated = serializers.IntegerField(help_text="评价数（统计期内办结议题的评价）")
    satisfied = serializers.IntegerField(help_text="满意")
    basically_satisfied = serializers.IntegerField(help_text="基本满意")
    dissatisfied = serializers.IntegerField(help_text="不满意")
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="满意率（%，满意+基本满意占评价数；无评价时为 null）"
    )
    comments = serializers.IntegerField(help_text="评论数（统计期内发表，不含被隐藏的）")


class CommunityStatsRowSerializer(CommunityStatsFiguresSerializer):
    unit = CommunityStatsUnitSerializer()


class CommunityStatsSerializer(Serializer):
    unit = CommunityStatsUnitSerializer()
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True, help_text="月份；null 为全年")
    total = CommunityStatsFiguresSerializer(help_text="本单位辖区合计")
    rows = CommunityStatsRowSerializer(
        many=True, help_text="各下级单位（街道的各社区），只列辖有社区的单位"
    )


class CommunityStatsView(APIView):
    """社区共治统计: ?unit= (a unit id, default the caller's own unit; any unit of their
    subtree, another is a 404), ?year= (default this year), ?month= (1–12; default the whole
    year). The figures and their definitions: docs/community.md, community/stats.py."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="社区共治统计",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="单位编号（默认本单位）"),
            OpenApiParameter("year", OpenApiTypes.INT, description="年份（默认今年）"),
            OpenApiParameter("month", OpenApiTypes.INT, description="月份 1–12（默认全年）"),
        ],
        responses={200: CommunityStatsSerializer},
    )
    def get(self, request):
        user = request.user
        if not policy.can_any(user, "view", Matter):
            raise PermissionDenied
        unit = policy.unit_of(user)
        text = request.query_params.get("unit")
        if text is not None:
            unit_id = parse_id(text)
            if unit_id is None:
                raise ValidationError({"unit": [_("应为有效的单位编号（正整数）。")]})
            unit = Unit.objects.restrict(user, "view").filter(pk=unit_id).first()
            if unit is None:
                raise NotFound(_("找不到该单位，或不在您的查看范围内。"))
        if unit is None:
            raise PermissionDenied
        this_year = timezone.localdate().year
        year, month = this_year, None
        text = request.query_params.get("year")
        if text is not None:
            found = parse_number(text, stats.FIRST_YEAR, this_year + 1)
            if found is None:
                refusal = _("应为 %(first)d 至 %(last)d 之间的整数。") % {
                    "first": stats.FIRST_YEAR,
                    "last": this_year + 1,
                }
                raise ValidationError({"year": [refusal]})
            year = found
        text = request.query_params.get("month")
        if text is not None:
            month = parse_number(text, 1, 12)
            if month is None:
                raise ValidationError({"month": [_("应为 1 至 12 之间的整数。")]})
        return Response(stats.jsonable(stats.unit_stats(unit, year, month)))
