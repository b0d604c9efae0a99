"""The meeting rules of 开短会、讲短话 (会风), one home for each.

Defaults from the 2024 national rules on 整治形式主义为基层减负, configurable through the
environment (core/thresholds.py; a Django setting of the same name in tests):

- the main speech or main report (a speech of role 主要负责同志) ≤ 60 minutes;
- a group discussion (分组讨论) ≤ 1.5 days;
- every other meeting ≤ half a day (4 hours).

How a day of meeting is counted: a meeting day is 8 working hours (480 minutes), so
1.5 days is 720 minutes of meeting time. Durations are stored in minutes. The rules check
the actual duration once a meeting is held, the planned one before.

What is refused outright (not a breach, a typing error): a duration of 0 or less, a
duration over 24 hours for each day of the meeting (`days`), a speech longer than its
meeting. `meeting_errors()` says so, field by field, for the service, the form and the API.

Each rule exists twice, with one definition: `breaches(meeting)` in Python for one meeting
(its page), and `breach_q()` / `within_q()` in SQL for lists, filters, statistics and the
API (Meeting.objects.with_rules()).
"""

from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.thresholds import Threshold, Thresholds

MINUTES_PER_DAY = 24 * 60  # the absurd: more than a whole day of meeting per day
MAX_DAYS = 30  # a meeting of more than a month is a typing error

THRESHOLDS = Thresholds(
    "brevity_meetings",
    Threshold(
        "XIAONENG_MEETING_MAIN_SPEECH_MINUTES",
        60,
        "the main speech or main report of a meeting: at most this many minutes",
        minimum=1,
        maximum=MINUTES_PER_DAY,
    ),
    Threshold(
        "XIAONENG_MEETING_GROUP_DISCUSSION_MINUTES",
        720,
        "a group discussion (分组讨论): at most this many minutes (1.5 days of 8 hours = 720)",
        minimum=1,
        maximum=MAX_DAYS * MINUTES_PER_DAY,
    ),
    Threshold(
        "XIAONENG_MEETING_OTHER_MINUTES",
        240,
        "every other meeting: at most this many minutes (half a day = 240)",
        minimum=1,
        maximum=MAX_DAYS * MINUTES_PER_DAY,
    ),
)

GROUP_DISCUSSION = "group"  # MeetingKind.GROUP (models import this module)
MAIN = "main"  # SpeechRole.MAIN


def main_speech_limit() -> int:
    return THRESHOLDS.get("XIAONENG_MEETING_MAIN_SPEECH_MINUTES")


def group_limit() -> int:
    return THRESHOLDS.get("XIAONENG_MEETING_GROUP_DISCUSSION_MINUTES")


def other_limit() -> int:
    return THRESHOLDS.get("XIAONENG_MEETING_OTHER_MINUTES")


def duration_limit(kind: str) -> int:
    return group_limit() if kind == GROUP_DISCUSSION else other_limit()


# --- Refused input ------------------------------------------------------------------------


def meeting_errors(
    *, days: int, planned: int | None, actual: int | None, speeches: list[dict]
) -> dict[str, list[str]]:
    """What is wrong with a meeting's durations, by field ("speeches.N.minutes" for the
    N-th speech, counted from 0): each message names the field."""
    errors: dict[str, list[str]] = {}
    if days is None or days < 1 or days > MAX_DAYS:
        errors["days"] = [_("会期（天）应为 1 至 %(n)d 之间的整数。") % {"n": MAX_DAYS}]
        days = 1
    most = days * MINUTES_PER_DAY
    for field, value, label in (
        ("planned_minutes", planned, _("计划时长")),
        ("actual_minutes", actual, _("实际时长")),
    ):
        if value is None:
            continue
        if value < 1:
            errors[field] = [_("%(field)s应大于 0 分钟。") % {"field": label}]
        elif value > most:
            errors[field] = [
                _("%(field)s %(value)d 分钟超过会期每天 24 小时（最多 %(most)d 分钟）。")
                % {"field": label, "value": value, "most": most}
            ]
    if planned is None:
        errors.setdefault("planned_minutes", [_("请填写计划时长（分钟）。")])
    length = actual if actual is not None and "actual_minutes" not in errors else planned
    if "planned_minutes" in errors and (actual is None or "actual_minutes" in errors):
        length = None
    for n, speech in enumerate(speeches):
        minutes = speech.get("minutes")
        key = f"speeches.{n}.minutes"
        if minutes is None or minutes < 1:
            errors[key] = [_("第 %(n)d 个发言的时长应大于 0 分钟。") % {"n": n + 1}]
        elif length is not None and minutes > length:
            errors[key] = [
                _("第 %(n)d 个发言的时长 %(m)d 分钟超过会议时长 %(len)d 分钟。")
                % {"n": n + 1, "m": minutes, "len": length}
            ]
    return errors


