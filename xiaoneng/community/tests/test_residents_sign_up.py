"""A resident joins with an invitation code (the public page and POST /api/join/), then logs
in with the phone number. A code expired, used up, revoked or unknown is refused with its
reason, and nothing is stored."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from xiaoneng.accounts.models import ApiToken, RoleCode, User
from xiaoneng.community import residents
from xiaoneng.community.models import Invitation
from xiaoneng.conftest import PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "Yongxing-road-2026"
UNKNOWN = "邀请码不正确，请核对后再输入。"
EXPIRED = "该邀请码已过期，请向社区工作人员索取新的邀请码。"
USED_UP = "该邀请码已用完，请向社区工作人员索取新的邀请码。"
REVOKED = "该邀请码已作废，请向社区工作人员索取新的邀请码。"
TAKEN = "该手机号已注册，请直接用手机号登录；忘记密码请联系社区工作人员。"


@pytest.fixture
def invitation(community_a, staff_a):
    return residents.create_invitation(actor=staff_a, community=community_a, max_uses=5)


def sign_up(code, phone="13712345678", name="马大姐", password=STRONG):
    return residents.sign_up(code=code, phone=phone, name=name, password=password)


def refusal(code, **kwargs) -> dict[str, list[str]]:
    users = User.all_objects.count()
    with pytest.raises(ValidationError) as refused:
        sign_up(code, **kwargs)
    assert User.all_objects.count() == users  # nothing stored
    return refused.value.message_dict


def test_a_resident_joins_with_a_code(community_a, invitation):
    user = sign_up(f" {invitation.code.lower()} ")  # as typed on a phone
    assert user.unit == community_a and user.role_codes == {RoleCode.RESIDENT}
    assert (user.name, user.phone) == ("马大姐", "13712345678")
    assert user.username == "jm530112007001-0001"  # not the phone: lists show user names
    assert user.check_password(STRONG) and not user.must_change_password
    invitation.refresh_from_db()
    assert invitation.uses == 1
    second = sign_up(invitation.code, phone="13712345679", name="牛师傅")
    assert second.username == "jm530112007001-0002"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"expires_at": timezone.now() - dt.timedelta(seconds=1)}, EXPIRED),
        ({"uses": 5}, USED_UP),
        ({"revoked_at": timezone.now()}, REVOKED),
    ],
)
def test_a_code_that_cannot_be_used_is_refused_with_its_reason(invitation, change, message):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    assert refusal(invitation.code) == {"code": [message]}
    invitation.refresh_from_db()
    assert invitation.uses == change.get("uses", 0)


def test_an_unknown_code_is_refused(invitation):
    assert refusal("ABCD2345") == {"code": [UNKNOWN]}
    assert refusal("") == {"code": ["请填写邀请码。"]}
    assert refusal("9" * 5000) == {"code": [UNKNOWN]}


def test_a_limit_of_one_admits_one(community_a, staff_a):
    one = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    sign_up(one.code, phone="13712345670")
    assert refusal(one.code, phone="13712345671") == {"code": [USED_UP]}
    assert User.objects.filter(phone="13712345671").count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's writers queue by themselves"
)
@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_at_once_cannot_pass_a_limit_of_one(community_a, staff_a):
    one = residents.create_invitation(actor=staff_a, community=community_a, max_uses=1)
    start = threading.Barrier(2)
    outcomes: list = []

    def attempt(phone):
        try:
            start.wait()
            sign_up(one.code, phone=phone)
            outcomes.append("joined")
        except ValidationError as exc:
            outcomes.append(exc.message_dict)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(f"1371234567{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == sorted(["joined", str({"code": [USED_UP]})])
    one.refresh_from_db()
    assert one.uses == 1
    assert User.objects.filter(roles__code="resident").count() == 1


def test_each_bad_field_is_named(invitation, resident_a):
    assert refusal(invitation.code, name="  ") == {"name": ["请填写姓名。"]}
    assert refusal(invitation.code, name="长" * 51)["name"] == ["姓名最多 50 个字（现有 51 个）。"]
    assert "电话号码格式不对" in refusal(invitation.code, phone="138-abc")["phone"][0]
    assert refusal(invitation.code, phone="") == {"phone": ["请填写手机号。"]}
    assert refusal(invitation.code, phone=resident_a.phone) == {"phone": [TAKEN]}
    weak = refusal(invitation.code, password="12345678")["password"]
    assert weak and all("密码" in m for m in weak)
    assert refusal(invitation.code, password="") == {"password": ["请设置密码。"]}
    # Several at once, each under its field.
    assert set(refusal("ABCD2345", name="", phone="x")) == {"code", "name", "phone"}
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_a_taken_phone_is_not_told_without_a_valid_code(resident_a):
    """The page is public: whether a number is registered is told only with a valid code."""
    assert refusal("ABCD2345", phone=resident_a.phone) == {"code": [UNKNOWN]}


def test_a_code_of_a_unit_that_is_not_a_community_is_unknown(county_a, staff_a):
    Invitation.objects.create(
        community=county_a,
        code="COUNTY22",
        expires_at=timezone.now() + dt.timedelta(days=1),
        max_uses=5,
        actor=staff_a,
    )
    assert refusal("COUNTY22") == {"code": [UNKNOWN]}


# --- The page -----------------------------------------------------------------------------


def join_data(code, **extra):
    return {
        "code": code,
        "name": "马大姐",
        "phone": "13712345678",
        "password": STRONG,
        "password_again": STRONG,
        **extra,
    }


def test_the_join_page_needs_no_login_and_takes_the_code_from_the_link(client, invitation):
    response = client.get(reverse("community_residents:join"), {"code": invitation.code.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "加入社区" in page and f'value="{invitation.code}"' in page
    assert 'type="tel"' in page and 'autocomplete="new-password"' in page


def test_joining_on_the_page_logs_the_resident_in(client, invitation):
    response = client.post(reverse("community_residents:join"), join_data(invitation.code))
    assert response.status_code == 302
    try:
        expected = reverse("community:matter_list")
    except Exception:
        expected = "/"
    assert response["Location"] == expected
    user = User.objects.get(phone="13712345678")
    assert int(client.session["_auth_user_id"]) == user.pk
    home = client.get("/", follow=True)
    assert home.status_code == 200


def test_the_page_names_each_refusal_and_stores_nothing(client, invitation):
    url = reverse("community_residents:join")
    Invitation.objects.filter(pk=invitation.pk).update(uses=5)
    response = client.post(url, join_data(invitation.code))
    assert response.status_code == 400
    assert USED_UP in response.content.decode()
    response = client.post(url, join_data("ZZZZ2222"))
    assert UNKNOWN in response.content.decode()
    response = client.post(url, join_data(invitation.code, password_again="Other-pass-2026"))
    assert "两次输入的密码不一致" in response.content.decode()
    response = client.post(url, {"code": "²", "phone": "9" * 5000})
    assert response.status_code == 400
    assert not User.objects.filter(roles__code="resident").exists()
    assert "_auth_user_id" not in client.session


def test_the_resident_logs_in_with_the_phone(client, invitation):
    sign_up(invitation.code)
    login = reverse("accounts:login")
    response = client.post(login, {"username": "13712345678", "password": STRONG})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    # A wrong password is the ordinary refusal.
    other = client.__class__()
    response = other.post(login, {"username": "13712345678", "password": "wrong-pass"})
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()


def test_a_staff_members_phone_is_no_login(client, staff_a):
    response = client.post(
        reverse("accounts:login"), {"username": staff_a.phone, "password": PASSWORD}
    )
    assert response.status_code == 200  # cadres log in with their user name


def test_failures_by_phone_and_by_user_name_count_together(client, invitation, settings):
    user = sign_up(invitation.code)
    login = reverse("accounts:login")
    for i in range(settings.AXES_FAILURE_LIMIT):
        typed = user.phone if i % 2 else user.username
        client.post(login, {"username": typed, "password": "wrong"})
    for typed in (user.phone, user.username):
        response = client.post(login, {"username": typed, "password": STRONG})
        assert response.status_code == 429, typed
    assert client.get("/").status_code == 302


def test_a_login_clears_the_failures_of_the_phone(client, invitation, settings):
    user = sign_up(invitation.code)
    login = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": user.phone, "password": "wrong"})
    assert client.post(login, {"username": user.phone, "password": STRONG}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.post(login, {"username": user.phone, "password": "wrong"})
    assert client.post(login, {"username": user.phone, "password": STRONG}).status_code == 302


# --- The API ------------------------------------------------------------------------------


def test_the_api_joins_and_gives_a_token(client, community_a, invitation):
    response = client.post(
        "/api/join/",
        {"code": invitation.code, "phone": "13712345678", "name": "马大姐", "password": STRONG},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    user = User.objects.get(phone="13712345678")
    assert body["id"] == user.pk
    assert body["community"] == "530112007001" and body["community_name"] == "永兴路社区"
    assert ApiToken.objects.filter(user=user).count() == 1
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert me.status_code == 200 and me.json()["phone"] == "13712345678"
    # The token endpoint takes the phone too.
    token = client.post("/api/auth/token/", {"username": "13712345678", "password": STRONG})
    assert token.status_code == 200 and token.json()["token"]


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"code": "ABCD2345"}, "code", UNKNOWN),
        ({"phone": "138"}, "phone", None),
        ({"name": ""}, "name", "请填写姓名。"),
        ({"password": "password"}, "password", None),
    ],
)
def test_the_api_refuses_in_chinese(client, invitation, body, field, message):
    data = {"code": invitation.code, "phone": "13712345678", "name": "马大姐", "password": STRONG}
    response = client.post("/api/join/", {**data, **body}, content_type="application/json")
    assert response.status_code == 400
    refused = response.json()[field]
    assert message is None or refused == [message]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in refused)
    assert not User.objects.filter(phone="13712345678").exists()


def test_the_api_refuses_an_expired_code(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client.post(
        "/api/join/",
        {"code": invitation.code, "phone": "13712345678", "name": "马大姐", "password": STRONG},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json() == {"code": [EXPIRED]}


def test_the_api_answers_a_body_that_is_no_object(client):
    for body in ("[1, 2]", '"x"', "{"):
        response = client.post("/api/join/", body, content_type="application/json")
        assert response.status_code == 400
