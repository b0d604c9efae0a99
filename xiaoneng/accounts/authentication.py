"""API authentication: tokens that behave like sessions (they expire, and go with the password),
and the forced password change, which holds for the API as for the pages."""

import datetime as dt

import drf_spectacular.authentication
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from xiaoneng.accounts.models import ApiToken, hash_token_key

# How often the last use of a token is written: not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class ForcePasswordChange:
    """A user who must change their password (first login, or reset by an admin) gets 403 from
    every endpoint but the password change (ForcePasswordChangeMiddleware does it for pages)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        allowed = reverse("api-password")
        if result is not None and result[0].must_change_password and request.path != allowed:
            raise exceptions.PermissionDenied(
                _("您须先修改密码（首次登录或密码被重置后），才能使用接口：POST %s。") % allowed
            )
        return result


class ApiTokenAuthentication(ForcePasswordChange, authentication.TokenAuthentication):
    """`Authorization: Token <key>`, with an accounts.ApiToken's key."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user__unit").filter(key_hash=hash_token_key(key))
        token = token.first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销，请重新获取。"))
        if token.is_expired:
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("令牌已过期，请重新获取：POST %s。") % reverse("api-token")
            )
        if not token.user.is_active or token.user.deleted_at is not None:
            raise exceptions.AuthenticationFailed(_("该账号已停用。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class SessionAuthentication(ForcePasswordChange, authentication.SessionAuthentication):
    """A logged-in browser's session (with its CSRF check)."""


class SessionScheme(drf_spectacular.authentication.SessionScheme):
    """The schema names our session authentication as drf-spectacular names DRF's."""

    target_class = SessionAuthentication
