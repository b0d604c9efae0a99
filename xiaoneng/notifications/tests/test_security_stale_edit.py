"""No silent overwrite of a group robot: its form carries the version it was read at."""

from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.stale import assert_stale, form_version
from xiaoneng.notifications import services
from xiaoneng.notifications.models import Webhook

URL = "https://oapi.dingtalk.com/robot/send?access_token=9c1f33d2b7e84a0f"


def test_the_robot_form(client_for, admin_a, county_a):
    hook = Webhook.objects.create(
        unit=county_a, name="西山钉钉群", kind="dingtalk", url=URL, actor=SYSTEM
    )
    other = make_user("xs_admin2", county_a, "unit_admin", name="钱管理")
    client = client_for(admin_a)
    url = reverse("notifications:webhook_edit", args=[hook.pk])
    version = form_version(client.get(url))
    services.save_webhook(Webhook.objects.get(pk=hook.pk), actor=other, name="西山区督办群")

    typed = {"unit": county_a.pk, "name": "西山值班群", "kind": "dingtalk", "url": ""}
    response = client.post(url, {**typed, "active": "on", "version": version})
    assert_stale(response, who="钱管理", field="名称", typed="西山值班群")
    assert "西山钉钉群 → 西山区督办群" in response.content.decode()
    assert Webhook.objects.get(pk=hook.pk).name == "西山区督办群"

    response = client.post(url, {**typed, "active": "on", "version": form_version(response)})
    assert response.status_code == 302
    hook = Webhook.objects.get(pk=hook.pk)
    assert (hook.name, hook.url) == ("西山值班群", URL)
