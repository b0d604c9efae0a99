"""Demo visits: 昆明市's 陈志远 and 西山区's 刘建华 at 永兴路社区 (one finding of each turned
into a problem item, and the street lights' item taken through to 办结), and the province's
leader at 永昌街道. Idempotent: nothing is added when the demo's visits exist.

Everything goes through the services, as a person would do it: each leader records their own
visit and turns a finding into an item; 永兴路社区 has no handler on the platform, so the
system acts for it (as supervision's demo does for such units); 昆明市效能办 reviews and
closes. The change log and the item's timeline show each step."""

import datetime as dt

from django.utils import timezone

from xiaoneng.core.policy import SYSTEM
from xiaoneng.fieldwork import services
from xiaoneng.fieldwork.models import Visit
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import Item


def load(ctx: dict) -> None:
    users, units = ctx["users"], ctx["units"]
    needed = ("km_ld", "xs_ld")
    if any(name not in users for name in needed) or "530112007001" not in units:
        return
    km, xs = users["km_ld"], users["xs_ld"]
    if Visit.all_objects.filter(leader__in=[km, xs]).exists():
        return
    community, street = units["530112007001"], units["530112007"]
    today = timezone.localdate()
    first = today - dt.timedelta(days=40)
    v1 = services.record_visit(
        actor=km,
        leader=km,
        start_date=first,
        end_date=first + dt.timedelta(days=1),
        kind="survey",
        places=[community, street],
        met="社区党委书记、网格员、居民代表8人",
        notes="调研社区“党建+融合共治”工作，走访老旧小区和便民服务站。",
        findings=[
            "老旧小区加装电梯群众意愿强，但协调难、审批慢",
            "便民服务站周末无人值守，居民办事不便",
        ],
    )
    second = today - dt.timedelta(days=12)
    v2 = services.record_visit(
        actor=xs,
        leader=xs,
        start_date=second,
        end_date=second,
        kind="on_site",
        places=[community],
        met="社区居委会、物业企业负责人",
        notes="现场办公，协调解决小区停车和路灯问题。",
        findings=["小区主干道路灯损坏多处，夜间出行不安全", "垃圾清运不及时"],
    )
    services.finding_to_item(v1.findings.order_by("order").first(), actor=km)
    lights = services.finding_to_item(v2.findings.order_by("order").first(), actor=xs)
    _close(lights, reviewer=users.get("km_xn") or SYSTEM)
    leader = users.get("sheng_ld")
    if leader is not None and leader.unit is not None:
        services.record_visit(
            actor=leader,
            leader=leader,
            start_date=today - dt.timedelta(days=70),
            end_date=today - dt.timedelta(days=68),
            kind="inspection",
            places=[street],
            met="街道党工委、社区书记",
            notes="督导作风革命、效能革命工作推进情况。",
        )


def _close(item: Item, *, reviewer) -> None:
    """The street lights were fixed: 签收 → 方案 → 进展 → 办结申请 by the community (the system
    acts for it), 审核办结 by the reviewer. The demo then shows a finding solved."""
    supervision.acknowledge(item, actor=SYSTEM)
    supervision.submit_plan(
        item, actor=SYSTEM, plan="联系供电和市政部门排查线路，三日内更换损坏灯具。"
    )
    supervision.report_progress(
        item, actor=SYSTEM, percent=60, comment="已排查线路，更换损坏灯具12盏。"
    )
    supervision.request_closure(
        item,
        actor=SYSTEM,
        rectification="更换损坏灯具，建立路灯每月巡查制度。",
        evidence="主干道路灯已全部恢复照明，经居民代表现场查看确认。",
    )
    supervision.approve(item, actor=reviewer, comment="整改到位，同意办结。")
