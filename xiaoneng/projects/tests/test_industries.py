"""Industry names and aliases: the ledger import and the summary resolve them through one
function (industries.IndustryIndex) with one rule for ambiguity."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import services
from xiaoneng.projects.industries import AmbiguousIndustry, IndustryIndex
from xiaoneng.projects.models import Industry, Project

from .conftest import HEADERS, ledger_row, xlsx


@pytest.fixture
def catalogue(batch):
    """The default catalogue, plus an alias two industries share and an industry whose
    name is another industry's alias (旅游 is an alias of 文化旅游)."""
    for name in ("交通", "水利"):
        industry = Industry.objects.get(name=name)
        industry.aliases += "、基础设施"
        industry.save(actor=SYSTEM)
    Industry.objects.create(name="旅游", sort=99, actor=SYSTEM)  # sorts after 文化旅游


def _import_answer(text: str, batch) -> str:
    """The industry the import gives a row naming `text`, or "ambiguous: <names>"."""
    Project.all_objects.all().delete(actor=SYSTEM)
    try:
        services.import_projects(
            xlsx(HEADERS, [ledger_row("P1", industry=text)]), batch=batch, actor=SYSTEM
        )
    except ImportFailed as exc:
        (error,) = exc.errors
        return f"error: {error.message}"
    return Project.objects.get(code="P1").industry.name


def _summary_answer(text: str, capsys) -> str:
    try:
        call_command("projects", "summary", "--industry", text, "--json")
    except CommandError as exc:
        return f"error: {exc}"
    return json.loads(capsys.readouterr().out)["scope"].rsplit("·", 1)[-1]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("交通", "交通"),  # a name
        ("旅游业", "文化旅游"),  # an alias
        ("旅游", "旅游"),  # a name wins over another industry's alias
        ("基础设施", "error: 行业“基础设施”不明确：可指交通、水利"),  # two industries' alias
    ],
)
def test_the_import_and_the_summary_give_the_same_answer(
    catalogue, batch, county_a, capsys, text, expected
):
    assert _import_answer(text, batch) == expected
    assert _summary_answer(text, capsys) == expected


def test_an_alias_of_two_industries_is_never_guessed(catalogue):
    with pytest.raises(AmbiguousIndustry) as info:
        IndustryIndex().find("基础设施")
    assert [i.name for i in info.value.industries] == ["交通", "水利"]
    assert IndustryIndex().find("没有") is None
