"""Static files as production serves them: collected with hashed names, sent compressed
(brotli, else gzip) with far-future cache headers by the app itself (whitenoise), so that a
first visit of the project dashboard transfers at most 500 KB and a second one nothing."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

FIRST_VISIT_LIMIT = 500 * 1024
ASSET = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")


@pytest.fixture
def collected(tmp_path):
    """Our own files collected as `xiaoneng collectstatic` does in production (the API
    docs' and the framework's files are left out: the dashboard does not load them, and
    compressing them takes a minute)."""
    root = tmp_path / "static"
    with override_settings(STATIC_ROOT=root):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["drf_spectacular_sidecar", "rest_framework", "django_htmx"],
        )
        yield root


def served(middleware, url: str, encodings: str = "br, gzip"):
    request = RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encodings)
    return middleware(request)


@pytest.mark.django_db
def test_a_first_visit_of_the_dashboard_transfers_at_most_500_kb(
    collected, client_for, province_supervisor
):
    assert (collected / "staticfiles.json").exists()
    with override_settings(STATIC_ROOT=collected, WHITENOISE_USE_FINDERS=False):
        page = client_for(province_supervisor).get("/projects/")
        assert page.status_code == 200
        html = page.content.decode()
        assets = ASSET.findall(html)
        scripts = [a for a in assets if a.endswith(".js")]
        # The page asks for the hashed names, which the manifest gives.
        assert any("/vendor/echarts/echarts.min." in a for a in scripts), scripts
        assert all(re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", a) for a in assets), assets

        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        total = len(gzip.compress(page.content))
        for url in assets:
            response = served(middleware, url)
            assert response.status_code == 200, url
            assert response.headers.get("Content-Encoding") in ("br", "gzip"), url
            cache = response.headers["Cache-Control"]
            assert "immutable" in cache and "max-age=315360000" in cache, (url, cache)
            total += int(response.headers["Content-Length"])
            response.close()
    assert total <= FIRST_VISIT_LIMIT, f"{total / 1024:.0f} KB"


@pytest.mark.django_db
def test_brotli_when_asked_gzip_for_older_browsers(collected):
    with override_settings(STATIC_ROOT=collected, WHITENOISE_USE_FINDERS=False):
        from django.templatetags.static import static

        url = static("vendor/echarts/echarts.min.js")
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        sizes = {}
        for encodings in ("br", "gzip", ""):
            response = served(middleware, url, encodings)
            sizes[encodings] = int(response.headers["Content-Length"])
            assert response.headers.get("Content-Encoding", "") == encodings
            response.close()
    assert sizes["br"] < sizes["gzip"] < sizes[""] / 2


def test_a_checkout_that_has_not_collected_serves_plain_names(settings, tmp_path):
    """The tests and a developer's runserver: no manifest, so no hashed names, and the
    files come from the app folders (WHITENOISE_USE_FINDERS)."""
    from django.templatetags.static import static

    with override_settings(STATIC_ROOT=tmp_path / "empty"):
        assert static("xiaoneng/app.css") == "/static/xiaoneng/app.css"
