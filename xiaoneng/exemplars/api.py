"""REST API of 典型引路法: /api/exemplars/ (list with the library's filters and ?q= search,
retrieve, create, PATCH a draft) and POST /api/exemplars/{id}/transitions/ (recommend,
promote, send_back, publish, unpublish) through the same services and policy as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api import (
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedViewSetMixin,
    Serializer,
)
from xiaoneng.exemplars import services
from xiaoneng.exemplars.filters import ExemplarFilterSet
from xiaoneng.exemplars.models import Exemplar
from xiaoneng.fieldwork.models import Visit
from xiaoneng.supervision.api import _drf_error
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit

TRANSITIONS = [
    ("recommend", _("推荐")),
    ("promote", _("推广")),
    ("send_back", _("退回草稿")),
    ("publish", _("对外公开")),
    ("unpublish", _("取消公开")),
]


class ExemplarSerializer(ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), action="write_exemplar")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    visits = ScopedPrimaryKeyRelatedField(queryset=Visit.objects.all(), many=True, required=False)
    items = ScopedPrimaryKeyRelatedField(queryset=Item.objects.all(), many=True, required=False)
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "title",
            "unit",
            "unit_name",
            "summary",
            "practice",
            "results",
            "tags",
            "status",
            "public",
            "visits",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "public", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Only the linked rows the caller may see (a promoted case is read province-wide).
        user = getattr(self.context.get("request"), "user", None)
        if user is not None:
            data["visits"] = list(
                Visit.objects.restrict(user, "view")
                .filter(exemplars=instance)
                .values_list("pk", flat=True)
            )
            data["items"] = list(
                Item.objects.restrict(user, "view")
                .filter(exemplars=instance)
                .values_list("pk", flat=True)
            )
        return data


class ExemplarUpdateSerializer(ExemplarSerializer):
    unit = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), action="write_exemplar", required=False
    )
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExemplarTransitionSerializer(Serializer):
    action = serializers.ChoiceField(choices=TRANSITIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ExemplarViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Exemplar.objects.select_related("unit").order_by("-updated_at", "-id")
    serializer_class = ExemplarSerializer
    filterset_class = ExemplarFilterSet
    policy_actions = {"partial_update": "change"}

    def perform_create(self, serializer):
        try:
            serializer.instance = services.create_exemplar(
                actor=self.request.user, **serializer.validated_data
            )
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc

    def _fresh(self, exemplar):
        return self.queryset.restrict(self.request.user, "view").get(pk=exemplar.pk)

    @extend_schema(request=ExemplarUpdateSerializer, responses=ExemplarSerializer)
    def partial_update(self, request, *args, **kwargs):
        """修改草稿 (services.update_exemplar): the fields sent."""
        exemplar = self.get_object()
        data = ExemplarUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        try:
            exemplar = services.update_exemplar(exemplar, actor=request.user, **data.validated_data)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(self.get_serializer(self._fresh(exemplar)).data)

    @extend_schema(request=ExemplarTransitionSerializer, responses=ExemplarSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """推荐、推广、退回草稿 (comment: the reason, required), 对外公开、取消公开: each
        refused (403, with the reason) to whoever may not take it."""
        exemplar = self.get_object()
        data = ExemplarTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step, comment = data.validated_data["action"], data.validated_data["comment"]
        try:
            if step in ("publish", "unpublish"):
                exemplar = services.set_public(
                    exemplar, actor=request.user, public=step == "publish", comment=comment
                )
            else:
                exemplar = services.take_step(exemplar, step, actor=request.user, comment=comment)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _drf_error(exc) from exc
        return Response(self.get_serializer(self._fresh(exemplar)).data, status=status.HTTP_200_OK)
