"""A request body that is JSON but not an object gets 400 with a reason, never a 500
(found by the schemathesis walk: a bare JSON string to the password endpoint)."""

import pytest
from django.urls import reverse

from xiaoneng.accounts.tests.test_security_tokens import obtain


@pytest.mark.parametrize("body", ['"text"', "[1, 2]", "42", "null"])
def test_the_password_endpoint_refuses_a_body_that_is_not_an_object(client, handler_a, body):
    token = obtain(client, handler_a)
    response = client.post(
        reverse("api-password"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 400
    assert "JSON 对象" in response.content.decode()
