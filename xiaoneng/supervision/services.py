"""The state changes of a supervision item: assign, the lifecycle transitions, urge,
decompose (holidays are in holidays.py, the deadline scan in scan.py, the negative list in
negative.py). Each is atomic, re-checks scope inside the
transaction, writes the timeline and the change log, and notifies after commit."""

import contextvars
import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Avg, Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xiaoneng.core import audit
from xiaoneng.core.versioning import check_version
from xiaoneng.notifications.services import notify
from xiaoneng.supervision import conf
from xiaoneng.supervision.models import (
    KIND_PREFIX,
    OPEN_STATUSES,
    Attachment,
    EventAction,
    Item,
    ItemCoUnit,
    ItemEvent,
    ItemKind,
    Source,
    Status,
    Urge,
    Urgency,
)
from xiaoneng.supervision.workdays import compute_deadline
from xiaoneng.units.models import Unit

HANDLER_ROLES = ("handler", "unit_admin", "leader")
SUPERVISOR_ROLES = ("supervisor",)


# --- who may do what -------------------------------------------------------------------


def is_handler(actor, item: Item) -> bool:
    """The lead unit acts: its handlers (and the named responsible person)."""
    if actor is None:
        return True
    if item.responsible_id and item.responsible_id == actor.pk:
        return True
    return actor.unit_id == item.lead_unit_id and actor.has_role(*HANDLER_ROLES)


def is_reviewer(actor, item: Item) -> bool:
    """The assigning side reviews: supervisors of the assigning unit or above it;
    for a decomposed child item, also the parent's handlers (一级带着一级干)."""
    if actor is None:
        return True
    if (
        actor.has_role(*SUPERVISOR_ROLES)
        and actor.unit is not None
        and item.assigning_unit.is_within(actor.unit)
    ):
        return True
    return bool(item.parent_id) and is_handler(actor, item.parent)


def can_assign_to(actor, unit: Unit) -> bool:
    if actor is None:
        return True
    if actor.unit is None or not unit.is_within(actor.unit):
        return False
    return actor.has_role(*SUPERVISOR_ROLES, "leader")


def check_child_unit(parent: Item, unit: Unit, *, actor) -> bool:
    """May a child item of `parent` be led by `unit`? Within the parent's lead unit's
    subtree, yes. Outside it only for an assigner whose subtree holds both the parent's
    lead unit and `unit` (a prefecture asks another county to help with a county's item);
    then the parent's lead unit must be told: True. Otherwise ValidationError on lead_unit."""
    if unit.is_within(parent.lead_unit):
        return False
    reach = getattr(actor, "unit", None)
    if actor is None or (
        reach is not None and parent.lead_unit.is_within(reach) and unit.is_within(reach)
    ):
        return True
    raise ValidationError(
        {
            "lead_unit": _(
                "上级事项 %(code)s 的子事项只能交办给其牵头单位（%(unit)s）及其下级单位。"
            )
            % {"code": parent.code, "unit": parent.lead_unit.name}
        }
    )


def counted_children(parent: Item):
    """The children whose progress and state are the parent's: those check_child_unit
    allows — led within the parent's lead unit's subtree, or assigned by a unit whose
    subtree holds the parent's lead unit. A child outside both (an old row, assigned
    before the rule) neither feeds the parent's progress nor holds its closure."""
    lead = parent.lead_unit
    return parent.children.filter(
        Q(lead_unit__path__startswith=lead.path)
        | Q(assigning_unit_id__in=[*lead.ancestor_ids(), lead.pk])
    )


def member_named(unit: Unit, text: str):
    """The member of `unit` named by `text`: a user name, or a name (姓名) that only one
    member of the unit has. None for an empty text; ValidationError naming what is wrong."""
    from xiaoneng.accounts.models import User

    text = (text or "").strip()
    if not text:
        return None
    members = User.objects.filter(unit=unit, is_active=True)
    return choose_member(
        unit, text, members.filter(username=text).first(), list(members.filter(name=text)[:2])
    )


