"""Requirement 8 of issue 10: bad input gets a clean answer, never a 500.

The walk tries every filter parameter of every list page and API list with the numbers a
hostile user types (beyond bigint, negative, in exponent notation, not a number, empty, a
Unicode digit that Python's str.isdigit accepts and int() refuses). Run it on both
databases: PostgreSQL and SQLite fail differently on an integer beyond 64 bits.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from xiaoneng.core.forms import date_window
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.test_url_walk import PUBLIC, all_samples, route_names, takes_args
from xiaoneng.supervision.models import Violation

BAD_NUMBERS = ["99999999999999999999", "-1", "1e23", "abc", "", "²", "9" * 5000]

# Query parameters that views read by hand (outside any form), tried on every page.
HAND_READ = ["page", "parent", "item", "lead_unit", "behaviour", "unit", "limit", "offset"]

# Pages that do something else than show a list on GET.
SKIP = PUBLIC | {"api-docs", "api-schema"}


def form_parameters(html: str) -> set[str]:
    """Names of the inputs and selects of the page's GET forms (its filters)."""
    names = set()
    for form in re.findall(r"<form\b(.*?)</form>", html, flags=re.S | re.I):
        head = form.split(">", 1)[0]
        if re.search(r"method=\"?post", head, flags=re.I):
            continue
        names.update(re.findall(r"<(?:input|select)\b[^>]*\bname=\"([^\"]+)\"", form))
    return names - {"csrfmiddlewaretoken"}


def api_parameters(schema: dict, url: str) -> set[str]:
    """The query parameters that the OpenAPI schema gives the list at `url`."""
    operation = schema["paths"].get(url, {}).get("get", {})
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


@pytest.mark.django_db
def test_it_answers_bad_numbers_in_every_filter_without_a_500(client_for, url_ctx):
    all_samples(url_ctx)  # objects everywhere, so that filters have rows to work on
    client = client_for(url_ctx["supervisor"])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    tried, failures = 0, []
    for name, pattern in route_names():
        if name in SKIP or takes_args(pattern):
            continue
        url = reverse(name)
        first = client.get(url)
        if first.status_code != 200:
            continue
        if url.startswith("/api/"):
            params = api_parameters(schema, url) | {"limit", "offset"}
        else:
            params = form_parameters(first.content.decode(errors="ignore")) | set(HAND_READ)
        for param in sorted(params):
            for value in BAD_NUMBERS:
                try:
                    status = client.get(url, {param: value}).status_code
                except Exception as exc:  # the test client re-raises what would be a 500
                    status = f"{type(exc).__name__}: {exc}"[:120]
                if status not in (200, 302, 400, 404):
                    failures.append((name, param, value, status))
                tried += 1
    assert not failures, "\n".join(map(str, failures))
    assert tried > 500


BAD_IDS = ["99999999999999999999", "9223372036854775808", "0", "-1", "abc"]


@pytest.mark.django_db
def test_it_answers_404_for_a_bad_id_in_any_url(client_for, url_ctx):
    samples = all_samples(url_ctx)
    client = client_for(url_ctx["supervisor"])
    failures, tried = [], 0
    for name, _pattern in route_names():
        if name in SKIP or "pk" not in samples.get(name, {}):
            continue
        kwargs = samples[name]
        url = reverse(name, kwargs=kwargs)
        for bad in BAD_IDS:
            bad_url = url.replace(f"/{kwargs['pk']}/", f"/{bad}/", 1)
            for method in (client.get, client.post):
                try:
                    status = method(bad_url).status_code
                except Exception as exc:
                    status = f"{type(exc).__name__}: {exc}"[:120]
                if status not in (404, 405):
                    failures.append((name, bad_url, method.__name__, status))
                tried += 1
    assert not failures, "\n".join(map(str, failures))
    assert tried > 100


