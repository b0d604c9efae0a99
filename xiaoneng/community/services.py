"""The actions of 社区共治: raise, second, discuss, deliberate, handle, close, rate, moderate,
and send up to the street what the community cannot solve.

Each action is atomic, asks the policy (community/policy.py) inside its transaction on the
row as the database holds it now, refuses a wrong state or bad input with a ValidationError
naming the field (a clear Chinese message), saves its rows as the actor's (the change log
records who) and notifies after commit (notifications.services.notify). Actions that store
photos delete the files they wrote again if they fail (removes_files_on_failure).

The refusals "not allowed" are PermissionDenied (the pages and the API answer 404 for a
matter out of the actor's sight); everything else is a ValidationError.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import User
from xiaoneng.community import conf
from xiaoneng.community.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Category,
    Comment,
    Decision,
    DecisionKind,
    Deliberation,
    Group,
    GroupKind,
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Rating,
    RatingValue,
    Referral,
    Report,
    ReportTarget,
    Second,
    Step,
)
from xiaoneng.community.policy import RUNNERS, staff_community
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM, person_of
from xiaoneng.notifications.services import notify
from xiaoneng.supervision import services as supervision
from xiaoneng.supervision.models import Item, ItemKind, Source
from xiaoneng.supervision.services import attachments
from xiaoneng.supervision.workdays import add_workdays
from xiaoneng.units.models import Unit

log = logging.getLogger(__name__)

PLACE_MAX = 100
STEP_MAX = 200
MAX_STEPS = 20
MAX_PHOTOS = 9
GROUP_NAME_MAX = 100
ATTENDEES_MAX = 2000
MAX_ATTENDEES = 10000

PNG = (b"\x89PNG\r\n\x1a\n", "image/png", (".png",))
JPEG = (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg"))

# Statuses a matter may be decided from (on an agenda, not decided yet).
DECIDABLE = (MatterStatus.RAISED, MatterStatus.LISTED)
# Statuses a matter may not be merged into.
NOT_MERGE_TARGET = (MatterStatus.CLOSED, MatterStatus.MERGED, MatterStatus.REJECTED)


# --- Small rules -------------------------------------------------------------------------


def _text(value, field: str, label: str, limit: int, *, required: bool = True) -> str:
    """The stripped text, or a ValidationError naming `field`."""
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise ValidationError({field: _("%s格式不正确。") % label})
    if required and not text:
        raise ValidationError({field: _("请填写%s。") % label})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("%(label)s不能超过 %(max)d 个字（现在 %(n)d 个字）。")
                % {"label": label, "max": limit, "n": len(text)}
            }
        )
    return text


def _count(value, field: str, label: str, *, minimum: int = 0, maximum: int = 32767) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("%s须为整数。") % label})
    if value < minimum:
        raise ValidationError(
            {field: _("%(label)s不能小于 %(min)d。") % {"label": label, "min": minimum}}
        )
    if value > maximum:
        raise ValidationError(
            {field: _("%(label)s不能大于 %(max)d。") % {"label": label, "max": maximum}}
        )
    return value


def matter_url(matter: Matter) -> str:
    try:
        return reverse("community:matter_detail", args=[matter.pk])
    except NoReverseMatch:  # (the pages are not mounted)
        return ""


def _ref(matter: Matter) -> str:
    return f"community.matter:{matter.pk}"


def staff_ids(community: Unit) -> set[int]:
    """The community's staff, who run it (the run_community rule's roles, in its unit)."""
    return set(
        User.objects.filter(unit=community, is_active=True, roles__code__in=RUNNERS).values_list(
            "pk", flat=True
        )
    )


def seconder_ids(matter: Matter) -> set[int]:
    return set(matter.seconds.values_list("resident_id", flat=True))


def _people(matter: Matter, *, seconders: bool = False) -> set[int]:
    ids = {matter.raised_by_id} if matter.raised_by_id else set()
    if seconders:
        ids |= seconder_ids(matter)
    return ids


def _tell(ids: Iterable[int], matter: Matter, verb: str, title: str, *, actor=None, units=()):
    ids = {i for i in ids if i and i != getattr(actor, "pk", None)}
    if not ids and not units:
        return
    notify(
        ids,
        verb=verb,
        title=title,
        url=matter_url(matter),
        ref=_ref(matter),
        unit_ids=list(units),
    )


def _lock(matter: Matter) -> Matter:
    try:
        return Matter.objects.select_for_update().get(pk=matter.pk)
    except Matter.DoesNotExist:
        raise PermissionDenied(_("该议题不存在或已删除。")) from None


def lead_candidates(community: Unit):
    """The people who may lead a matter of `community` or be a group's contact: the active
    members of the community (residents and staff) and of its street."""
    units = [community.pk] + ([community.parent_id] if community.parent_id else [])
    return User.objects.filter(is_active=True, unit__in=units)


# --- Photos ------------------------------------------------------------------------------


def check_photo(upload) -> str:
    """The photo's content type (PNG or JPEG, read from its content, never its name), within
    conf.photo_max_bytes(); a ValidationError naming `photos` otherwise. A name that does not
    say what the content is (a phone's "blob", "IMG_1.jpg" holding a PNG) is corrected."""
    name = getattr(upload, "name", "") or "photo"
    limit = conf.photo_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "photos": _("照片“%(name)s”超过 %(mb)d MB，请压缩后再上传。")
                % {"name": name[:40], "mb": limit // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = [(ctype, exts) for magic, ctype, exts in (PNG, JPEG) if head.startswith(magic)]
    if not found:
        raise ValidationError(
            {"photos": _("文件“%s”不是照片：只接受 PNG 或 JPEG 图片。") % name[:40]}
        )
    ctype, exts = found[0]
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in exts:
        stem = name if not dot else stem
        ext = exts[0][1:]
    stem = stem[: attachments.NAME_MAX_CHARS - len(ext) - 1] or "photo"
    upload.name = f"{stem}.{ext}"
    return ctype


def _check_photos(photos: Sequence) -> list[tuple[object, str]]:
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("一次最多上传 %d 张照片。") % MAX_PHOTOS})
    return [(p, check_photo(p)) for p in photos]  # every one checked before any is stored