def choose_member(unit: Unit, text: str, by_username, by_name: list):
    """The rule of member_named, given the member with that user name (or None) and the
    members with that name: a user name wins, a name must be the only one in the unit."""
    if by_username is not None:
        return by_username
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise ValidationError(
            _("%(unit)s有多名“%(name)s”，请填写用户名。") % {"unit": unit.name, "name": text}
        )
    raise ValidationError(
        _("%(unit)s没有用户名或姓名为“%(name)s”的人员。") % {"unit": unit.name, "name": text}
    )


# --- notifications ---------------------------------------------------------------------


def _url(item: Item) -> str:
    return reverse("supervision:item_detail", args=[item.pk])


def handler_ids(item: Item) -> set[int]:
    from xiaoneng.accounts.models import User

    ids = set(
        User.objects.filter(unit_id=item.lead_unit_id, roles__code="handler").values_list(
            "pk", flat=True
        )
    )
    if item.responsible_id:
        ids.add(item.responsible_id)
    return ids


def reviewer_ids(item: Item) -> set[int]:
    ids = set()
    if item.assigned_by_id:
        ids.add(item.assigned_by_id)
    from xiaoneng.accounts.models import User

    ids |= set(
        User.objects.filter(unit_id=item.assigning_unit_id, roles__code="supervisor").values_list(
            "pk", flat=True
        )
    )
    return ids


def _notify(item: Item, recipients: set[int], verb: str, title: str, *, robots=False) -> None:
    notify(
        recipients,
        verb=verb,
        title=f"{item.code} {item.title}：{title}",
        url=_url(item),
        ref=f"supervision.item:{item.pk}",
        unit_ids=[item.lead_unit_id] if robots else [],
    )


def tell_parent(child: Item) -> None:
    """The parent's lead unit hears of a child item assigned outside its subtree."""
    parent = child.parent
    _notify(
        parent,
        handler_ids(parent),
        "child_assigned",
        _("上级单位在本事项下向%(unit)s交办了子事项“%(title)s”")
        % {"unit": child.lead_unit.name, "title": child.title},
    )


# --- assignment ------------------------------------------------------------------------


def _next_code(item: Item) -> str:
    return f"{KIND_PREFIX.get(item.kind, 'DB')}-{item.assigned_on.year}-{item.pk:06d}"


def _event(item, action, *, actor, comment="", percent=None, from_status="", to_status=""):
    return ItemEvent.objects.create(
        item=item,
        action=action,
        actor=actor,
        actor_unit=getattr(actor, "unit", None),
        comment=comment,
        percent=percent,
        from_status=from_status,
        to_status=to_status or item.status,
    )


# The attachment files an action wrote: deleted again if the action fails.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "supervision_written_files", default=None
)


def removes_files_on_failure(action):
    """Wraps an action outside its transaction: if it raises (a refused file, a refused
    action, a failed commit), its rows roll back and the attachment files it wrote are
    deleted. (Run inside a caller's own transaction, a later rollback of that one would
    leave them: no caller with files does that.)"""

    @functools.wraps(action)
    def run(*args, **kwargs):
        if _written.get() is not None:  # nested: the outer action cleans up
            return action(*args, **kwargs)
        token = _written.set([])
        try:
            return action(*args, **kwargs)
        except BaseException:
            for name in _written.get():
                default_storage.delete(name)
            raise
        finally:
            _written.reset(token)

    return run


