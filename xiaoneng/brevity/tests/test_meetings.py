"""Meetings (会风): each rule at its threshold, refused input named by its field, the
pages and the API, the outsider."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xiaoneng.brevity import rules, services
from xiaoneng.brevity.models import Meeting

DAY = dt.date(2026, 3, 10)


def meeting(actor, unit, *, kind="work", planned=60, actual=None, days=1, speeches=(), **kw):
    return services.save_meeting(
        None,
        actor=actor,
        organiser=unit,
        kind=kind,
        title=kw.pop("title", "测试会议"),
        date=kw.pop("date", DAY),
        days=days,
        planned_minutes=planned,
        actual_minutes=actual,
        mode="onsite",
        attendees=None,
        speeches=[{"speaker": "张三", "role": r, "minutes": m} for r, m in speeches],
    )


def rules_broken(m) -> list[str]:
    return [b.rule for b in m.breaches()]


def in_breach_sql(m) -> bool:
    return Meeting.objects.in_breach().filter(pk=m.pk).exists()


@pytest.mark.parametrize("minutes, broken", [(59, False), (60, False), (61, True)])
def test_it_checks_the_main_speech_at_60_minutes(handler_a, county_a, minutes, broken):
    m = meeting(handler_a, county_a, planned=120, speeches=[("main", minutes)])
    assert ("main_speech" in rules_broken(m)) is broken
    assert in_breach_sql(m) is broken
    assert Meeting.objects.within_rules().filter(pk=m.pk).exists() is not broken
    if broken:
        (b,) = m.breaches()
        assert (b.limit, b.actual) == (60, 61)


def test_other_speeches_may_be_longer(handler_a, county_a):
    m = meeting(handler_a, county_a, planned=120, speeches=[("other", 90)])
    assert rules_broken(m) == [] and not in_breach_sql(m)


@pytest.mark.parametrize("minutes, broken", [(719, False), (720, False), (721, True)])
def test_it_checks_a_group_discussion_at_one_and_a_half_days(handler_a, county_a, minutes, broken):
    m = meeting(handler_a, county_a, kind="group", planned=100, actual=minutes, days=2)
    assert ("group_discussion" in rules_broken(m)) is broken
    assert in_breach_sql(m) is broken


@pytest.mark.parametrize("kind", ["plenary", "special", "work", "other"])
@pytest.mark.parametrize("minutes, broken", [(239, False), (240, False), (241, True)])
def test_it_checks_other_meetings_at_half_a_day(handler_a, county_a, kind, minutes, broken):
    m = meeting(handler_a, county_a, kind=kind, planned=minutes)
    assert ("meeting_length" in rules_broken(m)) is broken
    assert in_breach_sql(m) is broken


def test_the_actual_duration_counts_once_held(handler_a, county_a):
    m = meeting(handler_a, county_a, planned=300, actual=200)
    assert rules_broken(m) == [] and not in_breach_sql(m)
    m = meeting(handler_a, county_a, planned=200, actual=300)
    assert rules_broken(m) == ["meeting_length"] and in_breach_sql(m)


def test_the_thresholds_are_configurable(settings, handler_a, county_a):
    settings.XIAONENG_MEETING_MAIN_SPEECH_MINUTES = 30
    settings.XIAONENG_MEETING_OTHER_MINUTES = 120
    m = meeting(handler_a, county_a, planned=150, speeches=[("main", 31)])
    assert sorted(rules_broken(m)) == ["main_speech", "meeting_length"]
    assert in_breach_sql(m)


def test_two_breaches_are_both_listed(handler_a, county_a):
    m = meeting(handler_a, county_a, kind="plenary", planned=300, speeches=[("main", 75)])
    assert sorted(rules_broken(m)) == ["main_speech", "meeting_length"]


# --- Refused input ------------------------------------------------------------------------


def refusal(handler, unit, **kw) -> dict:
    with pytest.raises(ValidationError) as refused:
        meeting(handler, unit, **kw)
    return refused.value.message_dict


def test_a_speech_longer_than_its_meeting_is_refused(handler_a, county_a):
    errors = refusal(handler_a, county_a, planned=60, speeches=[("other", 30), ("main", 61)])
    assert list(errors) == ["speeches.1.minutes"]
    assert "第 2 个发言" in errors["speeches.1.minutes"][0]
    assert not Meeting.objects.exists()
    # against the actual duration once held
    errors = refusal(handler_a, county_a, planned=120, actual=50, speeches=[("main", 55)])
    assert list(errors) == ["speeches.0.minutes"]


@pytest.mark.parametrize(
    "values, field",
    [
        ({"planned": -5}, "planned_minutes"),
        ({"planned": 0}, "planned_minutes"),
        ({"planned": 60, "actual": -1}, "actual_minutes"),
        ({"planned": 1441}, "planned_minutes"),
        ({"planned": 60, "actual": 1441}, "actual_minutes"),
        ({"planned": 2881, "days": 2}, "planned_minutes"),
        ({"planned": 60, "days": 0}, "days"),
    ],
)
def test_negative_or_absurd_durations_are_refused(handler_a, county_a, values, field):
    errors = refusal(handler_a, county_a, **values)
    assert field in errors
    assert not Meeting.objects.exists()


def test_a_whole_day_per_day_is_the_most(handler_a, county_a):
    assert meeting(handler_a, county_a, kind="group", planned=2880, days=2).pk


def test_the_form_names_the_field(client_for, handler_a, county_a):
    c = client_for(handler_a)
    data = {
        "organiser": county_a.pk, "kind": "work", "title": "周例会", "date": "2026-03-10",
        "days": 1, "planned_minutes": 60, "mode": "onsite",
        "speeches-TOTAL_FORMS": 3, "speeches-INITIAL_FORMS": 0,
        "speeches-0-speaker": "张三", "speeches-0-role": "main", "speeches-0-minutes": 75,
    }  # fmt: skip
    response = c.post(reverse("brevity:meeting_create"), data)
    assert response.status_code == 200
    speech_form = response.context["speeches"].forms[0]
    assert "minutes" in speech_form.errors
    assert "超过会议时长" in response.content.decode()
    for bad, field in (("-30", "planned_minutes"), ("2000", "planned_minutes"), ("abc", "days")):
        key = "days" if field == "days" else "planned_minutes"
        response = c.post(reverse("brevity:meeting_create"), {**data, key: bad})
        assert response.status_code == 200
        assert field in response.context["form"].errors, (bad, response.context["form"].errors)
    assert not Meeting.objects.exists()
    data["speeches-0-minutes"] = 45
    response = c.post(reverse("brevity:meeting_create"), data)
    assert response.status_code == 302
    m = Meeting.objects.get()
    assert [(s.speaker, s.role, s.minutes) for s in m.speeches.all()] == [("张三", "main", 45)]


def test_the_api_names_the_field(client_for, handler_a, county_a):
    c = client_for(handler_a)
    body = {
        "organiser": county_a.pk, "kind": "work", "title": "周例会", "date": "2026-03-10",
        "planned_minutes": 60, "speeches": [{"speaker": "张三", "role": "main", "minutes": 75}],
    }  # fmt: skip
    r = c.post("/api/meetings/", body, content_type="application/json")
    assert r.status_code == 400 and "speeches.0.minutes" in r.json()
    r = c.post("/api/meetings/", {**body, "planned_minutes": -1}, content_type="application/json")
    assert r.status_code == 400 and "planned_minutes" in r.json()
    r = c.post("/api/meetings/", {**body, "days": 1, "planned_minutes": 1500, "speeches": []},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "planned_minutes" in r.json()
    assert not Meeting.objects.exists()
    body["speeches"][0]["minutes"] = 61
    body["planned_minutes"] = 90
    r = c.post("/api/meetings/", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["within_rules"] is False
    assert data["breaches"][0]["rule"] == "main_speech" and data["breaches"][0]["actual"] == 61
    r = c.patch(f"/api/meetings/{data['id']}/", {"speeches": [{"speaker": "张三", "minutes": 50,
                "role": "main"}]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["within_rules"] is True
    assert c.delete(f"/api/meetings/{data['id']}/").status_code == 204
    assert not Meeting.objects.exists() and Meeting.all_objects.count() == 1


# --- Pages --------------------------------------------------------------------------------


def test_the_list_puts_breaches_first(client_for, handler_a, county_a):
    ok = meeting(handler_a, county_a, title="合规会议", date=dt.date(2026, 3, 20))
    bad = meeting(handler_a, county_a, title="超时会议", planned=300, date=dt.date(2026, 1, 5))
    page = client_for(handler_a).get(reverse("brevity:meeting_list"))
    assert [m.pk for m in page.context["page"]] == [bad.pk, ok.pk]
    assert "超出规定" in page.content.decode()
    filtered = client_for(handler_a).get(reverse("brevity:meeting_list") + "?breach=false")
    assert [m.pk for m in filtered.context["page"]] == [ok.pk]


def test_the_detail_lists_each_breach_with_its_rule(client_for, handler_a, county_a):
    m = meeting(handler_a, county_a, kind="plenary", planned=300, speeches=[("main", 75)])
    page = client_for(handler_a).get(reverse("brevity:meeting_detail", args=[m.pk]))
    text = page.content.decode()
    assert "其他会议不超过半天" in text and "主要讲话（主报告）不超过规定时长" in text
    assert ">300<" in text and ">75<" in text


def test_the_unit_breach_list(client_for, province_supervisor, handler_a, county_a, county_b):
    meeting(handler_a, county_a, title="西山超时会议", planned=300)
    meeting(handler_a, county_a, title="西山合规会议", planned=60)
    services.save_document(
        None, actor=handler_a, unit=county_a, kind="通知", title="西山长文",
        date=DAY, chars=5001, single_task=False,
    )  # fmt: skip
    c = client_for(province_supervisor)
    text = c.get(reverse("brevity:breach_list") + f"?unit={county_a.pk}").content.decode()
    assert "西山超时会议" in text and "西山合规会议" not in text and "西山长文" in text
    text = c.get(reverse("brevity:breach_list") + f"?unit={county_b.pk}").content.decode()
    assert "西山超时会议" not in text


def test_the_outsider_sees_nothing_of_county_a(client_for, handler_a, handler_b, county_a):
    m = meeting(handler_a, county_a, title="甲县会议", planned=300)
    c = client_for(handler_b)
    for url in (
        reverse("brevity:meeting_detail", args=[m.pk]),
        reverse("brevity:meeting_edit", args=[m.pk]),
        f"/api/meetings/{m.pk}/",
        reverse("brevity:breach_list") + f"?unit={county_a.pk}",
        reverse("brevity:stats") + f"?unit={county_a.pk}",
        f"/api/brevity/stats/?unit={county_a.pk}",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("brevity:meeting_delete", args=[m.pk])).status_code == 404
    assert c.delete(f"/api/meetings/{m.pk}/").status_code == 404
    assert "甲县会议" not in c.get(reverse("brevity:meeting_list")).content.decode()
    assert c.get("/api/meetings/").json()["count"] == 0
    # nor may they record a meeting for county A
    r = c.post(
        "/api/meetings/",
        {"organiser": county_a.pk, "kind": "work", "title": "x", "date": "2026-03-10",
         "planned_minutes": 30},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and "organiser" in r.json()
    with pytest.raises(ValidationError):
        meeting(handler_b, county_a)


def test_a_viewer_reads_but_does_not_record(client_for, county_a, handler_a):
    from xiaoneng.conftest import make_user

    viewer = make_user("xs_ck", county_a, "viewer")
    m = meeting(handler_a, county_a)
    c = client_for(viewer)
    assert c.get(reverse("brevity:meeting_detail", args=[m.pk])).status_code == 200
    assert c.get(reverse("brevity:meeting_create")).status_code == 403
    assert c.get(reverse("brevity:meeting_edit", args=[m.pk])).status_code == 404


def test_a_resident_gets_nothing(client_for, county_a, handler_a):
    from xiaoneng.conftest import make_user

    resident = make_user("jm", county_a, "resident")
    meeting(handler_a, county_a)
    c = client_for(resident)
    assert c.get(reverse("brevity:meeting_list")).status_code == 403
    assert c.get(reverse("brevity:stats")).status_code == 403
    assert c.get(reverse("brevity:analyze")).status_code == 403
    assert c.get("/api/meetings/").status_code == 403


def test_the_rules_module_declares_its_thresholds():
    names = [t.name for t in rules.THRESHOLDS]
    assert names == [
        "XIAONENG_MEETING_MAIN_SPEECH_MINUTES",
        "XIAONENG_MEETING_GROUP_DISCUSSION_MINUTES",
        "XIAONENG_MEETING_OTHER_MINUTES",
    ]
    assert rules.THRESHOLDS.problems() == []