def _store_photos(matter: Matter, checked, *, actor, progress: Progress | None = None) -> None:
    for upload, ctype in checked:
        attachments.store(Photo(matter=matter, progress=progress), upload, ctype, actor=actor)


# --- Raising and seconding ---------------------------------------------------------------


@attachments.removes_files_on_failure
@transaction.atomic
def raise_matter(
    *,
    actor,
    community: Unit,
    category: str,
    title: str,
    description: str = "",
    place: str = "",
    photos: Sequence = (),
) -> Matter:
    """A resident (or the community's staff) raises a matter; the staff are told."""
    policy.require(actor, "raise_matter", community, _("只有本社区的居民和工作人员可以提出议题。"))
    if category not in Category.values:
        raise ValidationError({"category": _("请选择类别。")})
    matter = Matter(
        community=community,
        raised_by=person_of(actor),
        category=category,
        title=_text(title, "title", _("标题"), TITLE_MAX),
        description=_text(description, "description", _("具体情况"), TEXT_MAX, required=False),
        place=_text(place, "place", _("地点"), PLACE_MAX, required=False),
    )
    checked = _check_photos(photos)
    matter.save(actor=actor)
    _store_photos(matter, checked, actor=actor)
    _tell(
        staff_ids(community),
        matter,
        "matter_raised",
        _("新议题：%s") % matter.title,
        actor=actor,
        units=[community.pk],
    )
    return matter


def _list(matter: Matter) -> None:
    matter.status = MatterStatus.LISTED
    matter.listed_at = timezone.now()


@transaction.atomic
def second(matter: Matter, *, actor) -> Matter:
    """附议: once each, not one's own, while the matter still collects seconds. Reaching the
    threshold while RAISED lists it by itself, and its raiser is told."""
    matter = _lock(matter)
    policy.require(actor, "second", matter, _("只能附议本社区的议题。"))
    if matter.status not in (MatterStatus.RAISED, MatterStatus.LISTED):
        raise ValidationError(_("该议题已处于“%s”状态，不能再附议。") % matter.get_status_display())
    if matter.is_hidden:
        raise ValidationError(_("该议题已隐藏，不能附议。"))
    if matter.raised_by_id == actor.pk:
        raise ValidationError(_("不能附议自己提出的议题。"))
    if Second.objects.filter(matter=matter, resident=actor).exists():
        raise ValidationError(_("您已附议过该议题，每人只能附议一次。"))
    Second.objects.create(matter=matter, resident=actor)
    matter.seconds_count = matter.seconds.count()
    threshold = conf.second_threshold()
    listed = matter.status == MatterStatus.RAISED and matter.seconds_count >= threshold
    if listed:
        _list(matter)
    matter.save(actor=actor)
    if listed:
        _tell(
            _people(matter),
            matter,
            "matter_listed",
            _("您提出的议题“%(title)s”附议已达 %(n)d 人，已列入议事。")
            % {"title": matter.title, "n": matter.seconds_count},
        )
    return matter