@removes_files_on_failure
@transaction.atomic
def assign_item(
    *,
    actor,
    kind: str,
    title: str,
    lead_unit: Unit,
    description: str = "",
    source: str = Source.SUPERIOR,
    co_units=(),
    responsible=None,
    assigned_on: dt.date | None = None,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    deadline_workdays: int | None = None,
    plan_deadline: dt.date | None = None,
    urgency: str = Urgency.NORMAL,
    tags: str = "",
    parent: Item | None = None,
    rectification: str = "",
    standard: str = "",
    ref: str = "",
    assigning_unit: Unit | None = None,
    files=(),
    notify_people: bool = True,
) -> Item:
    """The one function that creates items (交办)."""
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("未知类型：%s") % kind})
    if not title.strip():
        raise ValidationError({"title": _("请填写标题。")})
    if not can_assign_to(actor, lead_unit):
        raise PermissionDenied(_("只能向本单位及下级单位交办。"))
    tell = False
    if parent is not None:
        parent.ensure_visible_to(actor) if actor else None
        tell = check_child_unit(parent, lead_unit, actor=actor)
    try:
        for f in files:
            check_upload(f)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    assigned_on = assigned_on or timezone.localdate()
    if sum(x is not None for x in (deadline, deadline_days, deadline_workdays)) > 1:
        raise ValidationError({"deadline": _("办理时限只能给出一种：日期、自然日或工作日。")})
    basis, count = "date", None
    if deadline_workdays is not None:
        basis, count = "workdays", deadline_workdays
    elif deadline_days is not None:
        basis, count = "days", deadline_days
    due, provisional = compute_deadline(assigned_on, basis, count, deadline)
    if due is None:
        raise ValidationError({"deadline": _("请给出办理时限：日期、自然日或工作日。")})
    if due < assigned_on:
        raise ValidationError({"deadline": _("办理时限不能早于交办日期。")})
    if responsible is not None and responsible.unit_id != lead_unit.pk:
        raise ValidationError(
            {"responsible": _("责任人须为牵头单位（%s）的人员。") % lead_unit.name}
        )
    if parent is not None and parent.status == Status.CLOSED:
        raise ValidationError({"parent": _("上级事项已办结，不能再向其下交办。")})
    if assigning_unit is None:
        assigning_unit = actor.unit if actor is not None else lead_unit.parent or lead_unit
    item = Item(
        kind=kind,
        title=title.strip(),
        description=description,
        source=source or Source.OTHER,
        lead_unit=lead_unit,
        responsible=responsible,
        assigned_by=actor,
        assigning_unit=assigning_unit,
        assigned_on=assigned_on,
        deadline=due,
        deadline_basis=basis,
        deadline_count=count,
        deadline_provisional=provisional,
        plan_deadline=plan_deadline or assigned_on + dt.timedelta(days=conf.plan_days()),
        urgency=urgency or Urgency.NORMAL,
        tags=tags,
        parent=parent,
        rectification=rectification,
        standard=standard,
        ref=ref,
    )
    item.full_clean(exclude=["code", "co_units"])
    # Insert quietly, then record one "create" that carries the code.
    item._audit_suppress = True
    item.save()
    item._audit_suppress = False
    item.code = _next_code(item)
    item._audit_action = "create"
    item.save(update_fields=["code"])
    co = [u for u in co_units if u.pk != lead_unit.pk]
    if co:
        ItemCoUnit.objects.bulk_create([ItemCoUnit(item=item, unit=u) for u in co])
    event = _event(item, EventAction.ASSIGN, actor=actor, comment=description[:500])
    for f in files:
        add_attachment(item, f, actor=actor, event=event)
    if notify_people:
        _notify(item, handler_ids(item), "assigned", _("新交办事项"), robots=True)
    if tell:
        tell_parent(item)
    return item


# --- attachments -------------------------------------------------------------------------

MAGIC = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (
        b"PK\x03\x04",
        "application/zip",
        (".docx", ".xlsx"),
    ),
]
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


TEXT_EXTENSIONS = (".txt", ".csv")


