"""Thresholds of the brevity module (core/thresholds.py: the environment, a Django setting
of the same name in tests, validated at start-up by core.checks.check_thresholds, which
imports this module). See docs/brevity.md.

- XIAONENG_BREVITY_DOC_LIMIT (5000) and XIAONENG_BREVITY_SINGLE_TASK_LIMIT (4000): 字数 of a
  document, and of one that deploys a single or specific task (2024 national rules).
- XIAONENG_BREVITY_LIMITS: overrides per level and kind, e.g.
  "county:通知=3000;纪要=3000;county:单项=2500" (see `parse_limits`).
- XIAONENG_BREVITY_LONG_SENTENCE (120): a sentence longer than this many 字 is padding.
- XIAONENG_BREVITY_MAX_MB (20), XIAONENG_BREVITY_MAX_UNPACKED_MB (100): the upload's size
  and the sum of a .docx's unpacked members (a zip bomb is refused past it).
- XIAONENG_BREVITY_OPENING_PHRASES: the boilerplate openings, "|"-separated, "…" meaning
  any short text (see `parse_phrases`); the default is OPENING_PHRASES.
"""

import dataclasses
import re
from typing import Any

from django.conf import settings

from xiaoneng.core.thresholds import Threshold, Thresholds
from xiaoneng.env import ConfigError

# The 15 kinds of the 党政机关公文处理工作条例 (2012), in its order.
KINDS = (
    "决议",
    "决定",
    "命令",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
)
LEVELS = ("province", "prefecture", "county", "township", "community")  # units.models.Level
SINGLE = "单项"  # the key of the single-task limit in XIAONENG_BREVITY_LIMITS
ANY_KIND = "*"

# Boilerplate openings (穿靴戴帽). "…" stands for any text of up to 40 characters (no
# sentence end); everything else is literal. Looked for in the first sentence of a paragraph.
OPENING_PHRASES = (
    "为深入贯彻落实…",
    "为认真贯彻落实…",
    "为全面贯彻落实…",
    "为贯彻落实…精神",
    "深入学习贯彻…",
    "在…的坚强领导下",
    "在…的正确领导下",
    "在…的亲切关怀下",
    "根据…精神",
    "为进一步…",
    "按照…要求",
    "按照…部署",
    "以…为指导",
    "高举…伟大旗帜",
    "在…的大力支持下",
)


def parse_limits(raw: str) -> dict[tuple[str | None, str], int]:
    """ "county:通知=3000;纪要=3000" → {("county", "通知"): 3000, (None, "纪要"): 3000}.

    Entries are separated by ";" (or "；"); each is `[level:]key=limit`, where level is one of
    LEVELS (the entry then applies at that level only), key is one of the 15 kinds, "*" (any
    kind) or "单项" (the single-task limit), and limit a whole number of 字 above 0."""
    limits: dict[tuple[str | None, str], int] = {}
    for entry in re.split(r"[;；]", raw):
        entry = entry.strip()
        if not entry:
            continue
        where, equals, number = entry.partition("=")
        level, colon, key = where.strip().rpartition(":")
        level, key = level.strip(), key.strip()
        if not equals or (colon and not level):
            raise ConfigError(f"{entry!r}: expected [level:]kind=limit, e.g. county:通知=3000")
        if colon and level not in LEVELS:
            raise ConfigError(f"{entry!r}: unknown level {level!r}, use one of {', '.join(LEVELS)}")
        if key not in KINDS and key not in (ANY_KIND, SINGLE):
            raise ConfigError(
                f"{entry!r}: unknown kind {key!r}, use one of {'、'.join(KINDS)}, * or {SINGLE}"
            )
        try:
            limit = int(number.strip())
        except ValueError:
            raise ConfigError(f"{entry!r}: the limit must be a whole number") from None
        if limit < 1:
            raise ConfigError(f"{entry!r}: the limit must be above 0")
        limits[(level or None, key)] = limit
    return limits


