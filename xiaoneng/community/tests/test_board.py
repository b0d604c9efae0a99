"""The public board (社区公示栏): anyone may read it without logging in; it shows open matters,
decisions with their votes, results and satisfaction, and never personal data (names, phone
numbers), comments, hidden content or photos staff did not mark public."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import formats, timezone, translation

from xiaoneng.community import board as public_board
from xiaoneng.community.models import (
    Comment,
    Decision,
    Deliberation,
    Group,
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Rating,
)
from xiaoneng.core.policy import SYSTEM

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _matter(community, raiser, title, **fields):
    return Matter.objects.create(
        community=community,
        raised_by=raiser,
        category="repair",
        title=title,
        actor=SYSTEM,
        **fields,
    )


def _photo(matter, *, public, progress=None, name="现场.png"):
    photo = Photo(
        matter=matter,
        progress=progress,
        name=name,
        content_type="image/png",
        size=len(PNG),
        public=public,
    )
    photo.file.save(name, ContentFile(PNG), save=False)
    photo.save(actor=SYSTEM)
    return photo


@pytest.fixture
def shown(community_a, residents_a, staff_a):
    """A board with something of everything, and personal data written all over it."""
    raiser = residents_a[0]
    today = timezone.localdate()
    open_one = _matter(
        community_a,
        raiser,
        "3栋路灯不亮",
        description="晚上很黑，请联系冯居民 13800000000",
        place="3栋门口",
        seconds_count=3,
    )
    group = Group.objects.create(
        community=community_a, kind="volunteers", name="红马甲志愿服务队", actor=SYSTEM
    )
    handling = _matter(
        community_a,
        raiser,
        "小区垃圾清运不及时",
        status=MatterStatus.HANDLING,
        lead_group=group,
        deadline=today - dt.timedelta(days=1),
        decided_on=today - dt.timedelta(days=10),
    )
    by_person = _matter(
        community_a,
        raiser,
        "健身器材损坏",
        status=MatterStatus.HANDLING,
        lead_user=staff_a,
        deadline=today + dt.timedelta(days=5),
    )
    closed = _matter(
        community_a,
        raiser,
        "楼道堆放杂物",
        status=MatterStatus.CLOSED,
        closed_on=today,
        result="已全部清理",
        decided_on=today - dt.timedelta(days=20),
    )
    hidden = _matter(community_a, raiser, "隐藏的议题内容", hidden_at=timezone.now())
    meeting = Deliberation.objects.create(
        community=community_a,
        date=today - dt.timedelta(days=10),
        place="议事厅",
        attendee_count=9,
        attendees="冯居民、赵大妈",
        minutes="赵大妈发言",
        actor=SYSTEM,
    )
    for matter, votes in ((handling, 8), (closed, 7)):
        Decision.objects.create(
            deliberation=meeting,
            matter=matter,
            decision="adopt",
            votes_for=votes,
            votes_against=1,
            votes_abstain=0,
            decided_at=timezone.now(),
            actor=SYSTEM,
        )
    Comment.objects.create(
        matter=open_one, author=residents_a[1], text="评论内容赵大妈", actor=SYSTEM
    )
    post = Progress.objects.create(matter=closed, author=staff_a, text="已清理一半", actor=SYSTEM)
    hidden_post = Progress.objects.create(
        matter=closed, author=staff_a, text="隐藏进展", hidden_at=timezone.now(), actor=SYSTEM
    )
    for i, value in enumerate(["satisfied", "satisfied", "basically_satisfied", "dissatisfied"]):
        Rating.objects.create(matter=closed, resident=residents_a[i], rating=value, actor=SYSTEM)
    photos = {
        "public": _photo(closed, public=True, progress=post),
        "private": _photo(closed, public=False),
        "hidden_post": _photo(closed, public=True, progress=hidden_post),
        "hidden_matter": _photo(hidden, public=True),
    }
    return {
        "open": open_one,
        "handling": handling,
        "by_person": by_person,
        "closed": closed,
        "hidden": hidden,
        "photos": photos,
        "group": group,
    }


def test_it_gathers_open_matters_decisions_results_and_satisfaction(community_a, shown):
    data = public_board.board(community_a)
    assert data["community"] == {"code": "530112007001", "name": "永兴路社区"}
    titles = [m["title"] for m in data["open"]]
    # overdue first
    assert titles[0] == "小区垃圾清运不及时"
    assert set(titles) == {"3栋路灯不亮", "小区垃圾清运不及时", "健身器材损坏"}
    assert [m["title"] for m in data["decisions"]] == ["小区垃圾清运不及时", "楼道堆放杂物"]
    assert [m["title"] for m in data["results"]] == ["楼道堆放杂物"]
    closed = data["results"][0]
    assert closed["decision"]["votes_for"] == 7 and closed["decision"]["label"] == "采纳"
    assert closed["satisfaction"] == {
        "rated": 4,
        "satisfied": 2,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "percent": 75,
    }
    assert data["satisfaction"]["rated"] == 4
    leads = {m["title"]: m["lead"] for m in data["open"]}
    assert leads["小区垃圾清运不及时"] == "红马甲志愿服务队"
    assert leads["健身器材损坏"] == "社区安排专人"
    assert closed["photos"] == [
        f"/community/board/530112007001/photos/{shown['photos']['public'].pk}/"
    ]


def test_it_shows_no_personal_data_and_nothing_hidden(client, community_a, shown, staff_a):
    response = client.get("/community/board/530112007001/")
    assert response.status_code == 200
    text = response.content.decode()
    for absent in [
        "冯居民",
        "赵大妈",
        "13800000000",
        "13900000001",
        staff_a.name,
        "评论内容",
        "隐藏的议题内容",
        "隐藏进展",
        "已清理一半",
    ]:
        assert absent not in text, absent
    assert "138****0000" in text  # the number typed into the description, masked
    assert "3栋路灯不亮" in text and "赞成 8 票，反对 1 票，弃权 0 票" in text
    assert "社区安排专人" in text and "75%" in text
    photos = shown["photos"]
    assert f"/photos/{photos['public'].pk}/" in text
    for name in ("private", "hidden_post", "hidden_matter"):
        assert f"/photos/{photos[name].pk}/" not in text


def test_the_photo_route_serves_only_public_photos_of_shown_matters(client, shown, community_b):
    photos = shown["photos"]
    url = "/community/board/530112007001/photos/{}/"
    response = client.get(url.format(photos["public"].pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    for name in ("private", "hidden_post", "hidden_matter"):
        assert client.get(url.format(photos[name].pk)).status_code == 404, name
    # the right photo under another community's code
    other = f"/community/board/{community_b.code}/photos/{photos['public'].pk}/"
    assert client.get(other).status_code == 404


def test_an_unknown_code_is_404(client, community_a, county_a):
    assert client.get("/community/board/999999999999/").status_code == 404
    assert client.get(f"/community/board/{county_a.code}/").status_code == 404  # not a community
    assert client.get("/community/board/abc/").status_code == 404
    assert client.get("/community/board/" + "9" * 5000 + "/").status_code == 404


def test_elder_mode_is_a_link_kept_in_a_cookie(client, shown):
    url = "/community/board/530112007001/"
    assert 'class="board-page"' in client.get(url).content.decode()
    on = client.get(url + "?elder=1")
    assert 'class="board-page elder"' in on.content.decode()
    assert on.cookies["community_elder"].value == "1"
    assert 'class="board-page elder"' in client.get(url).content.decode()
    client.get(url + "?elder=0")
    assert 'class="board-page"' in client.get(url).content.decode()


def test_a_hidden_matter_leaves_the_board_and_its_counts(community_a, shown):
    matter = shown["closed"]
    matter.hidden_at = timezone.now()
    matter.save(actor=SYSTEM)
    data = public_board.board(community_a)
    assert data["results"] == [] and data["satisfaction"]["rated"] == 0
    assert "楼道堆放杂物" not in str(data)


def test_dates_are_written_in_the_readers_language(client, shown, settings):
    url = "/community/board/530112007001/"
    raised = timezone.localdate()
    chinese = client.get(url).content.decode()
    assert f"{raised.year}年{raised.month}月{raised.day}日" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    with translation.override("en"):
        assert formats.date_format(raised) in english  # "Dec. 1, 2026"
    assert "年" not in english
