"""The community's objects for the URL walk (url_samples.py and its four parts): under county
A, 永昌街道 and 永兴路社区 with their staff, three residents, a group, a matter in each
state, a deliberation with its decisions and an invitation code — built through the
services, every shown text carrying the marker (`ctx["marker"]`).

`base_objects(ctx)` may be called more than once on one test database: it builds once and
then finds the same rows again."""

import base64
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.accounts.models import Role, User
from xiaoneng.community import services
from xiaoneng.community.models import (
    Category,
    Comment,
    Decision,
    Deliberation,
    Group,
    GroupKind,
    Invitation,
    Matter,
    Photo,
    Progress,
    RatingValue,
    Referral,
    Report,
)
from xiaoneng.conftest import PASSWORD
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, Unit

# A valid 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

STREET_CODE = "530112007"
COMMUNITY_CODE = "530112007001"
INVITATION_CODE = "YXWALK2026"


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _unit(code, name, level, parent, kind) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, name=name, level=level, parent=parent, kind=kind)
        unit.save(actor=SYSTEM)
    return unit


def _user(username, unit, roles, name, phone="") -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, unit=unit, name=name, phone=phone)
        user.set_password(PASSWORD)
        user.save(actor=SYSTEM)
        user.roles.set(Role.for_codes(roles))
    return user


def _titles(marker: str) -> dict[str, str]:
    return {
        "matter": f"{marker}楼道灯不亮",
        "listed": f"{marker}小区停车难",
        "handling": f"{marker}垃圾清运不及时",
        "closed": f"{marker}健身器材损坏",
        "referred": f"{marker}路口缺少红绿灯",
    }


def _build(marker, community, staff, residents) -> None:
    r0, r1, r2 = residents
    titles = _titles(marker)
    group = services.create_group(
        actor=staff,
        community=community,
        kind=GroupKind.VOLUNTEERS,
        name=f"{marker}志愿服务队",
        contact=r2,
    )

    def raise_(key, by, photos=()):
        return services.raise_matter(
            actor=by,
            community=community,
            category=Category.REPAIR,
            title=titles[key],
            description=f"{marker}：{titles[key]}，请社区协调解决。",
            place=f"{marker}3 栋",
            photos=photos,
        )

    matter = raise_("matter", r0, [png(f"{marker}楼道.png")])
    first = services.comment(matter, actor=r1, text=f"{marker}同意，晚上很黑。")
    services.comment(matter, actor=r0, text=f"{marker}谢谢支持。", reply_to=first)
    services.set_photo_public(matter.photos.get(), actor=staff, public=True)
    services.report(matter, actor=r2, reason=f"{marker}标题夸大")

    listed = raise_("listed", r1)
    services.list_for_deliberation(listed, actor=staff)

    handling = raise_("handling", r0)
    closed = raise_("closed", r0)
    referred = raise_("referred", r1, [png(f"{marker}路口.png")])
    services.second(closed, actor=r1)
    meeting = services.create_deliberation(
        actor=staff,
        community=community,
        date=timezone.localdate(),
        place=f"{marker}社区议事厅",
        attendee_count=9,
        attendees=f"{marker}议事会成员九人",
        matters=[handling, closed, referred],
    )
    services.update_deliberation(meeting, actor=staff, minutes=f"{marker}会议纪要：三项议题。")
    for m, kind in ((handling, "adopt"), (closed, "adopt"), (referred, "refer")):
        services.decide(
            meeting, actor=staff, matter=m, decision=kind, votes_for=7, votes_against=1,
            votes_abstain=1,
        )  # fmt: skip
    services.assign_lead(
        handling, actor=staff, lead_group=group, steps=[f"{marker}联系清运公司", f"{marker}增加班次"]
    )  # fmt: skip
    services.post_progress(
        handling,
        actor=staff,
        text=f"{marker}已联系清运公司，下周起每天两次。",
        photos=[png(f"{marker}清运.png")],
    )
    services.assign_lead(closed, actor=staff, lead_user=staff, steps=[f"{marker}报修"])
    services.close_matter(closed, actor=staff, result=f"{marker}器材已更换。")
    services.rate(closed, actor=r0, rating=RatingValue.SATISFIED, comment=f"{marker}很快")

    Invitation.objects.create(
        community=community,
        code=INVITATION_CODE,
        note=f"{marker}3 栋",
        expires_at=timezone.now() + dt.timedelta(days=30),
        max_uses=10,
        created_by=staff,
        actor=staff,
    )


def base_objects(ctx) -> dict:
    marker = ctx["marker"]
    street = _unit(STREET_CODE, "永昌街道", Level.TOWNSHIP, ctx["county_a"], Kind.STREET)
    community = _unit(COMMUNITY_CODE, "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    staff = _user(
        "walk_sq", community, ("unit_admin", "handler"), f"{marker}社区干部", "13900000011"
    )
    street_staff = _user("walk_jd", street, ("unit_admin", "handler"), f"{marker}街道干部")
    residents = [
        _user(f"walk_jm{i}", community, ("resident",), f"{marker}居民{i}", f"1360000000{i}")
        for i in range(3)
    ]
    titles = _titles(marker)
    if not Matter.objects.filter(community=community, title=titles["matter"]).exists():
        _build(marker, community, staff, residents)
    m = {key: Matter.objects.get(community=community, title=t) for key, t in titles.items()}
    deliberation = Deliberation.objects.filter(
        community=community, place=f"{marker}社区议事厅"
    ).get()
    return {
        "community": community,
        "street": street,
        "staff": staff,
        "street_staff": street_staff,
        "residents": residents,
        "group": Group.objects.get(community=community, name=f"{marker}志愿服务队"),
        **m,
        "comment": Comment.objects.get(matter=m["matter"], reply_to__isnull=True),
        "reply": Comment.objects.get(matter=m["matter"], reply_to__isnull=False),
        "progress": Progress.objects.get(matter=m["handling"]),
        "photo": Photo.objects.get(matter=m["matter"]),
        "report": Report.objects.get(matter=m["matter"]),
        "deliberation": deliberation,
        "decision": Decision.objects.get(deliberation=deliberation, matter=m["handling"]),
        "invitation": Invitation.objects.get(code=INVITATION_CODE),
    }


__all__ = ["PNG", "Referral", "base_objects", "png"]
