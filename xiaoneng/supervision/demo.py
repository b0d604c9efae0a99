"""Demo items across the province in every state and light, from every source; urged,
escalated and decomposed items, an attachment; timelines with real actors and dates; a few
violations (one published)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import conf, negative, scan, services
from xiaoneng.supervision.models import Behaviour, Item, ItemEvent, Urge, Violation
from xiaoneng.units.models import Level, Unit

TITLES = [
    ("problem", "grassroots", "农贸市场周边占道经营反复回潮", "划定临时疏导点，落实门前三包责任"),
    ("problem", "hotline", "老旧小区雨污管网堵塞群众反映强烈", "完成管网疏通改造，建立巡查机制"),
    ("task", "meeting", "推进政务服务“一网通办”事项全覆盖", ""),
    ("responsibility", "superior", "落实重大项目包保责任，按月调度", ""),
    ("problem", "unannounced", "暗访发现窗口单位午休期间无人值守", "落实错时延时服务和值班制度"),
    ("task", "instruction", "落实省领导关于营商环境的批示", ""),
    ("problem", "inspection", "督导检查发现项目前期手续办理滞后", "倒排工期，专班推进审批"),
    ("problem", "public", "群众反映社区养老服务站长期闲置", "引入运营机构，年内恢复日间照料服务"),
    ("task", "other", "整理作风革命专项整治工作台账", ""),
]

# (status path, days since assigned, deadline in days from today, progress)
SHAPES = [
    ([], 3, 30, 0),  # assigned, green
    (["acknowledge"], 20, 2, 0),  # acknowledged, yellow (due soon)
    (["acknowledge", "submit_plan"], 40, 20, 10),  # plan submitted, yellow (behind pace)
    (["acknowledge", "submit_plan", "report_progress"], 60, -5, 70),  # in progress, red
    (["acknowledge", "report_progress", "request_closure"], 30, 10, 100),  # closure requested
    (["acknowledge", "report_progress", "request_closure", "send_back"], 25, 15, 100),
    (["acknowledge", "report_progress", "request_closure", "approve"], 50, -10, 100),  # closed
]
# Other deadlines the open shapes take in turn, so that each state shows more than one light.
DUE_VARIANTS = (None, -3, 1, 45)
REVIEWER_STEPS = ("send_back", "approve")


def load(ctx: dict) -> None:
    if Item.all_objects.filter(ref__startswith="demo:").exists():
        return
    users = ctx["users"]
    supervisor = users["sheng_xn"]
    handlers = {u.unit_id: u for u in users.values() if "handler" in u.role_codes}
    today = timezone.localdate()
    prefectures = list(Unit.objects.filter(level=Level.PREFECTURE).order_by("code"))
    n = 0
    made = []
    for p_index, prefecture in enumerate(prefectures):
        counties = list(prefecture.children.filter(level=Level.COUNTY).order_by("code")[:2])
        for c_index, county in enumerate(counties):
            for s_index in range(2):
                shape = SHAPES[(p_index + c_index * 2 + s_index * 3) % len(SHAPES)]
                kind, source, title, measures = TITLES[(p_index + c_index + s_index) % len(TITLES)]
                n += 1
                due = DUE_VARIANTS[(p_index + s_index) % len(DUE_VARIANTS)]
                made.append(
                    _make(supervisor, handlers.get(county.pk), county, kind, source, title,
                          measures, shape, today, n, due_in=due)
                )  # fmt: skip
    # 西山区 (the demo handler's county): one of every state, so xs_cb has work to do.
    xishan = ctx["units"]["530112"]
    xs_cb = users.get("xs_cb")
    mine = []
    for i, shape in enumerate(SHAPES):
        kind, source, title, measures = TITLES[i % len(TITLES)]
        n += 1
        mine.append(
            _make(supervisor, xs_cb, xishan, kind, source, f"{title}（西山区）", measures,
                  shape, today, n, responsible=xs_cb)
        )  # fmt: skip
    _urge(supervisor, [item for item in made + mine if item.is_open])
    _decompose(xs_cb, mine[1], ctx["units"])
    # A provisional working-day deadline: it reaches into next year, whose schedule the
    # State Council has not published yet (when chinese-calendar does not know that year).
    services.assign_item(
        actor=supervisor,
        kind="task",
        title="谋划明年重点改革任务清单",
        lead_unit=xishan,
        source="meeting",
        assigned_on=today,
        deadline_workdays=(dt.date(today.year + 1, 1, 15) - today).days,
        ref="demo:provisional",
    )
    scan.scan_deadlines(actor=SYSTEM)
    _violations(ctx, today)


def _make(actor, handler, unit, kind, source, title, measures, shape, today, n, *,
          responsible=None, due_in=None) -> Item:  # fmt: skip
    steps, ago, base_due, progress = shape
    if due_in is None or "approve" in steps:
        due_in = base_due
    assigned_on = today - dt.timedelta(days=ago)
    item = services.assign_item(
        actor=actor,
        kind=kind,
        title=title,
        lead_unit=unit,
        source=source,
        description=f"{unit.name}：{title}。请按时限办理并反馈。",
        assigned_on=assigned_on,
        deadline=max(today + dt.timedelta(days=due_in), assigned_on),
        plan_deadline=assigned_on + dt.timedelta(days=conf.plan_days()),
        rectification=measures,
        responsible=responsible,
        ref=f"demo:{n}",
        notify_people=False,
        urgency="urgent" if due_in < 5 else "normal",
    )
    for step in steps:
        kwargs = {"comment": "按要求推进"}
        if step == "submit_plan":
            kwargs["plan"] = "成立专班，分三阶段推进：摸底、整改、验收。"
        if step == "report_progress":
            kwargs["percent"] = min(progress, 90)
        if step == "request_closure":
            kwargs["evidence"] = "验收记录及整改前后对比照片已上传"
            kwargs["files"] = [
                SimpleUploadedFile(
                    "整改情况说明.txt", f"{title}：整改已完成，附验收记录。".encode()
                )
            ]
        if step == "send_back":
            kwargs["comment"] = "整改佐证不充分，请补充群众满意度回访情况"
        # A county with no handler on the platform: the system acts for it.
        who = actor if step in REVIEWER_STEPS else handler or SYSTEM
        services.transition(item, actor=who, action=step, **kwargs)
    if progress and steps and steps[-1] == "report_progress":
        Item.objects.filter(pk=item.pk).update(progress=progress)
    _spread_over_time(item, assigned_on, today)
    item.refresh_from_db()
    return item


def _spread_over_time(item: Item, assigned_on: dt.date, today: dt.date) -> None:
    """Date the timeline's entries across the item's life, as if it had been worked on."""
    events = list(ItemEvent.objects.filter(item=item).order_by("pk"))
    days = max((today - assigned_on).days, 0)
    start = timezone.make_aware(dt.datetime.combine(assigned_on, dt.time(9, 30)))
    for i, event in enumerate(events):
        offset = dt.timedelta(days=days * i / max(len(events), 1), hours=i)
        ItemEvent.objects.filter(pk=event.pk).update(created_at=start + offset)


def _urge(supervisor, open_items: list[Item]) -> None:
    """Urge some open items once, and one until it escalates to its unit's leaders (its
    urges dated a week apart: an item is urged again only after a working day)."""
    for item in open_items[::5]:
        services.urge(item, actor=supervisor, comment="请加快办理进度，按时反馈")
    if open_items:
        item = open_items[-1]
        for _ in range(conf.escalate_after()):
            _backdate_urges(item, dt.timedelta(days=7))
            services.urge(
                item,
                actor=supervisor,
                comment="多次催办仍未反馈，请说明原因",
                confirm_escalation=True,  # the last one escalates, as meant
            )


def _backdate_urges(item: Item, by: dt.timedelta) -> None:
    for urge in Urge.objects.filter(item=item):
        Urge.objects.filter(pk=urge.pk).update(created_at=urge.created_at - by)


def _decompose(handler, item: Item, units: dict) -> None:
    """One 西山区 item split among its streets (一级带着一级干): the demo has one."""
    streets = list(item.lead_unit.children.order_by("code")[:3])
    if handler is None or not streets:
        return
    children = services.decompose(item, actor=handler, units=streets)
    services.acknowledge(children[0], actor=SYSTEM)
    services.report_progress(children[0], actor=SYSTEM, percent=60, comment="已完成摸底排查")


def _violations(ctx, today):
    units = ctx["units"]
    behaviours = {b.name: b for b in Behaviour.objects.all()}
    if not behaviours or Violation.all_objects.exists():
        return
    cases = [
        (
            "推诿扯皮",
            "530112",
            "",
            "群众反映的小区供水问题在两个部门间往返推诿 40 余天",
            "criticism",
            True,
        ),
        ("数字游戏", "530102", "", "项目月报重复填报、虚报完成投资", "admonition", False),
        ("只说不做", "530300", "某某", "年初承诺事项年中仍未启动", "reminder", False),
    ]
    for name, code, person, facts, action, published in cases:
        if name not in behaviours or code not in units:
            continue
        v = negative.record_violation(
            actor=SYSTEM,
            behaviour=behaviours[name],
            unit=units[code],
            person_name=person,
            date=today - dt.timedelta(days=20),
            facts=facts,
            action=action,
        )
        if published:
            negative.set_published(v, actor=SYSTEM, published=True)
