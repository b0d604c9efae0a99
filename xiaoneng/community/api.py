"""REST API of 社区共治, so that a resident mini-program can be built on it.

/api/matters/ (list with filters, raise, one matter), and on one matter: second (POST) and
withdraw it (DELETE), comments, put on the deliberation list, lead, progress (with photos),
close, rating, reports; /api/comments/{id}/official/; /api/deliberations/ (list, create,
one meeting) and its decisions; /api/communities/{code}/board/ (the public board, no login).

Every action goes through `community.services`, which checks the policy and refuses in
Chinese (400, naming the field where there is one; 403 for "not allowed"). A row outside
the caller's scope is a 404. Residents use this API (not the staff API): the permission is
any signed-in user, and the policy decides what each one sees. No phone number is shown;
hidden content reads "已隐藏" to whoever `services.hidden_from` says.
"""

import json
from contextlib import contextmanager

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.accounts.models import User
from xiaoneng.community import board, filters, policy, services
from xiaoneng.community.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Category,
    Comment,
    Decision,
    DecisionKind,
    Deliberation,
    Group,
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Rating,
    RatingValue,
    Second,
    Step,
)
from xiaoneng.core import policy as core_policy
from xiaoneng.core.api import ScopedPrimaryKeyRelatedField, ScopedViewSetMixin, Serializer
from xiaoneng.core.converters import MAX_ID
from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.supervision.api import _drf_error
from xiaoneng.units.models import Level, Unit

HIDDEN = _("已隐藏")
NOT_FOUND = _("找不到该对象，或不在您的查看范围内。")  # as core.api.ScopedViewSetMixin says it


@contextmanager
def refusals():
    """A service's refusal as DRF's: 400 with the reason in Chinese, a refused action
    (PermissionDenied: the matter is in sight, the action not the caller's) included, as the
    issue asks of this API; a row out of sight was a 404 before the service was called."""
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise ValidationError({"detail": [str(exc) or "无权进行此操作。"]}) from exc
    except DjangoValidationError as exc:
        raise _drf_error(exc) from exc


def _viewer(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _hidden(serializer, row) -> bool:
    viewer = _viewer(serializer)
    return viewer is not None and services.hidden_from(viewer, row)


def _name(user) -> str:
    return "" if user is None else str(user)


# --- What the API shows -------------------------------------------------------------------


class MatterPhotoSerializer(Serializer):
    id = serializers.IntegerField()
    public = serializers.BooleanField(help_text="已由社区工作人员设为公开展示（公示栏只显示这些）")
    url = serializers.CharField(help_text="照片文件（GET，带令牌）")


def _photo(photo) -> dict:
    return {
        "id": photo.pk,
        "public": photo.public,
        "url": reverse("api-matter-photo-detail", args=[photo.pk]),
    }


class MatterStreetSerializer(Serializer):
    """The street's supervision item of a referred or escalated matter, as the matter shows it."""

    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)


class MatterSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    seconds = serializers.IntegerField(source="seconds_count", read_only=True)
    raised_by_name = serializers.SerializerMethodField(help_text="提出人的称呼（不含手机号）")
    raised_at = serializers.DateTimeField(source="created_at", read_only=True)
    lead = serializers.CharField(source="lead_name", read_only=True)
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)
    seconded = serializers.SerializerMethodField(help_text="调用者本人是否已附议")
    street = serializers.SerializerMethodField(help_text="提交街道后，街道督办事项的办理情况")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = [
            "id",
            "community",
            "community_name",
            "category",
            "category_label",
            "title",
            "description",
            "place",
            "status",
            "status_label",
            "seconds",
            "seconded",
            "raised_by_name",
            "raised_at",
            "listed_at",
            "decided_on",
            "merged_into",
            "lead",
            "lead_group",
            "deadline",
            "closed_on",
            "result",
            "referral",
            "referred_at",
            "street",
            "hidden",
            "photos",
        ]
        read_only_fields = fields

    def get_raised_by_name(self, matter) -> str:
        return _name(matter.raised_by)

    def get_seconded(self, matter) -> bool:
        return bool(getattr(matter, "caller_seconded", False))

    @extend_schema_field(MatterStreetSerializer(allow_null=True))
    def get_street(self, matter) -> dict | None:
        item = matter.item
        if item is None:
            return None
        return {
            "status": item.status,
            "status_label": item.get_status_display(),
            "progress": item.progress,
            "closed_on": item.closed_on,
        }

    @extend_schema_field(MatterPhotoSerializer(many=True))
    def get_photos(self, matter) -> list[dict]:
        return [_photo(photo) for photo in matter.photos.all() if photo.progress_id is None]

    def to_representation(self, matter):
        data = super().to_representation(matter)
        if _hidden(self, matter):
            data.update(title=str(HIDDEN), description=str(HIDDEN), place="", photos=[])
        return data


class MatterStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "order", "text", "done_on"]
        read_only_fields = fields


class MatterProgressSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Progress
        fields = ["id", "author_name", "text", "created_at", "hidden", "photos"]
        read_only_fields = fields

    def get_author_name(self, post) -> str:
        return _name(post.author)

    @extend_schema_field(MatterPhotoSerializer(many=True))
    def get_photos(self, post) -> list[dict]:
        return [_photo(photo) for photo in post.photos.all()]

    def to_representation(self, post):
        data = super().to_representation(post)
        if _hidden(self, post):
            data.update(text=str(HIDDEN), photos=[])
        return data


class MatterDecisionSerializer(serializers.ModelSerializer):
    """A decision of the council on one matter."""

    date = serializers.DateField(source="deliberation.date", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "deliberation",
            "date",
            "matter",
            "decision",
            "decision_label",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "reason",
            "merge_into",
            "decided_at",
        ]
        read_only_fields = fields


class MatterSatisfactionSerializer(Serializer):
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    percent = serializers.FloatField(
        allow_null=True, help_text="满意和基本满意的占比（%，一位小数）"
    )


class MatterRatingSerializer(serializers.ModelSerializer):
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)

    class Meta:
        model = Rating
        fields = ["rating", "rating_label", "comment", "updated_at"]
        read_only_fields = fields


class MatterPermissionsSerializer(Serializer):
    """What the caller may do with the matter (the policy; the service may still refuse
    because of the matter's state, with its reason)."""

    second = serializers.BooleanField()
    comment = serializers.BooleanField()
    report = serializers.BooleanField()
    rate = serializers.BooleanField()
    manage = serializers.BooleanField()
    handle = serializers.BooleanField()


class MatterDetailSerializer(MatterSerializer):
    steps = MatterStepSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()
    my_rating = serializers.SerializerMethodField()
    may = serializers.SerializerMethodField()

    class Meta(MatterSerializer.Meta):
        fields = [
            *MatterSerializer.Meta.fields,
            "steps",
            "progress",
            "decisions",
            "satisfaction",
            "my_rating",
            "may",
        ]
        read_only_fields = fields

    @extend_schema_field(MatterProgressSerializer(many=True))
    def get_progress(self, matter) -> list[dict]:
        posts = Progress.objects.restrict(_viewer(self), "view").filter(matter=matter)
        posts = posts.select_related("author").prefetch_related("photos")
        return list(MatterProgressSerializer(posts, many=True, context=self.context).data)

    @extend_schema_field(MatterDecisionSerializer(many=True))
    def get_decisions(self, matter) -> list[dict]:
        rows = matter.decisions.exclude(decision="").select_related("deliberation")
        return list(MatterDecisionSerializer(rows, many=True).data)

    @extend_schema_field(MatterSatisfactionSerializer)
    def get_satisfaction(self, matter) -> dict:
        return board.satisfaction(matter.ratings.all())

    @extend_schema_field(MatterRatingSerializer(allow_null=True))
    def get_my_rating(self, matter) -> dict | None:
        viewer = _viewer(self)
        mine = matter.ratings.filter(resident=getattr(viewer, "pk", None)).first()
        return None if mine is None else MatterRatingSerializer(mine).data

    @extend_schema_field(MatterPermissionsSerializer)
    def get_may(self, matter) -> dict:
        viewer = _viewer(self)
        names = ("second", "comment", "report", "rate", "manage", "handle")
        return {
            name: viewer is not None and core_policy.can(viewer, name, matter) for name in names
        }


class MatterCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "matter",
            "author_name",
            "text",
            "reply_to",
            "is_official",
            "created_at",
            "hidden",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return _name(comment.author)

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if _hidden(self, comment):
            data["text"] = str(HIDDEN)
        return data


