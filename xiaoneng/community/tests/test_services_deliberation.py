"""The deliberation council (议事会): its meetings and agenda, each kind of decision with its
votes, and referring a matter up to the street as one supervision item."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xiaoneng.community import services
from xiaoneng.community.models import (
    Decision,
    Matter,
    MatterStatus,
    Referral,
)
from xiaoneng.community.tests.samples_base import PNG, png
from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import Item, ItemKind, Source, Status

TODAY = dt.date(2026, 5, 20)


def raise_(actor, community, title="楼道灯不亮", photos=()):
    return services.raise_matter(
        actor=actor,
        community=community,
        category="repair",
        title=title,
        description="3 栋 2 单元晚上没有灯",
        place="3 栋",
        photos=photos,
    )


@pytest.fixture
def matter(resident_a, community_a):
    return raise_(resident_a, community_a)


@pytest.fixture
def meeting(staff_a, community_a, matter):
    return services.create_deliberation(
        actor=staff_a,
        community=community_a,
        date=TODAY,
        place="社区议事厅",
        attendee_count=9,
        attendees="议事会成员九人",
        matters=[matter],
    )


def decide(meeting, matter, actor, decision="adopt", **kwargs):
    return services.decide(meeting, actor=actor, matter=matter, decision=decision, **kwargs)


# --- Meetings -----------------------------------------------------------------------------


def test_the_staff_hold_a_meeting_and_its_agenda_lists_the_matters(meeting, matter):
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED
    row = Decision.objects.get(deliberation=meeting)
    assert row.matter == matter and row.decision == ""


def test_a_meeting_is_refused_to_residents_and_to_other_communities(
    resident_a, staff_a, community_a, community_b, resident_b
):
    with pytest.raises(PermissionDenied):
        services.create_deliberation(
            actor=resident_a, community=community_a, date=TODAY, place="厅", attendee_count=3
        )
    with pytest.raises(PermissionDenied):
        services.create_deliberation(
            actor=staff_a, community=community_b, date=TODAY, place="厅", attendee_count=3
        )
    theirs = raise_(resident_b, community_b)
    with pytest.raises(ValidationError) as exc:
        services.create_deliberation(
            actor=staff_a,
            community=community_a,
            date=TODAY,
            place="厅",
            attendee_count=3,
            matters=[theirs],
        )
    assert "不属于本社区" in exc.value.message_dict["matters"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"place": ""}, "place"),
        ({"attendee_count": 0}, "attendee_count"),
        ({"attendee_count": "九"}, "attendee_count"),
        ({"date": None}, "date"),
    ],
)
def test_a_meeting_with_bad_fields_is_refused_naming_the_field(staff_a, community_a, fields, field):
    values = {"date": TODAY, "place": "厅", "attendee_count": 5, **fields}
    with pytest.raises(ValidationError) as exc:
        services.create_deliberation(actor=staff_a, community=community_a, **values)
    assert field in exc.value.message_dict


def test_the_minutes_and_more_matters_are_added_later(meeting, staff_a, residents_a, community_a):
    other = raise_(residents_a[1], community_a, title="停车难")
    services.update_deliberation(meeting, actor=staff_a, minutes="纪要", matters=[other])
    meeting.refresh_from_db()
    assert meeting.minutes == "纪要"
    assert set(meeting.matters.all()) == {other, Matter.objects.get(title="楼道灯不亮")}
    with pytest.raises(ValidationError):
        services.update_deliberation(meeting, actor=staff_a, community=None)
    with pytest.raises(PermissionDenied):
        services.update_deliberation(meeting, actor=residents_a[0], minutes="改")


def test_the_attendees_cannot_fall_below_the_votes_cast(meeting, matter, staff_a):
    decide(meeting, matter, staff_a, votes_for=6, votes_against=2)
    with pytest.raises(ValidationError) as exc:
        services.update_deliberation(meeting, actor=staff_a, attendee_count=7)
    assert "8 票" in exc.value.message_dict["attendee_count"][0]


# --- Decisions ----------------------------------------------------------------------------


def test_adopt_tells_the_raiser_and_the_seconders(
    meeting, matter, staff_a, residents_a, django_capture_on_commit_callbacks
):
    services.second(matter, actor=residents_a[1])
    with django_capture_on_commit_callbacks(execute=True):
        row = decide(meeting, matter, staff_a, votes_for=7, votes_against=1, votes_abstain=1)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.ADOPTED and matter.decided_on == TODAY
    assert (row.decision, row.votes_for, row.votes_against, row.votes_abstain) == (
        "adopt",
        7,
        1,
        1,
    )
    assert row.decided_at is not None
    told = set(
        Notification.objects.filter(verb="matter_decided").values_list("recipient", flat=True)
    )
    assert told == {residents_a[0].pk, residents_a[1].pk}


def test_more_votes_than_attendees_are_refused_naming_votes_for(meeting, matter, staff_a):
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, votes_for=8, votes_against=1, votes_abstain=1)
    assert exc.value.message_dict["votes_for"] == [
        "赞成、反对、弃权票数之和（10）不能超过参会人数（9）。"
    ]
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, votes_against=-1)
    assert exc.value.message_dict["votes_against"] == ["反对票数不能小于 0。"]
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="postpone")
    assert "decision" in exc.value.message_dict
    matter.refresh_from_db()
    assert matter.status == MatterStatus.LISTED
    assert Decision.objects.get().decision == ""


def test_reject_needs_a_reason(meeting, matter, staff_a):
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="reject", reason="  ")
    assert exc.value.message_dict["reason"] == ["请填写理由。"]
    decide(meeting, matter, staff_a, decision="reject", reason="属物业职责，已转物业")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.REJECTED


def test_a_matter_is_decided_once(meeting, matter, staff_a, community_a):
    decide(meeting, matter, staff_a)
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="reject", reason="改主意")
    assert exc.value.message_dict["matter"] == ["该议题已作出决定（已采纳），不能重复决定。"]
    later = services.create_deliberation(
        actor=staff_a, community=community_a, date=TODAY, place="厅", attendee_count=5
    )
    with pytest.raises(ValidationError):
        decide(later, matter, staff_a)


def test_deciding_a_matter_not_on_the_agenda_adds_it(meeting, staff_a, residents_a, community_a):
    other = raise_(residents_a[1], community_a, title="停车难")
    decide(meeting, other, staff_a)
    assert Decision.objects.get(deliberation=meeting, matter=other).decision == "adopt"


def test_the_staff_of_another_community_and_residents_cannot_decide(
    meeting, matter, resident_a, resident_b
):
    for outsider in (resident_a, resident_b):
        with pytest.raises(PermissionDenied):
            decide(meeting, matter, outsider)


def test_merge_rules(
    meeting,
    matter,
    staff_a,
    residents_a,
    community_a,
    community_b,
    resident_b,
    django_capture_on_commit_callbacks,
):
    target = raise_(residents_a[2], community_a, title="整栋楼照明改造")
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="merge")
    assert exc.value.message_dict["merge_into"] == ["请选择要合并到的议题。"]
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="merge", merge_into=matter)
    assert exc.value.message_dict["merge_into"] == ["不能合并到议题本身。"]
    theirs = raise_(resident_b, community_b, title="外社区")
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="merge", merge_into=theirs)
    assert exc.value.message_dict["merge_into"] == ["只能合并到本社区的议题。"]
    closed = raise_(residents_a[3], community_a, title="已办结的")
    Matter.objects.filter(pk=closed.pk).update(status=MatterStatus.CLOSED)
    with pytest.raises(ValidationError) as exc:
        decide(meeting, matter, staff_a, decision="merge", merge_into=closed)
    assert "不能合并到该议题" in exc.value.message_dict["merge_into"][0]

    services.second(matter, actor=residents_a[4])
    with django_capture_on_commit_callbacks(execute=True):
        decide(meeting, matter, staff_a, decision="merge", merge_into=target)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.MERGED and matter.merged_into == target
    told = Notification.objects.get(recipient=residents_a[4], verb="matter_decided")
    assert "合并到“整栋楼照明改造”" in told.title
    # A merged matter is no target itself.
    third = raise_(residents_a[5], community_a, title="第三个")
    with pytest.raises(ValidationError):
        decide(meeting, third, staff_a, decision="merge", merge_into=matter)


# --- Up to the street ---------------------------------------------------------------------


@pytest.fixture
def street_reviewer(street_a):
    return make_user("yc_xn", street_a, "supervisor", name="街道效能办")


def test_refer_up_makes_one_item_for_the_street_with_the_photos(
    staff_a,
    residents_a,
    community_a,
    street_a,
    street_staff,
    street_reviewer,
    django_capture_on_commit_callbacks,
):
    matter = raise_(residents_a[0], community_a, photos=[png("路口.png"), png("夜间.png")])
    meeting = services.create_deliberation(
        actor=staff_a, community=community_a, date=TODAY, place="厅", attendee_count=9
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(meeting, matter, staff_a, decision="refer", votes_for=9)
    matter.refresh_from_db()
    item = Item.objects.get()
    assert matter.item == item and matter.status == MatterStatus.REFERRED
    assert matter.referral == Referral.DECISION and matter.referred_at is not None
    assert (item.kind, item.source, item.lead_unit, item.assigning_unit) == (
        ItemKind.PROBLEM,
        Source.COMMUNITY,
        street_a,
        community_a,
    )
    assert item.title == "楼道灯不亮" and "3 栋 2 单元晚上没有灯" in item.description
    assert sorted(a.name for a in item.attachments.all()) == ["夜间.png", "路口.png"]
    assert all(a.file.read() == PNG for a in item.attachments.all())
    assert Notification.objects.filter(recipient=street_staff, verb="assigned").exists()

    # A retry makes no second item.
    assert services.refer_up(matter, actor=staff_a, referral=Referral.DECISION) == item
    assert services.refer_up(matter, actor=SYSTEM, referral=Referral.ESCALATION) == item
    assert Item.objects.count() == 1

    # The street handles it through supervision's own lifecycle; its closure solves the matter.
    assert not matter.is_solved()
    supervision.acknowledge(item, actor=street_staff)
    supervision.report_progress(item, actor=street_staff, percent=60, comment="已联系交警")
    supervision.request_closure(
        item, actor=street_staff, rectification="安装红绿灯", evidence="验收照片"
    )
    supervision.approve(item, actor=street_reviewer)
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.item.status == Status.CLOSED
    assert matter.is_solved() and matter.solved_on() == matter.item.closed_on
    assert Matter.objects.solved().filter(pk=matter.pk).exists()


def test_refer_up_is_refused_to_residents(matter, resident_a):
    with pytest.raises(PermissionDenied):
        services.refer_up(matter, actor=resident_a, referral=Referral.DECISION)
    assert not Item.objects.exists()


def test_the_item_page_names_the_matter_it_came_from(
    client_for, meeting, matter, staff_a, street_staff, handler_b
):
    decide(meeting, matter, staff_a, decision="refer")
    matter.refresh_from_db()
    url = reverse("supervision:item_detail", args=[matter.item.pk])
    page = client_for(street_staff).get(url).content.decode()
    assert "来自社区议事" in page and "楼道灯不亮（永兴路社区）" in page
    assert client_for(handler_b).get(url).status_code in (403, 404)
