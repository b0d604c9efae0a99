"""Demo data of 典型引路法: 永兴路社区's "党建+融合共治" case (recommended by 西山区,
promoted by 昆明市效能办, public) and 西山区's 一线工作法 case (recommended)."""

from xiaoneng.core.policy import SYSTEM
from xiaoneng.exemplars import services
from xiaoneng.exemplars.models import Exemplar

CASES = [
    {
        "title": "永兴路社区“党建+融合共治”模式",
        "unit": "530112007001",
        "summary": "以社区党支部为核心，机关党支部结对共建，居民、物业、驻区单位共同议事，"
        "把群众的事情交给群众商量着办。",
        "practice": "一是建立“大家的事情大家议”议事会，每月一次；二是机关党员到社区报到，"
        "认领群众微心愿；三是问题清单化，议定事项明确责任人和时限，办结后向居民公开。",
        "results": "一年来议定并办结老旧小区加装电梯、楼道照明、停车秩序等事项23件，"
        "居民满意率98%。",
        "tags": "党建,融合共治,社区治理",
        "steps": [("recommend", "xs_admin"), ("promote", "km_xn")],
        "public": "km_xn",
    },
    {
        "title": "西山区“一线工作法”推动问题就地解决",
        "unit": "530112",
        "summary": "区级领导干部每月下基层，发现的问题当场交办、限时办结。",
        "practice": "领导干部带着问题清单到社区、企业，现场办公；发现的问题一键转为督办事项，"
        "牵头单位签收后按时限反馈。",
        "results": "下基层发现问题56个，已办结49个。",
        "tags": "一线工作法,问题整改",
        "steps": [("recommend", "xs_ld")],
        "public": None,
    },
]


def _linked_visit(ctx, unit):
    """A visit of the fieldwork demo to the case's unit, if that demo made one."""
    try:
        from xiaoneng.fieldwork.models import Visit
    except ImportError:  # pragma: no cover - fieldwork not installed
        return None
    return Visit.objects.filter(places=unit).order_by("start_date", "id").first()


def load(ctx: dict) -> None:
    units, users = ctx["units"], ctx.get("users", {})
    for case in CASES:
        if Exemplar.objects.filter(title=case["title"]).exists():
            continue
        unit = units[case["unit"]]
        visit = _linked_visit(ctx, unit)
        exemplar = services.create_exemplar(
            actor=SYSTEM,
            title=case["title"],
            unit=unit,
            summary=case["summary"],
            practice=case["practice"],
            results=case["results"],
            tags=case["tags"],
            visits=[visit] if visit is not None else None,
        )
        for step, username in case["steps"]:
            services.take_step(exemplar, step, actor=users.get(username, SYSTEM))
        if case["public"]:
            services.set_public(exemplar, actor=users.get(case["public"], SYSTEM), public=True)