def sniff(head: bytes, name: str) -> str:
    """The content type from the file's first bytes (never from its name alone), and a
    name that says the same: a clerk who downloads "通知.bat" would run it."""
    lower = name.lower()
    for magic, ctype, exts in MAGIC:
        if head.startswith(magic):
            if ctype == "application/zip":
                for ext, office in OFFICE_TYPES.items():
                    if lower.endswith(ext):
                        return office
                raise ValidationError(_("压缩包只接受 .docx 或 .xlsx 文件。"))
            if not lower.endswith(exts):
                raise ValidationError(
                    _("文件内容是 %(type)s，文件名应以 %(exts)s 结尾。")
                    % {"type": ctype, "exts": " 或 ".join(exts)}
                )
            return ctype
    if head and b"\x00" not in head:
        if not lower.endswith(TEXT_EXTENSIONS):
            raise ValidationError(_("纯文本附件只接受 .txt 或 .csv 文件。"))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(_("不支持的文件类型。")) from None
        return "text/plain"
    raise ValidationError(_("不支持的文件类型：只接受 PDF、PNG、JPEG、DOCX、XLSX 和纯文本。"))


# A longer name cannot be stored whole (the file system's limit is 255 bytes), and cut
# short it would lose the extension that says what the file is.
NAME_MAX_CHARS = 100


def check_upload(upload) -> str:
    """The upload's content type; ValidationError naming the file if it is refused."""
    if len(upload.name) > NAME_MAX_CHARS:
        raise ValidationError(
            _("文件名过长（不能超过 %(max)d 个字）：%(name)s…")
            % {"max": NAME_MAX_CHARS, "name": upload.name[:20]}
        )
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)s MB。")
            % {"name": upload.name, "mb": settings.UPLOAD_MAX_MB}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    try:
        return sniff(head, upload.name)
    except ValidationError as exc:
        raise ValidationError(
            _("文件“%(name)s”：%(reason)s") % {"name": upload.name, "reason": exc.messages[0]}
        ) from None


def add_attachment(item: Item, upload, *, actor, event: ItemEvent | None = None) -> Attachment:
    """Store one file. Actions check every file first (check_upload), so that one refused
    file writes none; run outside an action, a failure leaves no file either."""
    ctype = check_upload(upload)
    att = Attachment(
        item=item,
        event=event,
        name=upload.name[:200],
        content_type=ctype,
        size=upload.size,
        uploaded_by=actor,
    )
    att.file.save(upload.name, upload, save=False)
    written = _written.get()
    if written is not None:
        written.append(att.file.name)
    try:
        att.save()
    except BaseException:
        if written is None:
            default_storage.delete(att.file.name)
        raise
    return att


# --- the lifecycle -----------------------------------------------------------------------

HANDLER, REVIEWER = "handler", "reviewer"


@dataclass(frozen=True)
class Rule:
    sources: frozenset
    target: str
    who: str
    needs_comment: bool
    label: object  # a lazy translation


S = Status
RULES: dict[str, Rule] = {
    "acknowledge": Rule(frozenset({S.ASSIGNED}), S.ACKNOWLEDGED, HANDLER, False, _lazy("签收")),
    "submit_plan": Rule(
        frozenset({S.ACKNOWLEDGED, S.PLAN_SUBMITTED}),
        S.PLAN_SUBMITTED,
        HANDLER,
        True,
        _lazy("报送方案"),
    ),
    "report_progress": Rule(
        frozenset({S.ACKNOWLEDGED, S.PLAN_SUBMITTED, S.IN_PROGRESS, S.SENT_BACK}),
        S.IN_PROGRESS,
        HANDLER,
        True,
        _lazy("进展反馈"),
    ),
    "request_closure": Rule(
        frozenset({S.PLAN_SUBMITTED, S.IN_PROGRESS, S.SENT_BACK}),
        S.CLOSURE_REQUESTED,
        HANDLER,
        True,
        _lazy("申请办结"),
    ),
    "approve": Rule(
        frozenset({S.CLOSURE_REQUESTED}), S.CLOSED, REVIEWER, False, _lazy("审核通过并办结")
    ),
    "send_back": Rule(frozenset({S.CLOSURE_REQUESTED}), S.SENT_BACK, REVIEWER, True, _lazy("退回")),
    "reopen": Rule(frozenset({S.CLOSED}), S.IN_PROGRESS, REVIEWER, True, _lazy("重办")),
}
ACTIONS = list(RULES)