@transaction.atomic
def withdraw_second(matter: Matter, *, actor) -> Matter:
    """Withdraw one's second while the matter still collects seconds (a listed matter stays
    listed)."""
    matter = _lock(matter)
    policy.require(actor, "second", matter, _("只能附议本社区的议题。"))
    if matter.status not in (MatterStatus.RAISED, MatterStatus.LISTED):
        raise ValidationError(
            _("该议题已处于“%s”状态，不能撤回附议。") % matter.get_status_display()
        )
    deleted, _rows = Second.objects.filter(matter=matter, resident=actor).delete()
    if not deleted:
        raise ValidationError(_("您没有附议该议题。"))
    matter.seconds_count = matter.seconds.count()
    matter.save(actor=actor)
    return matter


@transaction.atomic
def list_for_deliberation(matter: Matter, *, actor) -> Matter:
    """The staff put a matter on the deliberation list (RAISED → LISTED)."""
    matter = _lock(matter)
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以将议题列入议事。"))
    if matter.status == MatterStatus.LISTED:
        raise ValidationError(_("该议题已在待议事清单中。"))
    if matter.status != MatterStatus.RAISED:
        raise ValidationError(
            _("该议题已处于“%s”状态，不能列入议事。") % matter.get_status_display()
        )
    _list(matter)
    matter.save(actor=actor)
    _tell(
        _people(matter),
        matter,
        "matter_listed",
        _("您提出的议题“%s”已列入议事。") % matter.title,
        actor=actor,
    )
    return matter


# --- Discussion (大家议) -------------------------------------------------------------------


@transaction.atomic
def comment(matter: Matter, *, actor, text: str, reply_to: Comment | None = None) -> Comment:
    """A comment, or a reply to a top-level comment (one level); the one replied to is told."""
    matter = _lock(matter)
    policy.require(actor, "comment", matter, _("只有本社区的居民和工作人员可以参与讨论。"))
    if matter.is_hidden:
        raise ValidationError(_("该议题已隐藏，不能评论。"))
    text = _text(text, "text", _("评论内容"), COMMENT_MAX)
    if reply_to is not None:
        reply_to = Comment.objects.filter(pk=reply_to.pk, matter=matter).first()
        if reply_to is None:
            raise ValidationError({"reply_to": _("要回复的评论不存在或不属于该议题。")})
        if reply_to.reply_to_id is not None:
            raise ValidationError({"reply_to": _("只能回复一级评论，不能回复回复。")})
    row = Comment(matter=matter, author=actor, text=text, reply_to=reply_to)
    row.save(actor=actor)
    if reply_to is not None:
        _tell(
            {reply_to.author_id},
            matter,
            "comment_reply",
            _("有人回复了您在议题“%s”下的评论。") % matter.title,
            actor=actor,
        )
    return row


@transaction.atomic
def mark_official(row: Comment, *, actor) -> Comment:
    """The staff mark a reply as the matter's official answer (官方答复); one per matter: an
    answer marked before loses its mark."""
    try:
        row = Comment.objects.select_for_update().get(pk=row.pk)
    except Comment.DoesNotExist:
        raise PermissionDenied(_("该评论不存在或已删除。")) from None
    matter = _lock(row.matter)
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以标记官方答复。"))
    if row.reply_to_id is None:
        raise ValidationError(_("只能将回复标为官方答复。"))
    if row.is_hidden:
        raise ValidationError(_("已隐藏的评论不能标为官方答复。"))
    if row.is_official:
        return row
    for old in Comment.objects.filter(matter=matter, is_official=True).exclude(pk=row.pk):
        old.is_official = False
        old.save(actor=actor)
    row.is_official = True
    row.save(actor=actor)
    _tell(
        _people(matter),
        matter,
        "official_answer",
        _("您提出的议题“%s”有了官方答复。") % matter.title,
        actor=actor,
    )
    return row


# --- Deliberation (议事会) -----------------------------------------------------------------


def _agenda_matter(deliberation: Deliberation, matter: Matter) -> Matter:
    """`matter` locked, checked to be one the council may put on its agenda."""
    matter = _lock(matter)
    if matter.community_id != deliberation.community_id:
        raise ValidationError({"matters": _("议题“%s”不属于本社区。") % matter.title})
    return matter


def _add_to_agenda(deliberation: Deliberation, matters: Iterable[Matter], *, actor) -> None:
    on = set(deliberation.decisions.values_list("matter_id", flat=True))
    for m in matters:
        if m.pk in on:
            continue
        m = _agenda_matter(deliberation, m)
        if m.status not in DECIDABLE:
            raise ValidationError(
                {
                    "matters": _("议题“%(title)s”已处于“%(status)s”状态，不能列入议程。")
                    % {"title": m.title, "status": m.get_status_display()}
                }
            )
        if m.status == MatterStatus.RAISED:
            _list(m)
            m.save(actor=actor)
        Decision(deliberation=deliberation, matter=m).save(actor=actor)
        on.add(m.pk)


