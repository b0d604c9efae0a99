"""Chinese that reads as written by a person (issue 12 item 10).

Two checks of the typography offices expect: no ASCII period next to Chinese text ("已保存."
instead of "已保存。"), and no space between two Chinese characters or between a Chinese
character and Chinese punctuation ("西山区 周承办", "请选择 ："). Numbers, web addresses and
file names (1.5, example.cn, 台账.xlsx) are not periods.

- Every page of the URL walk (core/tests/test_url_walk.py and the apps' url_samples.py), as
  several roles see it: the visible text (scripts and styles left out) and the text people
  read in attributes (placeholder, title, aria-label, alt, data-label, data-confirm).
- Every message of our own catalogue: the strings the code marks for translation (_() and
  its kin in Python, {% translate %} and {% blocktranslate %} in templates).
- Django's own messages that our forms show, through our override catalogue
  (locale/zh_Hans): "最多保留 2 位小数。", not Django's "确认小数不超过 2 位."
"""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from lxml import html as lxml_html

from xiaoneng.core.tests.test_url_walk import PUBLIC, all_samples, route_names, sample_url

ROOT = Path(settings.BASE_DIR)
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Chinese punctuation a space must not touch on its Chinese side.
OPENING = "（《“\u2018【「"
CLOSING = "，。、；：\uff01\uff1f）》”\u2019】」"
PROBLEMS = {
    "英文句点": re.compile(rf"[{HAN}]\.(?![A-Za-z0-9])|(?<![A-Za-z0-9./])\.[{HAN}]"),
    "多余空格": re.compile(
        rf"[{HAN}{CLOSING}]\s+[{HAN}{CLOSING}]|[{OPENING}]\s+[{HAN}]|[{HAN}]\s+[{OPENING}]"
    ),
    # Django's empty choice: a filter's reads 全部, a form's 请选择 or 无 (core.filters, core.forms).
    "空选项写成横线": re.compile(r"-{5,}"),
}
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-label", "data-confirm")


def problems_in(text: str) -> list[str]:
    """The problems of one piece of text, each with a few characters around it."""
    found = []
    for name, pattern in PROBLEMS.items():
        for match in pattern.finditer(text):
            start, end = max(match.start() - 8, 0), match.end() + 8
            found.append(f"{name}：“{text[start:end].strip()}”")
    return found


def visible_texts(page: str) -> list[str]:
    """Each text node of the page's body (not scripts or styles) and the attributes people
    read, one by one: the space between two cells of a table is not a space in a text."""
    doc = lxml_html.fromstring(page)
    for element in doc.xpath("//script|//style|//template"):
        element.drop_tree()
    texts = [t for t in doc.xpath("//body//text()") if t.strip()]
    for name in READ_ATTRIBUTES:
        texts += [el.get(name) for el in doc.xpath(f"//*[@{name}]")]
    return texts


# --- the rules themselves ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "已提交进展反馈.",
        "已保存.请刷新",
        "西山区 周承办",
        "请选择 ：",
        "（ 必填）",
        "办结 。",
        "说明 （可选）",
    ],
)
def test_it_finds_what_a_person_would_not_write(text):
    assert problems_in(text)


@pytest.mark.parametrize(
    "text",
    ["已提交进展反馈。", "增长 1.5%", "下载台账.xlsx", "见 www.gov.cn 首页", "共 3 项",
     "2026-11-30 14:05", "API 令牌", "Excel 台账", "“台账”：说明", "第 1 / 3 页"],
)  # fmt: skip
def test_it_leaves_numbers_addresses_and_file_names_alone(text):
    assert problems_in(text) == []


# --- our catalogue ------------------------------------------------------------------------

