"""Demo data of 社区共治: 永兴路社区 (530112007001, under 永昌街道) over the last five months.

Residents (冯居民 `yx_jm` and eight neighbours: six signed up with the community's invitation
code, two added by the staff), the community's staff `yx_sq`, the street's `yc_jd`, the
handling groups (党员先锋队, 志愿服务队, 物业公司, 街道办事处), three meetings of the council
with their votes, and a matter in every state:

    小区东门路灯不亮            closed (物业公司), rated; an official answer among its comments
    东门路灯坏了好几盏          merged into the one above
    3栋楼道堆放杂物…           referred up by the council; the street handled and closed it
                                (acknowledged, planned, progressed, asked to close by yc_jd,
                                approved by 昆明市效能办 km_xn), rated
    楼上装修噪音扰民            rejected, with the reason
    健身器材损坏                 adopted, its lead missed the deadline: escalated by the job
    垃圾清运不及时              being handled (志愿服务队) with steps and progress; a hidden
                                comment with its report
    小区停车位划线              adopted, no lead yet
    增设老年人助餐点            listed by reaching the threshold of seconds
    绿化带杂草清理              collecting seconds (two so far)

Everything goes through the services (community/services.py, community/residents.py,
supervision's lifecycle) as the person who would do it; afterwards the dates are moved back
(created, seconded, decided, referred, closed …), as the other demos do, so that the
statistics show a spread of months. Idempotent: nothing is added when 永兴路社区 has matters.
"""

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.accounts.demo import DEMO_PASSWORD
from xiaoneng.community import conf, residents, services
from xiaoneng.community.models import (
    Comment,
    Decision,
    Deliberation,
    Group,
    GroupKind,
    Matter,
    Progress,
    Rating,
    Report,
    Second,
    Step,
)
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import Item, ItemEvent
from xiaoneng.supervision.workdays import add_workdays

COMMUNITY = "530112007001"
STREET = "530112007"

# name, phone, how they joined ("code": signed up with the invitation code; "staff": added)
NEIGHBOURS = [
    ("赵秀英", "13800001001", "code"),
    ("钱国栋", "13800001002", "code"),
    ("孙丽华", "13800001003", "code"),
    ("周建明", "13800001004", "code"),
    ("吴桂兰", "13800001005", "code"),
    ("郑海涛", "13800001006", "code"),
    ("王淑芬", "13800001007", "staff"),
    ("陈志强", "13800001008", "staff"),
]
FENG_PHONE = "13800001000"  # yx_jm, 冯居民

PLACE = "永兴路社区党群服务中心"


def load(ctx: dict) -> None:
    users, units = ctx.get("users", {}), ctx.get("units", {})
    if any(name not in users for name in ("yx_jm", "yx_sq", "yc_jd")) or COMMUNITY not in units:
        return
    community = units[COMMUNITY]
    if Matter.all_objects.filter(community=community).exists():
        return
    Demo(ctx, community).run()


def png(width: int, height: int, top: tuple, bottom: tuple) -> bytes:
    """A small PNG (a vertical gradient from `top` to `bottom`), written with zlib only."""
    rows = []
    for y in range(height):
        t = y / max(1, height - 1)
        colour = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + colour * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def photo(name: str, top: tuple, bottom: tuple) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(320, 200, top, bottom), content_type="image/png")


