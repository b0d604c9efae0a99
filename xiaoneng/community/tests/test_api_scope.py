"""Who reaches what through the community API: the outsider (a handler of county B) and a
resident of another community get a 404 on every endpoint of a 永兴路社区 row; the street
sees but does not act; hidden content reads "已隐藏"; the public board needs no login and
shows no personal data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from xiaoneng.community import services
from xiaoneng.community.models import Category, Comment, Matter, Second
from xiaoneng.community.tests.samples_base import PNG
from xiaoneng.community.tests.test_api import CJK, PHONES, Api

pytestmark = pytest.mark.django_db


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def rows(community_a, staff_a, residents_a):
    """A matter with a comment and a reply, an adopted one led by a person, a deliberation."""
    r0, r1 = residents_a[0], residents_a[1]
    matter = services.raise_matter(
        actor=r0,
        community=community_a,
        category=Category.REPAIR,
        title="楼道灯不亮",
        description="联系电话 13800000000，晚上很黑。",
        place="3 栋",
        photos=[png("公开.png"), png("不公开.png")],
    )
    public, private = matter.photos.order_by("id")
    services.set_photo_public(public, actor=staff_a, public=True)
    first = services.comment(matter, actor=r1, text="同意")
    reply = services.comment(matter, actor=r0, text="谢谢", reply_to=first)
    adopted = services.raise_matter(
        actor=r1, community=community_a, category=Category.SAFETY, title="路口缺少红绿灯"
    )
    meeting = services.create_deliberation(
        actor=staff_a,
        community=community_a,
        date=dt.date.today(),
        place="议事厅",
        attendee_count=9,
        attendees="冯居民、赵大妈等九人",
        matters=[adopted],
    )
    services.decide(meeting, actor=staff_a, matter=adopted, decision="adopt", votes_for=9)
    services.assign_lead(adopted, actor=staff_a, lead_user=r1, steps=["报修"])
    return {
        "matter": matter,
        "comment": first,
        "reply": reply,
        "adopted": adopted,
        "deliberation": meeting,
        "public_photo": public,
        "private_photo": private,
    }


def endpoints(rows) -> list[tuple[str, str, dict]]:
    m, a = f"/api/matters/{rows['matter'].pk}", f"/api/matters/{rows['adopted'].pk}"
    d = f"/api/deliberations/{rows['deliberation'].pk}"
    return [
        ("get", f"{m}/", {}),
        ("post", f"{m}/second/", {}),
        ("delete", f"{m}/second/", {}),
        ("get", f"{m}/comments/", {}),
        ("post", f"{m}/comments/", {"text": "外人评论"}),
        ("post", f"{m}/list/", {}),
        ("post", f"{m}/reports/", {"reason": "外人举报"}),
        ("post", f"{a}/lead/", {"lead_user": rows["matter"].raised_by_id}),
        ("post", f"{a}/progress/", {"text": "外人进展"}),
        ("post", f"{a}/close/", {"result": "外人办结"}),
        ("post", f"{a}/rating/", {"rating": "satisfied"}),
        ("post", f"/api/comments/{rows['reply'].pk}/official/", {}),
        ("get", f"/api/matter-photos/{rows['private_photo'].pk}/", {}),
        ("get", f"{d}/", {}),
        (
            "post",
            f"{d}/decisions/",
            {"matter": rows["matter"].pk, "decision": "adopt", "votes_for": 1},
        ),
    ]


@pytest.mark.parametrize("who", ["handler_b", "resident_b"])
def test_it_is_a_404_on_every_endpoint_outside_the_callers_scope(request, rows, who):
    api = Api(request.getfixturevalue(who))
    for method, url, data in endpoints(rows):
        response = (
            getattr(api, method)(url, data) if method == "post" else getattr(api, method)(url)
        )
        assert response.status_code == 404, (who, method, url, response.status_code)
        assert CJK.search(response.json()["detail"])
        assert "楼道灯" not in response.content.decode()
    # the lists show none of 永兴路社区's rows, even asked for by its id
    community = rows["matter"].community_id
    assert api.get("/api/matters/").json()["results"] == []
    assert api.get("/api/matters/", {"community": community}).json()["results"] == []
    assert api.get("/api/deliberations/").json()["results"] == []
    # nothing was stored for them
    assert not Second.objects.exists()
    assert Comment.objects.count() == 2
    assert Matter.objects.get(pk=rows["matter"].pk).status == "raised"


def test_nobody_raises_or_meets_in_another_community(rows, resident_b, handler_b, community_a):
    count = Matter.objects.count()
    r = Api(resident_b).post(
        "/api/matters/", {"community": community_a.pk, "category": "other", "title": "外人"}
    )
    assert r.status_code == 400 and CJK.search(str(r.json()["community"]))
    r = Api(handler_b).post("/api/matters/", {"category": "other", "title": "外人"})
    assert r.status_code == 400 and CJK.search(str(r.json()["community"]))
    r = Api(handler_b).post(
        "/api/deliberations/",
        {"community": community_a.pk, "date": "2026-01-05", "place": "外", "attendee_count": 3},
    )
    assert r.status_code == 400 and CJK.search(str(r.json()["community"]))
    assert Matter.objects.count() == count


def test_an_agenda_or_a_reply_cannot_name_another_communitys_rows(
    rows, community_b, resident_b, staff_a, residents_a
):
    theirs = services.raise_matter(
        actor=resident_b, community=community_b, category=Category.OTHER, title="华山的议题"
    )
    their_comment = services.comment(theirs, actor=resident_b, text="华山的评论")
    staff = Api(staff_a)
    r = staff.post(
        "/api/deliberations/",
        {"date": "2026-01-05", "place": "议事厅", "attendee_count": 3, "matters": [theirs.pk]},
    )
    assert r.status_code == 400 and CJK.search(str(r.json()["matters"]))
    r = staff.post(
        f"/api/deliberations/{rows['deliberation'].pk}/decisions/",
        {"matter": theirs.pk, "decision": "adopt"},
    )
    assert r.status_code == 400 and CJK.search(str(r.json()["matter"]))
    r = Api(residents_a[2]).post(
        f"/api/matters/{rows['matter'].pk}/comments/",
        {"text": "回复", "reply_to": their_comment.pk},
    )
    assert r.status_code == 400 and CJK.search(str(r.json()["reply_to"]))
    # a lead from another community is not a candidate
    other = resident_b.pk
    r = staff.post(f"/api/matters/{rows['adopted'].pk}/lead/", {"lead_user": other})
    assert r.status_code == 400 and CJK.search(str(r.json()["lead_user"]))


def test_the_street_sees_its_communities_matters_but_does_not_run_them(rows, street_staff):
    api = Api(street_staff)
    assert api.get(f"/api/matters/{rows['matter'].pk}/").status_code == 200
    assert {m["id"] for m in api.get("/api/matters/").json()["results"]} == {
        rows["matter"].pk,
        rows["adopted"].pk,
    }
    r = api.post(f"/api/matters/{rows['adopted'].pk}/close/", {"result": "街道办结"})
    assert r.status_code == 400 and CJK.search(str(r.json()["detail"]))
    r = api.post(f"/api/matters/{rows['matter'].pk}/second/")
    assert r.status_code == 400 and CJK.search(str(r.json()["detail"]))


def test_residents_use_the_community_api_only(rows, residents_a):
    api = Api(residents_a[2])
    assert api.get("/api/matters/").status_code == 200
    for url in ("/api/items/", "/api/projects/", "/api/units/", "/api/visits/"):
        assert api.get(url).status_code == 403, url
    # and their community's staff work is refused them, in Chinese
    r = api.post(f"/api/matters/{rows['matter'].pk}/list/")
    assert r.status_code == 400 and CJK.search(str(r.json()["detail"]))


def test_the_community_sees_its_photos_through_the_api(rows, residents_a):
    api = Api(residents_a[4])
    detail = api.get(f"/api/matters/{rows['matter'].pk}/").json()
    assert [p["public"] for p in detail["photos"]] == [True, False]
    response = api.client.get(detail["photos"][1]["url"], HTTP_ACCEPT="image/png")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"


def test_anonymous_callers_get_a_401(rows):
    client = APIClient()
    assert client.get("/api/matters/").status_code == 401
    assert client.post("/api/matters/", {"title": "x"}).status_code == 401
    assert client.get(f"/api/matters/{rows['matter'].pk}/").status_code == 401
    assert client.get(f"/api/matter-photos/{rows['public_photo'].pk}/").status_code == 401


def test_hidden_content_reads_hidden_to_others_but_not_to_its_author_or_the_staff(
    rows, staff_a, residents_a
):
    matter, comment = rows["matter"], rows["comment"]
    services.hide(matter, actor=staff_a, reason="含个人信息")
    services.hide(comment, actor=staff_a, reason="言语不当")
    other = Api(residents_a[3])
    shown = other.get(f"/api/matters/{matter.pk}/").json()
    assert shown["title"] == "已隐藏" and shown["hidden"] is True and shown["photos"] == []
    assert "13800000000" not in str(shown) and "楼道灯" not in str(shown)
    photo = f"/api/matter-photos/{rows['private_photo'].pk}/"
    assert other.get(photo).status_code == 404
    assert Api(residents_a[0]).get(photo).status_code == 200
    listed = {m["id"]: m for m in other.get("/api/matters/").json()["results"]}
    assert listed[matter.pk]["title"] == "已隐藏"
    texts = [c["text"] for c in other.get(f"/api/matters/{matter.pk}/comments/").json()["results"]]
    assert texts == ["已隐藏", "谢谢"]
    # the author sees their own, the staff see everything
    assert Api(residents_a[0]).get(f"/api/matters/{matter.pk}/").json()["title"] == "楼道灯不亮"
    staff = Api(staff_a)
    assert staff.get(f"/api/matters/{matter.pk}/").json()["title"] == "楼道灯不亮"
    texts = [c["text"] for c in staff.get(f"/api/matters/{matter.pk}/comments/").json()["results"]]
    assert texts == ["同意", "谢谢"]


# --- The public board ---------------------------------------------------------------------


def test_the_board_needs_no_login_and_shows_no_personal_data(rows, community_a, staff_a):
    client = APIClient()
    url = f"/api/communities/{community_a.code}/board/"
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["community"] == {"code": community_a.code, "name": "永兴路社区"}
    titles = {m["title"] for m in data["open"]}
    assert titles == {"楼道灯不亮", "路口缺少红绿灯"}
    text = response.content.decode()
    for name in ("冯居民", "赵大妈", "钱大爷", "李社区", "同意", "谢谢"):
        assert name not in text, name
    assert not PHONES.search(text)
    led = next(m for m in data["open"] if m["title"] == "路口缺少红绿灯")
    assert led["lead"] == "社区安排专人"
    assert led["decision"]["votes_for"] == 9 and led["decision"]["label"] == "采纳"
    shown = next(m for m in data["open"] if m["title"] == "楼道灯不亮")
    assert len(shown["photos"]) == 1 and str(rows["public_photo"].pk) in shown["photos"][0]
    assert client.get(shown["photos"][0]).status_code == 200
    # a bad or foreign token does not matter: the board is public
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert client.get(url).status_code == 200
    # hidden content never reaches it
    services.hide(rows["matter"], actor=staff_a, reason="含个人信息")
    assert "楼道灯" not in APIClient().get(url).content.decode()


@pytest.mark.parametrize("code", ["530112", "530112007", "999999999999", "abc", "5" * 40, "²"])
def test_the_board_of_anything_but_a_community_is_a_404(rows, code):
    response = APIClient().get(f"/api/communities/{code}/board/")
    assert response.status_code == 404 and CJK.search(response.json()["detail"])


def test_the_matter_list_takes_a_fixed_number_of_queries(
    rows, community_a, residents_a, django_assert_max_num_queries
):
    api = Api(residents_a[2])
    api.get("/api/matters/")  # warm up (the caller's roles)
    with django_assert_max_num_queries(12) as few:
        api.get("/api/matters/")
    for i in range(8):
        services.raise_matter(
            actor=residents_a[i % 6],
            community=community_a,
            category=Category.OTHER,
            title=f"议题{i}",
            photos=[png()],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/matters/").json()["results"]) == 10
