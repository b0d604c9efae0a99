"""The community's demo: loads twice without duplicates, has a matter in every state, the
referred matter's street item closed (and the matter solved), the escalated one's item open,
a meeting with votes, moderated and official comments, ratings; and it goes through the
services (the change log knows who did what)."""

from django.utils import timezone

from xiaoneng.accounts import demo as accounts_demo
from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.community import demo, stats
from xiaoneng.community.models import (
    Comment,
    Decision,
    Deliberation,
    Group,
    Invitation,
    Matter,
    MatterStatus,
    Photo,
    Rating,
    Referral,
    Report,
    Second,
)
from xiaoneng.core.models import ChangeLog
from xiaoneng.supervision.models import Item, Source, Status
from xiaoneng.units import demo as units_demo


def loaded() -> dict:
    ctx: dict = {}
    units_demo.load(ctx)
    accounts_demo.load(ctx)
    demo.load(ctx)
    return ctx


def counts() -> tuple:
    return tuple(
        getattr(model, "all_objects", model.objects).count()
        for model in (
            Matter, Second, Comment, Deliberation, Decision, Rating, Report, Group, Invitation,
            Photo, Item, User, ChangeLog,
        )
    )  # fmt: skip


def test_the_demo_loads_twice_without_duplicates(db):
    ctx = loaded()
    before = counts()
    demo.load(ctx)
    assert counts() == before
    loaded()  # a fresh run of the whole chain
    assert counts() == before


def test_the_demo_has_a_matter_in_every_state(db):
    ctx = loaded()
    community = ctx["units"]["530112007001"]
    matters = Matter.objects.filter(community=community)
    assert set(matters.values_list("status", flat=True)) == set(MatterStatus.values)
    residents = User.objects.filter(unit=community, roles__code=RoleCode.RESIDENT)
    assert residents.count() == 9 and all(u.phone.startswith("1380000") for u in residents)
    assert Invitation.objects.filter(community=community, uses=6).exists()

    by_title = {m.title: m for m in matters}
    lights = by_title["小区东门路灯不亮"]
    assert lights.status == MatterStatus.CLOSED and lights.is_solved()
    assert lights.lead_group.name == "物业公司" and lights.steps.filter(done_on=None).count() == 0
    assert by_title["东门路灯坏了好几盏"].merged_into == lights
    assert (
        Comment.objects.filter(matter=lights, is_official=True, reply_to__isnull=False).count() == 1
    )
    assert lights.photos.filter(public=True).count() == 2

    # referred up by the council; the street handled it through supervision's lifecycle
    hallway = by_title["3栋楼道堆放杂物存在消防隐患"]
    assert hallway.status == MatterStatus.REFERRED and hallway.referral == Referral.DECISION
    item = hallway.item
    assert item.status == Status.CLOSED and item.source == Source.COMMUNITY
    assert item.lead_unit.code == "530112007" and item.assigning_unit == community
    assert hallway.is_solved() and hallway.solved_on() == item.closed_on
    actions = list(item.events.order_by("created_at", "id").values_list("action", flat=True))
    assert actions[-5:] == [
        "acknowledge", "submit_plan", "report_progress", "request_closure", "approve",
    ]  # fmt: skip
    assert item.events.filter(actor__username="yc_jd").count() == 4
    assert item.attachments.count() == 1  # the matter's photo went up with it
    assert hallway.ratings.count() == 3

    fitness = by_title["健身器材损坏"]
    assert fitness.referral == Referral.ESCALATION and fitness.item.status != Status.CLOSED
    assert fitness.deadline < timezone.localdate(fitness.referred_at)
    rejected = by_title["楼上装修噪音扰民"]
    assert Decision.objects.get(matter=rejected).reason
    rubbish = by_title["垃圾清运不及时"]
    assert rubbish.status == MatterStatus.HANDLING and rubbish.progress_posts.exists()
    hidden = Comment.objects.get(matter=rubbish, hidden_at__isnull=False)
    assert Report.objects.get(comment=hidden).handled_at is not None
    assert by_title["增设老年人助餐点"].status == MatterStatus.LISTED
    assert by_title["绿化带杂草清理"].seconds_count == 2

    votes = Decision.objects.filter(deliberation__community=community).exclude(decision="")
    assert votes.count() == 7 and all(d.votes_for > 0 for d in votes)
    assert Deliberation.objects.filter(community=community).exclude(minutes="").count() == 3

    # the services wrote it: the change log names the people
    assert ChangeLog.objects.filter(user__username="yx_sq").exists()
    assert ChangeLog.objects.filter(user__username="yc_jd").exists()

    # the statistics have something to show: the year of the street's closing
    figures = stats.unit_figures(ctx["units"]["530112007"], item.closed_on.year)
    assert figures["solved"] >= 1 and figures["referred_decision"] == 1
