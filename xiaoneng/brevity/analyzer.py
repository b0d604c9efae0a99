"""The brevity analyzer (开短会、讲短话、发短文): 字数 as Word counts it, the kind guessed from
the title, the limit that applies, and padding (穿靴戴帽、重复语句、长句、空话套话).

Pure functions over text: reading files is `reading.py`'s job, the limits are `conf.py`'s.
How 字数 is counted and what each padding rule looks for: docs/brevity.md.
"""

import dataclasses
import re
from typing import Any

from xiaoneng.brevity import conf
from xiaoneng.brevity.conf import KINDS

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Padding",
    "Report",
    "analyze_paragraphs",
    "count_chars",
    "guess_kind",
    "sentences",
]

# Characters that count one each, as Word's 字数统计 counts East Asian characters: CJK
# ideographs (the unified block, extensions A to I, compatibility ideographs, radicals),
# kana, bopomofo, CJK symbols and punctuation (not the ideographic space U+3000), enclosed
# CJK letters and months, the full-width and half-width forms (Ｇ１，！), vertical and small
# forms, and the general punctuation used in Chinese text (— ― ‘ ’ “ ” … ‥ ※ ·) and the
# circled and Roman numerals of Chinese numbering (① ⑴ ⒈ Ⅱ).
WIDE = (
    "\u00b7"  # · middle dot, in names: 阿卜杜·热西提
    "\u2014-\u2016\u2018-\u201f\u2025\u2026\u2027\u2030\u2032\u2033\u203b"
    "\u2160-\u217f\u2460-\u24ff"
    "\u2e80-\u2fdf\u2ff0-\u2fff\u3001-\u303f\u3040-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff01-\uffef"
    "\U00020000-\U0002ebef\U0002ebf0-\U0002ee5f\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
# A run of wide characters; what is left between runs and white space are the other units.
WIDE_RUN = re.compile(f"[{WIDE}]+")
# A sentence: up to and with its 。！？ (and ASCII !?) and any closing quote or bracket after
# them; a line break inside a paragraph ends one too; the rest of a paragraph is one.
SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]+[”’）》」』】]*|[^。！？!?\n]+")

KIND_LABELS = {
    "opening": "穿靴戴帽",
    "repeated": "重复语句",
    "long_sentence": "长句",
    "empty_summary": "空话套话",
}

# Repeated sentences shorter than this many characters are left alone: headings such as
# "一、总体要求", "现通知如下：", table cells such as "是" or "合计".
REPEATED_MIN_CHARS = 10
# "总结+意义" phrases; a paragraph of at least EMPTY_MIN_CHARS 字 with one of them and no
# figure, date or named unit is 空话套话.
EMPTY_PHRASES = re.compile(
    "(?:重要|重大|深远|深刻|特殊|现实|历史|里程碑)意义|意义(?:重大|深远|非凡)"
    "|深刻认识|充分认识|高度重视|深刻领会|深刻把握|提高政治站位|至关重要"
    "|(?:责任感|使命感|紧迫感)|影响深远|取得了?(?:显著|明显|积极|重要|丰硕|良好)?(?:成效|成绩|成果)"
)
# Words one of EMPTY_PHRASES holds: a paragraph with none is passed over at once.
EMPTY_HINTS = (
    "意义",
    "认识",
    "重视",
    "领会",
    "把握",
    "站位",
    "至关重要",
    "感",
    "深远",
    "成效",
    "成绩",
    "成果",
)
EMPTY_MIN_CHARS = 30
FIGURE = re.compile(
    "[0-9０-９]"
    "|百分之"
    "|[零〇两一二三四五六七八九十百千万亿]{2,}[件项个家人次元户所条亩吨座批名年天]"
    "|[〇零一二三四五六七八九]{4}年"
    "|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
NAMED_UNIT = re.compile(
    "[\u4e00-\u9fff]{2,}?(?:省|市|州|县|区|乡|镇|街道|社区|村|局|委员会|委|办公室|办|厅|署|院|公司|集团|中心|学校|医院)"
    "(?![\u4e00-\u9fff]{0,1}(?:场|域|面|性|级|委))"
)
GENERIC_UNIT = re.compile(
    "^(?:各|全|本|我|有关|相关|上级|下级|基层|各级|地方|城市|农村|市场|地区|社区)"
)


def count_chars(text: str) -> int:
    """字数 as Word's 字数统计 reports it: each wide character (CJK, full-width and Chinese
    punctuation) counts 1, each run of other non-space characters counts 1 ("2022年" is 2,
    "GDP增长" 3, "v1.2" 1), white space (the ideographic space included) counts 0."""
    # Each run of k wide characters becomes one space: k - 1 characters shorter. What is left
    # splits on white space into the other units (Latin words, numbers, ASCII punctuation).
    rest, runs = WIDE_RUN.subn(" ", text)
    return len(text) - len(rest) + runs + len(rest.split())


def guess_kind(title: str) -> str | None:
    """The kind (one of KINDS) named by the end of a title: "关于…的通知" → 通知, "…会议纪要" →
    纪要, "嘉奖令" → 命令; a trailing "（征求意见稿）", "（草案）" or punctuation is skipped.
    None when the title ends with none of them."""
    end = title.strip()
    while True:
        trimmed = re.sub(r"[\s。.；;：:，,！!？?\"'“”]+$|[（(][^（()）]{0,12}[)）]$", "", end)
        if trimmed == end:
            break
        end = trimmed
    for kind in sorted(KINDS, key=len, reverse=True):  # the two-character kinds before 函
        if end.endswith(kind):
            return kind
    if end.endswith("令") and len(end) > 1:  # 嘉奖令、第 1 号令: the kind 命令（令）
        return "命令"
    return None


@dataclasses.dataclass
class Padding:
    kind: str  # a key of KIND_LABELS
    text: str
    paragraph: int  # 1-based, among the non-empty paragraphs

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "paragraph": self.paragraph}


