"""Every page of this module renders for the province supervisor. (Anonymous users and the
outsider are checked for every route of the project by core/tests/test_url_walk.py.)"""

import pytest

from xiaoneng.core.tests.test_url_walk import all_samples, route_names, sample_url


@pytest.mark.django_db
def test_every_page_renders_for_the_supervisor(client_for, url_ctx):
    samples = all_samples(url_ctx)
    client = client_for(url_ctx["supervisor"])
    for name, pattern in route_names():
        if name.startswith(("projects:", "api-project")):
            response = client.get(sample_url(name, pattern, samples))
            assert response.status_code == 200, (name, response.status_code)