def _check_meeting(fields: dict) -> dict:
    if "date" in fields and not isinstance(fields["date"], dt.date):
        raise ValidationError({"date": _("请填写议事会日期。")})
    if "place" in fields:
        fields["place"] = _text(fields["place"], "place", _("地点"), PLACE_MAX)
    if "attendee_count" in fields:
        fields["attendee_count"] = _count(
            fields["attendee_count"],
            "attendee_count",
            _("参会人数"),
            minimum=1,
            maximum=MAX_ATTENDEES,
        )
    if "attendees" in fields:
        fields["attendees"] = _text(
            fields["attendees"], "attendees", _("参会人员"), ATTENDEES_MAX, required=False
        )
    if "minutes" in fields:
        fields["minutes"] = _text(
            fields["minutes"], "minutes", _("会议纪要"), TEXT_MAX, required=False
        )
    return fields


@transaction.atomic
def create_deliberation(
    *,
    actor,
    community: Unit,
    date: dt.date,
    place: str,
    attendee_count: int,
    attendees: str = "",
    matters: Iterable[Matter] = (),
) -> Deliberation:
    """A meeting of the council, with its agenda (matters RAISED or LISTED; a RAISED one is
    listed by being put on it)."""
    policy.require(actor, "run_community", community, _("只有本社区工作人员可以组织议事会。"))
    fields = _check_meeting(
        {"date": date, "place": place, "attendee_count": attendee_count, "attendees": attendees}
    )
    deliberation = Deliberation(community=community, **fields)
    deliberation.save(actor=actor)
    _add_to_agenda(deliberation, matters, actor=actor)
    return deliberation


UPDATABLE = ("date", "place", "attendee_count", "attendees", "minutes", "matters")


