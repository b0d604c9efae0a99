"""The community API (issue 14, item 10): the whole flow with tokens — raise, five seconds
list it, comments and a reply, the council adopts with votes, a lead, progress with a photo,
closing, the raiser's rating — and a referral up to the street (one item, not two on a
retry). Every refusal is a 400 in Chinese; a matter out of the caller's scope is a 404."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from xiaoneng.accounts.models import User
from xiaoneng.community import services
from xiaoneng.community.models import (
    GroupKind,
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Step,
)
from xiaoneng.community.residents import create_invitation
from xiaoneng.community.tests.samples_base import PNG
from xiaoneng.conftest import PASSWORD
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision.models import Item

CJK = re.compile(r"[\u4e00-\u9fff]")
PHONES = re.compile(r"1[3-9]\d{9}")


class Api:
    """A token client (POST /api/auth/token/, as a mini-program signs in) that keeps every
    answer, so a test can check that no phone number appeared in any of them."""

    seen: list[str] = []

    def __init__(self, user=None, *, token=None):
        self.client = APIClient()
        if token is None:
            answer = self.client.post(
                "/api/auth/token/",
                {"username": user.username, "password": PASSWORD, "name": "小程序"},
                format="json",
            )
            assert answer.status_code == 200, answer.content
            token = answer.json()["token"]
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def _keep(self, response):
        if not response.streaming:
            Api.seen.append(response.content.decode())
        return response

    def get(self, url, params=None):
        return self._keep(self.client.get(url, params or {}))

    def post(self, url, data=None, multipart=False):
        if multipart:
            return self._keep(self.client.post(url, data or {}, format="multipart"))
        return self._keep(self.client.post(url, data or {}, format="json"))

    def delete(self, url):
        return self._keep(self.client.delete(url))


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def refused(response, field="detail") -> str:
    """The refusal's message under `field`: a 400 in Chinese."""
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    text = " ".join(map(str, messages))
    assert CJK.search(text), text
    return text


@pytest.fixture
def people(staff_a, residents_a):
    return {"staff": Api(staff_a), "residents": [Api(r) for r in residents_a]}


def raise_matter(api, **extra):
    values = {
        "category": "repair",
        "title": "3 栋楼道灯不亮",
        "description": "晚上楼道很黑，老人上下楼不方便。",
        "place": "3 栋 2 单元",
        **extra,
    }
    response = api.post("/api/matters/", values, multipart="photos" in values)
    assert response.status_code == 201, response.content
    return response.json()


def adopted(people, community, title="小区健身器材损坏"):
    """A matter adopted by the council (through the API), returned as the API shows it."""
    staff = people["staff"]
    matter = raise_matter(people["residents"][0], title=title)
    meeting = staff.post(
        "/api/deliberations/",
        {"date": dt.date.today().isoformat(), "place": "议事厅", "attendee_count": 9},
    ).json()
    decided = staff.post(
        f"/api/deliberations/{meeting['id']}/decisions/",
        {"matter": matter["id"], "decision": "adopt", "votes_for": 9},
    )
    assert decided.status_code == 201, decided.content
    return matter


