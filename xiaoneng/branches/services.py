"""The actions of 机关–社区联建: recording pairings and activities (atomic, audited, each
asking the policy as the acting person)."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.branches.models import (
    ActivityPhoto,
    BranchActivity,
    BranchPairing,
    is_community,
    is_organ,
)
from xiaoneng.core import policy
from xiaoneng.core.policy import person_of
from xiaoneng.supervision.services import attachments
from xiaoneng.units.models import PartyBranch

PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})


# --- Which branches -----------------------------------------------------------------------


def open_pairings(on: dt.date | None = None) -> QuerySet[BranchPairing]:
    """Pairings open on a day (today by default): started, and not yet ended."""
    on = on or timezone.localdate()
    return BranchPairing.objects.filter(started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def activity_branches(actor) -> QuerySet[PartyBranch]:
    """The branches an activity recorded by `actor` may name: those they may record for,
    and the branches those are paired with (the organ's branch of a community's pairing,
    and the other way round) — the form's and the API's choices."""
    own = PartyBranch.objects.restrict(actor, "record_activity").values("pk")
    paired = open_pairings()
    partners = Q(pk__in=paired.filter(organ_branch__in=own).values("community_branch")) | Q(
        pk__in=paired.filter(community_branch__in=own).values("organ_branch")
    )
    return PartyBranch.objects.filter(Q(pk__in=own) | partners)


def pairing_branches(actor) -> QuerySet[PartyBranch]:
    return PartyBranch.objects.restrict(actor, "pair")


# --- Files --------------------------------------------------------------------------------


def check_photo(upload) -> str:
    """A photo is accepted as an attachment is (by its content, within the size limit:
    supervision.services.attachments.check_upload), and must be a picture."""
    ctype = attachments.check_upload(upload)
    if ctype not in PHOTO_TYPES:
        raise ValidationError(
            {"photos": _("文件“%s”不是图片：活动照片只接受 PNG 或 JPEG。") % upload.name}
        )
    return ctype


def _add_photos(activity: BranchActivity, uploads: Sequence, *, actor) -> None:
    types = []
    for upload in uploads:  # every file checked before any is stored
        try:
            types.append(check_photo(upload))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"photos": exc.messages}) from None
    for upload, ctype in zip(uploads, types, strict=True):
        attachments.store(ActivityPhoto(activity=activity), upload, ctype, actor=actor)


# --- Pairings -----------------------------------------------------------------------------


def check_pairing_sides(organ: PartyBranch, community: PartyBranch) -> None:
    errors = {}
    if not is_organ(organ.unit):
        errors["organ_branch"] = (
            _("“%s”不是机关的党支部：应选党委、人大、政府、政协或部门的党支部。") % organ
        )
    if not is_community(community.unit):
        errors["community_branch"] = _("“%s”不是社区（村）的党支部。") % community
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_pairing(
    *,
    actor,
    organ_branch: PartyBranch,
    community_branch: PartyBranch,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    notes: str = "",
) -> BranchPairing:
    """Pair an organ's branch with a community's. Both must be branches the actor may pair
    (their subtree holds both); one open pairing of the same two branches at a time."""
    refusal = _("只有单位管理员或效能办可以登记本单位及下级党支部的结对。")
    policy.require(actor, "pair", organ_branch, refusal)
    policy.require(actor, "pair", community_branch, refusal)
    check_pairing_sides(organ_branch, community_branch)
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于结对日期。")})
    clash = BranchPairing.objects.filter(
        organ_branch=organ_branch, community_branch=community_branch
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
    if clash.exists():
        raise ValidationError(
            {"community_branch": _("这两个党支部已有未结束的结对，不能重复登记。")}
        )
    pairing = BranchPairing(
        organ_branch=organ_branch,
        community_branch=community_branch,
        started_on=started_on,
        ended_on=ended_on,
        notes=notes,
        created_by=person_of(actor),
    )
    pairing.full_clean()
    pairing.save(actor=actor)
    return pairing


@transaction.atomic
def end_pairing(
    pairing: BranchPairing, *, actor, ended_on: dt.date, comment: str = ""
) -> BranchPairing:
    pairing = BranchPairing.objects.select_for_update().get(pk=pairing.pk)
    pairing.ensure(actor, "change")
    if pairing.ended_on is not None:
        raise ValidationError({"ended_on": _("该结对已经结束。")})
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于结对日期。")})
    pairing.ended_on = ended_on
    pairing._audit_comment = comment
    pairing.save(actor=actor)
    return pairing


# --- Activities ---------------------------------------------------------------------------


def check_activity_branches(actor, branches: Iterable[PartyBranch]) -> list[PartyBranch]:
    chosen = list({b.pk: b for b in branches}.values())
    if not chosen:
        raise ValidationError({"branches": _("请至少选择一个党支部。")})
    own = set(
        PartyBranch.objects.restrict(actor, "record_activity")
        .filter(pk__in=[b.pk for b in chosen])
        .values_list("pk", flat=True)
    )
    if not own:
        raise PermissionDenied(_("只能以本单位及下级单位党支部的名义登记活动。"))
    allowed = set(
        activity_branches(actor).filter(pk__in=[b.pk for b in chosen]).values_list("pk", flat=True)
    )
    outside = [b for b in chosen if b.pk not in allowed]
    if outside:
        raise ValidationError(
            {"branches": _("党支部“%s”不在您的管辖范围内，也不是结对党支部。") % outside[0]}
        )
    return chosen


def check_activity_date(date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天：活动办完后再登记。")})


@attachments.removes_files_on_failure
@transaction.atomic
def record_activity(
    *,
    actor,
    kind: str,
    title: str,
    date: dt.date,
    branches: Iterable[PartyBranch],
    place: str = "",
    participant_count: int | None = None,
    participants: str = "",
    notes: str = "",
    photos: Sequence = (),
) -> BranchActivity:
    """Record an activity held by one or more branches. Photos are optional."""
    chosen = check_activity_branches(actor, branches)
    check_activity_date(date)
    activity = BranchActivity(
        kind=kind,
        title=title,
        date=date,
        place=place,
        participant_count=participant_count,
        participants=participants,
        notes=notes,
        created_by=person_of(actor),
    )
    activity.full_clean()
    activity.save(actor=actor)
    activity.branches.set(chosen)
    _add_photos(activity, photos, actor=actor)
    return activity


@attachments.removes_files_on_failure
@transaction.atomic
def update_activity(
    activity: BranchActivity, *, actor, photos: Sequence = (), **fields
) -> BranchActivity:
    activity = BranchActivity.objects.select_for_update().get(pk=activity.pk)
    activity.ensure(actor, "change")
    branches = fields.pop("branches", None)
    if "date" in fields:
        check_activity_date(fields["date"])
    for key, value in fields.items():
        setattr(activity, key, value)
    activity.full_clean()
    activity._audit_actor = actor
    activity.save(actor=actor)
    if branches is not None:
        chosen = check_activity_branches(actor, branches)
        if {b.pk for b in chosen} != set(activity.branches.values_list("pk", flat=True)):
            activity.branches.set(chosen)
    _add_photos(activity, photos, actor=actor)
    return activity


@transaction.atomic
def delete_activity(activity: BranchActivity, *, actor, comment: str = "") -> None:
    activity = BranchActivity.objects.select_for_update().get(pk=activity.pk)
    activity.ensure(actor, "change")
    activity.delete(actor=actor, comment=comment)
