"""The API against its own OpenAPI schema (issue 10, requirement 8): schemathesis generates
requests for every operation of /api/schema/ (valid ones, and ones that break the schema:
wrong types, missing fields, odd ids) and sends them, as the provincial supervisor with a
real token, to the project's WSGI application; no answer may be a 5xx.

Operations on one row get ids of real rows half of the time (an item, a project, a
violation, a unit of the URL walk's data), so that transitions, progress reports and the
like run their services on fuzzed bodies rather than answer 404. Small and deterministic
(a fixed seed, a few examples per operation): it runs in `make test` on SQLite and
PostgreSQL in about a minute.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from xiaoneng.conftest import PASSWORD
from xiaoneng.core.tests.test_url_walk import all_samples
from xiaoneng.wsgi import application

EXAMPLES = 10
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.fixture
def api(client, url_ctx):
    samples = all_samples(url_ctx)
    real_ids = {
        f"/api/{name}s/": samples[f"api-{name}-detail"]["pk"]
        for name in ("item", "project", "violation", "unit", "notification")
    }
    response = client.post(
        "/api/auth/token/",
        {"username": url_ctx["supervisor"].username, "password": PASSWORD, "name": "schemathesis"},
    )
    headers = {"Authorization": f"Token {response.json()['token']}"}
    # The WSGI application runs in the test's transaction: the end of a request must not
    # close the database connection (Django's test client holds that signal off per request,
    # and puts it back after each one: so this comes after the client's last request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers=headers
        )
        yield schema, headers, real_ids
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def strategies(operation, real_ids):
    yield from (operation.as_strategy(generation_mode=mode) for mode in MODES)
    if "{id}" in operation.path:
        for prefix, pk in real_ids.items():
            if operation.full_path.startswith(prefix):
                for mode in MODES:
                    yield operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})


# schemathesis's own pytest integration (schema.parametrize) does not run under pytest 9
# (it reads a private attribute that pytest dropped): each operation's strategy is driven here.
@pytest.mark.django_db
def test_the_api_never_answers_a_server_error(api):
    schema, headers, real_ids = api
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=st.one_of(*strategies(operation, real_ids)))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,  # the same requests on every run
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            check()
        except Exception as exc:  # every operation is tried, every failure reported
            failures.append(f"{operation.label}: {exc}")
        operations += 1
    assert not failures, "\n\n".join(failures)
    assert operations >= 15
