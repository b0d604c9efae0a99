"""Issue 10, requirement 6: API tokens behave like sessions.

They expire, go with the password (changed or reset), with deactivation and deletion, can be
revoked by their user and by a unit admin, and a user who must change their password can use
no endpoint but the password change."""

import datetime as dt

import pytest
from django.urls import reverse

from xiaoneng.accounts import services
from xiaoneng.accounts.models import ApiToken, User
from xiaoneng.conftest import PASSWORD, make_user
from xiaoneng.core.models import ChangeLog

NEW_PASSWORD = "Another-pass-2027"


def obtain(client, user, password=PASSWORD, name="") -> str:
    response = client.post(
        reverse("api-token"),
        {"username": user.username, "password": password, "name": name},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(client, token):
    return client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")


def test_a_user_has_one_token_per_device_and_only_its_hash_is_stored(client, handler_a):
    phone = obtain(client, handler_a, name="手机")
    laptop = obtain(client, handler_a, name="笔记本")
    assert phone != laptop
    assert me(client, phone).status_code == 200 and me(client, laptop).status_code == 200
    stored = list(ApiToken.objects.filter(user=handler_a).values_list("key_hash", flat=True))
    assert len(stored) == 2 and phone not in stored and laptop not in stored


def test_an_expired_token_gets_401_with_the_reason(client, handler_a, settings):
    settings.TOKEN_HOURS = 12
    token = obtain(client, handler_a)
    ApiToken.objects.filter(user=handler_a).update(
        created_at=ApiToken.objects.get(user=handler_a).created_at - dt.timedelta(hours=11)
    )
    assert me(client, token).status_code == 200  # 11 hours old: still good
    ApiToken.objects.filter(user=handler_a).update(
        created_at=ApiToken.objects.get(user=handler_a).created_at - dt.timedelta(hours=1)
    )
    response = me(client, token)
    assert response.status_code == 401
    assert "令牌已过期" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=handler_a).exists()


def test_a_revoked_or_made_up_token_gets_401_in_chinese(client, handler_a):
    response = me(client, "0" * 40)
    assert response.status_code == 401 and "令牌无效或已撤销" in response.json()["detail"]


def _change_on_the_page(client_for, user, admin):
    response = client_for(user).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def _change_through_the_api(client_for, user, admin):
    response = client_for(user).post(
        reverse("api-password"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200


def _reset_by_the_admin(client_for, user, admin):
    response = client_for(admin).post(reverse("accounts:user_reset_password", args=[user.pk]))
    assert response.status_code == 302


def _deactivate(client_for, user, admin):
    user.is_active = False
    user.save(actor=admin)


def _delete_by_the_admin(client_for, user, admin):
    response = client_for(admin).post(reverse("accounts:user_delete", args=[user.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "event",
    [
        _change_on_the_page,
        _change_through_the_api,
        _reset_by_the_admin,
        _deactivate,
        _delete_by_the_admin,
    ],
)
def test_tokens_go_with_the_password_and_the_account(client, client_for, handler_a, admin_a, event):
    tokens = [obtain(client, handler_a, name="手机"), obtain(client, handler_a, name="电脑")]
    event(client_for, User.all_objects.get(pk=handler_a.pk), admin_a)
    assert not ApiToken.objects.filter(user=handler_a).exists()
    for token in tokens:
        assert me(client, token).status_code == 401


def test_the_user_lists_and_revokes_their_tokens(client, client_for, handler_a):
    kept = obtain(client, handler_a, name="办公室电脑")
    gone = obtain(client, handler_a, name="丢失的手机")
    web = client_for(handler_a)
    page = web.get(reverse("accounts:token_list")).content.decode()
    assert "办公室电脑" in page and "丢失的手机" in page and "到期时间" in page
    assert reverse("accounts:token_list") in web.get("/").content.decode()  # account menu
    lost = ApiToken.objects.get(name="丢失的手机")
    response = web.post(reverse("accounts:token_revoke", args=[lost.pk]))
    assert response.status_code == 302
    assert me(client, gone).status_code == 401
    assert me(client, kept).status_code == 200


def test_nobody_sees_or_revokes_another_users_tokens(client, client_for, handler_a, handler_b):
    token = obtain(client, handler_a, name="西山的手机")
    outsider = client_for(handler_b)
    assert "西山的手机" not in outsider.get(reverse("accounts:token_list")).content.decode()
    theirs = ApiToken.objects.get(user=handler_a)
    response = outsider.post(reverse("accounts:token_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    assert me(client, token).status_code == 200


def test_a_unit_admin_revokes_all_tokens_of_someone_in_scope(
    client, client_for, handler_a, admin_a
):
    tokens = [obtain(client, handler_a), obtain(client, handler_a)]
    admin = client_for(admin_a)
    url = reverse("accounts:user_revoke_tokens", args=[handler_a.pk])
    assert (
        "撤销全部令牌"
        in admin.get(reverse("accounts:user_detail", args=[handler_a.pk])).content.decode()
    )
    response = admin.post(url)
    assert response.status_code == 302
    assert all(me(client, t).status_code == 401 for t in tokens)


def test_a_unit_admin_of_another_county_cannot_revoke(client, client_for, handler_a, county_b):
    admin_b = make_user("wh_admin", county_b, "unit_admin")
    token = obtain(client, handler_a)
    response = client_for(admin_b).post(reverse("accounts:user_revoke_tokens", args=[handler_a.pk]))
    assert response.status_code == 404
    assert me(client, token).status_code == 200


SAMPLE_ENDPOINTS = ["/api/me/", "/api/units/", "/api/items/", "/api/projects/", "/api/schema/"]


def test_a_user_who_must_change_the_password_can_only_change_it(client, client_for, handler_a):
    token = obtain(client, handler_a)  # still possible: it is how an API client gets there
    User.objects.filter(pk=handler_a.pk).update(must_change_password=True)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    browser = client_for(User.objects.get(pk=handler_a.pk))
    for url in SAMPLE_ENDPOINTS:
        for response in (client.get(url, **auth), browser.get(url)):
            assert response.status_code == 403, url
            assert "须先修改密码" in response.content.decode()

    wrong = client.post(
        reverse("api-password"),
        {"old_password": "nope", "new_password": NEW_PASSWORD},
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 400 and "old_password" in wrong.json()
    weak = client.post(
        reverse("api-password"),
        {"old_password": PASSWORD, "new_password": "123"},
        content_type="application/json",
        **auth,
    )
    assert weak.status_code == 400 and "new_password" in weak.json()
    response = client.post(
        reverse("api-password"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and "密码已修改" in response.json()["detail"]
    user = User.objects.get(pk=handler_a.pk)
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert me(client, token).status_code == 401  # the old token went with the old password
    assert me(client, obtain(client, handler_a, NEW_PASSWORD)).status_code == 200


def test_the_browser_stays_logged_in_after_an_api_password_change(client_for, handler_a):
    browser = client_for(handler_a)
    response = browser.post(
        reverse("api-password"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert browser.get(reverse("api-me")).status_code == 200


def test_revoking_is_audited(client, handler_a, admin_a):
    obtain(client, handler_a)
    assert services.revoke_tokens(handler_a, actor=admin_a) == 1
    assert ChangeLog.objects.filter(action="revoke_tokens", object_id=handler_a.pk).exists()
