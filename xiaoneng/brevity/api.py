"""REST API of 会风文风: /api/meetings/ and /api/documents/ (CRUD through the services, the
list pages' filters), /api/brevity/analyze/ (the analyzer, nothing stored) and
/api/brevity/stats/ (the statistics page's numbers, from the same function)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.brevity import rules, services, stats
from xiaoneng.brevity.filters import DocumentFilterSet, MeetingFilterSet
from xiaoneng.brevity.forms import MOST_MINUTES
from xiaoneng.brevity.models import (
    DOCUMENT_KINDS,
    Document,
    Meeting,
    MeetingKind,
    Mode,
    Speech,
    SpeechRole,
)
from xiaoneng.brevity.reading import Refused, analyze_file, read_upload
from xiaoneng.brevity.rules import MAX_DAYS, MINUTES_PER_DAY
from xiaoneng.core import figures, policy
from xiaoneng.core.api import (
    IsStaffMember,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSetMixin,
    Serializer,
)
from xiaoneng.core.converters import parse_id, parse_number
from xiaoneng.units.models import Unit


def _drf_error(exc):
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})


# --- Meetings ---------------------------------------------------------------------------------


class SpeechSerializer(Serializer):
    speaker = serializers.CharField(max_length=50)
    role = serializers.ChoiceField(choices=SpeechRole.choices, default=SpeechRole.OTHER)
    minutes = serializers.IntegerField(min_value=1, max_value=MINUTES_PER_DAY)


class BreachSerializer(Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    limit = serializers.IntegerField()
    actual = serializers.IntegerField()
    speaker = serializers.CharField()


class MeetingSerializer(ModelSerializer):
    organiser = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), action="record_brevity")
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.ONSITE)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=1)
    planned_minutes = serializers.IntegerField(min_value=1, max_value=MOST_MINUTES)
    actual_minutes = serializers.IntegerField(
        min_value=1, max_value=MOST_MINUTES, required=False, allow_null=True
    )
    attendees = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True
    )
    speeches = SpeechSerializer(many=True, required=False)
    breaches = serializers.SerializerMethodField()
    within_rules = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organiser",
            "organiser_name",
            "kind",
            "title",
            "date",
            "days",
            "planned_minutes",
            "actual_minutes",
            "mode",
            "attendees",
            "speeches",
            "breaches",
            "within_rules",
        ]

    def _breaches(self, meeting) -> list:
        if not hasattr(meeting, "_breaches"):
            meeting._breaches = rules.breaches(meeting, list(meeting.speeches.all()))
        return meeting._breaches

    @extend_schema_field(BreachSerializer(many=True))
    def get_breaches(self, meeting) -> list[dict]:
        return [BreachSerializer(b).data for b in self._breaches(meeting)]

    def get_within_rules(self, meeting) -> bool:
        return not self._breaches(meeting)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["speeches"] = [
            {"speaker": s.speaker, "role": s.role, "minutes": s.minutes}
            for s in instance.speeches.all()
        ]
        return data


class MeetingViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings of the caller's subtree, those that break a rule first."""

    queryset = (
        Meeting.objects.with_rules()
        .select_related("organiser")
        .prefetch_related(Prefetch("speeches", queryset=Speech.objects.order_by("sort", "id")))
        .order_by(F("in_breach").desc(), "-date", "-id")
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    policy_actions = {"update": "change", "partial_update": "change", "destroy": "change"}

    def _save(self, serializer, meeting):
        values = dict(serializer.validated_data)
        speeches = values.pop("speeches", None)
        try:
            serializer.instance = services.save_meeting(
                meeting, actor=self.request.user, speeches=speeches, **values
            )
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        serializer.instance = Meeting.objects.prefetch_related(
            Prefetch("speeches", queryset=Speech.objects.order_by("sort", "id"))
        ).get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, Meeting.objects.get(pk=serializer.instance.pk))

    def perform_destroy(self, instance):
        services.delete_meeting(instance, actor=self.request.user)


# --- Documents --------------------------------------------------------------------------------


class DocumentSerializer(ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), action="record_brevity")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS)
    chars = serializers.IntegerField(min_value=0, max_value=10**8)
    limit = serializers.IntegerField(read_only=True)
    over = serializers.BooleanField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "title",
            "date",
            "chars",
            "single_task",
            "limit",
            "over",
        ]


class DocumentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Documents of the caller's subtree, newest first."""

    queryset = Document.objects.select_related("unit").order_by("-date", "-id")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    policy_actions = {"update": "change", "partial_update": "change", "destroy": "change"}

    def _save(self, serializer, document):
        try:
            serializer.instance = services.save_document(
                document, actor=self.request.user, **serializer.validated_data
            )
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, Document.objects.get(pk=serializer.instance.pk))

    def perform_destroy(self, instance):
        services.delete_document(instance, actor=self.request.user)


# --- The analyzer -----------------------------------------------------------------------------


class AnalyzeSerializer(Serializer):
    file = serializers.FileField(help_text="Word 文档（.docx）或文本文件（.txt）")
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS, required=False)
    single_task = serializers.BooleanField(required=False, default=False)


REPORT = inline_serializer(
    "AnalyzerReport",
    {
        "chars": serializers.IntegerField(),
        "paragraphs": serializers.IntegerField(),
        "title": serializers.CharField(),
        "kind": serializers.CharField(allow_null=True),
        "limit": serializers.IntegerField(),
        "over": serializers.BooleanField(),
        "padding": serializers.ListField(child=serializers.DictField()),
    },
)


class AnalyzeView(APIView):
    """POST a .docx or .txt: 字数, kind, limit, over, padding (brevity/analyzer.py).
    Nothing is stored; a file that cannot be read answers 400 with one Chinese sentence."""

    permission_classes = [IsStaffMember]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": AnalyzeSerializer}, responses={200: REPORT})
    def post(self, request):
        policy.require(request.user, "analyze_documents")
        data = AnalyzeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        unit = request.user.unit
        try:
            report = analyze_file(
                read_upload(upload),
                upload.name or "",
                kind=data.validated_data.get("kind") or None,
                single_task=data.validated_data["single_task"],
                level=unit.level if unit is not None else None,
            )
        except Refused as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        return Response(report.as_json())


# --- Statistics -------------------------------------------------------------------------------


class StatsView(APIView):
    """The statistics page's numbers (brevity/stats.py): ?unit= (default: the caller's
    own unit; any unit of their subtree), ?year= (default: this year). Rows: the unit
    itself ("own": its own meetings and documents) and each child unit with its subtree;
    each with "months" ("1" … "12") and "year"; "total" the whole subtree."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="单位编号（默认本单位）"),
            OpenApiParameter("year", OpenApiTypes.INT, description="年份（默认今年）"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        unit = request.user.unit
        text = request.query_params.get("unit")
        if text is not None:
            unit_id = parse_id(text)
            if unit_id is None:
                raise ValidationError({"unit": [_("应为有效的编号（正整数）。")]})
            unit = Unit.objects.restrict(request.user, "view").filter(pk=unit_id).first()
            if unit is None:
                raise NotFound(_("找不到该单位，或不在您的查看范围内。"))
        if unit is None:
            raise PermissionDenied
        this_year = timezone.localdate().year
        year = this_year
        text = request.query_params.get("year")
        if text is not None:
            found = parse_number(text, 2000, this_year + 1)
            if found is None:
                raise ValidationError(
                    {"year": [_("应为 2000 至 %(y)d 之间的整数。") % {"y": this_year + 1}]}
                )
            year = found
        data = figures.jsonable(stats.unit_stats(unit, year))
        return Response(data, status=status.HTTP_200_OK)