def allowed_actions(actor, item: Item) -> list[str]:
    """The transitions this user may take on this item now (for buttons and 'my work')."""
    found = []
    for name, rule in RULES.items():
        if item.status not in rule.sources:
            continue
        check = is_handler if rule.who == HANDLER else is_reviewer
        if check(actor, item):
            found.append(name)
    return found


def _lock(item: Item, actor) -> Item:
    if actor is not None:
        item.ensure_visible_to(actor)
    return Item.objects.select_for_update(of=("self",)).select_related("parent").get(pk=item.pk)


@removes_files_on_failure
@transaction.atomic
def transition(
    item: Item,
    *,
    actor,
    action: str,
    comment: str = "",
    percent: int | None = None,
    plan: str | None = None,
    rectification: str | None = None,
    evidence: str | None = None,
    override_reason: str = "",
    files=(),
    version: str | None = None,
) -> Item:
    """Move an item along its lifecycle; refuses what the rules don't allow, with a reason.
    `version`: the version the item was read at (core.versioning); None: not checked."""
    rule = RULES.get(action)
    if rule is None:
        raise ValidationError(_("未知操作：%s") % action)
    item = _lock(item, actor)
    check_version(item, version)
    if item.status not in rule.sources:
        raise ValidationError(
            _("事项当前状态为“%(status)s”，不能%(action)s。")
            % {"status": item.get_status_display(), "action": rule.label}
        )
    if rule.who == HANDLER and not is_handler(actor, item):
        raise PermissionDenied(_("只有牵头单位的承办人可以%s。") % rule.label)
    if rule.who == REVIEWER and not is_reviewer(actor, item):
        raise PermissionDenied(_("只有交办单位的督查人员可以%s。") % rule.label)
    for f in files:
        check_upload(f)
    comment = (comment or "").strip()
    if action == "submit_plan":
        plan = (plan if plan is not None else comment).strip()
        if not plan:
            raise ValidationError(_("请填写实施方案。"))
        item.plan = plan
        comment = comment or plan
    elif rule.needs_comment and not comment and not (action == "request_closure" and evidence):
        raise ValidationError(_("请填写说明（%s 需要说明）。") % rule.label)
    # An item split into child items takes its progress from them (roll_up), whatever
    # its own reports say.
    has_children = (
        action in ("report_progress", "request_closure") and counted_children(item).exists()
    )
    if action == "report_progress":
        if percent is None:
            raise ValidationError(_("请填写进度百分比。"))
        if not 0 <= int(percent) <= 100:
            raise ValidationError(_("进度应在 0 到 100 之间。"))
        if has_children:
            comment += _("（进度由下级事项汇总，为 %d%%）") % item.progress
        else:
            item.progress = int(percent)
    if action == "request_closure":
        # What is filed goes on the timeline too: item.evidence keeps the latest only.
        filed = []
        if rectification is not None and rectification.strip():
            item.rectification = rectification.strip()
            filed.append(_("整改措施：%s") % item.rectification)
        if evidence is not None and evidence.strip():
            item.evidence = evidence.strip()
            filed.append(_("办结材料：%s") % item.evidence)
        if item.kind == ItemKind.PROBLEM and not item.rectification:
            raise ValidationError(_("问题类事项申请办结前须填写整改措施。"))
        if item.kind == ItemKind.PROBLEM and not (item.evidence or files or comment):
            raise ValidationError(_("问题类事项申请办结须提供办结材料。"))
        if not item.evidence:
            item.evidence = comment
        comment = "\n".join([comment, *filed]).strip()
        if not has_children:
            item.progress = 100
    if action == "approve":
        open_children = counted_children(item).filter(status__in=OPEN_STATUSES).count()
        if open_children:
            if not override_reason.strip():
                raise ValidationError(
                    _("还有 %d 个下级事项未办结，不能办结；督查人员可填写理由强制办结。")
                    % open_children
                )
            if actor is not None and not actor.has_role(*SUPERVISOR_ROLES):
                raise PermissionDenied(_("只有督查人员可以强制办结。"))
            comment = (comment + " " if comment else "") + _("（强制办结：%s）") % override_reason
        item.closed_on = timezone.localdate()
        item.progress = 100
    if action == "reopen":
        item.closed_on = None
    before = item.status
    item.status = rule.target
    item._audit_action = action
    item._audit_comment = comment
    item.save()
    event = _event(
        item,
        action,
        actor=actor,
        comment=comment,
        percent=item.progress if action in ("report_progress", "request_closure") else None,
        from_status=before,
        to_status=item.status,
    )
    for f in files:
        add_attachment(item, f, actor=actor, event=event)
    if item.parent_id and action in ("report_progress", "request_closure", "approve", "reopen"):
        roll_up(item.parent)
    # who hears of it
    if rule.who == HANDLER and action != "acknowledge":
        _notify(item, reviewer_ids(item), action, rule.label)
    elif rule.who == REVIEWER:
        _notify(item, handler_ids(item), action, rule.label, robots=action != "approve")
    return item


