"""The public board of a community (社区公示栏): what anyone may read without logging in.

`board(community)` gathers it as plain data: the web page (views.board) and the API
(`GET /api/communities/{code}/board/`) show the same dict. It carries no personal data: no
names of residents (a matter led by a person shows "社区安排专人"; a name of the
community's people typed into a matter's text is cut to its first character), no phone
numbers (a mobile number typed into a matter's text is masked), no comments or their authors, nothing
hidden by moderation (a hidden matter is left out; a hidden progress post's photos too), and
only the photos the community's staff marked public, served by the public photo route
(`community:board_photo`), which serves nothing else.
"""

import re
from datetime import date

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import User
from xiaoneng.community import stats
from xiaoneng.community.models import (
    OPEN_STATUSES,
    Decision,
    Matter,
    MatterStatus,
    Photo,
    Rating,
    RatingValue,
    solved_q,
)
from xiaoneng.units.models import Level, Unit

# Each list of the board shows at most this many matters (the newest first).
LIST_LIMIT = 30

_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def public_text(text: str, names: tuple[str, ...] = ()) -> str:
    """`text` with any mobile number in it masked (138****0000) and each of `names` (the
    community's people) cut to its first character (冯**): residents write their own
    names and numbers into descriptions; the board shows none."""
    text = _MOBILE.sub(r"\1****\2", text or "")
    for name in names:
        if name in text:
            text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text


def people_names(community: Unit) -> tuple[str, ...]:
    """The names of the community's people (residents and staff), longest first, as
    `public_text` masks them."""
    names = User.objects.filter(unit=community).exclude(name="").values_list("name", flat=True)
    return tuple(sorted({n for n in names if len(n) >= 2}, key=len, reverse=True))


def find_community(code: str) -> Unit | None:
    """The community whose board is `code` (None: no such community)."""
    if not (code.isascii() and code.isdigit()) or len(code) > 32:
        return None
    return Unit.objects.filter(code=code, level=Level.COMMUNITY).first()


def public_photos():
    """The photos anyone may see: marked public, of a shown matter, not of a hidden post."""
    return Photo.objects.filter(
        public=True,
        matter__hidden_at__isnull=True,
        matter__deleted_at__isnull=True,
    ).exclude(progress__hidden_at__isnull=False)


def satisfaction(ratings) -> dict:
    """Counts of the ratings and the share satisfied or basically satisfied (percent, None
    when nobody rated)."""
    counts = dict.fromkeys(RatingValue.values, 0)
    for rating in ratings:
        counts[rating.rating] = counts.get(rating.rating, 0) + 1
    rated = sum(counts.values())
    good = counts[RatingValue.SATISFIED] + counts[RatingValue.BASICALLY]
    return {
        "rated": rated,
        "satisfied": counts[RatingValue.SATISFIED],
        "basically_satisfied": counts[RatingValue.BASICALLY],
        "dissatisfied": counts[RatingValue.DISSATISFIED],
        "percent": stats.rate(good, rated),  # one rule with the statistics
    }


def _decision(matter: Matter, names: tuple[str, ...]) -> dict | None:
    taken = [d for d in matter.board_decisions if d.decision]
    if not taken:
        return None
    last = taken[-1]
    return {
        "decision": last.decision,
        "label": last.get_decision_display(),
        "votes_for": last.votes_for,
        "votes_against": last.votes_against,
        "votes_abstain": last.votes_abstain,
        "date": last.deliberation.date,
        "reason": public_text(last.reason, names),
    }


def _street(matter: Matter) -> dict | None:
    item = matter.item
    if item is None:
        return None
    return {
        "status_label": item.get_status_display(),
        "progress": item.progress,
        "closed_on": item.closed_on,
    }


def _lead(matter: Matter) -> str:
    if matter.lead_group_id is not None:
        return matter.lead_group.name  # type: ignore[union-attr]
    if matter.lead_user_id is not None:
        return _("社区安排专人")
    return ""


def matter_data(matter: Matter, code: str, names: tuple[str, ...] = ()) -> dict:
    """One matter as the board shows it (`matter` from `_matters`, with its prefetches;
    `names` from `people_names`)."""
    return {
        "id": matter.pk,
        "category": matter.category,
        "category_label": matter.get_category_display(),
        "title": public_text(matter.title, names),
        "description": public_text(matter.description, names),
        "place": public_text(matter.place, names),
        "status": matter.status,
        "status_label": matter.get_status_display(),
        "seconds": matter.seconds_count,
        "raised_on": timezone.localdate(matter.created_at),
        "deadline": matter.deadline,
        "lead": _lead(matter),
        "photos": [
            reverse("community:board_photo", args=[code, photo.pk]) for photo in matter.board_photos
        ],
        "decision": _decision(matter, names),
        "result": public_text(matter.result, names),
        "closed_on": matter.solved_on(),
        "street": _street(matter),
        "satisfaction": satisfaction(matter.board_ratings),
    }


def _matters(community: Unit):
    return (
        Matter.objects.filter(community=community)
        .shown()
        .select_related("item", "lead_group")
        .prefetch_related(
            Prefetch("photos", queryset=public_photos().order_by("id"), to_attr="board_photos"),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("deliberation").order_by(
                    "decided_at", "id"
                ),
                to_attr="board_decisions",
            ),
            Prefetch("ratings", queryset=Rating.objects.all(), to_attr="board_ratings"),
        )
    )


def board(community: Unit, *, today: date | None = None) -> dict:
    """The public board of `community` (see the module's docstring for what it leaves out).

    open: matters still in hand (collecting seconds, listed, adopted, being handled) and those
    referred to the street and not yet solved, overdue first then newest; decisions: matters
    the council decided, latest first; results: solved matters, latest first;
    satisfaction: over all rated solved matters of the community."""
    today = today or timezone.localdate()
    code = community.code
    names = people_names(community)
    matters = _matters(community)
    referred_open = Q(status=MatterStatus.REFERRED) & ~solved_q()
    open_rows = list(
        matters.filter(Q(status__in=OPEN_STATUSES) | referred_open).order_by("-created_at", "-id")[
            :LIST_LIMIT
        ]
    )
    open_rows.sort(key=lambda m: 0 if (m.deadline and m.deadline < today and m.is_open) else 1)
    decided = matters.filter(decided_on__isnull=False).order_by("-decided_on", "-id")[:LIST_LIMIT]
    solved = matters.filter(solved_q()).order_by(
        Coalesce("closed_on", "item__closed_on").desc(nulls_last=True), "-id"
    )[:LIST_LIMIT]
    ratings = Rating.objects.filter(
        Q(matter__community=community)
        & Q(matter__hidden_at__isnull=True)
        & Q(matter__deleted_at__isnull=True)
        & solved_q("matter__")
    )
    return {
        "community": {"code": code, "name": community.name},
        "open": [matter_data(m, code, names) for m in open_rows],
        "decisions": [matter_data(m, code, names) for m in decided],
        "results": [matter_data(m, code, names) for m in solved],
        "satisfaction": satisfaction(ratings),
    }
