def test_units_filter_by_parent_and_level(
    client_for, province_supervisor, prefecture, county_a, county_b
):
    client = client_for(province_supervisor)
    data = client.get(f"/api/units/?parent={prefecture.pk}").json()
    assert {u["code"] for u in data["results"]} == {"530112", "530102"}
    data = client.get("/api/units/?level=prefecture").json()
    assert [u["name"] for u in data["results"]] == ["昆明市"]


def test_units_api_is_scoped(client_for, handler_b, county_a, county_b):
    data = client_for(handler_b).get("/api/units/?level=county").json()
    assert [u["code"] for u in data["results"]] == ["530102"]
