"""Issue 10: the negative list's behaviours are the province's, like batches and industries:
only the province's 效能办 defines them (supervision/policy.py: Behaviour "change")."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.supervision import negative
from xiaoneng.supervision.models import Behaviour


@pytest.fixture
def prefecture_supervisor(prefecture):
    return make_user("km_xn", prefecture, "supervisor", name="昆明督查")


def test_a_county_supervisor_cannot_edit_a_behaviour(client_for, county_supervisor):
    behaviour = Behaviour.objects.first()
    client = client_for(county_supervisor)
    for url in (
        reverse("supervision:behaviour_create"),
        reverse("supervision:behaviour_edit", args=[behaviour.pk]),
    ):
        for response in (client.get(url), client.post(url, {"name": "改掉", "sort": 1})):
            assert response.status_code == 403
            assert "只有省效能办可以维护" in response.content.decode()
    assert Behaviour.objects.get(pk=behaviour.pk).name != "改掉"
    assert not Behaviour.objects.filter(name="改掉").exists()


def test_only_the_province_sees_the_edit_buttons(
    client_for, province_supervisor, prefecture_supervisor, county_supervisor
):
    create = reverse("supervision:behaviour_create")
    url = reverse("supervision:behaviour_list")
    assert create in client_for(province_supervisor).get(url).content.decode()
    for user in (prefecture_supervisor, county_supervisor):
        page = client_for(user).get(url)
        assert page.status_code == 200 and create not in page.content.decode()


def test_the_service_refuses_all_but_the_province(province_supervisor, prefecture_supervisor):
    with pytest.raises(PermissionDenied):
        negative.save_behaviour(None, actor=prefecture_supervisor, name="地方版本")
    negative.save_behaviour(None, actor=province_supervisor, name="全省版本")
    assert Behaviour.objects.filter(name="全省版本").exists()
    assert not Behaviour.objects.filter(name="地方版本").exists()