def acknowledge(item, *, actor, comment=""):
    return transition(item, actor=actor, action="acknowledge", comment=comment)


def submit_plan(item, *, actor, plan, comment=""):
    return transition(item, actor=actor, action="submit_plan", plan=plan, comment=comment)


def report_progress(item, *, actor, percent, comment, files=(), version=None):
    return transition(
        item,
        actor=actor,
        action="report_progress",
        percent=percent,
        comment=comment,
        files=files,
        version=version,
    )


def request_closure(item, *, actor, comment="", evidence="", rectification=None, files=()):
    return transition(
        item,
        actor=actor,
        action="request_closure",
        comment=comment,
        evidence=evidence,
        rectification=rectification,
        files=files,
    )


def approve(item, *, actor, comment="", override_reason=""):
    return transition(
        item, actor=actor, action="approve", comment=comment, override_reason=override_reason
    )


def send_back(item, *, actor, comment):
    return transition(item, actor=actor, action="send_back", comment=comment)


def reopen(item, *, actor, comment):
    return transition(item, actor=actor, action="reopen", comment=comment)


def roll_up(parent: Item) -> None:
    """The parent's progress is the mean of its counted children's (closed children count
    100 %)."""
    value = counted_children(parent).aggregate(
        p=Avg(
            Case(
                When(status=Status.CLOSED, then=Value(100)),
                default=F("progress"),
                output_field=IntegerField(),
            )
        )
    )["p"]
    if value is None:
        return
    parent = Item.objects.select_for_update().get(pk=parent.pk)
    new = round(value)
    if parent.status != Status.CLOSED and parent.progress != new:
        parent.progress = new
        parent._audit_action = "roll_up"
        parent.save(update_fields=["progress", "updated_at"])
        if parent.parent_id:
            roll_up(parent.parent)


# --- urging and decomposition ------------------------------------------------------------


