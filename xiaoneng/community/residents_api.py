"""`POST /api/join/`: a resident joins their community with an invitation code (public, no
login), as the join page does, and gets an API token at once (like `POST /api/auth/token/`),
so that a mini-program can go on without a second step."""

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.accounts import services as accounts
from xiaoneng.community import residents
from xiaoneng.core import throttle
from xiaoneng.core.api import Serializer
from xiaoneng.supervision.api import _drf_error
from xiaoneng.units.models import Unit


class ResidentJoinRequestSerializer(Serializer):
    # Empty values are the service's to refuse, in its words (请填写邀请码。…).
    code = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    name = serializers.CharField(
        max_length=residents.NAME_MAX, required=False, allow_blank=True, default=""
    )
    password = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="", trim_whitespace=False
    )


class ResidentJoinResponseSerializer(Serializer):
    id = serializers.IntegerField(help_text="the new resident's user id")
    community = serializers.CharField(help_text="the community's code")
    community_name = serializers.CharField()
    token = serializers.CharField(
        help_text="an API token (Authorization: Token …), as POST /api/auth/token/ gives"
    )


class JoinView(APIView):
    """POST {"code", "phone", "name", "password"} → 201 {"id", "community", "community_name",
    "token"}. The resident then logs in with the phone number. A refusal (the code unknown,
    expired, used up or revoked; the phone taken or malformed; an empty name; a weak password)
    is a 400 naming the field, in Chinese; nothing is stored. An address with too many refusals
    lately gets a 429 with Retry-After (core/throttle.py)."""

    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        summary="居民凭邀请码注册（无需登录）",
        request=ResidentJoinRequestSerializer,
        responses={
            201: ResidentJoinResponseSerializer,
            400: OpenApiResponse(description="拒绝原因（按字段）"),
            429: OpenApiResponse(description="该地址失败次数过多，需等待（Retry-After）"),
        },
        auth=[],
    )
    def post(self, request):
        serializer = ResidentJoinRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = residents.sign_up_from(throttle.client_of(request), data)
        except residents.TooManyTries as exc:
            raise Throttled(wait=exc.minutes * 60, detail=exc.message) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        token = accounts.create_token(user, name=request.headers.get("User-Agent", ""))
        community = cast(Unit, user.unit)  # a resident's unit is their community
        body = {
            "id": user.pk,
            "community": community.code,
            "community_name": community.name,
            "token": token,
        }
        return Response(ResidentJoinResponseSerializer(body).data, status=status.HTTP_201_CREATED)