def post_forms(html: str, url: str) -> list[tuple[str, set[str]]]:
    """The page's POST forms: (the address each posts to, the names of its fields)."""
    found = []
    for form in re.findall(r"<form\b(.*?)</form>", html, flags=re.S | re.I):
        head = form.split(">", 1)[0]
        if not re.search(r"method=\"?post", head, flags=re.I):
            continue
        action = re.search(r"action=\"([^\"]*)\"", head)
        target = (action.group(1) if action else "").replace("&amp;", "&") or url
        names = set(re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", form))
        found.append((target, names - {"csrfmiddlewaretoken", "version"}))
    return found


# Forms that are not a form to fill in: a button that does one thing (sign out, switch the
# language), answered with a redirect whatever else is posted.
ONE_CLICK = {"/accounts/logout/", "/i18n/setlang/"}


@pytest.mark.django_db
def test_every_form_answers_bad_numbers_with_the_form_never_a_500(client_for, url_ctx):
    """Each field of each POST form in the URL walk, posted alone with a bad number: a form
    that posts to its own page comes back (200 or 400) with the form and its errors; a form
    that posts elsewhere (an action on an item's page) answers without a 500."""
    samples = all_samples(url_ctx)
    client = client_for(url_ctx["supervisor"])
    failures, tried = [], 0
    for name, pattern in route_names():
        if name in SKIP or name.startswith("api-") or (takes_args(pattern) and name not in samples):
            continue
        url = reverse(name, kwargs=samples.get(name) if takes_args(pattern) else None)
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for target, fields in post_forms(page.content.decode(errors="ignore"), url):
            if target in ONE_CLICK:
                continue
            for field in sorted(fields):
                for value in [*BAD_NUMBERS[:4], "²"]:
                    try:
                        response = client.post(target, {field: value})
                    except Exception as exc:  # the test client re-raises what would be a 500
                        failures.append((name, target, field, value, type(exc).__name__))
                        continue
                    status = response.status_code
                    if target == url:
                        ok = status in (200, 400) and b"<form" in response.content
                    else:
                        ok = status in (200, 302, 400, 403, 404)
                    if not ok:
                        failures.append((name, target, field, value, status))
                    tried += 1
    assert not failures, "\n".join(map(str, failures))
    assert tried > 100


# --- Dates and texts: one rule for every form and API body (core.forms) ---------------


@pytest.fixture
def violation(url_ctx):
    from xiaoneng.supervision.models import Behaviour

    behaviour = Behaviour.objects.filter(name="推诿扯皮").first() or Behaviour.objects.create(
        name="推诿扯皮", actor=SYSTEM
    )

    def values(**extra):
        return {
            "behaviour": behaviour.pk,
            "unit": url_ctx["county_a"].pk,
            "person_name": "张三",
            "date": dt.date.today().isoformat(),
            "facts": "群众反映办事推诿。",
            "action": "reminder",
            **extra,
        }

    return values


def far_future() -> str:
    return (date_window()[1] + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("day", ["1999-12-31", "0001-01-01", "far future"])
def test_a_form_refuses_a_date_outside_the_window(client_for, url_ctx, violation, day):
    day = far_future() if day == "far future" else day
    client = client_for(url_ctx["supervisor"])
    response = client.post(reverse("supervision:violation_create"), violation(date=day))
    assert response.status_code == 200
    _earliest, latest = date_window()
    assert (
        f"日期超出范围：应在 2000-01-01 至 {latest.isoformat()} 之间" in response.content.decode()
    )
    assert not Violation.objects.exists()


def test_a_form_accepts_the_edges_of_the_window(client_for, url_ctx, violation):
    client = client_for(url_ctx["supervisor"])
    for day in date_window():
        response = client.post(reverse("supervision:violation_create"), violation(date=day))
        assert response.status_code == 302, response.content.decode()
    assert Violation.objects.count() == 2


def test_the_window_is_configurable(client_for, url_ctx, violation, settings):
    settings.DATE_MIN_YEAR = 2020
    settings.DATE_MAX_YEARS_AHEAD = 1
    client = client_for(url_ctx["supervisor"])
    response = client.post(reverse("supervision:violation_create"), violation(date="2019-12-31"))
    assert "应在 2020-01-01 至" in response.content.decode()
    assert not Violation.objects.exists()


def test_a_form_refuses_a_text_over_the_maximum(client_for, url_ctx, violation, settings):
    client = client_for(url_ctx["supervisor"])
    facts = "长" * (settings.TEXT_MAX_CHARS + 1)
    response = client.post(reverse("supervision:violation_create"), violation(facts=facts))
    assert response.status_code == 200
    limit = settings.TEXT_MAX_CHARS
    assert f"内容过长：最多 {limit} 个字符（现有 {limit + 1} 个）" in response.content.decode()
    # A CharField keeps its own maximum, in Chinese too.
    response = client.post(
        reverse("supervision:violation_create"), violation(person_name="名" * 500)
    )
    assert "内容过长：最多 50 个字符（现有 500 个）" in response.content.decode()
    assert not Violation.objects.exists()


def test_the_api_refuses_dates_and_texts_naming_the_field(client_for, url_ctx, violation, settings):
    client = client_for(url_ctx["supervisor"])
    body = violation(date="1999-12-31", facts="长" * (settings.TEXT_MAX_CHARS + 1))
    response = client.post("/api/violations/", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["date"][0].startswith("日期超出范围：应在 2000-01-01 至")
    assert errors["facts"][0].startswith("内容过长")
    item = {
        "kind": "problem",
        "title": "测试",
        "lead_unit": url_ctx["county_a"].pk,
        "deadline": far_future(),
        "description": "长" * (settings.TEXT_MAX_CHARS + 1),
    }
    response = client.post("/api/items/", item, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"deadline", "description"}
    assert not Violation.objects.exists()


def test_the_api_schema_shows_the_text_maximum(client_for, url_ctx, settings):
    schema = client_for(url_ctx["supervisor"]).get("/api/schema/", {"format": "json"}).json()
    facts = schema["components"]["schemas"]["Violation"]["properties"]["facts"]
    assert facts["maxLength"] == settings.TEXT_MAX_CHARS


@pytest.mark.parametrize("value", [dt.date(1999, 12, 31), "1999-12-31", "2099年3月", "20990301"])
def test_the_imports_read_dates_with_the_same_window(value):
    from xiaoneng.projects.parsing import BadValue, parse_date
    from xiaoneng.supervision.ledgers import parse_day

    with pytest.raises(BadValue, match="日期超出范围：应在 2000-01-01 至"):
        parse_date(value)
    with pytest.raises(ValueError, match="日期超出范围"):
        parse_day(value if value != "2099年3月" else "2099年3月1日")
    assert parse_date("2000-01") == dt.date(2000, 1, 1)


@pytest.mark.django_db
def test_the_refusals_name_the_parameter(client_for, province_supervisor):
    client = client_for(province_supervisor)
    response = client.get("/api/units/", {"parent": "99999999999999999999"})
    assert response.status_code == 400
    assert response.json() == {"parent": ["应为有效的编号（正整数）。"]}
    response = client.get("/api/items/", {"limit": "1e23"})
    assert response.status_code == 400
    assert response.json() == {"limit": ["应为 1 至 1000 之间的整数。"]}
    assert client.get("/api/items/", {"offset": "-1"}).status_code == 400
    page = client.get("/units/", {"parent": "abc"}).content.decode()
    assert "筛选条件“上级单位”无效，未使用：应为有效的编号（正整数）。" in page
    assert client.get("/units/new/", {"parent": "99999999999999999999"}).status_code == 404
