"""The lifecycle transitions of an item and the roll-up of progress to its parent."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xiaoneng.core import policy
from xiaoneng.core.versioning import check_version
from xiaoneng.supervision.models import OPEN_STATUSES, Item, ItemKind, Status
from xiaoneng.supervision.services.attachments import (
    add_attachment,
    check_upload,
    removes_files_on_failure,
)
from xiaoneng.supervision.services.recipients import handler_ids, notify_item, reviewer_ids
from xiaoneng.supervision.services.rules import counted_children
from xiaoneng.supervision.services.timeline import record_event

# Who takes a transition: the policy's action (supervision/policy.py).
HANDLER, REVIEWER = "handle", "review"


@dataclass(frozen=True)
class Rule:
    sources: frozenset
    target: str
    who: str  # the policy's action: HANDLER or REVIEWER
    needs_comment: bool
    label: object  # a lazy translation
    done: object = ""  # what the page says once it is done (a lazy translation)


S = Status
RULES: dict[str, Rule] = {
    "acknowledge": Rule(
        frozenset({S.ASSIGNED}), S.ACKNOWLEDGED, HANDLER, False, _lazy("签收"), _lazy("已签收。")
    ),
    "submit_plan": Rule(
        frozenset({S.ACKNOWLEDGED, S.PLAN_SUBMITTED}),
        S.PLAN_SUBMITTED,
        HANDLER,
        True,
        _lazy("报送方案"),
        _lazy("已报送实施方案。"),
    ),
    "report_progress": Rule(
        frozenset({S.ACKNOWLEDGED, S.PLAN_SUBMITTED, S.IN_PROGRESS, S.SENT_BACK}),
        S.IN_PROGRESS,
        HANDLER,
        True,
        _lazy("进展反馈"),
        _lazy("已提交进展反馈。"),
    ),
    "request_closure": Rule(
        frozenset({S.PLAN_SUBMITTED, S.IN_PROGRESS, S.SENT_BACK}),
        S.CLOSURE_REQUESTED,
        HANDLER,
        True,
        _lazy("申请办结"),
        _lazy("已提交办结申请，等待审核。"),
    ),
    "approve": Rule(
        frozenset({S.CLOSURE_REQUESTED}),
        S.CLOSED,
        REVIEWER,
        False,
        _lazy("审核通过并办结"),
        _lazy("已审核通过，事项办结。"),
    ),
    "send_back": Rule(
        frozenset({S.CLOSURE_REQUESTED}),
        S.SENT_BACK,
        REVIEWER,
        True,
        _lazy("退回"),
        _lazy("已退回。"),
    ),
    "reopen": Rule(
        frozenset({S.CLOSED}),
        S.IN_PROGRESS,
        REVIEWER,
        True,
        _lazy("重办"),
        _lazy("已重新交办，事项回到办理中。"),
    ),
}
ACTIONS = list(RULES)


def allowed_actions(actor, item: Item) -> list[str]:
    """The transitions this user may take on this item now (for buttons): those its status
    allows, of the side (the policy's "handle" or "review") the user is on."""
    found, sides = [], {}
    for name, rule in RULES.items():
        if item.status not in rule.sources:
            continue
        if rule.who not in sides:
            sides[rule.who] = policy.can(actor, rule.who, item)
        if sides[rule.who]:
            found.append(name)
    return found


def lock_item(item: Item, actor) -> Item:
    """The item, locked for the action, after checking that `actor` may see it at all (an
    item out of sight is refused alike whatever the action). The action's own rule is then
    checked on the locked row (policy.require)."""
    item.ensure(actor, "view")
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
    lower_reason: str = "",
    files=(),
    version: str | None = None,
) -> Item:
    """Move an item along its lifecycle; refuses what the rules don't allow, with a reason.
    `lower_reason`: why a progress report is lower than the item's progress (required
    then). `version`: the version the item was read at (core.versioning); None: not
    checked."""
    rule = RULES.get(action)
    if rule is None:
        raise ValidationError(_("未知操作：%s") % action)
    item = lock_item(item, actor)
    check_version(item, version)
    if item.status not in rule.sources:
        raise ValidationError(
            _("事项当前状态为“%(status)s”，不能%(action)s。")
            % {"status": item.get_status_display(), "action": rule.label}
        )
    refusal = (
        _("只有牵头单位的承办人可以%s。")
        if rule.who == HANDLER
        else _("只有交办单位的督查人员可以%s。")
    )
    policy.require(actor, rule.who, item, refusal % rule.label)
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
            new = int(percent)
            if new < item.progress:
                # A figure lowered says why: on the timeline, for the reviewers.
                reason = (lower_reason or "").strip()
                lowered = {"old": item.progress, "new": new}
                if not reason:
                    raise ValidationError(
                        _("进度由 %(old)d%% 下调至 %(new)d%%，请填写下调原因。") % lowered,
                        code="lower_reason",
                    )
                comment += _("（进度由 %(old)d%% 下调至 %(new)d%%，原因：%(reason)s）") % {
                    **lowered,
                    "reason": reason,
                }
            item.progress = new
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
            policy.require(actor, "force_close", item, _("只有督查人员可以强制办结。"))
            comment = (comment + " " if comment else "") + _("（强制办结：%s）") % override_reason
        item.closed_on = timezone.localdate()
        item.progress = 100
    if action == "reopen":
        item.closed_on = None
    before = item.status
    item.status = rule.target
    item._audit_action = action
    item._audit_comment = comment
    item.save(actor=actor)
    event = record_event(
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
    parent = item.parent  # (loaded with the item: lock_item)
    if parent is not None and action in ("report_progress", "request_closure", "approve", "reopen"):
        roll_up(parent, actor=actor)
    # who hears of it
    label = str(rule.label)
    if rule.who == HANDLER and action != "acknowledge":
        notify_item(item, reviewer_ids(item), action, label)
    elif rule.who == REVIEWER:
        # A send-back or a reopening tells the handlers why (the reason is its comment).
        if action in ("send_back", "reopen") and comment:
            label = _("%(action)s，理由：%(reason)s") % {"action": label, "reason": comment}
        notify_item(item, handler_ids(item), action, label, robots=action != "approve")
    return item


def acknowledge(item, *, actor, comment=""):
    return transition(item, actor=actor, action="acknowledge", comment=comment)


def submit_plan(item, *, actor, plan, comment=""):
    return transition(item, actor=actor, action="submit_plan", plan=plan, comment=comment)


def report_progress(item, *, actor, percent, comment, lower_reason="", files=(), version=None):
    return transition(
        item,
        actor=actor,
        action="report_progress",
        percent=percent,
        comment=comment,
        lower_reason=lower_reason,
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


def roll_up(parent: Item, *, actor) -> None:
    """The parent's progress is the mean of its counted children's (closed children count
    100 %); the change is `actor`'s, whose action on a child moved it."""
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
        parent.save(update_fields=["progress", "updated_at"], actor=actor)
        if parent.parent is not None:
            roll_up(parent.parent, actor=actor)
