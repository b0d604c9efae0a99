"""Walks every URL pattern of the project.

- Anonymous users are redirected to the login page (web) or get 401 (API).
- The outsider (a handler in county B) gets 403 or 404 for every URL that names
  an object of county A, on GET and on POST, and never sees county A's marker
  text on a page without arguments.

Each app says how to build its URLs in `<app>/tests/url_samples.py`:
`samples(ctx) -> {route name: kwargs}`, creating county A objects whose shown
text contains MARKER. A new URL with arguments and no sample fails this test.
"""

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xiaoneng.conftest import URL_MARKER as MARKER

# Reachable without logging in, on purpose; an app adds its own public routes as `PUBLIC` in
# its tests/url_samples.py (the community's public board and sign-up).
BASE_PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "api-token",
    "core:healthz",
    "javascript-catalog",
}


def _sample_modules():
    for config in apps.get_app_configs():
        module_name = f"{config.name}.tests.url_samples"
        if (
            config.name.startswith("xiaoneng.")
            and find_spec(f"{config.name}.tests")
            and find_spec(module_name)
        ):
            yield import_module(module_name)


PUBLIC = BASE_PUBLIC.union(*(getattr(m, "PUBLIC", set()) for m in _sample_modules()))


def walk(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def route_names():
    seen = {}
    for name, pattern in walk():
        seen.setdefault(name, pattern)
    return sorted(seen.items())


def all_samples(url_ctx) -> dict:
    found = {}
    for module in _sample_modules():
        found.update(module.samples(url_ctx))
    return found


def takes_args(pattern) -> bool:
    return pattern.pattern.regex.groups > 0


def sample_url(name, pattern, samples):
    if not takes_args(pattern):
        return reverse(name)
    if name not in samples:
        pytest.fail(f"URL {name!r} takes arguments but no tests/url_samples.py gives a sample")
    return reverse(name, kwargs=samples[name])


@pytest.mark.django_db
def test_it_redirects_or_refuses_anonymous_users(client, url_ctx):
    samples = all_samples(url_ctx)
    for name, pattern in route_names():
        if name in PUBLIC:
            continue
        url = sample_url(name, pattern, samples)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (name, url, response.status_code)
        else:
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), (name, url)


@pytest.mark.django_db
def test_it_keeps_county_a_from_the_outsider(client_for, url_ctx):
    samples = all_samples(url_ctx)
    outsider = client_for(url_ctx["handler_b"])
    # A unit admin's view of county B must not leak county A either.
    checked = 0
    for name, pattern in route_names():
        if name in PUBLIC:
            continue
        url = sample_url(name, pattern, samples)
        if takes_args(pattern):
            for method in (outsider.get, outsider.post):
                response = method(url)
                assert response.status_code in (403, 404, 405), (
                    name,
                    url,
                    method,
                    response.status_code,
                )
                assert MARKER not in response.content.decode(errors="ignore"), (name, url)
            checked += 1
        else:
            response = outsider.get(url)
            assert response.status_code in (200, 302, 403, 404, 405), (
                name,
                url,
                response.status_code,
            )
            assert MARKER not in response.content.decode(errors="ignore"), (name, url)
    assert checked > 0


def test_every_route_with_arguments_has_a_sample(db, url_ctx):
    samples = all_samples(url_ctx)
    missing = [
        n for n, p in route_names() if takes_args(p) and n not in samples and n not in PUBLIC
    ]
    assert missing == []