def parse_phrases(raw: str) -> tuple[str, ...]:
    """The phrase list: "|"-separated phrases, or "@/path/to/file" with one phrase a line
    (UTF-8; blank lines and lines starting with # left out). Each must compile."""
    raw = raw.strip()
    if raw.startswith("@"):
        try:
            with open(raw[1:], encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the phrase file {raw[1:]!r}: {exc}") from None
        phrases = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    else:
        phrases = [p.strip() for p in raw.split("|") if p.strip()]
    if not phrases:
        raise ConfigError("give at least one phrase, separated by |")
    return tuple(phrases)


@dataclasses.dataclass(frozen=True)
class ParsedThreshold(Threshold):
    """A threshold whose value is text to parse: a Django setting given as text (as a test
    sets it) is parsed too, so that the system check catches a bad one either way."""

    def get(self) -> Any:
        if hasattr(settings, self.name):
            value = getattr(settings, self.name)
            if isinstance(value, str):
                try:
                    return self.parse(value)
                except ConfigError as exc:
                    raise ConfigError(f"{self.name}={value!r}: {exc}") from None
            return value
        return super().get()


THRESHOLDS = Thresholds(
    "brevity",
    Threshold(
        "XIAONENG_BREVITY_DOC_LIMIT",
        5000,
        "a document may have this many 字 (local and departmental documents)",
        minimum=1,
    ),
    Threshold(
        "XIAONENG_BREVITY_SINGLE_TASK_LIMIT",
        4000,
        "a document that deploys one special or specific task may have this many 字",
        minimum=1,
    ),
    ParsedThreshold(
        "XIAONENG_BREVITY_LIMITS",
        {},
        "limits per level and kind, e.g. county:通知=3000;纪要=3000;county:单项=2500",
        parse=parse_limits,
        minimum=None,
    ),
    Threshold(
        "XIAONENG_BREVITY_LONG_SENTENCE",
        120,
        "a sentence longer than this many 字 is reported as a long sentence",
        minimum=10,
    ),
    Threshold(
        "XIAONENG_BREVITY_MAX_MB",
        20,
        "an uploaded or analysed file may have this many MB",
        minimum=1,
    ),
    Threshold(
        "XIAONENG_BREVITY_MAX_UNPACKED_MB",
        100,
        "the members of a .docx may unpack to this many MB (past it: a zip bomb)",
        minimum=1,
    ),
    ParsedThreshold(
        "XIAONENG_BREVITY_OPENING_PHRASES",
        OPENING_PHRASES,
        "boilerplate openings, |-separated (… is any text), or @file with one a line",
        parse=parse_phrases,
        minimum=None,
    ),
)


def get(name: str) -> Any:
    return THRESHOLDS.get(name)


def document_limit(kind: str | None, *, single_task: bool = False, level: str | None = None) -> int:
    """The 字数 limit that applies to a document of `kind` issued at `level` (a Level code).

    The most specific override wins: level and kind, level and "*", kind, "*", then
    XIAONENG_BREVITY_DOC_LIMIT. A single-task document gets the lower of that and its own
    limit (level and 单项, 单项, then XIAONENG_BREVITY_SINGLE_TASK_LIMIT)."""
    overrides = get("XIAONENG_BREVITY_LIMITS")

    def lookup(keys: list[str], default: int) -> int:
        for key in keys:
            if level and (level, key) in overrides:
                return overrides[(level, key)]
        for key in keys:
            if (None, key) in overrides:
                return overrides[(None, key)]
        return default

    kinds = [kind, ANY_KIND] if kind else [ANY_KIND]
    limit = lookup(kinds, get("XIAONENG_BREVITY_DOC_LIMIT"))
    if single_task:
        limit = min(limit, lookup([SINGLE], get("XIAONENG_BREVITY_SINGLE_TASK_LIMIT")))
    return limit


def opening_phrases() -> tuple[str, ...]:
    return tuple(get("XIAONENG_BREVITY_OPENING_PHRASES"))


def long_sentence() -> int:
    return get("XIAONENG_BREVITY_LONG_SENTENCE")


def max_bytes() -> int:
    return get("XIAONENG_BREVITY_MAX_MB") * 1024 * 1024


def max_unpacked_bytes() -> int:
    return get("XIAONENG_BREVITY_MAX_UNPACKED_MB") * 1024 * 1024