@transaction.atomic
def urge(item: Item, *, actor, comment: str = "") -> Urge:
    item = _lock(item, actor)
    if not is_reviewer(actor, item):
        raise PermissionDenied(_("只有交办单位的督查人员可以催办。"))
    if item.status == Status.CLOSED:
        raise ValidationError(_("事项已办结，无需催办。"))
    record = Urge.objects.create(item=item, by=actor, comment=comment)
    item.urge_count += 1
    item._audit_action = "urge"
    item._audit_comment = comment
    escalate = not item.escalated and item.urge_count >= conf.escalate_after()
    if escalate:
        item.escalated = True
    item.save()
    _event(item, EventAction.URGE, actor=actor, comment=comment)
    _notify(item, handler_ids(item), "urge", _("催办（第 %d 次）") % item.urge_count, robots=True)
    if escalate:
        _event(
            item,
            EventAction.ESCALATE,
            actor=actor,
            comment=_("催办 %d 次仍未办结，提级至单位领导") % item.urge_count,
        )
        _notify(item, leader_ids(item), "escalate", _("多次催办未办结，提级督办"), robots=True)
    return record


def leader_ids(item: Item) -> set[int]:
    """The lead unit's leaders; if it has none on the platform, its unit admins."""
    from xiaoneng.accounts.models import User

    people = User.objects.filter(unit_id=item.lead_unit_id)
    ids = set(people.filter(roles__code="leader").values_list("pk", flat=True))
    return ids or set(people.filter(roles__code="unit_admin").values_list("pk", flat=True))


@transaction.atomic
def decompose(
    parent: Item,
    *,
    actor,
    units,
    title: str = "",
    description: str = "",
    deadline: dt.date | None = None,
) -> list[Item]:
    """One child item per unit below the lead unit (一级带着一级干)."""
    parent = _lock(parent, actor)
    if not (is_handler(actor, parent) or is_reviewer(actor, parent)):
        raise PermissionDenied(_("只有牵头单位或交办单位可以分解交办。"))
    if parent.status == Status.CLOSED:
        raise ValidationError(_("事项已办结，不能分解。"))
    units = list(units)
    if not units:
        raise ValidationError(_("请选择至少一个下级单位。"))
    bad = [
        u.name for u in units if u.pk == parent.lead_unit_id or not u.is_within(parent.lead_unit)
    ]
    if bad:
        raise ValidationError(_("只能分解给牵头单位的下级单位：%s") % "、".join(bad))
    taken = set(parent.children.values_list("lead_unit_id", flat=True))
    dupes = [u.name for u in units if u.pk in taken]
    if dupes:
        raise ValidationError(_("已分解给：%s") % "、".join(dupes))
    deadline = deadline or parent.deadline
    if deadline and parent.deadline and deadline > parent.deadline:
        raise ValidationError(_("下级事项的时限不能晚于上级事项。"))
    today = timezone.localdate()
    children = [
        Item(
            kind=parent.kind,
            title=title or parent.title,
            description=description or parent.description,
            source=parent.source,
            lead_unit=u,
            assigned_by=actor,
            assigning_unit=parent.lead_unit,
            assigned_on=today,
            deadline=deadline,
            deadline_basis="date",
            deadline_provisional=parent.deadline_provisional and deadline == parent.deadline,
            plan_deadline=today + dt.timedelta(days=conf.plan_days()),
            urgency=parent.urgency,
            tags=parent.tags,
            parent=parent,
            standard=parent.standard,
        )
        for u in units
    ]
    children = Item.objects.bulk_create(children)
    for child in children:
        child.code = _next_code(child)
    Item.objects.bulk_update(children, ["code"])
    ItemEvent.objects.bulk_create(
        [
            ItemEvent(
                item=c,
                action=EventAction.ASSIGN,
                actor=actor,
                actor_unit=getattr(actor, "unit", None),
                comment=_("由 %s 分解交办") % parent.code,
                to_status=c.status,
            )
            for c in children
        ]
    )
    audit.log_bulk(children, "create", comment=_("分解自 %s") % parent.code)
    _event(
        parent,
        EventAction.DECOMPOSE,
        actor=actor,
        comment=_("分解给：%s") % "、".join(u.name for u in units),
    )
    audit.log(parent, "decompose", comment="、".join(u.name for u in units))
    for child in children:
        _notify(child, handler_ids(child), "assigned", _("新交办事项"), robots=True)
    return children