PY_STRING = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|gettext_noop|pgettext|pgettext_lazy|ngettext|ngettext_lazy)"""
    r"""\(\s*(?:"[^"]*",\s*)?(?P<q>["'])(?P<text>(?:(?!(?P=q)).|\\.)*?)(?P=q)""",
)
TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)""")
BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b[^%]*%\}(?P<text>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)


def catalogue_strings() -> list[tuple[str, str]]:
    """(where, text) for every string our code marks for translation."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for match in PY_STRING.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), match["text"]))
    for path in sorted(ROOT.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (TEMPLATE_STRING, BLOCK):
            for match in pattern.finditer(text):
                found.append((str(path.relative_to(ROOT)), match["text"]))
    return [(where, neutral(text)) for where, text in found]


def neutral(text: str) -> str:
    """A message with its placeholders as a number (a count, most often: 共 {{ n }} 项 reads
    共 3 项) and its template tags ({% plural %}) left out."""
    text = re.sub(r"\{\{[^}]*\}\}|%\([a-z_]+\)[sdr]|%[sdr]|\{[a-z_]*\}", "1", text)
    return re.sub(r"\{%[^%]*%\}", "|", text)


# Examples of what to type, where the spaces are the syntax (the holiday calendar's lines).
INPUT_SYNTAX = ("2027-02-06~2027-02-12 休 春节", "2027-02-14 班 春节调休")


def problems_in_prose(text: str) -> list[str]:
    for example in INPUT_SYNTAX:
        text = text.replace(example, "")
    return problems_in(text)


def test_our_catalogue_is_written_in_chinese_typography():
    strings = catalogue_strings()
    assert len(strings) > 500  # the collection works
    bad = [f"{where}: {text!r} — {p}" for where, text in strings for p in problems_in_prose(text)]
    assert bad == [], "\n" + "\n".join(bad)


# --- Django's own messages through our override catalogue ---------------------------------


def test_djangos_messages_read_as_our_offices_write_them():
    from django.contrib.auth.forms import AuthenticationForm

    with translation.override("zh-hans"):
        with pytest.raises(forms.ValidationError) as refused:
            forms.DecimalField(decimal_places=2).clean("1.234")
        assert refused.value.messages == ["最多保留 2 位小数。"]
        with pytest.raises(forms.ValidationError) as refused:
            forms.CharField().clean("")
        assert refused.value.messages == ["此项必填。"]
        with pytest.raises(forms.ValidationError) as refused:
            forms.IntegerField(max_value=100).clean("101")
        assert refused.value.messages == ["不能大于 100。"]
        with pytest.raises(forms.ValidationError) as refused:
            forms.DateField().clean("2026-13-45")
        assert refused.value.messages == ["请填写正确的日期，如 2026-12-31。"]
        invalid = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": "用户名"}
        assert invalid == "用户名或密码错误，请重新输入。"
        for text in (invalid, refused.value.messages[0]):
            assert problems_in(text) == []


def po_entries(path) -> dict:
    """{msgid: msgstr} of a .po file as gettext keys them (a plural entry: (msgid, n) for
    each form), the header left out."""
    import ast

    entries: dict = {}
    entry: dict = {}
    key = None

    def flush():
        if entry.get("msgid"):
            if "msgid_plural" in entry:
                for index, text in sorted(entry["forms"].items()):
                    entries[(entry["msgid"], index)] = text
            else:
                entries[entry["msgid"]] = entry.get("msgstr", "")

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            flush()
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["forms"][key[1]] += text
            else:
                entry[key] += text
        else:
            word, _space, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if word.startswith("msgstr["):
                key = ("forms", int(word[7:-1]))
                entry.setdefault("forms", {})[key[1]] = text
            else:
                key = word
                entry[key] = text
    return entries


def test_the_override_catalogue_is_compiled_from_its_source():
    """The .mo Django reads holds the .po's current text (run msgfmt --check-format after an
    edit): compared entry by entry, not by file times, which a fresh clone does not keep."""
    import gettext

    folder = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    source = {k: v for k, v in po_entries(folder / "django.po").items() if v}
    assert compiled == source


# --- the pages ----------------------------------------------------------------------------

SKIPPED = ("export", "template", "download", "attachment", "healthz", "jsi18n", "schema", "docs")


def page_problems(client, url, method="get") -> list[str]:
    response = getattr(client, method)(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    found = []
    for text in visible_texts(response.content.decode()):
        found += [f"{url}: {p}" for p in problems_in_prose(text)]
    return found


@pytest.mark.django_db
def test_no_page_shows_english_periods_or_stray_spaces_in_chinese(
    client, client_for, url_ctx, province_supervisor, handler_a, admin_a, prefecture
):
    from xiaoneng.conftest import make_user

    samples = all_samples(url_ctx)
    people = [
        province_supervisor,
        handler_a,
        admin_a,
        make_user("km_ld", prefecture, "leader", name="昆明领导"),
        make_user("xs_tb", url_ctx["county_a"], "reporter", name="西山填报"),
    ]
    urls = []
    for name, pattern in route_names():
        if name in PUBLIC or name.startswith("api") or any(s in name for s in SKIPPED):
            continue
        url = sample_url(name, pattern, samples)
        if not url.startswith("/api/"):
            urls.append(url)
    assert len(urls) > 30  # the walk works
    found = page_problems(client, "/accounts/login/")
    for person in people:
        logged_in = client_for(person)
        for url in urls:
            found += [f"{person.username} {p}" for p in page_problems(logged_in, url)]
    # Every form posted empty: its errors, as the page shows them.
    logged_in = client_for(province_supervisor)
    for url in urls:
        found += [f"POST {p}" for p in page_problems(logged_in, url, "post")]
    assert found == [], "\n" + "\n".join(sorted(set(found)))
