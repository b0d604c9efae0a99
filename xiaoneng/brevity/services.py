"""The actions of 会风文风: record, change and delete meetings and documents; register a
document from its file. Each is atomic, checks the policy inside its transaction and is
audited (BaseModel.save(actor=…)). Views and the API call these, never save models."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.brevity import rules
from xiaoneng.brevity.models import Document, Meeting, Speech
from xiaoneng.brevity.reading import Refused, analyze_file
from xiaoneng.core import policy
from xiaoneng.core.policy import person_of
from xiaoneng.units.models import Unit

MEETING_FIELDS = (
    "organiser",
    "kind",
    "title",
    "date",
    "days",
    "planned_minutes",
    "actual_minutes",
    "mode",
    "attendees",
)
DOCUMENT_FIELDS = ("unit", "kind", "title", "date", "chars", "single_task")


def _unit_allowed(actor, unit: Unit, field: str) -> None:
    if not policy.can(actor, "record_brevity", unit):
        raise ValidationError({field: _("找不到该单位，或该单位不在您的管辖范围内。")})


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Meetings ---------------------------------------------------------------------------------


@transaction.atomic
def save_meeting(
    meeting: Meeting | None, *, actor, speeches: list[dict] | None = None, **fields
) -> Meeting:
    """Record a meeting (`meeting` None) or change one, with its speeches: a list of
    {"speaker", "role", "minutes"} in order, which replaces the meeting's speeches (None:
    keep them). Refused, field by field, by rules.meeting_errors()."""
    if meeting is None:
        meeting = Meeting(recorded_by=person_of(actor))
    else:
        meeting.ensure(actor, "change")
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    if meeting.organiser_id is None:
        raise ValidationError({"organiser": _("请选择主办单位。")})
    _unit_allowed(actor, meeting.organiser, "organiser")
    kept = list(meeting.speeches.all()) if meeting.pk else []
    wanted = (
        speeches
        if speeches is not None
        else [{"speaker": s.speaker, "role": s.role, "minutes": s.minutes} for s in kept]
    )
    _refuse(
        rules.meeting_errors(
            days=meeting.days,
            planned=meeting.planned_minutes,
            actual=meeting.actual_minutes,
            speeches=wanted,
        )
    )
    meeting.full_clean()
    meeting.save(actor=actor)
    if speeches is not None:
        _replace_speeches(meeting, kept, speeches, actor)
    # NetBox's re-check: after the write the meeting still lies in the actor's reach.
    if not Meeting.objects.restrict(actor, "change").filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("无权操作该对象。"))
    return meeting


def _replace_speeches(meeting: Meeting, kept: list[Speech], wanted: list[dict], actor) -> None:
    """The speeches as listed: the existing rows updated in order, new ones added, the rest
    deleted (soft)."""
    for n, values in enumerate(wanted):
        speech = kept[n] if n < len(kept) else Speech(meeting=meeting)
        new = (values["speaker"], values.get("role") or "other", values["minutes"], n)
        if speech.pk and (speech.speaker, speech.role, speech.minutes, speech.sort) == new:
            continue
        speech.speaker, speech.role, speech.minutes, speech.sort = new
        speech.full_clean()
        speech.save(actor=actor)
    for speech in kept[len(wanted) :]:
        speech.delete(actor=actor)


@transaction.atomic
def delete_meeting(meeting: Meeting, *, actor) -> None:
    meeting.ensure(actor, "change")
    for speech in meeting.speeches.all():
        speech.delete(actor=actor)
    meeting.delete(actor=actor)


# --- Documents --------------------------------------------------------------------------------


def limit_for(unit: Unit, kind: str, single_task: bool) -> int:
    """The limit that applies today (brevity/conf.py, per level and kind)."""
    from xiaoneng.brevity.conf import document_limit

    return document_limit(kind, single_task=single_task, level=unit.level)


@transaction.atomic
def save_document(document: Document | None, *, actor, **fields) -> Document:
    """Register a document (`document` None) or change one. The limit is the one that
    applies now to its unit's level, kind and single-task flag, kept on the row (models)."""
    if document is None:
        document = Document(recorded_by=person_of(actor))
    else:
        document.ensure(actor, "change")
    for name in DOCUMENT_FIELDS:
        if name in fields:
            setattr(document, name, fields[name])
    if document.unit_id is None:
        raise ValidationError({"unit": _("请选择发文单位。")})
    _unit_allowed(actor, document.unit, "unit")
    chars: int | None = document.chars
    if chars is not None and chars < 0:
        raise ValidationError({"chars": _("字数不能为负数。")})
    if document.kind:
        document.limit = limit_for(document.unit, document.kind, document.single_task)
    document.full_clean()
    document.save(actor=actor)
    if not Document.objects.restrict(actor, "change").filter(pk=document.pk).exists():
        raise PermissionDenied(_("无权操作该对象。"))
    return document


@transaction.atomic
def delete_document(document: Document, *, actor) -> None:
    document.ensure(actor, "change")
    document.delete(actor=actor)


def register_upload(
    *,
    actor,
    data: bytes,
    filename: str,
    unit: Unit,
    single_task: bool = False,
    kind: str = "",
    title: str = "",
    date: dt.date,
):
    """Register a document from its file: the analyzer (brevity/reading.py) reads 字数, the
    kind (guessed from the title unless given) and the title; the file is not kept.
    Returns (document, report); a file the analyzer refuses raises ValidationError on
    "file" with its Chinese sentence, and nothing is stored."""
    _unit_allowed(actor, unit, "unit")
    try:
        report = analyze_file(
            data, filename, kind=kind or None, single_task=single_task, level=unit.level
        )
    except Refused as exc:
        raise ValidationError({"file": str(exc)}) from None
    found_kind = kind or report.kind
    if not found_kind:
        raise ValidationError({"kind": _("无法从标题判断文种，请选择文种。")})
    found_title = (title or report.title or "").strip()[:200]
    if not found_title:
        raise ValidationError({"title": _("文件中没有找到标题，请填写标题。")})
    document = save_document(
        None,
        actor=actor,
        unit=unit,
        kind=found_kind,
        title=found_title,
        date=date,
        chars=report.chars,
        single_task=single_task,
    )
    return document, report