class DeliberationDecisionSerializer(MatterDecisionSerializer):
    """A matter on the agenda (its decision empty until the council decides)."""

    matter_title = serializers.SerializerMethodField()

    class Meta(MatterDecisionSerializer.Meta):
        fields = [*MatterDecisionSerializer.Meta.fields, "matter_title"]
        read_only_fields = fields

    def get_matter_title(self, decision) -> str:
        matter = decision.matter
        return str(HIDDEN) if _hidden(self, matter) else matter.title


class DeliberationSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    agenda = DeliberationDecisionSerializer(source="decisions", many=True, read_only=True)

    class Meta:
        model = Deliberation
        fields = [
            "id",
            "community",
            "community_name",
            "date",
            "place",
            "attendee_count",
            "attendees",
            "minutes",
            "agenda",
        ]
        read_only_fields = fields


class MatterReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    target = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


# --- What the API takes -------------------------------------------------------------------


def _photos_field():
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=services.MAX_PHOTOS,
        help_text="照片（PNG 或 JPEG，multipart/form-data，可多张）",
    )


class MatterCreateSerializer(Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.filter(level=Level.COMMUNITY),
        action="raise_matter",
        required=False,
        help_text="社区（单位编号 id，见 /api/me/ 的 unit.id）；居民和社区工作人员可省略，即本社区",
    )
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    place = serializers.CharField(
        max_length=services.PLACE_MAX, required=False, allow_blank=True, default=""
    )
    photos = _photos_field()


class MatterCommentCreateSerializer(Serializer):
    text = serializers.CharField(max_length=COMMENT_MAX)
    reply_to = ScopedPrimaryKeyRelatedField(
        queryset=Comment.objects.all(),
        required=False,
        allow_null=True,
        help_text="回复的评论（本议题的一条评论；只有一层回复）",
    )


class LeadUserField(serializers.PrimaryKeyRelatedField):
    """A person who may lead the matter in the context (services.lead_candidates: its
    community's people and its street's), for a caller who may manage it; any other id gets
    the answer of an id that does not exist."""

    def get_queryset(self):
        matter = self.context.get("matter")
        user = getattr(self.context.get("request"), "user", None)
        if matter is None or user is None or not core_policy.can(user, "manage", matter):
            return User.objects.none()
        return services.lead_candidates(matter.community)


class MatterLeadSerializer(Serializer):
    lead_user = LeadUserField(
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text="牵头人（账号 id：本社区的居民或工作人员，或所在街道的工作人员）",
    )
    lead_group = ScopedPrimaryKeyRelatedField(
        queryset=Group.objects.all(),
        required=False,
        allow_null=True,
        help_text="牵头力量（本社区的党员、志愿服务队、物业公司、街道办事处等）",
    )
    steps = serializers.ListField(
        child=serializers.CharField(max_length=services.STEP_MAX),
        required=False,
        default=list,
        max_length=services.MAX_STEPS,
    )
    deadline_workdays = serializers.IntegerField(
        min_value=1, max_value=250, required=False, allow_null=True, help_text="办理时限（工作日）"
    )


class MatterProgressCreateSerializer(Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)
    photos = _photos_field()
    steps_done = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=services.MAX_STEPS,
        help_text="本次完成的办理步骤（步骤 id）",
    )


class MatterCloseSerializer(Serializer):
    result = serializers.CharField(max_length=TEXT_MAX)


class MatterRatingCreateSerializer(Serializer):
    rating = serializers.ChoiceField(choices=RatingValue.choices)
    comment = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default=""
    )


class MatterReportCreateSerializer(Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)
    comment = ScopedPrimaryKeyRelatedField(
        queryset=Comment.objects.all(), required=False, allow_null=True, help_text="举报的评论"
    )
    progress = ScopedPrimaryKeyRelatedField(
        queryset=Progress.objects.all(), required=False, allow_null=True, help_text="举报的进展"
    )


