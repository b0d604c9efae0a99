"""Short forms of unit names: every autonomous prefecture and county of Yunnan, and a short
form that fits two units is refused, never guessed."""

import csv
from importlib import resources
from types import SimpleNamespace

import pytest

from xiaoneng.units.names import AmbiguousName, NameIndex, common_name, short_forms, stem


def _divisions() -> list[dict]:
    text = (
        resources.files("xiaoneng.units").joinpath("data/yunnan_divisions.csv").read_text("utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


def _unit(pk, name, code="", parent=None, short_name="", former_name=""):
    return SimpleNamespace(
        pk=pk, name=name, code=code or str(pk), parent_id=parent,
        short_name=short_name, former_name=former_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name, forms",
    [
        ("西双版纳傣族自治州", {"西双版纳州", "西双版纳", "版纳", "版纳州"}),
        ("红河哈尼族彝族自治州", {"红河州", "红河"}),
        ("德宏傣族景颇族自治州", {"德宏州", "德宏"}),
        ("怒江傈僳族自治州", {"怒江州", "怒江"}),
        ("石林彝族自治县", {"石林县", "石林"}),
        ("漾濞彝族自治县", {"漾濞县", "漾濞"}),
        ("玉龙纳西族自治县", {"玉龙县", "玉龙"}),
        ("双江拉祜族佤族布朗族傣族自治县", {"双江县", "双江"}),
        ("贡山独龙族怒族自治县", {"贡山县", "贡山"}),
        ("昆明市", {"昆明"}),
        ("五华区", {"五华"}),
        ("芒市", set()),
        ("云县", set()),
    ],
)
def test_it_gives_the_short_forms_of_an_official_name(name, forms):
    assert short_forms(name) == forms


def test_it_covers_every_autonomous_unit_of_yunnan():
    autonomous = [r for r in _divisions() if "自治" in r["name"]]
    assert len(autonomous) == 37  # 8 prefectures, 29 counties
    for row in autonomous:
        kind = row["name"][-1]
        base = stem(row["name"])
        assert 2 <= len(base) <= 4 and "族" not in base, row["name"]
        assert common_name(row["name"]) == base + kind
        assert {base, base + kind} <= short_forms(row["name"])


def test_no_short_form_of_yunnan_fits_two_units_of_one_level_or_prefecture():
    rows = _divisions()
    for level, group in (("prefecture", None), ("county", "parent"), ("county", None)):
        units = [
            _unit(int(r["adcode"]), r["name"], r["adcode"], r["parent"])
            for r in rows
            if r["level"] == level
        ]
        index = NameIndex(units, group=(lambda u: u.parent_id) if group else (lambda u: None))
        for unit in units:
            key = unit.parent_id if group else None
            for text in short_forms(unit.name) | {unit.name}:
                assert index.find(text, key) is unit, text


def test_the_index_finds_a_unit_by_any_name():
    units = [
        _unit(1, "西双版纳傣族自治州"),
        _unit(2, "昆明市", short_name="昆明"),
        _unit(3, "普洱市", former_name="思茅市"),
    ]
    index = NameIndex(units)
    for text, pk in [("版纳", 1), ("西双版纳州", 1), ("西双版纳傣族自治州", 1), ("昆明", 2),
                     ("2", 2), ("思茅市", 3), ("思茅", 3), ("普洱", 3)]:  # fmt: skip
        assert index.find(text).pk == pk, text
    assert index.find("火星州") is None


def test_an_ambiguous_short_form_is_refused_and_names_both_units():
    index = NameIndex([_unit(1, "新华区"), _unit(2, "新华县"), _unit(3, "新华")])
    assert index.find("新华").pk == 3  # an official name wins over a short form
    index = NameIndex([_unit(1, "新华区"), _unit(2, "新华县")])
    with pytest.raises(AmbiguousName) as info:
        index.find("新华")
    assert "新华区" in str(info.value) and "新华县" in str(info.value)
    assert [u.pk for u in info.value.units] == [1, 2]


def test_groups_keep_the_same_name_apart():
    index = NameIndex([_unit(1, "城关区", parent=10), _unit(2, "城关区", parent=20)],
                      group=lambda u: u.parent_id)  # fmt: skip
    assert index.find("城关", 10).pk == 1 and index.find("城关", 20).pk == 2
    assert index.find("城关", 30) is None
