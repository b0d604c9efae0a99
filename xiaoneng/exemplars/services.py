"""The actions of 典型引路法: writing a case, its status steps (草稿 → 推荐 → 推广, and back),
the public flag, and the library's search. Each action is atomic, asks the policy as the
acting person and is recorded in the change log with them (a step under its own action name,
with the reason given).

Search. Chinese has no spaces between words, so a word tokenizer (PostgreSQL's `simple` or
`english` configuration, SQLite's FTS5 `unicode61`) sees a whole sentence as one word. Here
each case keeps a normalised `search_text` (title, tags, summary, practice, results and the
unit's name; NFKC, lower case), rewritten by every save of the service. A query is split on
white space into at most MAX_TERMS terms; a case matches when its text contains every term
(a substring match, the same LIKE on both databases), and ranks by where the terms hit:
the title first, then the tags, then the rest.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import policy
from xiaoneng.core.policy import person_of
from xiaoneng.exemplars.models import Exemplar, ExemplarAttachment, Status, normalise, split_tags
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.services import attachments
from xiaoneng.units.models import Unit

MAX_TERMS = 10
MAX_TERM_CHARS = 50


# --- Search ---------------------------------------------------------------------------------


def search_text_of(exemplar: Exemplar) -> str:
    parts = [
        exemplar.title,
        exemplar.tags,
        exemplar.summary,
        exemplar.practice,
        exemplar.results,
        exemplar.unit.name if exemplar.unit_id else "",
    ]
    return "\n".join(normalise(p) for p in parts if p)


def terms_of(query: str) -> list[str]:
    terms = [normalise(t)[:MAX_TERM_CHARS] for t in (query or "").split()]
    return list(dict.fromkeys(t for t in terms if t))[:MAX_TERMS]


def search(queryset: QuerySet[Exemplar], query: str) -> QuerySet[Exemplar]:
    """The cases whose text holds every term of `query`, best first (title > tags > body)."""
    terms = terms_of(query)
    if not terms:
        return queryset
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    rank = sum(
        (
            Case(
                When(title__icontains=term, then=Value(4)),
                When(tags__icontains=term, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        start=Value(0),
    )
    promoted_first = Case(
        When(status=Status.PROMOTED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(rank=rank, promoted=promoted_first).order_by(
        "-rank", "-promoted", "-updated_at", "-id"
    )


def tagged(queryset: QuerySet[Exemplar], tag: str) -> QuerySet[Exemplar]:
    """The cases that carry `tag` (one whole tag of their comma list)."""
    tags = split_tags(tag)
    if not tags:
        return queryset
    t = tags[0]
    return queryset.filter(
        Q(tags=t)
        | Q(tags__startswith=f"{t},")
        | Q(tags__endswith=f",{t}")
        | Q(tags__contains=f",{t},")
    )


# --- Files ----------------------------------------------------------------------------------


def _add_files(exemplar: Exemplar, uploads: Sequence, *, actor) -> None:
    """Evidence files, accepted as an item's attachments are (by content, within the size
    limit: supervision.services.attachments.check_upload); every file checked before any is
    stored, and the files deleted again if the action fails (removes_files_on_failure)."""
    types = []
    for upload in uploads:
        try:
            types.append(attachments.check_upload(upload))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
    for upload, ctype in zip(uploads, types, strict=True):
        attachments.store(ExemplarAttachment(exemplar=exemplar), upload, ctype, actor=actor)


# --- Writing --------------------------------------------------------------------------------


def _check_links(actor, visits: Iterable | None, items: Iterable | None) -> None:
    """Linked visits and items: rows the actor may see (naming one reads it)."""
    from xiaoneng.fieldwork.models import Visit

    if visits:
        ids = {v.pk for v in visits}
        seen = set(
            Visit.objects.restrict(actor, "view").filter(pk__in=ids).values_list("pk", flat=True)
        )
        if ids - seen:
            raise ValidationError({"visits": _("找不到该下基层记录，或不在您的查看范围内。")})
    if items:
        ids = {i.pk for i in items}
        seen = set(
            Item.objects.restrict(actor, "view").filter(pk__in=ids).values_list("pk", flat=True)
        )
        if ids - seen:
            raise ValidationError({"items": _("找不到该事项，或该事项不在您的管辖范围内。")})


def _save(exemplar: Exemplar, *, actor) -> None:
    exemplar.tags = ",".join(split_tags(exemplar.tags))
    exemplar.search_text = search_text_of(exemplar)
    exemplar.full_clean(exclude=["visits", "items"])
    exemplar.save(actor=actor)


@attachments.removes_files_on_failure
@transaction.atomic
def create_exemplar(
    *,
    actor,
    title: str,
    unit: Unit,
    summary: str,
    practice: str = "",
    results: str = "",
    tags: str = "",
    visits: Iterable | None = None,
    items: Iterable | None = None,
    files: Sequence = (),
) -> Exemplar:
    """A new case (a draft) of `unit`, which must lie in the actor's subtree."""
    policy.require(actor, "write_exemplar", unit, _("只能为本单位及下级单位登记典型案例。"))
    _check_links(actor, visits, items)
    exemplar = Exemplar(
        title=title,
        unit=unit,
        summary=summary,
        practice=practice,
        results=results,
        tags=tags,
        created_by=person_of(actor),
    )
    _save(exemplar, actor=actor)
    if visits:
        exemplar.visits.set(visits)
    if items:
        exemplar.items.set(items)
    _add_files(exemplar, files, actor=actor)
    return exemplar


