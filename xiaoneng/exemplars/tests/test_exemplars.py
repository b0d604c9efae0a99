import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.core.audit import history_for
from xiaoneng.core.policy import SYSTEM
from xiaoneng.exemplars import services
from xiaoneng.exemplars.models import Exemplar

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(county_a):
    return services.create_exemplar(
        actor=SYSTEM,
        title="永兴路社区“党建+融合共治”模式",
        unit=county_a,
        summary="以社区党支部为核心，共同议事。",
        practice="建立议事会，每月一次。",
        tags="党建，融合共治、社区治理",
    )


@pytest.fixture
def county_supervisor(county_a):
    return make_user("xs_xn", county_a, "supervisor")


@pytest.fixture
def prefecture_supervisor(prefecture):
    return make_user("km_xn", prefecture, "supervisor")


def _status(case) -> str:
    return Exemplar.objects.get(pk=case.pk).status


def test_tags_are_kept_as_one_list(case):
    assert case.tag_list() == ["党建", "融合共治", "社区治理"]


def test_recommend_is_refused_to_a_handler_and_an_outsider(case, handler_a, handler_b):
    for person in (handler_a, handler_b):
        with pytest.raises(PermissionDenied) as exc:
            services.take_step(case, "recommend", actor=person)
        assert "推荐" in str(exc.value)
        assert _status(case) == "draft"


def test_promote_is_refused_to_the_cases_own_county(case, admin_a, county_supervisor):
    services.take_step(case, "recommend", actor=admin_a)
    with pytest.raises(PermissionDenied) as exc:
        services.take_step(case, "promote", actor=county_supervisor)
    assert "不能推广本单位的案例" in str(exc.value)
    assert _status(case) == "recommended"


def test_the_steps_allowed_are_audited_with_their_actor(case, admin_a, prefecture_supervisor):
    services.take_step(case, "recommend", actor=admin_a)
    services.take_step(case, "promote", actor=prefecture_supervisor)
    assert _status(case) == "promoted"
    steps = {e.action: e for e in history_for(case)}
    assert steps["recommend"].user == admin_a
    assert steps["promote"].user == prefecture_supervisor
    assert steps["promote"].before["status"] == "recommended"
    assert steps["promote"].after["status"] == "promoted"
    assert steps["promote"].action_label() == "推广"


def test_send_back_needs_a_reason_and_the_level_above(
    case, admin_a, county_supervisor, prefecture_supervisor
):
    services.take_step(case, "recommend", actor=admin_a)
    with pytest.raises(PermissionDenied):
        services.take_step(case, "send_back", actor=county_supervisor, comment="再完善")
    with pytest.raises(ValidationError) as exc:
        services.take_step(case, "send_back", actor=prefecture_supervisor)
    assert "comment" in exc.value.error_dict
    assert _status(case) == "recommended"
    services.take_step(case, "send_back", actor=prefecture_supervisor, comment="成效数据不全")
    assert _status(case) == "draft"
    entry = history_for(case).filter(action="send_back").get()
    assert entry.comment == "成效数据不全"


def test_a_step_from_the_wrong_status_is_refused_in_words(case, prefecture_supervisor):
    with pytest.raises(ValidationError) as exc:
        services.take_step(case, "promote", actor=prefecture_supervisor)
    assert "只有已推荐的案例可以推广" in exc.value.messages[0]


def test_the_page_refuses_a_step_with_the_reason(client_for, case, handler_a, county_supervisor):
    services.take_step(case, "recommend", actor=SYSTEM)
    for person in (handler_a, county_supervisor):
        response = client_for(person).post(
            reverse("exemplars:exemplar_step", args=[case.pk, "promote"])
        )
        assert response.status_code == 403
        assert "不能推广本单位的案例" in response.content.decode()
    assert _status(case) == "recommended"


