"""Demo meetings inside and outside the rules, and documents of several kinds, one over
its limit (only its 字数 is recorded: no file is needed)."""

import datetime as dt

from django.utils import timezone

from xiaoneng.brevity import services
from xiaoneng.brevity.models import Document, Meeting
from xiaoneng.core.policy import SYSTEM

DEMO_MARK = "（示例）"

# (unit code, recorder, kind, title, days after the first of last month, days, planned,
#  actual, mode, attendees, speeches [(speaker, role, minutes)])
MEETINGS = [
    ("530100", "km_xn", "work", "全市作风革命效能革命推进会", 2, 1, 180, 180, "onsite", 120,
     [("陈志远", "main", 45), ("赵督查", "other", 20)]),
    ("530100", "km_xn", "plenary", "市政府第十次全体会议", 6, 1, 240, 300, "onsite", 200,
     [("陈志远", "main", 75), ("各县区负责同志", "other", 90)]),
    ("530100", "km_xn", "group", "全市重大项目攻坚分组讨论", 10, 2, 900, 960, "onsite", 60,
     [("陈志远", "main", 40)]),
    ("530112", "xs_cb", "special", "西山区营商环境专题会议", 4, 1, 90, 75, "video", 45,
     [("刘建华", "main", 30), ("周承办", "other", 15)]),
    ("530112", "xs_cb", "work", "永昌街道社区治理工作会议", 12, 1, 120, None, "onsite", 30,
     [("刘建华", "main", 25)]),
    ("530000", "sheng_xn", "special", "全省整治形式主义为基层减负专题会议", 8, 1, 150, 140,
     "video", 300, [("李明", "main", 55)]),
]  # fmt: skip

# (unit code, recorder, kind, title, days after the first of last month, chars, single task)
DOCUMENTS = [
    ("530100", "km_xn", "通知", "关于开展作风革命效能革命专项督查的通知", 3, 2860, True),
    ("530100", "km_xn", "意见", "关于进一步优化营商环境的实施意见", 9, 5620, False),
    ("530112", "xs_cb", "报告", "西山区关于整治形式主义为基层减负工作情况的报告", 5, 3980, False),
    ("530112", "xs_cb", "通知", "关于做好社区议事协商工作的通知", 14, 4210, True),
    ("530000-ZF", "sheng_xn", "纪要", "省政府办公厅专题会议纪要", 11, 1650, False),
    ("530000", "sheng_xn", "通报", "关于全省效能监测情况的通报", 15, 3120, False),
]


def load(ctx: dict) -> None:
    if Meeting.all_objects.filter(title__endswith=DEMO_MARK).exists():
        return
    units, users = ctx.get("units", {}), ctx.get("users", {})
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for (
        code,
        who,
        kind,
        title,
        offset,
        days,
        planned,
        actual,
        mode,
        attendees,
        speeches,
    ) in MEETINGS:
        if code not in units:
            continue
        services.save_meeting(
            None,
            actor=users.get(who, SYSTEM),
            organiser=units[code],
            kind=kind,
            title=f"{title}{DEMO_MARK}",
            date=first + dt.timedelta(days=offset),
            days=days,
            planned_minutes=planned,
            actual_minutes=actual,
            mode=mode,
            attendees=attendees,
            speeches=[{"speaker": s, "role": r, "minutes": m} for s, r, m in speeches],
        )
    for code, who, kind, title, offset, chars, single in DOCUMENTS:
        if code not in units or Document.all_objects.filter(title=title).exists():
            continue
        services.save_document(
            None,
            actor=users.get(who, SYSTEM),
            unit=units[code],
            kind=kind,
            title=title,
            date=first + dt.timedelta(days=offset),
            chars=chars,
            single_task=single,
        )
