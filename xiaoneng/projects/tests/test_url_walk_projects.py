"""The project-wide URL walk, limited to this module's routes (so it runs while other
modules are under construction): anonymous → login/401; the outsider (a handler in
county B) gets 403/404 for county A's objects and never sees the marker."""

import pytest
from django.urls import reverse

from xiaoneng.core.tests.test_url_walk import MARKER, route_names, takes_args

from . import url_samples

pytest_plugins: list = []


def _mine():
    return [
        (name, p)
        for name, p in route_names()
        if name.startswith("projects:") or name.startswith("api-project")
    ]


@pytest.fixture
def ctx(province_supervisor, handler_a, handler_b, county_a, county_b):
    return {
        "county_a": county_a,
        "county_b": county_b,
        "handler_a": handler_a,
        "handler_b": handler_b,
        "supervisor": province_supervisor,
        "marker": MARKER,
    }


def _url(name, pattern, samples):
    return reverse(name, kwargs=samples[name]) if takes_args(pattern) else reverse(name)


def test_it_redirects_or_refuses_anonymous_users(client, ctx):
    samples = url_samples.samples(ctx)
    for name, pattern in _mine():
        url = _url(name, pattern, samples)
        response = client.get(url)
        expected = 401 if url.startswith("/api/") else 302
        assert response.status_code == expected, (name, url, response.status_code)


def test_it_keeps_county_a_from_the_outsider(client_for, ctx):
    samples = url_samples.samples(ctx)
    outsider = client_for(ctx["handler_b"])
    for name, pattern in _mine():
        url = _url(name, pattern, samples)
        if takes_args(pattern):
            for method in (outsider.get, outsider.post):
                response = method(url)
                assert response.status_code in (403, 404, 405), (name, url, response.status_code)
                assert MARKER not in response.content.decode(errors="ignore"), (name, url)
        else:
            response = outsider.get(url)
            assert response.status_code in (200, 302, 403, 404, 405), (
                name,
                url,
                response.status_code,
            )
            assert MARKER not in response.content.decode(errors="ignore"), (name, url)


def test_every_page_renders_for_the_supervisor(client_for, ctx):
    samples = url_samples.samples(ctx)
    client = client_for(ctx["supervisor"])
    for name, pattern in _mine():
        response = client.get(_url(name, pattern, samples))
        assert response.status_code == 200, (name, response.status_code)
