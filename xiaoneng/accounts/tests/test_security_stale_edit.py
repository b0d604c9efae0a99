"""No silent overwrite of a person: the user form carries the version it was read at."""

from django.urls import reverse

from xiaoneng.accounts import services
from xiaoneng.accounts.models import User
from xiaoneng.conftest import make_user
from xiaoneng.core.tests.stale import assert_stale, form_version


def test_the_user_form(client_for, county_a):
    admin = make_user("xs_admin2", county_a, "unit_admin", "handler", name="钱管理")
    other = make_user("xs_admin3", county_a, "unit_admin", "handler", name="李管理")
    target = make_user("xs_two", county_a, "handler", name="周二")
    client = client_for(admin)
    url = reverse("accounts:user_edit", args=[target.pk])
    version = form_version(client.get(url))
    services.update_user(
        User.objects.get(pk=target.pk), actor=other, phone="13800000001", roles=["handler"]
    )

    typed = {"name": "周二改", "unit": county_a.pk, "roles": ["handler"], "version": version}
    response = client.post(url, typed)
    assert_stale(response, who="李管理", field="手机号", typed="周二改")
    assert "空 → 13800000001" in response.content.decode()
    target = User.objects.get(pk=target.pk)
    assert (target.name, target.phone) == ("周二", "13800000001")

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).name == "周二改"
