import pytest
from django.core.exceptions import ValidationError

from xiaoneng.core.validators import validate_phone

GOOD = ["13812345678", "19900000000", "0871-12345678", "010-1234567", "08711234567",
        "0871-12345678-8001", "0871-12345678转8001", ""]  # fmt: skip
BAD = ["12812345678", "1381234567", "138123456789", "138-1234-5678", "+86 138", "12345678",
       "0871-0123456", "871-12345678", "0871-12345678-", "abc", "0871-12345678-1234567"]  # fmt: skip


@pytest.mark.parametrize("value", GOOD)
def test_it_takes_mobiles_and_landlines_with_area_codes(value):
    validate_phone(value)


@pytest.mark.parametrize("value", BAD)
def test_it_refuses_anything_else_in_words(value):
    with pytest.raises(ValidationError) as refused:
        validate_phone(value)
    (message,) = refused.value.messages
    assert "手机号为 11 位数字" in message and "区号" in message
    assert ". " not in message and not message.endswith(".")


def test_the_persons_phone_field_uses_it(db, county_a):
    from xiaoneng.accounts.models import User

    person = User(username="dianhua", unit=county_a, name="电话", phone="138")
    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["password"])
    assert "phone" in refused.value.message_dict