@attachments.removes_files_on_failure
@transaction.atomic
def update_exemplar(exemplar: Exemplar, *, actor, files: Sequence = (), **fields) -> Exemplar:
    """Edit a draft: its text, unit, tags, links; add evidence files."""
    exemplar = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    if exemplar.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以修改：已推荐或推广的案例须先退回草稿。"))
    exemplar.ensure(actor, "change")
    visits, items = fields.pop("visits", None), fields.pop("items", None)
    unit = fields.get("unit")
    if unit is not None and unit.pk != exemplar.unit_id:
        policy.require(actor, "write_exemplar", unit, _("只能为本单位及下级单位登记典型案例。"))
    _check_links(actor, visits, items)
    for key, value in fields.items():
        setattr(exemplar, key, value)
    _save(exemplar, actor=actor)
    if visits is not None and {v.pk for v in visits} != set(
        exemplar.visits.values_list("pk", flat=True)
    ):
        exemplar.visits.set(visits)
    if items is not None and {i.pk for i in items} != set(
        exemplar.items.values_list("pk", flat=True)
    ):
        exemplar.items.set(items)
    _add_files(exemplar, files, actor=actor)
    return exemplar


@transaction.atomic
def delete_exemplar(exemplar: Exemplar, *, actor, comment: str = "") -> None:
    exemplar = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    exemplar.ensure(actor, "change")
    exemplar.delete(actor=actor, comment=comment)


# --- Status steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: str
    label: object
    sources: frozenset[str]
    target: str
    wrong_status: object  # why a case at another status cannot take the step
    refusal: object  # why this person may not take it
    needs_reason: bool = False


STEPS = {
    step.action: step
    for step in (
        Step(
            "recommend",
            gettext_lazy("推荐"),
            frozenset({Status.DRAFT}),
            Status.RECOMMENDED,
            gettext_lazy("只有草稿可以推荐。"),
            gettext_lazy("只有案例所在单位或其上级的单位管理员、领导干部、效能办可以推荐。"),
        ),
        Step(
            "promote",
            gettext_lazy("推广"),
            frozenset({Status.RECOMMENDED}),
            Status.PROMOTED,
            gettext_lazy("只有已推荐的案例可以推广。"),
            gettext_lazy("只有案例所在单位的上级效能办可以推广，不能推广本单位的案例。"),
        ),
        Step(
            "send_back",
            gettext_lazy("退回草稿"),
            frozenset({Status.RECOMMENDED, Status.PROMOTED}),
            Status.DRAFT,
            gettext_lazy("草稿无需退回。"),
            gettext_lazy("只有案例所在单位的上级效能办可以退回。"),
            needs_reason=True,
        ),
    )
}


def steps_for(actor, exemplar: Exemplar) -> list[Step]:
    """The steps `actor` may take on the case now (the page's buttons)."""
    return [
        step
        for step in STEPS.values()
        if exemplar.status in step.sources and policy.can(actor, step.action, exemplar)
    ]


@transaction.atomic
def take_step(exemplar: Exemplar, action: str, *, actor, comment: str = "") -> Exemplar:
    """Move the case one step (recommend, promote, send_back). A refused step changes
    nothing and says why; a taken one is recorded under its own name, with the reason."""
    step = STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("未知的操作。")})
    exemplar = Exemplar.objects.select_for_update().select_related("unit").get(pk=exemplar.pk)
    if not policy.can(actor, step.action, exemplar):
        raise PermissionDenied(str(step.refusal))
    if exemplar.status not in step.sources:
        raise ValidationError({"action": str(step.wrong_status)})
    comment = (comment or "").strip()
    if step.needs_reason and not comment:
        raise ValidationError({"comment": _("请填写退回理由。")})
    exemplar.status = step.target
    if step.target == Status.DRAFT:
        exemplar.public = False  # only promoted cases are public
    exemplar._audit_action = step.action
    exemplar._audit_comment = comment
    exemplar.save(actor=actor)
    return exemplar


@transaction.atomic
def set_public(exemplar: Exemplar, *, actor, public: bool, comment: str = "") -> Exemplar:
    exemplar = Exemplar.objects.select_for_update().select_related("unit").get(pk=exemplar.pk)
    if not policy.can(actor, "publish", exemplar):
        raise PermissionDenied(_("只有案例所在单位的上级效能办可以决定对外公开。"))
    if public and exemplar.status != Status.PROMOTED:
        raise ValidationError({"public": _("只有已推广的案例可以对外公开。")})
    if exemplar.public == public:
        return exemplar
    exemplar.public = public
    exemplar._audit_action = "publish" if public else "unpublish"
    exemplar._audit_comment = comment
    exemplar.save(actor=actor)
    return exemplar