def test_the_api_refuses_each_step_to_those_not_allowed(
    client_for, case, handler_a, county_supervisor, prefecture_supervisor
):
    url = f"/api/exemplars/{case.pk}/transitions/"
    assert client_for(handler_a).post(url, {"action": "recommend"}).status_code == 403
    services.take_step(case, "recommend", actor=SYSTEM)
    assert client_for(county_supervisor).post(url, {"action": "promote"}).status_code == 403
    assert client_for(county_supervisor).post(url, {"action": "publish"}).status_code == 403
    ok = client_for(prefecture_supervisor).post(url, {"action": "promote"})
    assert ok.status_code == 200 and ok.json()["status"] == "promoted"
    published = client_for(prefecture_supervisor).post(url, {"action": "publish"})
    assert published.json()["public"] is True
    assert client_for(handler_a).post(url, {"action": "fly"}).status_code == 400


def test_only_a_promoted_case_may_be_public(case, prefecture_supervisor):
    services.take_step(case, "recommend", actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.set_public(case, actor=prefecture_supervisor, public=True)


def test_a_promoted_case_is_read_province_wide_a_draft_is_not(
    client_for, case, handler_b, prefecture_supervisor
):
    outsider = client_for(handler_b)
    assert outsider.get(reverse("exemplars:exemplar_detail", args=[case.pk])).status_code == 404
    services.take_step(case, "recommend", actor=SYSTEM)
    services.take_step(case, "promote", actor=prefecture_supervisor)
    page = outsider.get(reverse("exemplars:exemplar_detail", args=[case.pk]))
    assert page.status_code == 200
    assert "变更记录" not in page.content.decode()  # the case, not its history


# --- Search -------------------------------------------------------------------------------


def _hits(client, q) -> list[str]:
    return [row["title"] for row in client.get("/api/exemplars/", {"q": q}).json()["results"]]


def test_search_finds_chinese_terms_anywhere_all_of_them(client_for, case, handler_a, county_a):
    services.create_exemplar(
        actor=SYSTEM,
        title="营商环境“一窗通办”",
        unit=county_a,
        summary="党建引领，审批提速。",
    )
    client = client_for(handler_a)
    assert _hits(client, "党建 融合") == ["永兴路社区“党建+融合共治”模式"]
    assert _hits(client, "议事会") == ["永兴路社区“党建+融合共治”模式"]
    # Title hits first: 党建 is in the first's title, in the second's body.
    assert _hits(client, "党建") == ["永兴路社区“党建+融合共治”模式", "营商环境“一窗通办”"]
    assert _hits(client, "党建　审批") == ["营商环境“一窗通办”"]  # a full-width space
    assert _hits(client, "不存在的词") == []


def test_search_never_reaches_another_countys_cases(client_for, case, handler_b):
    assert _hits(client_for(handler_b), "党建") == []
    page = client_for(handler_b).get(reverse("exemplars:exemplar_list"), {"q": "党建"})
    assert "融合共治" not in page.content.decode()


def test_the_library_filters_by_tag_status_and_unit(client_for, case, handler_a, county_a):
    client = client_for(handler_a)
    assert client.get("/api/exemplars/", {"tag": "融合共治"}).json()["count"] == 1
    assert client.get("/api/exemplars/", {"tag": "融合"}).json()["count"] == 0  # whole tags
    assert client.get("/api/exemplars/", {"status": "promoted"}).json()["count"] == 0
    assert client.get("/api/exemplars/", {"unit": county_a.pk}).json()["count"] == 1
    assert client.get("/api/exemplars/", {"unit": "abc"}).status_code == 400


def test_writing_a_case_from_the_page(client_for, handler_a, county_a):
    response = client_for(handler_a).post(
        reverse("exemplars:exemplar_create"),
        {"title": "案例", "unit": county_a.pk, "summary": "简介", "tags": "甲，乙"},
    )
    assert response.status_code == 302, response.content.decode()
    case = Exemplar.objects.get()
    assert case.tags == "甲,乙" and case.status == "draft" and "简介" in case.search_text


def test_a_case_of_a_unit_outside_ones_reach_is_refused(client_for, handler_b, county_a):
    response = client_for(handler_b).post(
        "/api/exemplars/",
        {"title": "案例", "unit": county_a.pk, "summary": "简介"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "unit" in response.json()