class Demo:
    def __init__(self, ctx: dict, community):
        self.ctx = ctx
        self.community = community
        self.users = ctx["users"]
        self.staff = self.users["yx_sq"]
        self.street_staff = self.users["yc_jd"]
        self.reviewer = self.users.get("km_xn") or SYSTEM
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()

    # --- dates ----------------------------------------------------------------------------

    def day(self, ago: int) -> dt.date:
        return self.today - dt.timedelta(days=ago)

    def at(self, ago: int | dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        day = ago if isinstance(ago, dt.date) else self.day(ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), self.tz)

    # --- the story ------------------------------------------------------------------------

    def run(self) -> None:
        self.people()
        self.groups()
        m = {}
        m["lights"], m["lights_again"] = self.street_lights()
        m["hallway"], m["noise"] = self.hallway_and_noise()
        m["fitness"], m["rubbish"], m["parking"] = self.third_meeting()
        m["meals"] = self.raised(
            self.r[4],
            "service",
            "增设老年人助餐点",
            "社区60岁以上老人较多，不少独居老人做饭不便，建议在党群服务中心增设助餐点。",
            "永兴路社区党群服务中心",
            ago=12,
            seconders=self.others(self.r[4], conf.second_threshold()),
        )
        if m["meals"].status == "raised":  # a threshold above the demo's neighbours
            services.list_for_deliberation(m["meals"], actor=self.staff)
        m["weeds"] = self.raised(
            self.r[6],
            "environment",
            "绿化带杂草清理",
            "5栋和6栋之间的绿化带杂草长得很高，夏天蚊虫多，希望组织清理。",
            "5栋与6栋之间绿化带",
            ago=3,
            seconders=self.r[7:9],
        )
        self.ctx["community_matters"] = m
        self.ctx.setdefault("accounts", []).append(
            (NEIGHBOURS[0][1], "永兴路社区居民赵秀英（用手机号登录，凭邀请码注册）")
        )

    def people(self) -> None:
        """冯居民 gets her phone number; six neighbours sign up with the community's invitation
        code, two are added by the staff."""
        feng = self.users["yx_jm"]
        if not feng.phone:
            feng.phone = FENG_PHONE
            feng.save(actor=SYSTEM)
        invitation = residents.create_invitation(
            actor=self.staff,
            community=self.community,
            max_uses=50,
            note="永兴路社区居民微信群",
        )
        self.invitation = invitation
        found = [feng]
        for name, phone, how in NEIGHBOURS:
            person = residents.registered_resident(phone)
            if person is None and how == "code":
                person = residents.sign_up(
                    code=invitation.code, phone=phone, name=name, password=DEMO_PASSWORD
                )
            elif person is None:
                person, _password = residents.add_resident(
                    actor=self.staff, community=self.community, phone=phone, name=name
                )
            found.append(person)
        self.r = found  # r[0] 冯居民, r[1] 赵秀英 … r[8] 陈志强

    def groups(self) -> None:
        made = {}
        for kind, name, contact in (
            (GroupKind.PARTY_MEMBERS, "党员先锋队", self.staff),
            (GroupKind.VOLUNTEERS, "志愿服务队", self.r[4]),  # 周建明
            (GroupKind.PROPERTY, "物业公司", None),
            (GroupKind.STREET, "街道办事处", self.street_staff),
        ):
            made[kind] = services.create_group(
                actor=self.staff, community=self.community, kind=kind, name=name, contact=contact
            )
        Group.objects.filter(community=self.community).update(created_at=self.at(175))
        self.group = made

    def others(self, raiser, n: int) -> list:
        """Up to `n` residents besides `raiser`, to second their matter."""
        return [p for p in self.r if p.pk != raiser.pk][:n]

    def raised(self, raiser, category, title, description, place, *, ago, seconders=(), photos=()):
        """A matter raised `ago` days ago, seconded over the next days."""
        matter = services.raise_matter(
            actor=raiser,
            community=self.community,
            category=category,
            title=title,
            description=description,
            place=place,
            photos=photos,
        )
        for seconder in seconders:
            matter = services.second(matter, actor=seconder)
        Matter.objects.filter(pk=matter.pk).update(created_at=self.at(ago, 9, 20))
        for n, row in enumerate(Second.objects.filter(matter=matter).order_by("id")):
            row.created_at = self.at(max(ago - 1 - n // 2, 0), 8 + n, 15)
            row.save(update_fields=["created_at"])
        if matter.listed_at is not None:
            last = max(ago - 1 - (len(seconders) - 1) // 2, 0)
            Matter.objects.filter(pk=matter.pk).update(listed_at=self.at(last, 20))
        matter.refresh_from_db()
        return matter

    def say(self, matter, person, text, ago, hour, reply_to=None) -> Comment:
        row = services.comment(matter, actor=person, text=text, reply_to=reply_to)
        Comment.objects.filter(pk=row.pk).update(created_at=self.at(ago, hour, 5))
        return row

    def meeting(self, ago, attendee_count, attendees, matters=()) -> Deliberation:
        return services.create_deliberation(
            actor=self.staff,
            community=self.community,
            date=self.day(ago),
            place=PLACE,
            attendee_count=attendee_count,
            attendees=attendees,
            matters=matters,
        )

    def decided(self, meeting, matter, decision, votes, reason="", merge_into=None) -> None:
        services.decide(
            meeting,
            actor=self.staff,
            matter=matter,
            decision=decision,
            votes_for=votes[0],
            votes_against=votes[1],
            votes_abstain=votes[2],
            reason=reason,
            merge_into=merge_into,
        )
        Decision.objects.filter(deliberation=meeting, matter=matter).update(
            decided_at=self.at(meeting.date, 20, 30)
        )

    def lead(self, matter, group, steps, ago) -> Matter:
        """The lead, its steps and a deadline counted from `ago` days ago (working days)."""
        matter = services.assign_lead(matter, actor=self.staff, lead_group=group, steps=steps)
        deadline = add_workdays(self.day(ago), matter.deadline_workdays)[0]
        Matter.objects.filter(pk=matter.pk).update(deadline=deadline)
        matter.refresh_from_db()
        return matter

    def progress(self, matter, person, text, ago, steps=(), photos=()) -> Progress:
        post = services.post_progress(
            matter, actor=person, text=text, steps_done=steps, photos=photos
        )
        Progress.objects.filter(pk=post.pk).update(created_at=self.at(ago, 16))
        Step.objects.filter(pk__in=[s.pk for s in steps]).update(done_on=self.day(ago))
        return post

    def rated(self, matter, ratings, ago) -> None:
        for person, value, text in ratings:
            row = services.rate(matter, actor=person, rating=value, comment=text)
            Rating.objects.filter(pk=row.pk).update(created_at=self.at(ago, 19))

    def steps(self, matter) -> list[Step]:
        return list(matter.steps.order_by("order"))

    # --- the first meeting: the street lights ------------------------------------------

    def street_lights(self):
        r, staff = self.r, self.staff
        lights = self.raised(
            r[0],
            "repair",
            "小区东门路灯不亮",
            "东门进来的主干道有4盏路灯不亮已经一个多月，晚上老人孩子出行不安全。",
            "永兴路小区东门主干道",
            ago=150,
            seconders=self.others(r[0], max(conf.second_threshold(), 5)),
            photos=[photo("东门路灯.png", (24, 32, 64), (70, 70, 90))],
        )
        first = self.say(lights, r[1], "晚上从东门回来黑漆漆的，上个月王大爷还摔了一跤。", 149, 20)
        self.say(lights, r[2], "同意，物业应该尽快修。", 148, 8)
        answer = self.say(
            lights,
            staff,
            "社区已联系物业公司现场查看，是线路老化，议事会上将研究维修方案和费用。",
            147,
            15,
            reply_to=first,
        )
        services.mark_official(answer, actor=staff)
        again = self.raised(
            r[7],
            "repair",
            "东门路灯坏了好几盏",
            "东门路灯坏了，请社区协调修一下。",
            "东门",
            ago=140,
        )
        meeting = self.meeting(
            130,
            11,
            "社区党委书记、居委会委员4人，居民代表5人，物业公司代表1人，街道联系干部1人",
            matters=[lights, again],
        )
        self.decided(meeting, lights, "adopt", (11, 0, 0))
        self.decided(meeting, again, "merge", (10, 0, 1), merge_into=lights)
        services.update_deliberation(
            meeting,
            actor=staff,
            minutes="一、东门路灯维修：全票同意采纳，由物业公司牵头，一周内排查线路、更换灯具，"
            "社区党员先锋队协助夜间巡查。\n二、“东门路灯坏了好几盏”与上一议题为同一事项，合并办理。",
        )
        lights = self.lead(
            Matter.objects.get(pk=lights.pk),
            self.group[GroupKind.PROPERTY],
            ["排查线路", "更换损坏灯具", "居民代表验收"],
            129,
        )
        first_steps = self.steps(lights)
        self.progress(
            lights,
            staff,
            "物业电工已排查线路，确认为地下电缆老化，已采购新电缆和LED灯具。",
            125,
            steps=first_steps[:1],
        )
        post = self.progress(
            lights,
            staff,
            "已更换电缆和4盏LED路灯，居民代表赵秀英、钱国栋现场验收，照明恢复正常。",
            121,
            steps=first_steps[1:],
            photos=[photo("路灯修好.png", (250, 220, 120), (90, 90, 110))],
        )
        for row in [*lights.photos.filter(progress=None), *post.photos.all()]:
            services.set_photo_public(row, actor=staff, public=True)
        lights = services.close_matter(
            lights,
            actor=staff,
            result="更换地下电缆60米、LED路灯4盏，东门主干道照明恢复；物业建立路灯每月巡查制度。",
        )
        Matter.objects.filter(pk=lights.pk).update(closed_on=self.day(120))
        self.rated(
            lights,
            [
                (r[0], "satisfied", "修得很快，谢谢社区和物业。"),
                (r[1], "satisfied", ""),
                (r[2], "basically_satisfied", "希望以后坏了能早点发现。"),
            ],
            118,
        )
        return Matter.objects.get(pk=lights.pk), Matter.objects.get(pk=again.pk)

    # --- the second meeting: up to the street, and a refusal -----------------------------

    def hallway_and_noise(self):
        r, staff = self.r, self.staff
        hallway = self.raised(
            r[3],
            "safety",
            "3栋楼道堆放杂物存在消防隐患",
            "3栋1单元到3单元楼道里堆了旧家具、纸箱和电动车，消防通道被堵，多次劝说无效。",
            "永兴路小区3栋",
            ago=110,
            seconders=[r[1], r[2], r[5], r[6], r[8]],
            photos=[photo("3栋楼道.png", (120, 100, 80), (60, 50, 40))],
        )
        self.say(hallway, r[5], "电动车在楼道充电太危险了，必须清理。", 109, 21)
        noise = self.raised(
            r[8],
            "neighbours",
            "楼上装修噪音扰民",
            "2栋501装修每天早上7点就开始打钻，周末也不停。",
            "永兴路小区2栋",
            ago=100,
        )
        services.list_for_deliberation(noise, actor=staff)
        meeting = self.meeting(
            95,
            12,
            "社区党委书记、居委会委员4人，居民代表6人，物业公司代表1人，街道联系干部1人",
            matters=[hallway, noise],
        )
        self.decided(meeting, hallway, "refer", (10, 1, 1))
        self.decided(
            meeting,
            noise,
            "reject",
            (8, 2, 2),
            reason="属于个别住户之间的纠纷，不属于社区公共事务，已转社区人民调解委员会调解。",
        )
        services.update_deliberation(
            meeting,
            actor=staff,
            minutes="一、3栋楼道杂物：涉及消防执法，社区无执法权，提交永昌街道办理。\n"
            "二、装修噪音：不属于公共事务，不予采纳，转人民调解。",
        )
        hallway.refresh_from_db()
        item = hallway.item
        self.street_handles(item, referred=95)
        Matter.objects.filter(pk=hallway.pk).update(referred_at=self.at(95, 20, 40))
        self.rated(
            hallway,
            [
                (r[3], "satisfied", "街道来得很及时，楼道终于通了。"),
                (r[5], "basically_satisfied", ""),
                (r[6], "dissatisfied", "过了一个月又有人开始堆东西了。"),
            ],
            80,
        )
        return Matter.objects.get(pk=hallway.pk), Matter.objects.get(pk=noise.pk)

    def street_handles(self, item: Item, *, referred: int) -> None:
        """永昌街道 handles the referred item through supervision's lifecycle, as yc_jd;
        昆明市效能办 approves the closure."""
        street = self.street_staff
        supervision.acknowledge(item, actor=street, comment="街道已签收，安排城管和消防专干办理。")
        supervision.submit_plan(
            item,
            actor=street,
            plan="联合社区、物业和消防专干入户宣传，限期三天自行清理，逾期依法清理。",
        )
        supervision.report_progress(
            item, actor=street, percent=60, comment="已入户宣传32户，1单元、2单元已清理完毕。"
        )
        supervision.request_closure(
            item,
            actor=street,
            rectification="3栋楼道杂物全部清理，电动车统一到小区充电棚充电，物业每周巡查。",
            evidence="清理前后照片已留存，社区和居民代表现场确认消防通道畅通。",
        )
        supervision.approve(item, actor=self.reviewer, comment="整改到位，同意办结。")
        start = self.day(referred)
        steps = {"assign": 0, "acknowledge": 1, "submit_plan": 2, "report_progress": 6}
        for event in ItemEvent.objects.filter(item=item):
            offset = steps.get(event.action, 12 if event.action == "request_closure" else 13)
            ItemEvent.objects.filter(pk=event.pk).update(
                created_at=self.at(start + dt.timedelta(days=offset), 10 + offset % 6)
            )
        Item.objects.filter(pk=item.pk).update(
            assigned_on=start,
            deadline=add_workdays(start, item.deadline_count or conf.deadline_workdays())[0],
            plan_deadline=start + dt.timedelta(days=10),
            closed_on=start + dt.timedelta(days=13),
            created_at=self.at(start, 20, 40),
        )

    # --- the third meeting: handled, waiting, escalated ---------------------------------

    def third_meeting(self):
        r, staff = self.r, self.staff
        fitness = self.raised(
            r[2],
            "repair",
            "健身器材损坏",
            "小区广场的漫步机和扭腰器坏了，螺丝松动，老人使用有危险。",
            "永兴路小区中心广场",
            ago=60,
            seconders=[r[0], r[1], r[3], r[4], r[5]],
        )
        rubbish = self.raised(
            r[5],
            "environment",
            "垃圾清运不及时",
            "小区北侧垃圾收集点经常满溢，夏天气味很大，希望增加清运次数。",
            "永兴路小区北侧垃圾收集点",
            ago=45,
            seconders=[r[0], r[6], r[7], r[8], r[1]],
        )
        parking = self.raised(
            r[1],
            "service",
            "小区停车位划线",
            "小区内乱停车严重，消防车进不来，建议重新规划并划定停车位。",
            "永兴路小区内部道路",
            ago=40,
            seconders=[r[2], r[3]],
        )
        meeting = self.meeting(
            35,
            13,
            "社区党委书记、居委会委员5人，居民代表6人，物业公司代表1人，志愿服务队队长1人",
            matters=[fitness, rubbish, parking],
        )
        self.decided(meeting, fitness, "adopt", (13, 0, 0))
        self.decided(meeting, rubbish, "adopt", (12, 0, 1))
        self.decided(meeting, parking, "adopt", (9, 2, 2))
        services.update_deliberation(
            meeting,
            actor=staff,
            minutes="一、健身器材：由党员先锋队联系厂家维修，十个工作日内完成。\n"
            "二、垃圾清运：由志愿服务队牵头与环卫所协调，增加清运频次。\n"
            "三、停车位划线：采纳，待物业测算费用后确定牵头。",
        )
        # 健身器材: the party members' team misses its deadline; the daily job sends it up to
        # the street the day after (the job run for that day).
        fitness = self.lead(
            Matter.objects.get(pk=fitness.pk),
            self.group[GroupKind.PARTY_MEMBERS],
            ["联系厂家", "更换配件", "安全检查"],
            34,
        )
        self.progress(
            fitness,
            staff,
            "已联系厂家，配件需从外地调货，预计延期。",
            28,
            steps=self.steps(fitness)[:1],
        )
        due = (fitness.deadline or self.today) + dt.timedelta(days=1)
        services.escalate_overdue(actor=SYSTEM, today=due)
        fitness.refresh_from_db()
        Matter.objects.filter(pk=fitness.pk).update(referred_at=self.at(due, 1, 0))
        item = fitness.item
        if item is not None:
            supervision.acknowledge(item, actor=self.street_staff, comment="街道已签收。")
            supervision.report_progress(
                item,
                actor=self.street_staff,
                percent=40,
                comment="已协调厂家加急发货，拆除损坏器材，设置警示标志。",
            )
            for n, event in enumerate(ItemEvent.objects.filter(item=item).order_by("id")):
                when = min(due + dt.timedelta(days=n * 3), self.today)
                ItemEvent.objects.filter(pk=event.pk).update(created_at=self.at(when, 9 + n))
            Item.objects.filter(pk=item.pk).update(
                assigned_on=due,
                deadline=add_workdays(due, item.deadline_count or conf.deadline_workdays())[0],
                plan_deadline=due + dt.timedelta(days=10),
                created_at=self.at(due, 1, 0),
            )
        # 垃圾清运: the volunteers' contact 周建明 posts the progress himself.
        rubbish = self.lead(
            Matter.objects.get(pk=rubbish.pk),
            self.group[GroupKind.VOLUNTEERS],
            ["与环卫所协调清运时间", "增设分类垃圾桶", "志愿者值守宣传"],
            5,
        )
        self.progress(
            rubbish,
            r[4],
            "已与环卫所商定每天清运两次（早7点、晚6点），从下周一开始执行。",
            2,
            steps=self.steps(rubbish)[:1],
        )
        advert = self.say(rubbish, r[7], "出售二手家具，价格优惠，有意者加微信详谈。", 3, 22)
        report = services.report(rubbish, actor=r[2], reason="与议题无关的广告。", comment=advert)
        services.hide(advert, actor=staff, reason="与议题无关的广告信息")
        Report.objects.filter(pk=report.pk).update(
            created_at=self.at(2, 7, 30), handled_at=self.at(2, 9)
        )
        Comment.objects.filter(pk=advert.pk).update(hidden_at=self.at(2, 9))
        self.say(rubbish, r[0], "志愿者辛苦了，晚上那次清运很有必要。", 1, 19)
        return (
            Matter.objects.get(pk=fitness.pk),
            Matter.objects.get(pk=rubbish.pk),
            Matter.objects.get(pk=parking.pk),
        )