class DeliberationCreateSerializer(Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.filter(level=Level.COMMUNITY),
        action="run_community",
        required=False,
        help_text="社区（单位编号 id）；社区工作人员可省略，即本社区",
    )
    date = serializers.DateField()
    place = serializers.CharField(max_length=services.PLACE_MAX)
    attendee_count = serializers.IntegerField(min_value=1, max_value=services.MAX_ATTENDEES)
    attendees = serializers.CharField(
        max_length=services.ATTENDEES_MAX, required=False, allow_blank=True, default=""
    )
    matters = ScopedPrimaryKeyRelatedField(
        queryset=Matter.objects.all(),
        action="manage",
        many=True,
        required=False,
        help_text="议程：议题 id 列表",
    )


class DecisionCreateSerializer(Serializer):
    matter = ScopedPrimaryKeyRelatedField(queryset=Matter.objects.all())
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    votes_for = serializers.IntegerField(min_value=0, max_value=services.MAX_ATTENDEES, default=0)
    votes_against = serializers.IntegerField(
        min_value=0, max_value=services.MAX_ATTENDEES, default=0
    )
    votes_abstain = serializers.IntegerField(
        min_value=0, max_value=services.MAX_ATTENDEES, default=0
    )
    reason = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default=""
    )
    merge_into = ScopedPrimaryKeyRelatedField(
        queryset=Matter.objects.all(), required=False, allow_null=True, help_text="合并到的议题"
    )


# --- The public board ---------------------------------------------------------------------


class BoardDecisionSerializer(Serializer):
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstain = serializers.IntegerField()
    date = serializers.DateField()
    reason = serializers.CharField()


class BoardStreetSerializer(Serializer):
    status_label = serializers.CharField()
    progress = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)


class BoardMatterSerializer(Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices)
    category_label = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    place = serializers.CharField()
    status = serializers.ChoiceField(choices=MatterStatus.choices)
    status_label = serializers.CharField()
    seconds = serializers.IntegerField()
    raised_on = serializers.DateField()
    deadline = serializers.DateField(allow_null=True)
    lead = serializers.CharField(help_text="牵头力量的名称，或“社区安排专人”：不显示个人姓名")
    photos = serializers.ListField(
        child=serializers.CharField(), help_text="公开照片的地址（无需登录）"
    )
    decision = BoardDecisionSerializer(allow_null=True)
    result = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)
    street = BoardStreetSerializer(allow_null=True)
    satisfaction = MatterSatisfactionSerializer()


class BoardCommunitySerializer(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CommunityBoardSerializer(Serializer):
    community = BoardCommunitySerializer()
    open = BoardMatterSerializer(many=True, help_text="正在征集附议、待议事、办理中的议题")
    decisions = BoardMatterSerializer(many=True, help_text="议事会的决定及表决情况")
    results = BoardMatterSerializer(many=True, help_text="已办结的议题")
    satisfaction = MatterSatisfactionSerializer()


# --- Views --------------------------------------------------------------------------------


class MatterApiFilterSet(filters.MatterFilterSet):
    """The matter list's filters (community/filters.py), and the category."""

    category = django_filters.ChoiceFilter(label=_("类别"), choices=Category.choices)

    class Meta(filters.MatterFilterSet.Meta):
        fields = [*filters.MatterFilterSet.Meta.fields, "category"]


class DeliberationFilterSet(FilterSet):
    community = IdFilter(label=_("社区"), field_name="community_id")

    class Meta:
        model = Deliberation
        fields = ["community"]


def _home(user, *, staff_only: bool = False) -> Unit | None:
    if staff_only:
        return policy.staff_community(user)
    return policy.resident_community(user) or policy.staff_community(user)


def _matters():
    return Matter.objects.select_related(
        "community", "raised_by", "lead_user", "lead_group", "item"
    ).prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("id")))


MULTIPART = [JSONParser, MultiPartParser, FormParser]


class MatterViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """议题: a matter is looked up among those the caller may see (else 404); what they may
    do with it is the service's to decide (403 not allowed, 400 refused with the reason)."""

    queryset = _matters().order_by("-created_at", "-id")
    serializer_class = MatterSerializer
    filterset_class = MatterApiFilterSet
    permission_classes = [IsAuthenticated]
    parser_classes = MULTIPART

    def get_queryset(self):
        seconded = Exists(
            Second.objects.filter(matter=OuterRef("pk"), resident=self.request.user.pk)
        )
        return super().get_queryset().annotate(caller_seconded=seconded)

    def get_serializer_class(self):
        return MatterSerializer if self.action == "list" else MatterDetailSerializer

    def _fresh(self, matter) -> dict:
        """The matter as the caller now sees it (after an action)."""
        try:
            row = self.get_queryset().get(pk=matter.pk)
        except Matter.DoesNotExist:  # e.g. out of reach after the action
            raise NotFound(NOT_FOUND) from None
        return MatterDetailSerializer(row, context=self.get_serializer_context()).data

    def _body(self, serializer_class, **context):
        context = {**self.get_serializer_context(), **context}
        data = serializer_class(data=self.request.data, context=context)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(
        summary="议题列表",
        description="居民看到本社区的议题；工作人员看到本级及下级社区的。",
        responses=MatterSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="一个议题", responses=MatterDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="提出议题",
        request={
            "application/json": MatterCreateSerializer,
            "multipart/form-data": MatterCreateSerializer,
        },
        responses={201: MatterDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        values = self._body(MatterCreateSerializer)
        if values.get("community") is None:
            values["community"] = _home(request.user)
            if values["community"] is None:
                raise ValidationError({"community": [_("请选择社区。")]})
        with refusals():
            matter = services.raise_matter(actor=request.user, **values)
        return Response(self._fresh(matter), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["POST"],
        summary="附议",
        request=None,
        responses={201: MatterDetailSerializer},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="撤回附议",
        request=None,
        responses={200: MatterDetailSerializer},
    )
    @action(detail=True, methods=["post", "delete"])
    def second(self, request, pk=None):
        matter = self.get_object()
        with refusals():
            if request.method == "DELETE":
                matter = services.withdraw_second(matter, actor=request.user)
                return Response(self._fresh(matter))
            matter = services.second(matter, actor=request.user)
        return Response(self._fresh(matter), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="议题的评论",
        filters=False,
        responses=MatterCommentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="发表评论或回复",
        request=MatterCommentCreateSerializer,
        responses={201: MatterCommentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        matter = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = Comment.objects.restrict(request.user, "view").filter(matter=matter)
            rows = self.paginate_queryset(
                rows.select_related("author").order_by("created_at", "id")
            )
            return self.get_paginated_response(
                MatterCommentSerializer(rows, many=True, context=context).data
            )
        values = self._body(MatterCommentCreateSerializer)
        with refusals():
            comment = services.comment(matter, actor=request.user, **values)
        return Response(
            MatterCommentSerializer(comment, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="列入议事（社区工作人员）", request=None, responses=MatterDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="list", url_name="put-on-list")
    def put_on_list(self, request, pk=None):
        matter = self.get_object()
        with refusals():
            matter = services.list_for_deliberation(matter, actor=request.user)
        return Response(self._fresh(matter))

    @extend_schema(
        summary="确定牵头人或牵头力量、办理步骤和时限（社区工作人员）",
        request=MatterLeadSerializer,
        responses=MatterDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def lead(self, request, pk=None):
        matter = self.get_object()
        values = self._body(MatterLeadSerializer, matter=matter)
        with refusals():
            matter = services.assign_lead(matter, actor=request.user, **values)
        return Response(self._fresh(matter))

    @extend_schema(
        summary="发布办理进展（可附照片）",
        request={
            "multipart/form-data": MatterProgressCreateSerializer,
            "application/json": MatterProgressCreateSerializer,
        },
        responses={201: MatterProgressSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        matter = self.get_object()
        values = self._body(MatterProgressCreateSerializer)
        with refusals():
            post = services.post_progress(matter, actor=request.user, **values)
        return Response(
            MatterProgressSerializer(post, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="办结（社区工作人员）",
        request=MatterCloseSerializer,
        responses=MatterDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        matter = self.get_object()
        values = self._body(MatterCloseSerializer)
        with refusals():
            matter = services.close_matter(matter, actor=request.user, **values)
        return Response(self._fresh(matter))

    @extend_schema(
        summary="评价办理结果（提出人和附议人；可修改）",
        request=MatterRatingCreateSerializer,
        responses=MatterRatingSerializer,
    )
    @action(detail=True, methods=["post"])
    def rating(self, request, pk=None):
        matter = self.get_object()
        values = self._body(MatterRatingCreateSerializer)
        with refusals():
            rating = services.rate(matter, actor=request.user, **values)
        return Response(MatterRatingSerializer(rating).data)

    @extend_schema(
        summary="举报不当内容（议题本身，或其评论、进展）",
        request=MatterReportCreateSerializer,
        responses={201: MatterReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        matter = self.get_object()
        values = self._body(MatterReportCreateSerializer)
        with refusals():
            report = services.report(matter, actor=request.user, **values)
        data = {
            "id": report.pk,
            "target": report.target,
            "reason": report.reason,
            "created_at": report.created_at,
        }
        return Response(MatterReportSerializer(data).data, status=status.HTTP_201_CREATED)


class CommentViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = Comment.objects.select_related("author", "matter").order_by("id")
    serializer_class = MatterCommentSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="设为官方答复（社区工作人员；每个议题一条）",
        request=None,
        responses=MatterCommentSerializer,
    )
    @action(detail=True, methods=["post"])
    def official(self, request, pk=None):
        comment = self.get_object()
        with refusals():
            comment = services.mark_official(comment, actor=request.user)
        return Response(
            MatterCommentSerializer(comment, context=self.get_serializer_context()).data
        )


def _deliberations():
    agenda = Decision.objects.select_related("deliberation", "matter").order_by("id")
    return Deliberation.objects.select_related("community").prefetch_related(
        Prefetch("decisions", queryset=agenda)
    )


class DeliberationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """议事会: meetings of the community's deliberation council, their agenda and decisions."""

    queryset = _deliberations().order_by("-date", "-id")
    serializer_class = DeliberationSerializer
    filterset_class = DeliberationFilterSet
    permission_classes = [IsAuthenticated]

    def _fresh(self, deliberation) -> dict:
        row = self.get_queryset().get(pk=deliberation.pk)
        return DeliberationSerializer(row, context=self.get_serializer_context()).data

    @extend_schema(summary="议事会列表", responses=DeliberationSerializer(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="一次议事会", responses=DeliberationSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="召开议事会（社区工作人员）",
        request=DeliberationCreateSerializer,
        responses={201: DeliberationSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = DeliberationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("community") is None:
            values["community"] = _home(request.user, staff_only=True)
            if values["community"] is None:
                raise ValidationError({"community": [_("请选择社区。")]})
        with refusals():
            deliberation = services.create_deliberation(actor=request.user, **values)
        return Response(self._fresh(deliberation), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="作出决定：采纳、不予采纳（须说明理由）、合并、提交街道，并记录表决",
        request=DecisionCreateSerializer,
        responses={201: DeliberationDecisionSerializer},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        deliberation = self.get_object()
        data = DecisionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            decision = services.decide(deliberation, actor=request.user, **data.validated_data)
        row = Decision.objects.select_related("deliberation", "matter").get(pk=decision.pk)
        return Response(
            DeliberationDecisionSerializer(row, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class PhotoFileRenderer(renderers.BaseRenderer):
    """Lets a client ask for the photo as an image (Accept: image/*); an error still comes as
    JSON."""

    media_type = "image/*"
    format = "image"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class PhotoViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """A matter's photo (or a progress post's), for those who see the matter: not when the
    matter or the post is hidden from them."""

    queryset = Photo.objects.select_related("matter", "progress").order_by("id")
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, PhotoFileRenderer]

    @extend_schema(
        summary="议题照片（文件）",
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    def retrieve(self, request, pk=None):
        photo = self.get_object()
        if services.hidden_from(request.user, photo.matter) or (
            photo.progress is not None and services.hidden_from(request.user, photo.progress)
        ):
            raise NotFound(NOT_FOUND)
        try:
            handle = photo.file.open("rb")
        except OSError:
            raise NotFound(_("照片文件已丢失。")) from None
        return FileResponse(handle, content_type=photo.content_type)


class BoardView(APIView):
    """社区公示栏 (no login): open matters, decisions with their votes, results and
    satisfaction — no names of residents, no phone numbers, nothing hidden, only the photos
    the community's staff made public."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="社区公示栏（无需登录）",
        auth=[],
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="社区的单位代码，如 530112007001"
            )
        ],
        responses=CommunityBoardSerializer,
    )
    def get(self, request, code: str):
        community = board.find_community(code)
        if community is None:
            raise NotFound(_("没有这个社区。"))
        return Response(
            CommunityBoardSerializer(board.board(community, today=timezone.localdate())).data
        )
