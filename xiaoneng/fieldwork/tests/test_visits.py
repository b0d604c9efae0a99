"""Recording a visit, its findings becoming problem items, and who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from xiaoneng.fieldwork import services
from xiaoneng.fieldwork.models import Visit
from xiaoneng.supervision.models import ItemKind, Source


def test_it_refuses_an_end_before_the_start_naming_the_field(leader_a, community_a):
    with pytest.raises(ValidationError) as exc:
        services.record_visit(
            actor=leader_a,
            leader=leader_a,
            start_date=timezone.localdate(),
            end_date=timezone.localdate() - dt.timedelta(days=1),
            places=[community_a],
        )
    assert "end_date" in exc.value.message_dict


def test_it_refuses_an_end_before_the_start_on_the_form(client_for, leader_a, community_a):
    response = client_for(leader_a).post(
        reverse("fieldwork:visit_create"),
        {
            "leader": leader_a.pk,
            "start_date": "2026-03-05",
            "end_date": "2026-03-04",
            "kind": "survey",
            "places": [community_a.pk],
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Visit.objects.exists()


def test_it_turns_a_finding_into_a_problem_item_linked_both_ways(
    record, client_for, leader_a, community_a, township_a
):
    visit = record(
        leader_a, timezone.localdate(), places=[community_a, township_a], findings=["路灯坏了"]
    )
    finding = visit.findings.get()
    c = client_for(leader_a)
    page = c.get(reverse("fieldwork:visit_detail", args=[visit.pk])).content.decode()
    assert "转为问题清单" in page
    response = c.post(
        reverse("fieldwork:finding_to_item", args=[finding.pk]),
        {
            "title": "路灯坏了",
            "lead_unit": community_a.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    finding.refresh_from_db()
    item = finding.item
    assert response.status_code == 302 and response.url == reverse(
        "supervision:item_detail", args=[item.pk]
    )
    assert item.kind == ItemKind.PROBLEM and item.source == Source.GRASSROOTS
    assert item.lead_unit == community_a  # the visited unit
    page = c.get(reverse("fieldwork:visit_detail", args=[visit.pk])).content.decode()
    assert reverse("supervision:item_detail", args=[item.pk]) in page
    page = c.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert "来自下基层" in page
    assert reverse("fieldwork:visit_detail", args=[visit.pk]) in page
    # Once only.
    with pytest.raises(ValidationError):
        services.finding_to_item(finding, actor=leader_a)


def test_it_defaults_the_lead_unit_to_the_first_place(record, leader_a, township_a, community_a):
    visit = record(
        leader_a, timezone.localdate(), places=[township_a, community_a], findings=["窗口排队久"]
    )
    item = services.finding_to_item(visit.findings.get(), actor=leader_a)
    assert item.lead_unit == township_a
    assert item.deadline == timezone.localdate() + dt.timedelta(days=30)


def test_a_leader_cannot_record_for_another_units_leader(leader_km, leader_a, community_a):
    with pytest.raises(PermissionDenied):
        services.record_visit(
            actor=leader_km,
            leader=leader_a,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            places=[community_a],
        )


def test_the_office_records_for_its_own_leaders(admin_a, leader_a, leader_km, community_a):
    visit = services.record_visit(
        actor=admin_a,
        leader=leader_a,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        places=[community_a],
    )
    assert visit.recorded_by == admin_a and visit.unit == leader_a.unit
    with pytest.raises(PermissionDenied):
        services.record_visit(
            actor=admin_a,
            leader=leader_km,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            places=[community_a],
        )


def test_the_outsider_sees_nothing(record, client_for, leader_a, handler_b, community_a):
    visit = record(leader_a, timezone.localdate(), places=[community_a], findings=["甲问题"])
    finding = visit.findings.get()
    c = client_for(handler_b)
    assert c.get(reverse("fieldwork:visit_detail", args=[visit.pk])).status_code == 404
    assert "甲问题" not in c.get(reverse("fieldwork:visit_list")).content.decode()
    assert c.get(f"/api/visits/{visit.pk}/").status_code == 404
    assert c.post(f"/api/findings/{finding.pk}/to-item/", {}).status_code == 404
    assert c.get("/api/visits/").json()["count"] == 0


def test_a_community_sees_who_came(record, client_for, leader_km, community_a):
    from xiaoneng.conftest import make_user

    visit = record(leader_km, timezone.localdate(), places=[community_a])
    resident_office = make_user("yxl_cb", community_a, "handler")
    page = client_for(resident_office).get(reverse("fieldwork:visit_detail", args=[visit.pk]))
    assert page.status_code == 200 and "陈志远" in page.content.decode()


def test_the_api_records_and_refuses_bad_dates(client_for, leader_a, community_a):
    c = client_for(leader_a)
    body = {
        "leader": leader_a.pk,
        "start_date": "2026-03-05",
        "end_date": "2026-03-04",
        "places": [community_a.pk],
    }
    response = c.post("/api/visits/", body, content_type="application/json")
    assert response.status_code == 400 and "end_date" in response.json()
    body["end_date"] = "2026-03-06"
    body["findings"] = ["一", "二"]
    response = c.post("/api/visits/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["days"] == 2 and len(data["findings"]) == 2
    fid = data["findings"][0]["id"]
    response = c.post(f"/api/findings/{fid}/to-item/", {}, content_type="application/json")
    assert response.status_code == 201, response.content
    response = c.post(f"/api/findings/{fid}/to-item/", {}, content_type="application/json")
    assert response.status_code == 400
    assert c.get("/api/visits/stats/?year=2026").status_code == 200


def test_the_pages_render(record, client_for, leader_a, community_a):
    record(leader_a, timezone.localdate(), places=[community_a], findings=["甲问题"])
    c = client_for(leader_a)
    for name in ("visit_list", "visit_create", "visit_stats", "visit_where"):
        assert c.get(reverse(f"fieldwork:{name}")).status_code == 200, name
    assert "西山区" in c.get(reverse("fieldwork:visit_where")).content.decode()


def test_it_keeps_the_places_in_the_order_given_when_they_change(
    record, leader_a, county_a, township_a, community_a
):
    visit = record(leader_a, timezone.localdate(), places=[community_a, township_a])
    assert Visit.objects.get(pk=visit.pk).place_list() == [community_a, township_a]
    services.change_visit(
        visit,
        actor=leader_a,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        kind="survey",
        places=[county_a, community_a],
    )
    assert Visit.objects.get(pk=visit.pk).place_list() == [county_a, community_a]
