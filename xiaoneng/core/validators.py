"""Validators of values people type, shared by model fields (and so by every form, import and
API serializer built on them)."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# A mainland mobile number: 11 digits starting 13–19 (13812345678).
MOBILE = r"1[3-9]\d{9}"
# A landline with its area code (0871-12345678, 010-1234567), an extension allowed
# (0871-12345678-8001, 0871-12345678转8001).
LANDLINE = r"0\d{2,3}-?[1-9]\d{6,7}(?:(?:-|转)\d{1,6})?"
PHONE = re.compile(rf"(?:{MOBILE}|{LANDLINE})")

PHONE_MESSAGE = _(
    "电话号码格式不对：手机号为 11 位数字（如 13812345678），"
    "固定电话须带区号（如 0871-12345678，分机号可写在后面：0871-12345678-8001）"
)


@deconstructible
class PhoneValidator:
    """A mainland mobile or a landline with its area code. Blank is left to `blank`."""

    message = PHONE_MESSAGE
    code = "phone"

    def __call__(self, value) -> None:
        if value in ("", None):
            return
        if not PHONE.fullmatch(str(value).strip()):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other) -> bool:
        return isinstance(other, PhoneValidator)

    def __hash__(self) -> int:
        return hash(PhoneValidator)


validate_phone = PhoneValidator()