@dataclasses.dataclass
class Report:
    chars: int
    paragraphs: int
    title: str
    kind: str | None
    limit: int
    over: bool
    padding: list[Padding]

    def as_json(self) -> dict[str, Any]:
        return {
            "chars": self.chars,
            "paragraphs": self.paragraphs,
            "title": self.title,
            "kind": self.kind,
            "limit": self.limit,
            "over": self.over,
            "padding": [p.as_json() for p in self.padding],
        }


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, each with its 。！？ (and a closing quote or bracket after
    it), stripped; a paragraph without one is one sentence."""
    return [found.strip() for found in SENTENCE.findall(paragraph) if not found.isspace()]


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    parts = [
        "[^。！？!?]{0,40}?".join(re.escape(p) for p in phrase.split("…")) for phrase in phrases
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts))


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _openings() -> re.Pattern[str]:
    phrases = conf.opening_phrases()
    if phrases not in _PATTERNS:
        _PATTERNS[phrases] = _phrase_pattern(phrases)
    return _PATTERNS[phrases]


def _normal(sentence: str) -> str:
    """A sentence as compared for repetition: no white space, no end punctuation."""
    return "".join(sentence.split()).rstrip("。！？!?；;，,：:")


def _named_unit(paragraph: str) -> bool:
    return any(not GENERIC_UNIT.match(found.group()) for found in NAMED_UNIT.finditer(paragraph))


def is_empty_summary(paragraph: str) -> bool:
    """A "总结+意义" paragraph: long enough, says how important or meaningful something is,
    and holds no figure, date or named unit to back it."""
    return (
        any(hint in paragraph for hint in EMPTY_HINTS)
        and EMPTY_PHRASES.search(paragraph) is not None
        and count_chars(paragraph) >= EMPTY_MIN_CHARS
        and FIGURE.search(paragraph) is None
        and not _named_unit(paragraph)
    )


def find_padding(paragraphs: list[str]) -> list[Padding]:
    """Padding in the non-empty `paragraphs` (numbered from 1 in that list), in document
    order; the title (the first paragraph) is not looked at for openings or summaries."""
    openings = _openings()
    longest = conf.long_sentence()
    seen: set[str] = set()
    found: list[Padding] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        parts = sentences(paragraph)
        if number > 1 and parts and openings.search(parts[0]):
            found.append(Padding("opening", parts[0], number))
        for sentence in parts:
            # count_chars(s) <= len(s): most sentences are measured by len() alone
            if len(sentence) > longest and count_chars(sentence) > longest:
                found.append(Padding("long_sentence", sentence, number))
            key = _normal(sentence)
            if len(key) >= REPEATED_MIN_CHARS:
                if key in seen:
                    found.append(Padding("repeated", sentence, number))
                else:
                    seen.add(key)
        if number > 1 and is_empty_summary(paragraph):
            found.append(Padding("empty_summary", paragraph, number))
    return found


def find_title(paragraphs: list[str]) -> tuple[str, str | None]:
    """The title and the kind it names. The title is the first paragraph, unless it names
    no kind and one of the next four short ones does (a red-header document starts with
    "××市人民政府文件" and the document number before its title)."""
    if not paragraphs:
        return "", None
    for candidate in paragraphs[:5]:
        kind = guess_kind(candidate)
        if kind and count_chars(candidate) <= 80:
            return candidate.strip(), kind
    return paragraphs[0].strip(), None


def analyze_paragraphs(
    paragraphs: list[str],
    *,
    kind: str | None = None,
    single_task: bool = False,
    level: str | None = None,
) -> Report:
    """The report on a document given as its paragraphs in order (empty ones are skipped)."""
    body = [p for p in paragraphs if p.strip()]
    title, guessed = find_title(body)
    kind = kind or guessed
    chars = count_chars("\n".join(body))
    limit = conf.document_limit(kind, single_task=single_task, level=level)
    return Report(
        chars=chars,
        paragraphs=len(body),
        title=title,
        kind=kind,
        limit=limit,
        over=chars > limit,
        padding=find_padding(body),
    )
