"""The names people write for a unit: "红河州" or "红河" for 红河哈尼族彝族自治州, "石林县" for
石林彝族自治县, "昆明" for 昆明市, "版纳" for 西双版纳傣族自治州.

`short_forms(name)` gives the short forms of an official name; `NameIndex` finds a unit by
any of its names and refuses a form that fits two units (`AmbiguousName`, naming them)
rather than guess. Used by the project ledger, the project summary filters and the big
screen's labels (`common_name`).
"""

import re
from collections.abc import Callable, Hashable, Iterable

from django.utils.translation import gettext as _

# The 55 ethnic minorities of China, without "族" (an autonomous area's name lists one or
# more of them: 红河哈尼族彝族自治州, 双江拉祜族佤族布朗族傣族自治县).
ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip
_GROUPS = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
# The stem is the shortest start after which only "<group>族" parts and "自治<kind>" follow.
_AUTONOMOUS = re.compile(rf"^(?P<stem>.+?)(?:(?:{_GROUPS})族)+自治(?P<kind>州|县|区|旗)$")
_SUFFIXES = ("省", "市", "州", "盟", "县", "区", "旗")
# Short forms in everyday use that no rule derives.
CUSTOMARY = {
    "西双版纳傣族自治州": ("版纳", "版纳州"),
}


def stem(name: str) -> str:
    """The bare stem: 红河哈尼族彝族自治州 → 红河, 昆明市 → 昆明, 五华区 → 五华; a name that
    would be left with one character keeps its suffix (芒市, 云县)."""
    name = name.strip()
    match = _AUTONOMOUS.match(name)
    if match:
        return match["stem"]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def common_name(name: str) -> str:
    """The name as commonly written: the autonomy part dropped (红河州, 石林县), any other
    name unchanged (昆明市)."""
    match = _AUTONOMOUS.match(name.strip())
    if match:
        return match["stem"] + match["kind"]
    return name.strip()


def short_forms(name: str) -> set[str]:
    """Every other name commonly written for the official `name` (not the name itself):
    "XX族自治州" → "州" and the bare stem, "XX族自治县" → "县" and the stem, "昆明市" → "昆明",
    and the customary forms ("版纳")."""
    name = name.strip()
    forms = {common_name(name), stem(name), *CUSTOMARY.get(name, ())}
    forms.discard(name)
    forms.discard("")
    return forms


class AmbiguousName(LookupError):
    """A name that fits more than one unit."""

    def __init__(self, text: str, units: Iterable):
        self.text = text
        self.units = list(units)
        names = "、".join(u.name for u in self.units)
        super().__init__(_("“%(text)s”可指%(names)s，请写全称") % {"text": text, "names": names})


class NameIndex:
    """Units found by any of their names, within a group (e.g. the parent's id).

    Official names, codes, recorded short and former names come first; the short forms of
    `short_forms()` only where no unit of the group has that text as such a name. A text
    that fits two units of the same tier raises AmbiguousName.
    """

    def __init__(self, units: Iterable, group: Callable[[object], Hashable] = lambda u: None):
        exact: dict[tuple, list] = {}
        short: dict[tuple, list] = {}
        for unit in units:
            key = group(unit)
            for text in {unit.name, unit.code, unit.short_name, unit.former_name}:
                if text:
                    _add(exact, (key, text), unit)
            for text in short_forms(unit.name) | (
                short_forms(unit.former_name) if unit.former_name else set()
            ):
                _add(short, (key, text), unit)
        self._found: dict[tuple, object] = {}
        for tier in (exact, short):
            for key, found in tier.items():
                if key not in self._found:
                    self._found[key] = found[0] if len(found) == 1 else tuple(found)

    def find(self, text: str, group: Hashable = None):
        """The unit named `text` in `group`, None if there is none; AmbiguousName if two."""
        found = self._found.get((group, text))
        if type(found) is tuple:
            raise AmbiguousName(text, found)
        return found


def _add(index: dict, key: tuple, unit) -> None:
    units = index.setdefault(key, [])
    if unit not in units:
        units.append(unit)
