"""The unit list and /api/units/ filter with one UnitFilterSet."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def page_ids(client, query: str) -> list[int]:
    response = client.get(f"/units/?{query}")
    assert response.status_code == 200
    return [unit.pk for unit in response.context["page"]]


def api_ids(user, query: str) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/units/?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_page_and_the_api_give_the_same_rows(
    client_for, province_supervisor, prefecture, county_a, county_b
):
    # The province sees every unit, and none above it: the page's "view" and the API's
    # "view_ancestors" are the same rows, so the filters alone may differ them.
    client = client_for(province_supervisor)
    for query in [
        "",
        f"parent={prefecture.pk}",
        "level=county",
        "level=county&q=西山",
        "q=5301",
        "code=530102",
        "kind=government&level=prefecture",
        f"parent={county_a.pk}",
    ]:
        assert page_ids(client, query) == api_ids(province_supervisor, query), query
    assert page_ids(client, "level=county&q=西山") == [county_a.pk]


def test_an_invalid_id_is_named_on_the_page_and_refused_by_the_api(
    client_for, province_supervisor, county_a
):
    client = client_for(province_supervisor)
    api = APIClient()
    api.force_authenticate(province_supervisor)
    everything = page_ids(client, "")
    for bad in ["abc", "0", "1e3", "99999999999999999999"]:
        response = client.get("/units/", {"parent": bad})
        assert response.status_code == 200
        assert "筛选条件“上级单位”无效" in response.content.decode()
        assert [u.pk for u in response.context["page"]] == everything
        response = api.get("/api/units/", {"parent": bad})
        assert response.status_code == 400 and "parent" in response.json()
