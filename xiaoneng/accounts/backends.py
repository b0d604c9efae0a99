"""Residents log in with their phone number (issue 14).

A resident's user name is made up by the platform (`jm` + the community's code + a number:
community/residents.py), so that the user lists of streets and counties show no phone
numbers; the resident types the number they signed up with instead. `PhoneBackend` comes
after Django's ModelBackend (settings.AUTHENTICATION_BACKENDS): a user name is tried first,
then the phone number of an active resident.

The lock-out (django-axes) counts failures per user name and address: `axes_username`
(settings.AXES_USERNAME_CALLABLE) counts a resident's phone under their user name, so typing
the phone or the user name makes no second allowance, and a successful login clears both.
"""

from django.contrib.auth.backends import ModelBackend

from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.core.validators import PHONE


def resident_by_phone(phone) -> User | None:
    """The one active resident with this phone number (None: none, or not exactly one)."""
    text = str(phone or "").strip()
    if not PHONE.fullmatch(text):
        return None
    found = list(
        User.objects.filter(phone=text, is_active=True, roles__code=RoleCode.RESIDENT).distinct()[
            :2
        ]
    )
    return found[0] if len(found) == 1 else None


class PhoneBackend(ModelBackend):
    """The phone number of an active resident as the user name."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None or not PHONE.fullmatch(str(username).strip()):
            return None
        user = resident_by_phone(username)
        if user is None:
            # As ModelBackend does for an unknown user name: as slow as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials=None) -> str | None:
    """The user name a login attempt counts against: a resident's own for their phone."""
    from axes.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        typed = data.get(field) if hasattr(data, "get") else None
    if typed and PHONE.fullmatch(str(typed).strip()):
        user = resident_by_phone(typed)
        if user is not None:
            return user.username
    return typed