@transaction.atomic
def update_deliberation(deliberation: Deliberation, *, actor, **fields) -> Deliberation:
    """Change a meeting: date, place, attendees, minutes; `matters` adds to the agenda."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ValidationError(_("不能修改：%s") % "、".join(sorted(unknown)))
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    policy.require(actor, "manage", deliberation, _("只有本社区工作人员可以修改议事会。"))
    matters = fields.pop("matters", None) or ()
    fields = _check_meeting(fields)
    if "attendee_count" in fields:
        most = max(
            (
                d.votes_for + d.votes_against + d.votes_abstain
                for d in deliberation.decisions.exclude(decision="")
            ),
            default=0,
        )
        if fields["attendee_count"] < most:
            raise ValidationError(
                {"attendee_count": _("已有决定的投票数为 %d 票，参会人数不能少于此数。") % most}
            )
    changed = False
    for key, value in fields.items():
        if getattr(deliberation, key) != value:
            setattr(deliberation, key, value)
            changed = True
    if changed:
        deliberation.save(actor=actor)
    _add_to_agenda(deliberation, matters, actor=actor)
    return deliberation


@attachments.removes_files_on_failure
@transaction.atomic
def decide(
    deliberation: Deliberation,
    *,
    actor,
    matter: Matter,
    decision: str,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    reason: str = "",
    merge_into: Matter | None = None,
) -> Decision:
    """The council's decision on one matter, once: adopt, reject (with a reason), merge into
    another open matter, or refer up to the street (refer_up). The raiser and the seconders
    are told."""
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    policy.require(actor, "manage", deliberation, _("只有本社区工作人员可以记录议事会的决定。"))
    if decision not in DecisionKind.values:
        raise ValidationError({"decision": _("请选择决定：采纳、不予采纳、合并或提交街道。")})
    votes = {}
    for field, label, value in (
        ("votes_for", _("赞成票数"), votes_for),
        ("votes_against", _("反对票数"), votes_against),
        ("votes_abstain", _("弃权票数"), votes_abstain),
    ):
        votes[field] = _count(value, field, label, maximum=MAX_ATTENDEES)
    total = sum(votes.values())
    if total > deliberation.attendee_count:
        raise ValidationError(
            {
                "votes_for": _("赞成、反对、弃权票数之和（%(total)d）不能超过参会人数（%(n)d）。")
                % {"total": total, "n": deliberation.attendee_count}
            }
        )
    reason = _text(reason, "reason", _("理由"), REASON_MAX, required=decision == "reject")
    matter = _agenda_matter(deliberation, matter)
    if (
        matter.status not in DECIDABLE
        or Decision.objects.filter(matter=matter).exclude(decision="").exists()
    ):
        raise ValidationError(
            {"matter": _("该议题已作出决定（%s），不能重复决定。") % matter.get_status_display()}
        )
    target = None
    if decision == DecisionKind.MERGE:
        if merge_into is None:
            raise ValidationError({"merge_into": _("请选择要合并到的议题。")})
        target = Matter.objects.filter(pk=merge_into.pk).first()
        if target is None or target.community_id != matter.community_id:
            raise ValidationError({"merge_into": _("只能合并到本社区的议题。")})
        if target.pk == matter.pk:
            raise ValidationError({"merge_into": _("不能合并到议题本身。")})
        if target.status in NOT_MERGE_TARGET:
            raise ValidationError(
                {
                    "merge_into": _("议题“%(title)s”已处于“%(status)s”状态，不能合并到该议题。")
                    % {"title": target.title, "status": target.get_status_display()}
                }
            )
    row = Decision.objects.filter(deliberation=deliberation, matter=matter).first()
    if row is None:
        row = Decision(deliberation=deliberation, matter=matter)
    row.decision = decision
    row.votes_for, row.votes_against, row.votes_abstain = (
        votes["votes_for"],
        votes["votes_against"],
        votes["votes_abstain"],
    )
    row.reason = reason
    row.merge_into = target
    row.decided_at = timezone.now()
    row.save(actor=actor)
    matter.decided_on = deliberation.date
    if matter.listed_at is None:
        matter.listed_at = timezone.now()
    label = str(DecisionKind(decision).label)
    if decision == DecisionKind.ADOPT:
        matter.status = MatterStatus.ADOPTED
    elif decision == DecisionKind.REJECT:
        matter.status = MatterStatus.REJECTED
    elif decision == DecisionKind.MERGE:
        matter.status = MatterStatus.MERGED
        matter.merged_into = target
    matter.save(actor=actor)
    if decision == DecisionKind.REFER:
        refer_up(matter, actor=actor, referral=Referral.DECISION)
        matter.refresh_from_db()
    if decision == DecisionKind.MERGE:
        title = _("议题“%(title)s”经议事会决定合并到“%(target)s”。") % {
            "title": matter.title,
            "target": target.title,  # type: ignore[union-attr]
        }
    else:
        title = _("议题“%(title)s”经议事会决定：%(decision)s。") % {
            "title": matter.title,
            "decision": label,
        }
    _tell(_people(matter, seconders=True), matter, "matter_decided", title, actor=actor)
    return row


# --- Up to the street --------------------------------------------------------------------


def _item_description(matter: Matter, referral: str) -> str:
    lines = [
        _("社区议事：%(community)s（%(how)s）")
        % {"community": matter.community.name, "how": Referral(referral).label},
        _("类别：%s") % matter.get_category_display(),
    ]
    if matter.place:
        lines.append(_("地点：%s") % matter.place)
    if matter.description:
        lines.append(matter.description)
    return "\n".join(lines)


@attachments.removes_files_on_failure
@transaction.atomic
def refer_up(matter: Matter, *, actor, referral: str) -> Item:
    """Send a matter up to the street (the community's parent unit) as one problem item, with
    its text and photos; the matter becomes REFERRED and points at the item. Internal (the
    council's decision, the escalation), and idempotent: a retry returns the same item."""
    matter = _lock(matter)
    if matter.item_id is not None:
        return matter.item  # type: ignore[return-value]
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以将议题提交街道。"))
    if referral not in Referral.values:
        raise ValidationError({"referral": _("未知的提交方式：%s") % referral})
    community = matter.community
    street = community.parent
    if street is None:
        raise ValidationError(_("社区“%s”没有上级街道，不能提交。") % community.name)
    files = []
    for photo in matter.photos.all():
        try:
            handle = photo.file.open("rb")
        except OSError:  # a file lost from the disk: the item goes up without it
            log.warning("community photo %s has no file", photo.pk)
            continue
        files.append(File(handle, name=photo.name))
    try:
        item = supervision.assign_item(
            actor=SYSTEM,
            kind=ItemKind.PROBLEM,
            title=matter.title[:200],
            description=_item_description(matter, referral),
            lead_unit=street,
            assigning_unit=community,
            source=Source.COMMUNITY,
            deadline_workdays=conf.deadline_workdays(),
            files=files,
        )
    finally:
        for f in files:
            f.close()
    matter.item = item
    matter.referral = referral
    matter.referred_at = timezone.now()
    matter.status = MatterStatus.REFERRED
    matter.save(actor=actor)
    if referral == Referral.ESCALATION:
        _tell(
            _people(matter, seconders=True) | staff_ids(community),
            matter,
            "matter_escalated",
            _("议题“%s”逾期未办结，已自动提交街道办理。") % matter.title,
            actor=actor,
        )
    return item


def escalate_overdue(*, actor, today: dt.date | None = None) -> int:
    """The daily job: every adopted or handling matter past its deadline, not yet sent up,
    goes to the street (Referral.ESCALATION). Each matter in its own transaction, so one
    that cannot go (a community without a street) does not hold up the others. Returns
    how many were sent up."""
    today = today or timezone.localdate()
    sent = 0
    pks = list(Matter.objects.overdue(today).filter(item__isnull=True).values_list("pk", flat=True))
    for pk in pks:
        matter = Matter.objects.filter(pk=pk).first()
        if matter is None:
            continue
        try:
            with transaction.atomic():
                matter = _lock(matter)
                if matter.item_id is not None or matter.status not in (
                    MatterStatus.ADOPTED,
                    MatterStatus.HANDLING,
                ):
                    continue
                refer_up(matter, actor=actor, referral=Referral.ESCALATION)
        except (ValidationError, PermissionDenied):
            log.exception("could not escalate community matter %s", pk)
            continue
        sent += 1
    return sent


# --- Handling (大家办) ---------------------------------------------------------------------


def _clean_steps(steps: Iterable[str] | str) -> list[str]:
    """The steps' texts: a list, or lines of one text; blank ones left out."""
    lines = steps.splitlines() if isinstance(steps, str) else list(steps)
    texts = [t for t in (str(s).strip() for s in lines) if t]
    if len(texts) > MAX_STEPS:
        raise ValidationError({"steps": _("办理步骤最多 %d 个。") % MAX_STEPS})
    for text in texts:
        if len(text) > STEP_MAX:
            raise ValidationError(
                {"steps": _("每个办理步骤不能超过 %d 个字：%s…") % (STEP_MAX, text[:20])}
            )
    return texts


@transaction.atomic
def assign_lead(
    matter: Matter,
    *,
    actor,
    lead_user=None,
    lead_group: Group | None = None,
    steps: Iterable[str] = (),
    deadline_workdays: int | None = None,
) -> Matter:
    """An adopted matter gets its lead (a person or a named group of the community), its
    steps and a deadline in working days (the platform's calendar): ADOPTED → HANDLING. A
    handling matter may change its lead (the deadline stays unless a new one is given;
    steps are added)."""
    matter = _lock(matter)
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以确定牵头人。"))
    if matter.status not in (MatterStatus.ADOPTED, MatterStatus.HANDLING):
        raise ValidationError(
            _("只有已采纳的议题可以确定牵头，该议题处于“%s”状态。") % matter.get_status_display()
        )
    if lead_user is None and lead_group is None:
        raise ValidationError({"lead_user": _("请选择牵头人或牵头力量。")})
    if lead_user is not None and lead_group is not None:
        raise ValidationError({"lead_group": _("牵头人和牵头力量只能选一个。")})
    if lead_group is not None:
        group = Group.objects.filter(pk=lead_group.pk, community=matter.community_id).first()
        if group is None:
            raise ValidationError({"lead_group": _("只能选择本社区的办理力量。")})
        lead_group = group
    if (
        lead_user is not None
        and not lead_candidates(matter.community).filter(pk=lead_user.pk).exists()
    ):
        raise ValidationError(
            {"lead_user": _("牵头人须为本社区的居民或工作人员，或所在街道的工作人员。")}
        )
    texts = _clean_steps(steps)
    first = matter.status == MatterStatus.ADOPTED
    if deadline_workdays is not None or first:
        days = _count(
            conf.deadline_workdays() if deadline_workdays is None else deadline_workdays,
            "deadline_workdays",
            _("办理时限（工作日）"),
            minimum=1,
            maximum=250,
        )
        matter.deadline_workdays = days
        matter.deadline = add_workdays(timezone.localdate(), days)[0]
    matter.lead_user, matter.lead_group = lead_user, lead_group
    matter.status = MatterStatus.HANDLING
    matter.save(actor=actor)
    start = (matter.steps.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for order, text in enumerate(texts, start):
        Step(matter=matter, order=order, text=text).save(actor=actor)
    shown = lead_group.name if lead_group is not None else _("社区安排专人")
    _tell(
        _people(matter),
        matter,
        "matter_lead",
        _("您提出的议题“%(title)s”已确定牵头：%(lead)s，办理期限 %(deadline)s。")
        % {"title": matter.title, "lead": shown, "deadline": matter.deadline},
        actor=actor,
    )
    leads = {lead_user.pk} if lead_user is not None else set()
    if lead_group is not None and lead_group.contact_id:
        leads.add(lead_group.contact_id)
    _tell(
        leads,
        matter,
        "matter_lead",
        _("您被确定为议题“%s”的牵头办理人。") % matter.title,
        actor=actor,
    )
    return matter


@attachments.removes_files_on_failure
@transaction.atomic
def post_progress(
    matter: Matter,
    *,
    actor,
    text: str,
    photos: Sequence = (),
    steps_done: Iterable = (),
) -> Progress:
    """A progress post (with photos; steps ticked off today) on a handling matter, by its
    staff, its lead or the lead group's contact; the raiser is told."""
    matter = _lock(matter)
    policy.require(actor, "handle", matter, _("只有本社区工作人员或牵头人可以发布办理进展。"))
    if matter.status != MatterStatus.HANDLING:
        raise ValidationError(
            _("只有办理中的议题可以发布进展，该议题处于“%s”状态。") % matter.get_status_display()
        )
    text = _text(text, "text", _("进展情况"), TEXT_MAX)
    wanted = {getattr(s, "pk", s) for s in steps_done}
    steps = list(matter.steps.filter(pk__in=[w for w in wanted if isinstance(w, int)]))
    if len(steps) != len(wanted):
        raise ValidationError({"steps_done": _("所选步骤不属于该议题。")})
    checked = _check_photos(photos)
    progress = Progress(matter=matter, author=actor, text=text)
    progress.save(actor=actor)
    _store_photos(matter, checked, actor=actor, progress=progress)
    today = timezone.localdate()
    for step in steps:
        if step.done_on is None:
            step.done_on = today
            step.save(actor=actor)
    _tell(
        _people(matter),
        matter,
        "matter_progress",
        _("您提出的议题“%s”有新的办理进展。") % matter.title,
        actor=actor,
    )
    return progress


@transaction.atomic
def close_matter(matter: Matter, *, actor, result: str) -> Matter:
    """办结: HANDLING → CLOSED today, with its result; the raiser and seconders are told (and
    asked to rate it)."""
    matter = _lock(matter)
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以办结议题。"))
    if matter.status != MatterStatus.HANDLING:
        raise ValidationError(
            _("只有办理中的议题可以办结，该议题处于“%s”状态。") % matter.get_status_display()
        )
    matter.result = _text(result, "result", _("办理结果"), TEXT_MAX)
    matter.closed_on = timezone.localdate()
    matter.status = MatterStatus.CLOSED
    matter.save(actor=actor)
    _tell(
        _people(matter, seconders=True),
        matter,
        "matter_closed",
        _("议题“%s”已办结，欢迎评价。") % matter.title,
        actor=actor,
    )
    return matter


@transaction.atomic
def rate(matter: Matter, *, actor, rating: str, comment: str = "") -> Rating:
    """The raiser's or a seconder's rating of a solved matter (one each; a second call
    changes it)."""
    matter = _lock(matter)
    policy.require(actor, "rate", matter, _("只有议题的提出人和附议人可以评价。"))
    if not matter.is_solved():
        raise ValidationError(_("议题办结后才能评价。"))
    if rating not in RatingValue.values:
        raise ValidationError({"rating": _("请选择评价：满意、基本满意或不满意。")})
    text = _text(comment, "comment", _("意见"), REASON_MAX, required=False)
    row = Rating.all_objects.filter(matter=matter, resident=actor).first()
    if row is None:
        row = Rating(matter=matter, resident=actor)
    row.rating, row.comment, row.deleted_at = rating, text, None
    row.save(actor=actor)
    return row


# --- Moderation --------------------------------------------------------------------------


@transaction.atomic
def report(
    matter: Matter,
    *,
    actor,
    reason: str,
    comment: Comment | None = None,
    progress: Progress | None = None,
) -> Report:
    """A resident reports a matter, one of its comments or progress posts; the staff are
    told."""
    matter = _lock(matter)
    policy.require(actor, "report", matter, _("只有本社区居民可以举报。"))
    if comment is not None and progress is not None:
        raise ValidationError(_("一次只能举报一条内容。"))
    found_c = found_p = None
    if comment is not None:
        found_c = Comment.objects.filter(pk=comment.pk, matter=matter).first()
        if found_c is None:
            raise ValidationError({"comment": _("要举报的评论不存在或不属于该议题。")})
    if progress is not None:
        found_p = Progress.objects.filter(pk=progress.pk, matter=matter).first()
        if found_p is None:
            raise ValidationError({"progress": _("要举报的进展不存在或不属于该议题。")})
    content: Matter | Comment | Progress = found_c or found_p or matter
    target = (
        ReportTarget.COMMENT
        if found_c is not None
        else ReportTarget.PROGRESS
        if found_p is not None
        else ReportTarget.MATTER
    )
    reason = _text(reason, "reason", _("举报理由"), REASON_MAX)
    if content.is_hidden:
        raise ValidationError(_("该内容已隐藏，无需举报。"))
    open_same = Report.objects.filter(
        matter=matter,
        target=target,
        comment=found_c,
        progress=found_p,
        reporter=actor,
        handled_at__isnull=True,
    )
    if open_same.exists():
        raise ValidationError(_("您已举报过该内容，请等待社区工作人员处理。"))
    row = Report(
        matter=matter,
        target=target,
        comment=found_c,
        progress=found_p,
        reporter=actor,
        reason=reason,
    )
    row.save(actor=actor)
    _tell(
        staff_ids(matter.community),
        matter,
        "report_new",
        _("议题“%(title)s”收到新的举报（%(target)s）。")
        % {"title": matter.title, "target": row.get_target_display()},
        actor=actor,
        units=[matter.community_id],
    )
    return row


def _reports_of(row) -> Q:
    if isinstance(row, Comment):
        return Q(target=ReportTarget.COMMENT, comment=row.pk)
    if isinstance(row, Progress):
        return Q(target=ReportTarget.PROGRESS, progress=row.pk)
    return Q(target=ReportTarget.MATTER, matter=row.pk)


@transaction.atomic
def hide(row, *, actor, reason: str):
    """The staff hide a matter, a comment or a progress post, with a reason (audited); it
    shows as "已隐藏" to others and never reaches the board. Its open reports are handled."""
    if not isinstance(row, Matter | Comment | Progress):
        raise TypeError(f"cannot hide {type(row).__name__}")
    model = type(row)
    try:
        row = model.objects.select_for_update().get(pk=row.pk)
    except model.DoesNotExist:
        raise PermissionDenied(_("该内容不存在或已删除。")) from None
    matter = row if isinstance(row, Matter) else row.matter
    policy.require(actor, "manage", matter, _("只有本社区工作人员可以隐藏内容。"))
    reason = _text(reason, "reason", _("隐藏原因"), REASON_MAX)
    if row.is_hidden:
        raise ValidationError(_("该内容已隐藏。"))
    now = timezone.now()
    row.hidden_at, row.hidden_by, row.hidden_reason = now, person_of(actor), reason
    row._audit_comment = _("隐藏：%s") % reason
    row.save(actor=actor)
    for rep in Report.objects.filter(_reports_of(row), handled_at__isnull=True):
        rep.handled_at, rep.handled_by = now, person_of(actor)
        rep.outcome = _("已隐藏：%s") % reason
        rep.save(actor=actor)
    return row


@transaction.atomic
def dismiss_report(report: Report, *, actor, outcome: str) -> Report:
    """The staff keep the reported content, saying why."""
    try:
        report = Report.objects.select_for_update().get(pk=report.pk)
    except Report.DoesNotExist:
        raise PermissionDenied(_("该举报不存在或已删除。")) from None
    policy.require(actor, "manage", report, _("只有本社区工作人员可以处理举报。"))
    if report.handled_at is not None:
        raise ValidationError(_("该举报已处理：%s") % report.outcome)
    reason = _text(outcome, "outcome", _("保留的理由"), REASON_MAX - 10)
    report.handled_at, report.handled_by = timezone.now(), person_of(actor)
    report.outcome = _("保留：%s") % reason
    report.save(actor=actor)
    return report


@transaction.atomic
def set_photo_public(photo: Photo, *, actor, public: bool) -> Photo:
    """The staff choose which photos the public board may show."""
    try:
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
    except Photo.DoesNotExist:
        raise PermissionDenied(_("该照片不存在或已删除。")) from None
    policy.require(actor, "manage", photo.matter, _("只有本社区工作人员可以设置照片是否公开。"))
    if photo.public != bool(public):
        photo.public = bool(public)
        photo.save(actor=actor)
    return photo


def hidden_from(viewer, row) -> bool:
    """Show "已隐藏" instead of the row's content: it is hidden, and the viewer is neither
    its author nor the community's staff."""
    if not getattr(row, "is_hidden", False):
        return False
    if viewer is SYSTEM:
        return False
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return True
    matter = row if isinstance(row, Matter) else row.matter
    author_id = matter.raised_by_id if isinstance(row, Matter) else row.author_id
    if author_id is not None and author_id == viewer.pk:
        return False
    home = staff_community(viewer)
    return home is None or home.pk != matter.community_id


# --- Groups ------------------------------------------------------------------------------


@transaction.atomic
def create_group(*, actor, community: Unit, kind: str, name: str, contact=None) -> Group:
    """A named group that can lead matters (党员先锋队, 志愿服务队, 物业公司, 街道办事处)."""
    policy.require(actor, "run_community", community, _("只有本社区工作人员可以登记办理力量。"))
    if kind not in GroupKind.values:
        raise ValidationError({"kind": _("请选择办理力量的类别。")})
    name = _text(name, "name", _("名称"), GROUP_NAME_MAX)
    if Group.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("本社区已有名为“%s”的办理力量。") % name})
    if contact is not None and not lead_candidates(community).filter(pk=contact.pk).exists():
        raise ValidationError(
            {"contact": _("联系人须为本社区的居民或工作人员，或所在街道的工作人员。")}
        )
    group = Group(community=community, kind=kind, name=name, contact=contact)
    group.save(actor=actor)
    return group
