"""Demo data of 机关–社区联建: the provincial government office's first branch paired with
永兴路社区党支部, two activities held together and one of the community's own."""

import datetime as dt

from xiaoneng.branches.models import ActivityKind, BranchActivity, BranchPairing
from xiaoneng.core.policy import SYSTEM

ACTIVITIES = [
    (
        ActivityKind.JOINT_STUDY,
        "学习作风革命效能革命联学联建",
        dt.date(2024, 5, 10),
        "永兴路社区党群服务中心",
        ("530000-ZF", "530112007001"),
        28,
        "机关党员与社区党员一起学习，围绕老旧小区加装电梯、停车难两件事座谈，明确分工和时限。",
    ),
    (
        ActivityKind.PRACTICAL,
        "我为群众办实事：老旧小区楼道照明修缮",
        dt.date(2024, 9, 14),
        "永兴路社区",
        ("530000-ZF", "530112007001"),
        35,
        "机关党员认领12个楼道的照明修缮，社区党员入户征求意见，当天完成修缮并回访。",
    ),
    (
        ActivityKind.THEME_DAY,
        "社区主题党日：重温入党誓词",
        dt.date(2024, 7, 1),
        "永兴路社区党群服务中心",
        ("530112007001",),
        16,
        "",
    ),
]


def load(ctx: dict) -> None:
    branches = ctx["branches"]
    organ, community = branches["530000-ZF"], branches["530112007001"]
    pairing = BranchPairing.objects.filter(organ_branch=organ, community_branch=community).first()
    if pairing is None:
        pairing = BranchPairing(
            organ_branch=organ,
            community_branch=community,
            started_on=dt.date(2023, 3, 1),
            notes="机关党支部与社区党支部结对共建：每季度至少一次联学联建，共同为群众办实事。",
        )
        pairing.save(actor=SYSTEM)
    for kind, title, date, place, codes, count, notes in ACTIVITIES:
        if BranchActivity.objects.filter(title=title, date=date).exists():
            continue
        activity = BranchActivity(
            kind=kind, title=title, date=date, place=place, participant_count=count, notes=notes
        )
        activity.save(actor=SYSTEM)
        activity.branches.set([branches[c] for c in codes])
    ctx["pairing"] = pairing
