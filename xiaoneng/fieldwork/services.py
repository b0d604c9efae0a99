"""The actions on grassroots visits: record one, change it, add a finding, turn a finding into
a problem item. Each is atomic, checks the policy inside its transaction and leaves its
rows in the change log as the actor's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.fieldwork import conf
from xiaoneng.fieldwork.models import Finding, Visit, VisitKind, VisitPlace
from xiaoneng.fieldwork.policy import area_of
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import Item, ItemKind, Source
from xiaoneng.units.models import Unit

MAX_FINDINGS = 20
MAX_PLACES = 20


def check_dates(start_date: dt.date | None, end_date: dt.date | None) -> None:
    """The dates' rule, naming the field: both given, the end not before the start."""
    errors = {}
    if start_date is None:
        errors["start_date"] = _("请填写开始日期。")
    if end_date is None:
        errors["end_date"] = _("请填写结束日期。")
    if not errors and end_date < start_date:  # type: ignore[operator]
        errors["end_date"] = _("结束日期不能早于开始日期。")
    if not errors and (end_date - start_date).days > 365:  # type: ignore[operator]
        errors["end_date"] = _("一次下基层不能超过一年，请分次登记。")
    if errors:
        raise ValidationError(errors)


def _clean_places(actor, leader, places: Sequence[Unit]) -> list[Unit]:
    chosen: list[Unit] = []
    for unit in places:
        if unit.pk not in {u.pk for u in chosen}:
            chosen.append(unit)
    if not chosen:
        raise ValidationError({"places": _("请至少选择一个到访地点。")})
    if len(chosen) > MAX_PLACES:
        raise ValidationError({"places": _("到访地点最多 %s 个。") % MAX_PLACES})
    area = area_of(leader.unit)
    for unit in chosen:
        policy.require(actor, "visit_place", unit, _("只能选择本地区的单位作为到访地点。"))
        if area is None or not unit.path.startswith(area.path):
            raise ValidationError(
                {"places": _("“%s”不在该领导所在地区，不能作为到访地点。") % unit.name}
            )
    return chosen


def _clean_findings(findings: Iterable[str]) -> list[str]:
    texts = [t.strip() for t in findings if t and t.strip()]
    if len(texts) > MAX_FINDINGS:
        raise ValidationError({"findings": _("一次最多登记 %s 条问题。") % MAX_FINDINGS})
    return texts


@transaction.atomic
def record_visit(
    *,
    actor,
    leader,
    start_date: dt.date,
    end_date: dt.date,
    places: Sequence[Unit],
    kind: str = VisitKind.SURVEY,
    met: str = "",
    notes: str = "",
    findings: Iterable[str] = (),
) -> Visit:
    """Record a visit (by the leader, or the office of the leader's unit), with its places
    in the order given and its findings."""
    policy.require(actor, "record_visit", leader, _("您不能为该领导登记下基层。"))
    check_dates(start_date, end_date)
    if kind not in VisitKind.values:
        raise ValidationError({"kind": _("未知方式：%s") % kind})
    chosen = _clean_places(actor, leader, places)
    texts = _clean_findings(findings)
    visit = Visit(
        leader=leader,
        unit=leader.unit,
        start_date=start_date,
        end_date=end_date,
        kind=kind,
        met=met.strip(),
        notes=notes.strip(),
        recorded_by=policy.person_of(actor),
    )
    visit.full_clean()
    visit.save(actor=actor)
    _set_places(visit, chosen)
    for order, text in enumerate(texts, 1):
        Finding.objects.create(visit=visit, text=text, order=order, actor=actor)
    return visit


