from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.accounts import privacy, services
from xiaoneng.accounts.authentication import SessionAuthentication
from xiaoneng.accounts.models import User


class ObtainTokenView(APIView):
    """POST {"username", "password"[, "name"]} → {"token"}: a new token for this device (name
    it, e.g. "办公室电脑"), valid for settings.TOKEN_HOURS hours. Failed attempts count towards
    the lock-out."""

    authentication_classes: list = []
    permission_classes: list = []
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "name": serializers.CharField(required=False),
            },
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        name = str(request.data.get("name") or request.headers.get("User-Agent", ""))
        return Response({"token": services.create_token(user, name=name)})


class PasswordChangeView(APIView):
    """POST {"old_password", "new_password"}: the one endpoint open to a user who must change
    their password. Every token of the user goes: get a new one with the new password."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer(
            "PasswordChangeRequest",
            {"old_password": serializers.CharField(), "new_password": serializers.CharField()},
        ),
        responses=inline_serializer("PasswordChangeResponse", {"detail": serializers.CharField()}),
    )
    def post(self, request):
        user = request.user
        if not isinstance(request.data, dict):  # a JSON list, text or number
            raise ValidationError({"detail": _("请求体应为 JSON 对象。")})
        new = str(request.data.get("new_password", ""))
        form = PasswordChangeForm(
            user,
            {
                "old_password": str(request.data.get("old_password", "")),
                "new_password1": new,
                "new_password2": new,
            },
        )
        if not form.is_valid():
            names = {"old_password": "old_password"}  # new_password1/2 → new_password
            raise ValidationError(
                {
                    names.get(field, "new_password"): [e["message"] for e in messages]
                    for field, messages in form.errors.get_json_data().items()
                }
            )
        services.change_own_password(user, form.cleaned_data["new_password1"], actor=user)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request, user)
        return Response(
            {
                "detail": _("密码已修改；原有令牌已全部作废，请用新密码重新获取（有效 %d 小时）。")
                % settings.TOKEN_HOURS
            }
        )


class MeSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "unit", "roles", "phone", "email"]

    def get_unit(self, user) -> dict | None:
        if user.unit is None:
            return None
        return {
            "id": user.unit.pk,
            "code": user.unit.code,
            "name": user.unit.name,
            "level": user.unit.level,
        }

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)

    def get_phone(self, user) -> str:
        """As the caller may see it (accounts.privacy): the caller's own, whole."""
        request = self.context.get("request")
        return privacy.shown_phone(getattr(request, "user", None), user)


class MeView(APIView):
    """The caller: unit and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)
