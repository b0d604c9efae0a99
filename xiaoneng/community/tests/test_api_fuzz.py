"""The community API against its own OpenAPI schema, on real rows: schemathesis sends
generated bodies (valid and schema-breaking) to every community operation with the ids of
永兴路社区's matters, comments, photos and deliberation, as its staff and as a resident, so
that the services run on fuzzed input; no answer may be a 5xx. (core's schemathesis test
fuzzes every endpoint, but with ids that mostly name nothing here.)"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from xiaoneng.community.tests.samples_base import base_objects
from xiaoneng.conftest import PASSWORD
from xiaoneng.wsgi import application

EXAMPLES = 6
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
PREFIXES = ("/api/matters/", "/api/comments/", "/api/matter-photos/", "/api/deliberations/")


def _ids(base) -> dict[str, list[int]]:
    matters = [base[k].pk for k in ("matter", "listed", "handling", "closed", "referred")]
    return {
        "/api/matters/": matters,
        "/api/comments/": [base["reply"].pk, base["comment"].pk],
        "/api/matter-photos/": [base["photo"].pk],
        "/api/deliberations/": [base["deliberation"].pk],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "resident"])
def test_the_community_api_never_answers_a_server_error_on_real_rows(client, url_ctx, who):
    base = base_objects(url_ctx)

    def token(user):
        answer = client.post(
            "/api/auth/token/", {"username": user.username, "password": PASSWORD, "name": "fuzz"}
        )
        return {"Authorization": f"Token {answer.json()['token']}"}

    staff = token(base["staff"])  # the schema is the staff's to read
    headers = staff if who == "staff" else token(base["residents"][1])
    ids = _ids(base)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    failures, operations = [], 0
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers=staff
        )
        for result in schema.get_all_operations():
            operation = result.ok()
            prefix = next((p for p in PREFIXES if operation.full_path.startswith(p)), None)
            if prefix is None:
                continue
            strategies = [operation.as_strategy(generation_mode=mode) for mode in MODES]
            if "{id}" in operation.path:
                strategies += [
                    operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
                    for pk in ids[prefix]
                    for mode in MODES
                ]

            @given(case=st.one_of(*strategies))
            @settings(
                max_examples=EXAMPLES * len(strategies),
                derandomize=True,
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
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)
    assert operations >= 15
