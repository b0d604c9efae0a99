"""字数 counted by hand, the kind from the title, the limits and each padding rule."""

import pytest

from xiaoneng.brevity import conf
from xiaoneng.brevity.analyzer import (
    KIND_LABELS,
    KINDS,
    analyze_paragraphs,
    count_chars,
    guess_kind,
    sentences,
)
from xiaoneng.core.checks import check_thresholds
from xiaoneng.env import ConfigError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Chinese only: 开短会 3 + 、 + 讲短话 3 + 、 + 发短文 3 + 。 = 12
        ("开短会、讲短话、发短文。", 12),
        # “ 作风革命 ” —— 《 效能 》 （ 一 ） … : 1+4+1+2+1+2+1+1+1+1+1 = 16
        ("“作风革命”——《效能》（一）…", 16),
        # the ideographic space and any white space count 0
        ("效能\u3000革命 \t\n", 4),
        # digits and Latin letters: a run counts 1
        ("2022年", 2),
        ("GDP增长", 3),
        # 2022 年 GDP 增长 5.2% ， 高于全国 0.8 个百分点 。 = 1+1+1+2+1+1+4+1+4+1 = 17
        ("2022年GDP增长5.2%，高于全国0.8个百分点。", 17),
        ("v1.2 版本", 3),
        ("Hello, world!", 2),
        # full-width punctuation counts 1 each; half-width punctuation on its own is a run
        ("你好，世界！", 6),
        ("你好,世界!", 6),
        ("，。、；：！？", 7),
        (",.;", 1),
        # full-width letters and digits count 1 each (Word counts them as Asian characters)
        ("ＡＢＣ１２３", 6),
        # CJK extension B and compatibility ideographs
        ("\U00020000\uf900", 2),
        ("①②Ⅱ", 3),
        ("", 0),
    ],
)
def test_it_counts_as_word_does(text, expected):
    assert count_chars(text) == expected


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("关于开展作风革命效能革命的通知", "通知"),
        ("关于2024年第一季度督查情况的通报", "通报"),
        ("西山区2024年政府工作报告", "报告"),
        ("关于禁止燃放烟花爆竹的通告", "通告"),
        ("昆明市人民政府公告", "公告"),
        ("关于商请支持的函", "函"),
        ("市政府第十次常务会议纪要", "纪要"),
        ("关于加强基层减负的意见（征求意见稿）", "意见"),
        ("关于申请专项资金的请示。", "请示"),
        ("关于同意设立的批复", "批复"),
        ("嘉奖令", "命令"),
        ("关于表彰先进集体的决定", "决定"),
        ("第十五届人大三次会议决议", "决议"),
        ("关于修改条例的议案", "议案"),
        ("中共云南省委十一届五次全会公报", "公报"),
        ("作风革命实施方案", None),
        ("", None),
    ],
)
def test_it_guesses_the_kind_from_the_end_of_the_title(title, kind):
    assert guess_kind(title) == kind


def test_it_exports_the_15_kinds_in_order():
    assert KINDS[:3] == ("决议", "决定", "命令")
    assert KINDS[-2:] == ("函", "纪要")
    assert len(KINDS) == 15
    assert set(KIND_LABELS) == {"opening", "repeated", "long_sentence", "empty_summary"}


def test_it_splits_sentences_with_their_closing_quotes():
    assert sentences("第一句。第二句！“引号。”后面？没有结尾") == [
        "第一句。",
        "第二句！",
        "“引号。”",
        "后面？",
        "没有结尾",
    ]


def body_of(chars: int, title: str = "关于开展效能检查的通知") -> list[str]:
    """A title and body paragraphs of exactly `chars` 字 in all."""
    sentence = "各单位要按时报送检查结果。"  # 13 字
    left = chars - count_chars(title)
    paragraphs = [title]
    while left >= 13:
        paragraphs.append(sentence)
        left -= 13
    paragraphs.append("查" * left)
    assert count_chars("\n".join(paragraphs)) == chars
    return paragraphs