# --- Breaches: one meeting, in Python ---------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    rule: str  # "main_speech", "group_discussion", "meeting_length"
    label: str
    limit: int  # minutes
    actual: int  # minutes
    speaker: str = ""


RULE_LABELS = {
    "main_speech": gettext_lazy("主要讲话（主报告）不超过规定时长"),
    "group_discussion": gettext_lazy("分组讨论不超过一天半"),
    "meeting_length": gettext_lazy("其他会议不超过半天"),
}


def meeting_length(meeting) -> int:
    """The duration the rules check: the actual one once held, the planned one before."""
    return meeting.actual_minutes if meeting.actual_minutes is not None else meeting.planned_minutes


def breaches(meeting, speeches=None) -> list[Breach]:
    """The rules `meeting` breaks. `speeches`: its speeches if already read (else read)."""
    found = []
    length = meeting_length(meeting)
    limit = duration_limit(meeting.kind)
    if length is not None and length > limit:
        rule = "group_discussion" if meeting.kind == GROUP_DISCUSSION else "meeting_length"
        found.append(Breach(rule, str(RULE_LABELS[rule]), limit, length))
    speech_limit = main_speech_limit()
    for speech in speeches if speeches is not None else meeting.speeches.all():
        if speech.role == MAIN and speech.minutes > speech_limit:
            found.append(
                Breach(
                    "main_speech",
                    str(RULE_LABELS["main_speech"]),
                    speech_limit,
                    speech.minutes,
                    speech.speaker,
                )
            )
    return found


# --- The same rules in SQL --------------------------------------------------------------------


def length_expression(prefix: str = ""):
    """The duration the rules check, as SQL (actual, else planned)."""
    return Coalesce(F(f"{prefix}actual_minutes"), F(f"{prefix}planned_minutes"))


def limit_expression(prefix: str = ""):
    """The duration limit of the meeting's kind, as SQL (from today's configuration)."""
    return Case(
        When(**{f"{prefix}kind": GROUP_DISCUSSION}, then=Value(group_limit())),
        default=Value(other_limit()),
        output_field=IntegerField(),
    )


def long_main_speech(prefix: str = "") -> Exists:
    """EXISTS a main speech of the meeting over the limit."""
    from xiaoneng.brevity.models import Speech

    return Exists(
        Speech.objects.filter(
            meeting=OuterRef(f"{prefix}pk" if prefix else "pk"),
            role=MAIN,
            minutes__gt=main_speech_limit(),
        )
    )


def over_length(prefix: str = "") -> GreaterThan:
    """The meeting is longer than its kind allows, as a SQL condition."""
    return GreaterThan(length_expression(prefix), limit_expression(prefix))


def breach_q(prefix: str = "") -> Q:
    """Meetings (through `prefix`, e.g. "meeting__") that break at least one rule."""
    return Q(over_length(prefix)) | Q(long_main_speech(prefix))


def within_q(prefix: str = "") -> Q:
    """Meetings within every rule."""
    return ~breach_q(prefix)
