"""The project-wide URL walk (core/tests/test_url_walk.py) restricted to this module's routes,
so that this module's scope is checked even while another module's samples are missing."""

import pytest
from django.urls import reverse

from xiaoneng.core.tests.test_url_walk import MARKER, all_samples, route_names, takes_args

MINE = ("supervision:", "notifications:", "api-item", "api-violation", "api-notification")


def mine():
    return [(n, p) for n, p in route_names() if n.startswith(MINE)]


def _samples(ctx):
    from importlib import import_module

    import_module("xiaoneng.core.tests.url_samples").samples(ctx)
    found = {}
    for mod in (
        "xiaoneng.supervision.tests.url_samples",
        "xiaoneng.notifications.tests.url_samples",
    ):
        found.update(import_module(mod).samples(ctx))
    return found


@pytest.fixture
def ctx(province_supervisor, handler_a, handler_b, admin_a, county_a, county_b):
    return {
        "county_a": county_a,
        "county_b": county_b,
        "handler_a": handler_a,
        "handler_b": handler_b,
        "admin_a": admin_a,
        "supervisor": province_supervisor,
        "marker": MARKER,
    }


@pytest.mark.django_db
def test_it_refuses_anonymous_and_hides_county_a_from_the_outsider(client, client_for, ctx):
    samples = _samples(ctx)
    outsider = client_for(ctx["handler_b"])
    for name, pattern in mine():
        url = reverse(name, kwargs=samples[name]) if takes_args(pattern) else reverse(name)
        anon = client.get(url)
        assert anon.status_code == (401 if url.startswith("/api/") else 302), (
            name,
            anon.status_code,
        )
        for method in (outsider.get, outsider.post) if takes_args(pattern) else (outsider.get,):
            r = method(url)
            ok = (403, 404, 405) if takes_args(pattern) else (200, 302, 403, 404, 405)
            assert r.status_code in ok, (name, url, r.status_code)
            assert MARKER not in r.content.decode(errors="ignore"), (name, url)


@pytest.mark.django_db
def test_every_page_renders_for_the_owner(client_for, ctx):
    samples = _samples(ctx)
    sup = client_for(ctx["supervisor"])
    for name, pattern in mine():
        url = reverse(name, kwargs=samples[name]) if takes_args(pattern) else reverse(name)
        r = sup.get(url)
        # a notification belongs to its recipient only (handler_a), not to the supervisor
        ok = (200, 404, 405) if name.startswith("api-notification") else (200, 405)
        assert r.status_code in ok, (name, url, r.status_code)


def test_all_my_routes_have_samples(db, ctx):
    assert all_samples  # the project walk reads the same samples modules
    samples = _samples(ctx)
    missing = [n for n, p in mine() if takes_args(p) and n not in samples]
    assert missing == []
