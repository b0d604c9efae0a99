"""The robot form never sends the stored signing secret, nor the credential in the stored
address, back to the browser."""

import pytest
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import version_of
from xiaoneng.notifications.models import Webhook

pytestmark = pytest.mark.django_db
SECRET = "SEC9f8e7d6c5b4a39281706stored"
URL = "https://oapi.dingtalk.com/robot/send?access_token=9c1f33d2b7e84a0f"


@pytest.fixture
def hook(county_a):
    return Webhook.objects.create(
        unit=county_a,
        name="西山钉钉群",
        kind="dingtalk",
        url=URL,
        secret=SECRET,
        actor=SYSTEM,
    )


def post(client, hook, **changes):
    data = {
        "unit": hook.unit_id,
        "name": hook.name,
        "kind": hook.kind,
        "url": "",
        "secret": "",
        "active": "on",
        "version": version_of(Webhook.objects.get(pk=hook.pk)),  # as the form was just read
        **changes,
    }
    return client.post(reverse("notifications:webhook_edit", args=[hook.pk]), data)


def test_it_never_renders_the_stored_secret(hook, admin_a, client_for):
    page = client_for(admin_a).get(reverse("notifications:webhook_edit", args=[hook.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert SECRET not in html and "已设置" in html and 'name="clear_secret"' in html


def test_an_empty_secret_keeps_the_stored_one(hook, admin_a, client_for):
    r = post(client_for(admin_a), hook, name="西山钉钉群（改）")
    assert r.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.secret) == ("西山钉钉群（改）", SECRET)


def test_a_new_secret_replaces_it_and_clearing_removes_it(hook, admin_a, client_for):
    c = client_for(admin_a)
    assert post(c, hook, secret="SECnew").status_code == 302
    hook.refresh_from_db()
    assert hook.secret == "SECnew"
    assert post(c, hook, clear_secret="on").status_code == 302
    hook.refresh_from_db()
    assert hook.secret == ""
    html = c.get(reverse("notifications:webhook_edit", args=[hook.pk])).content.decode()
    assert "已设置。留空则保留原密钥" not in html and 'name="clear_secret"' not in html


def test_a_refused_form_does_not_echo_secrets(hook, admin_a, client_for):
    r = post(client_for(admin_a), hook, url="not a url", secret="SECtyped-in-error")
    html = r.content.decode()
    assert r.status_code == 200 and "SECtyped-in-error" not in html and SECRET not in html
    r = post(client_for(admin_a), hook, secret="SECboth", clear_secret="on")
    assert r.status_code == 200 and "清除密钥时请不要同时填写新密钥" in r.content.decode()
    hook.refresh_from_db()
    assert hook.secret == SECRET


def test_a_new_robot_keeps_the_secret_it_is_given(county_a, admin_a, client_for):
    r = client_for(admin_a).post(
        reverse("notifications:webhook_create"),
        {
            "unit": county_a.pk,
            "name": "新群",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=n",
            "secret": "SECfresh",
            "active": "on",
        },
    )
    assert r.status_code == 302 and Webhook.objects.get(name="新群").secret == "SECfresh"


def test_the_outsider_cannot_open_it(hook, county_b, client_for):
    admin_b = make_user("wh_admin", county_b, "unit_admin")
    r = client_for(admin_b).get(reverse("notifications:webhook_edit", args=[hook.pk]))
    assert r.status_code == 404


def test_it_never_renders_the_stored_address_and_keeps_it(hook, admin_a, client_for):
    c = client_for(admin_a)
    html = c.get(reverse("notifications:webhook_edit", args=[hook.pk])).content.decode()
    assert "9c1f33d2b7e84a0f" not in html
    assert "https://oapi.dingtalk.com/robot/send?access_token=9c1f…0f" in html
    assert post(c, hook, name="改名").status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.url) == ("改名", URL)
    new = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
    assert post(c, hook, url=new, kind="wecom").status_code == 302
    hook.refresh_from_db()
    assert hook.url == new