@pytest.mark.parametrize(("chars", "over"), [(4999, False), (5000, False), (5001, True)])
def test_it_applies_the_document_limit_at_its_threshold(chars, over):
    report = analyze_paragraphs(body_of(chars))
    assert (report.chars, report.limit, report.over, report.kind) == (chars, 5000, over, "通知")


@pytest.mark.parametrize(("chars", "over"), [(3999, False), (4000, False), (4001, True)])
def test_it_applies_the_single_task_limit_at_its_threshold(chars, over):
    report = analyze_paragraphs(body_of(chars), single_task=True)
    assert (report.limit, report.over) == (4000, over)


def test_it_reads_limits_from_the_settings(settings):
    settings.XIAONENG_BREVITY_DOC_LIMIT = 6000
    settings.XIAONENG_BREVITY_LIMITS = "county:通知=3000;纪要=2000;county:*=4500;county:单项=2500"
    assert conf.document_limit("通知") == 6000
    assert conf.document_limit("通知", level="county") == 3000
    assert conf.document_limit("意见", level="county") == 4500
    assert conf.document_limit("纪要", level="province") == 2000
    assert conf.document_limit("纪要", level="county") == 4500  # county:* is more specific
    assert conf.document_limit(None, level="county") == 4500
    assert conf.document_limit("意见", single_task=True) == 4000
    assert conf.document_limit("意见", single_task=True, level="county") == 2500
    assert conf.document_limit("纪要", single_task=True) == 2000  # the lower of the two


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("city:通知=3000", "unknown level"),
        ("county:方案=3000", "unknown kind"),
        ("通知=三千", "whole number"),
        ("通知=0", "above 0"),
        ("通知", r"expected \[level:\]kind=limit"),
    ],
)
def test_it_refuses_a_bad_limits_setting(raw, problem):
    with pytest.raises(ConfigError, match=problem):
        conf.parse_limits(raw)


def test_the_system_check_names_a_bad_setting(settings):
    settings.XIAONENG_BREVITY_LIMITS = "city:通知=3000"
    settings.XIAONENG_BREVITY_LONG_SENTENCE = 5
    messages = [m.msg for m in check_thresholds(None)]
    assert any("XIAONENG_BREVITY_LIMITS" in m and "unknown level" in m for m in messages)
    assert any("XIAONENG_BREVITY_LONG_SENTENCE=5" in m for m in messages)


def test_the_system_check_passes_the_defaults():
    assert not [m for m in check_thresholds(None) if "BREVITY" in m.msg]


def paddings(paragraphs, kind):
    return [(p.text, p.paragraph) for p in analyze_paragraphs(paragraphs).padding if p.kind == kind]


def test_it_finds_boilerplate_openings():
    found = paddings(
        [
            "关于开展作风革命的通知",
            "为深入贯彻落实省委、省政府决策部署，推动作风革命走深走实，现就有关事项通知如下。",
            "近年来，在市委、市政府的坚强领导下，全市营商环境持续改善。",
            "一、各县（市、区）于6月30日前报送自查报告。",
        ],
        "opening",
    )
    assert found == [
        ("为深入贯彻落实省委、省政府决策部署，推动作风革命走深走实，现就有关事项通知如下。", 2),
        ("近年来，在市委、市政府的坚强领导下，全市营商环境持续改善。", 3),
    ]


def test_it_takes_the_opening_phrases_from_the_setting(settings):
    settings.XIAONENG_BREVITY_OPENING_PHRASES = "众所周知|随着…的发展"
    found = paddings(
        ["通知", "随着经济社会的发展，问题日益突出。", "为深入贯彻落实精神，做好工作。"], "opening"
    )
    assert found == [("随着经济社会的发展，问题日益突出。", 2)]


def test_it_reads_the_phrases_from_a_file(settings, tmp_path):
    path = tmp_path / "phrases.txt"
    path.write_text("# 我们的套话\n众所周知\n\n", encoding="utf-8")
    settings.XIAONENG_BREVITY_OPENING_PHRASES = f"@{path}"
    assert conf.opening_phrases() == ("众所周知",)


