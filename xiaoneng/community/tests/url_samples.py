"""The community's URL samples for the URL walk (core/tests/test_url_walk.py), in four parts
(the web pages, the API, residents and invitations, statistics): one county-A community,
永兴路社区, with a matter in each state, whose shown text carries the marker.

`PUBLIC`: the routes anyone may open without logging in (the public board, the sign-up);
the walk leaves them out of its login and outsider checks, and the tests of each prove they
show no personal data."""

from xiaoneng.community.tests import samples_api, samples_residents, samples_stats, samples_web
from xiaoneng.community.tests.samples_base import base_objects

PARTS = (samples_web, samples_api, samples_residents, samples_stats)
PUBLIC = set().union(*(part.PUBLIC for part in PARTS))


def samples(ctx) -> dict:
    base = base_objects(ctx)
    found: dict = {}
    for part in PARTS:
        found.update(part.samples(ctx, base))
    return found