def _set_places(visit: Visit, places: list[Unit]) -> None:
    """The places, in order. The units removed and the units added are each one m2m change,
    which the change log records as the writer's (one entry for a new visit's places, not
    one per place); the order is then written on the rows."""
    wanted = [u.pk for u in places]
    current = [vp.unit_id for vp in visit.visitplace_set.order_by("order", "id")]
    if current == wanted:
        return
    gone = set(current) - set(wanted)
    if gone:
        visit.places.remove(*gone)
    new = [u for u in places if u.pk not in set(current)]
    if new:
        visit.places.add(*new, through_defaults={"order": 0})
    position = {pk: i for i, pk in enumerate(wanted)}
    rows = list(visit.visitplace_set.all())
    for row in rows:
        row.order = position[row.unit_id]
    VisitPlace.objects.bulk_update(rows, ["order"])


@transaction.atomic
def change_visit(
    visit: Visit,
    *,
    actor,
    start_date: dt.date,
    end_date: dt.date,
    places: Sequence[Unit],
    kind: str,
    met: str = "",
    notes: str = "",
) -> Visit:
    """Change what was recorded (the leader stays: a visit of another leader is a new one)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.ensure(actor, "change")
    check_dates(start_date, end_date)
    if kind not in VisitKind.values:
        raise ValidationError({"kind": _("未知方式：%s") % kind})
    chosen = _clean_places(actor, visit.leader, places)
    visit.start_date, visit.end_date, visit.kind = start_date, end_date, kind
    visit.met, visit.notes = met.strip(), notes.strip()
    visit.full_clean()
    visit.save(actor=actor)
    _set_places(visit, chosen)
    return visit


@transaction.atomic
def add_finding(visit: Visit, *, actor, text: str) -> Finding:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.ensure(actor, "change")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写发现的问题。")})
    count = visit.findings.count()
    if count >= MAX_FINDINGS:
        raise ValidationError({"text": _("一次下基层最多登记 %s 条问题。") % MAX_FINDINGS})
    return Finding.objects.create(visit=visit, text=text, order=count + 1, actor=actor)


def default_lead_unit(finding: Finding) -> Unit | None:
    """The visited unit: the visit's first place."""
    return finding.visit.first_place()


def default_deadline(on: dt.date | None = None) -> dt.date:
    return (on or timezone.localdate()) + dt.timedelta(days=conf.finding_deadline_days())


def describe(visit: Visit) -> str:
    """The visit in one line, as an item's description and the item page's link name it:
    陈志远 2026-11-30 永兴路社区."""
    places = "、".join(u.name for u in visit.place_list())
    when = f"{visit.start_date:%Y-%m-%d}"
    if visit.end_date != visit.start_date:
        when += f"至{visit.end_date:%Y-%m-%d}"
    return f"{visit.leader} {when} {places}".strip()


@transaction.atomic
def finding_to_item(
    finding: Finding,
    *,
    actor,
    lead_unit: Unit | None = None,
    deadline: dt.date | None = None,
    responsible=None,
    title: str = "",
) -> Item:
    """Turn a finding into a problem item (问题清单) in one step: assigned through
    supervision's assign_item (source 下基层发现, the visited unit leading by default; the
    policy there decides whether the actor may assign to that unit), and linked to the
    finding in the same transaction. Once only."""
    finding.ensure(actor, "view")
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("visit__leader")
        .get(pk=finding.pk)
    )
    policy.require(actor, "convert", finding, _("您不能将该问题转为问题清单。"))
    if finding.item_id is not None:
        raise ValidationError(_("该问题已转为问题清单，不能重复转办。"))
    visit = finding.visit
    lead_unit = lead_unit or default_lead_unit(finding)
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("请选择牵头单位。")})
    item = supervision.assign_item(
        actor=actor,
        kind=ItemKind.PROBLEM,
        title=(title or finding.title)[:200],
        description=_("下基层发现：%(visit)s\n%(text)s")
        % {"visit": describe(visit), "text": finding.text},
        lead_unit=lead_unit,
        source=Source.GRASSROOTS,
        responsible=responsible,
        deadline=deadline or default_deadline(),
    )
    finding.item = item
    finding.save(update_fields=["item", "updated_at"], actor=actor)
    return item
