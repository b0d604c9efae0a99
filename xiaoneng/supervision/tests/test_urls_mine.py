"""Every page of this module renders for the people who own its data. (Anonymous users and
the outsider are checked for every route of the project by core/tests/test_url_walk.py.)"""

import pytest

from xiaoneng.core.tests.test_url_walk import all_samples, route_names, sample_url

MINE = ("supervision:", "notifications:", "api-item", "api-violation", "api-notification")


@pytest.mark.django_db
def test_every_page_renders_for_the_owner(client_for, url_ctx):
    samples = all_samples(url_ctx)
    sup = client_for(url_ctx["supervisor"])
    for name, pattern in route_names():
        if not name.startswith(MINE):
            continue
        url = sample_url(name, pattern, samples)
        r = sup.get(url)
        # a notification belongs to its recipient only (handler_a), not to the supervisor
        ok = (200, 404, 405) if name.startswith("api-notification") else (200, 405)
        assert r.status_code in ok, (name, url, r.status_code)
