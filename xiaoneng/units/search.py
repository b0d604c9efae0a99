"""Finding units as people name them, for the pickers (`core.widgets.UnitPicker`) and their
endpoint (`/units/search/`): by name or short name (西山), pinyin initials (xsq), or code
prefix (530112), within what the policy lets the user take the field's action on, in the
standard order (`Unit.sort_key`), each with its path (昆明市 › 西山区 › 永昌街道).

Each word of the query narrows the result (昆明 社区: the communities of Kunming). Every
condition is SQL: the initials and code prefixes are index ranges, a name is a LIKE over
the rows of the user's scope, and the first rows in the standard order come off the
sort-key index; a search of a province's 14,000 units answers in milliseconds
(bench/units_bench.py).
"""

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from xiaoneng.units.models import Level, Unit, initials

LIMIT = 20
SEPARATOR = " › "
_LETTERS = re.compile(r"[A-Za-z]+")
_CODE = re.compile(r"[0-9][0-9A-Za-z_.-]*")
LEVELS = {c.value for c in Level}


def word_filter(word: str) -> Q:
    """The units one word of a query names: letters are pinyin initials (of the name or
    the short name), a word starting with a digit is a code prefix, anything else is part of
    the name, the short name or a former name."""
    if _LETTERS.fullmatch(word):
        text = word.lower()
        return Q(initials__startswith=text) | Q(short_initials__startswith=text)
    if _CODE.fullmatch(word):
        return Q(code__startswith=word)
    return Q(name__contains=word) | Q(short_name__contains=word) | Q(former_name__contains=word)


def search(
    units: QuerySet, query: str = "", *, within: Unit | None = None, levels: Iterable[str] = ()
) -> QuerySet:
    """`units` (already restricted by the policy) narrowed by the query's words, the subtree
    of `within` and the levels, in the standard order."""
    for word in query.split()[:5]:
        units = units.filter(word_filter(word[:40]))
    if within is not None:
        units = units.filter(path__startswith=within.path)
    levels = [level for level in levels if level]
    if levels:
        units = units.filter(level__in=levels)
    return units.order_by("sort_key")


def path_labels(units: list[Unit]) -> dict[int, str]:
    """{unit id: "昆明市 › 西山区 › 永昌街道"}: each unit's chain below the root (the
    province is every chain's first link), the ancestors by their short names, the unit by
    its name; one query for all the ancestors of all the units. The names above the user's
    own unit are those breadcrumbs show (the policy's "view_ancestors")."""
    wanted = {pk for unit in units for pk in unit.ancestor_ids()[1:]}
    names = {
        pk: short or name
        for pk, short, name in Unit.all_objects.filter(pk__in=wanted)
        .values_list("pk", "short_name", "name")
        .order_by()
    }
    return {
        unit.pk: SEPARATOR.join([*(names[pk] for pk in unit.ancestor_ids()[1:]), unit.name])
        for unit in units
    }


def as_results(units: list[Unit]) -> list[dict]:
    """The JSON of the picker's options."""
    labels = path_labels(units)
    return [
        {
            "id": unit.pk,
            "name": unit.name,
            "code": unit.code,
            "level": unit.level,
            "label": labels[unit.pk],
        }
        for unit in units
    ]


__all__ = ["LIMIT", "as_results", "initials", "path_labels", "search", "word_filter"]