def test_it_reports_the_later_occurrences_of_a_repeated_sentence():
    found = paddings(
        [
            "关于加强督查的通知",
            "各地要压实责任，确保按期完成整改。其他内容。",
            "一、总体要求",
            "各地要压实责任，确保按期完成整改",  # no full stop: still the same sentence
            "一、总体要求",  # a short heading repeated is not padding
            "最后，各地要压实责任， 确保按期完成整改。",
        ],
        "repeated",
    )
    assert found == [("各地要压实责任，确保按期完成整改", 4)]


def test_a_sentence_counts_from_the_part_after_the_last_full_stop():
    found = paddings(
        ["通知", "前言。各地要压实责任，确保按期完成整改。", "各地要压实责任，确保按期完成整改。"],
        "repeated",
    )
    assert found == [("各地要压实责任，确保按期完成整改。", 3)]


@pytest.mark.parametrize(("chars", "flagged"), [(119, False), (120, False), (121, True)])
def test_it_finds_sentences_over_the_length(chars, flagged):
    sentence = "长" * (chars - 1) + "。"
    found = paddings(["通知", sentence], "long_sentence")
    assert found == ([(sentence, 2)] if flagged else [])


def test_the_sentence_length_is_configurable(settings):
    settings.XIAONENG_BREVITY_LONG_SENTENCE = 20
    assert paddings(["通知", "短句。" + "长" * 20 + "。"], "long_sentence") == [
        ("长" * 20 + "。", 2)
    ]


EMPTY = "开展作风革命效能革命意义重大、影响深远，各级各部门要充分认识其重要意义，切实增强责任感和紧迫感，以更加饱满的热情投入工作。"


@pytest.mark.parametrize(
    ("paragraph", "flagged"),
    [
        (EMPTY, True),
        # a figure, a date or a named unit makes it a report of facts
        ("全市共办结问题1,245件，" + EMPTY, False),
        ("二〇二四年，" + EMPTY, False),
        ("西山区人民政府" + EMPTY, False),
        ("全市共办结问题一千二百件，" + EMPTY, False),
        # without a 意义 phrase, or too short to be a paragraph of its own
        ("各级各部门要加强组织领导，压实工作责任，细化工作措施，确保各项任务落到实处。", False),
        ("这项工作意义重大。", False),
    ],
)
def test_it_finds_empty_summaries(paragraph, flagged):
    found = paddings(["通知", paragraph], "empty_summary")
    assert found == ([(paragraph, 2)] if flagged else [])


def test_generic_words_are_not_named_units():
    found = paddings(["通知", "各地区" + EMPTY], "empty_summary")
    assert len(found) == 1


def test_it_reports_in_the_json_shape():
    report = analyze_paragraphs(["", "关于测试的函", "", "为进一步加强管理，特函告如下。"])
    assert report.as_json() == {
        "chars": 21,  # 关于测试的函 6 + 为进一步加强管理 8 + ， + 特函告如下 5 + 。
        "paragraphs": 2,
        "title": "关于测试的函",
        "kind": "函",
        "limit": 5000,
        "over": False,
        "padding": [{"kind": "opening", "text": "为进一步加强管理，特函告如下。", "paragraph": 2}],
    }


def test_a_given_kind_wins_over_the_guess():
    assert analyze_paragraphs(["关于测试的函"], kind="通知").kind == "通知"


def test_the_title_may_follow_a_red_header():
    report = analyze_paragraphs(
        ["昆明市人民政府文件", "昆政发〔2024〕1号", "关于开展效能革命的意见", "正文。"]
    )
    assert (report.title, report.kind) == ("关于开展效能革命的意见", "意见")


def test_an_empty_document():
    report = analyze_paragraphs(["", "  "])
    assert (report.chars, report.paragraphs, report.title, report.kind, report.padding) == (
        0,
        0,
        "",
        None,
        [],
    )