# --- The whole flow -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_whole_flow_through_the_api(community_a, staff_a, residents_a):
    Api.seen = []
    staff, residents = Api(staff_a), [Api(r) for r in residents_a]

    # a resident joins with the code the staff made, and gets a token at once
    invitation = create_invitation(actor=staff_a, community=community_a, max_uses=5)
    joined = APIClient().post(
        "/api/join/",
        {"code": invitation.code, "phone": "13800000099", "name": "新居民", "password": PASSWORD},
        format="json",
    )
    assert joined.status_code == 201, joined.content
    raiser, raised_by = Api(token=joined.json()["token"]), User.objects.get(pk=joined.json()["id"])
    assert raised_by.unit == community_a

    # raise: the community may be left out (the resident's own)
    matter = raise_matter(raiser)
    pk = matter["id"]
    assert matter["community"] == community_a.pk and matter["status"] == "raised"
    assert matter["raised_by_name"] == "新居民" and matter["may"]["manage"] is False
    assert Notification.objects.filter(recipient=staff_a, verb="matter_raised").exists()

    # five seconds reach the threshold: listed by itself, the raiser told
    for api in residents[:4]:
        r = api.post(f"/api/matters/{pk}/second/")
        assert r.status_code == 201 and r.json()["seconded"] is True, r.content
        assert r.json()["status"] == "raised"
    assert not Notification.objects.filter(recipient=raised_by, verb="matter_listed").exists()
    r = residents[4].post(f"/api/matters/{pk}/second/")
    assert r.json()["status"] == "listed" and r.json()["seconds"] == 5
    assert r.json()["listed_at"] is not None
    assert Notification.objects.filter(recipient=raised_by, verb="matter_listed").exists()
    # withdrawing below the threshold does not unlist it
    r = residents[4].delete(f"/api/matters/{pk}/second/")
    assert r.status_code == 200 and r.json()["seconds"] == 4 and r.json()["status"] == "listed"
    assert r.json()["seconded"] is False

    # discussion: a comment and a reply; the one replied to is told
    first = residents[1].post(f"/api/matters/{pk}/comments/", {"text": "同意，晚上很黑。"})
    assert first.status_code == 201, first.content
    reply = raiser.post(
        f"/api/matters/{pk}/comments/", {"text": "谢谢支持。", "reply_to": first.json()["id"]}
    )
    assert reply.status_code == 201 and reply.json()["reply_to"] == first.json()["id"]
    assert Notification.objects.filter(recipient=residents_a[1], verb="comment_reply").exists()
    listing = residents[2].get(f"/api/matters/{pk}/comments/").json()
    assert [c["text"] for c in listing["results"]] == ["同意，晚上很黑。", "谢谢支持。"]
    official = staff.post(f"/api/comments/{reply.json()['id']}/official/")
    assert official.status_code == 200 and official.json()["is_official"] is True

    # the council meets and adopts with votes
    meeting = staff.post(
        "/api/deliberations/",
        {
            "date": dt.date.today().isoformat(),
            "place": "社区议事厅",
            "attendee_count": 9,
            "attendees": "议事会成员九人",
            "matters": [pk],
        },
    )
    assert meeting.status_code == 201, meeting.content
    assert [a["matter"] for a in meeting.json()["agenda"]] == [pk]
    mid = meeting.json()["id"]
    decision = staff.post(
        f"/api/deliberations/{mid}/decisions/",
        {
            "matter": pk,
            "decision": "adopt",
            "votes_for": 7,
            "votes_against": 1,
            "votes_abstain": 1,
        },
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["decision"] == "adopt" and decision.json()["votes_for"] == 7
    shown = raiser.get(f"/api/deliberations/{mid}/").json()
    assert shown["agenda"][0]["decision_label"] == "采纳"
    detail = raiser.get(f"/api/matters/{pk}/").json()
    assert detail["status"] == "adopted" and detail["decisions"][0]["votes_abstain"] == 1
    assert Notification.objects.filter(recipient=raised_by, verb="matter_decided").exists()

    # a lead (a named group), steps and a deadline in working days
    group = services.create_group(
        actor=staff_a, community=community_a, kind=GroupKind.VOLUNTEERS, name="志愿服务队"
    )
    led = staff.post(
        f"/api/matters/{pk}/lead/",
        {"lead_group": group.pk, "steps": ["报修", "更换灯具"], "deadline_workdays": 5},
    )
    assert led.status_code == 200, led.content
    assert led.json()["status"] == "handling" and led.json()["lead"] == "志愿服务队"
    assert [s["text"] for s in led.json()["steps"]] == ["报修", "更换灯具"]
    assert led.json()["deadline"] is not None
    step = Step.objects.get(matter_id=pk, text="报修")

    # progress with a photo (multipart), a step done
    progress = staff.post(
        f"/api/matters/{pk}/progress/",
        {"text": "已报修，灯具已到货。", "photos": [png()], "steps_done": [step.pk]},
        multipart=True,
    )
    assert progress.status_code == 201, progress.content
    assert len(progress.json()["photos"]) == 1
    assert Photo.objects.filter(progress_id=progress.json()["id"]).count() == 1
    step.refresh_from_db()
    assert step.done_on == dt.date.today()
    assert Notification.objects.filter(recipient=raised_by, verb="matter_progress").exists()

    # close, then the raiser rates it
    closed = staff.post(f"/api/matters/{pk}/close/", {"result": "灯具已更换，楼道已亮。"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed", closed.content
    assert closed.json()["closed_on"] == dt.date.today().isoformat()
    rated = raiser.post(f"/api/matters/{pk}/rating/", {"rating": "satisfied", "comment": "很快"})
    assert rated.status_code == 200 and rated.json()["rating_label"] == "满意", rated.content
    # changeable
    rated = raiser.post(f"/api/matters/{pk}/rating/", {"rating": "basically_satisfied"})
    assert rated.json()["rating"] == "basically_satisfied"
    detail = raiser.get(f"/api/matters/{pk}/").json()
    assert detail["my_rating"]["rating"] == "basically_satisfied"
    assert detail["satisfaction"]["rated"] == 1 and detail["satisfaction"]["percent"] == 100

    # a report of a comment
    reported = residents[5].post(
        f"/api/matters/{pk}/reports/", {"reason": "言语不当", "comment": first.json()["id"]}
    )
    assert reported.status_code == 201 and reported.json()["target"] == "comment"
    assert Notification.objects.filter(recipient=staff_a, verb="report_new").exists()

    # the staff may put a matter on the list themselves
    other = raise_matter(residents[2], title="小区停车难")
    listed = staff.post(f"/api/matters/{other['id']}/list/")
    assert listed.status_code == 200 and listed.json()["status"] == "listed"

    # the list: a resident sees their community's matters, filterable
    rows = raiser.get("/api/matters/", {"status": "closed"}).json()["results"]
    assert [m["id"] for m in rows] == [pk]
    rows = raiser.get("/api/matters/", {"category": "repair", "community": community_a.pk})
    assert {m["id"] for m in rows.json()["results"]} == {pk, other["id"]}

    # no phone number in any answer
    for body in Api.seen:
        assert not PHONES.search(body), body[:300]


@pytest.mark.django_db(transaction=True)
def test_a_refer_makes_one_street_item_and_a_retry_none(people, community_a, street_a):
    staff = people["staff"]
    matter = raise_matter(people["residents"][0], title="路口缺少红绿灯", photos=[png()])
    meeting = staff.post(
        "/api/deliberations/",
        {
            "date": dt.date.today().isoformat(),
            "place": "议事厅",
            "attendee_count": 9,
            "matters": [matter["id"]],
        },
    ).json()
    refer = {"matter": matter["id"], "decision": "refer", "votes_for": 8, "votes_abstain": 1}
    r = staff.post(f"/api/deliberations/{meeting['id']}/decisions/", refer)
    assert r.status_code == 201, r.content
    item = Item.objects.get()
    assert item.lead_unit == street_a and Matter.objects.get(pk=matter["id"]).item == item
    detail = people["residents"][1].get(f"/api/matters/{matter['id']}/").json()
    assert detail["status"] == "referred" and detail["referral"] == "decision"
    assert detail["street"]["status"] == item.status
    # the same decision posted again (a retry): refused, and no second item
    again = staff.post(f"/api/deliberations/{meeting['id']}/decisions/", refer)
    assert "不能重复决定" in refused(again, "matter")
    assert Item.objects.count() == 1


# --- Refusals: 400 in Chinese, nothing stored -------------------------------------------


@pytest.mark.django_db
def test_it_refuses_bad_matters(people):
    resident = people["residents"][0]
    assert "必填" in refused(resident.post("/api/matters/", {"category": "repair"}), "title")
    assert "不能为空" in refused(
        resident.post("/api/matters/", {"category": "repair", "title": ""}), "title"
    )
    refused(resident.post("/api/matters/", {"category": "repair", "title": "   "}), "title")
    long = {"category": "repair", "title": "标题", "description": "很" * 100_000}
    assert "5000" in refused(resident.post("/api/matters/", long), "description")
    refused(resident.post("/api/matters/", {"category": "fun", "title": "标题"}), "category")
    not_a_photo = SimpleUploadedFile("现场.png", b"%PDF-1.4 not an image", "image/png")
    r = resident.post(
        "/api/matters/",
        {"category": "repair", "title": "标题", "photos": [not_a_photo]},
        multipart=True,
    )
    assert "不是照片" in refused(r, "photos")
    assert not Matter.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_second_twice_ones_own_and_a_withdrawal_never_made(people):
    residents = people["residents"]
    pk = raise_matter(residents[0])["id"]
    assert "自己" in refused(residents[0].post(f"/api/matters/{pk}/second/"))
    assert residents[1].post(f"/api/matters/{pk}/second/").status_code == 201
    assert "只能附议一次" in refused(residents[1].post(f"/api/matters/{pk}/second/"))
    assert "没有附议" in refused(residents[2].delete(f"/api/matters/{pk}/second/"))
    assert Matter.objects.get(pk=pk).seconds_count == 1


@pytest.mark.django_db
def test_it_refuses_bad_decisions(people, community_a):
    staff, resident = people["staff"], people["residents"][0]
    pk = raise_matter(resident)["id"]
    meeting = staff.post(
        "/api/deliberations/",
        {"date": dt.date.today().isoformat(), "place": "议事厅", "attendee_count": 5},
    ).json()
    url = f"/api/deliberations/{meeting['id']}/decisions/"
    too_many = {"matter": pk, "decision": "adopt", "votes_for": 4, "votes_against": 2}
    assert "参会人数" in refused(staff.post(url, too_many), "votes_for")
    refused(staff.post(url, {"matter": pk, "decision": "adopt", "votes_for": -1}), "votes_for")
    assert "理由" in refused(staff.post(url, {"matter": pk, "decision": "reject"}), "reason")
    refused(staff.post(url, {"matter": pk, "decision": "merge"}), "merge_into")
    refused(staff.post(url, {"matter": pk, "decision": "merge", "merge_into": pk}), "merge_into")
    refused(staff.post(url, {"matter": pk, "decision": "maybe"}), "decision")
    assert Matter.objects.get(pk=pk).status == MatterStatus.RAISED
    # a meeting needs its place and a number of attendees
    refused(staff.post("/api/deliberations/", {"date": "2026-01-01", "place": ""}), "place")
    # the residents do not run the council
    r = resident.post(url, {"matter": pk, "decision": "adopt"})
    assert r.status_code == 400 and CJK.search(str(r.json()["detail"]))
    r = resident.post(
        "/api/deliberations/",
        {"date": dt.date.today().isoformat(), "place": "议事厅", "attendee_count": 5},
    )
    refused(r, "community")


@pytest.mark.django_db
def test_it_refuses_a_non_image_progress_photo_and_stores_nothing(people, community_a, staff_a):
    staff, raiser = people["staff"], people["residents"][0]
    matter = adopted(people, community_a)
    url = f"/api/matters/{matter['id']}"
    refused(staff.post(f"{url}/lead/", {}), "lead_user")
    led = staff.post(f"{url}/lead/", {"lead_user": staff_a.pk})
    assert led.status_code == 200 and led.json()["lead"] == "李社区", led.content
    fake = SimpleUploadedFile("现场.jpg", b"GIF89a not really", content_type="image/jpeg")
    r = staff.post(f"{url}/progress/", {"text": "进展", "photos": [fake]}, multipart=True)
    assert "PNG 或 JPEG" in refused(r, "photos")
    assert not Progress.objects.exists() and not Photo.objects.exists()
    refused(staff.post(f"{url}/progress/", {"text": ""}), "text")
    refused(staff.post(f"{url}/progress/", {"text": "进展", "steps_done": [999999]}), "steps_done")
    refused(staff.post(f"{url}/close/", {"result": ""}), "result")
    # a rating before the matter is solved, or not one of the three
    assert "办结后" in refused(raiser.post(f"{url}/rating/", {"rating": "satisfied"}))
    refused(raiser.post(f"{url}/rating/", {"rating": "good"}), "rating")
