from xiaoneng.conftest import PASSWORD


def test_a_token_opens_the_api(client, handler_a):
    response = client.post(
        "/api/auth/token/",
        {"username": "xs_cb", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["username"] == "xs_cb"
    assert me["unit"]["code"] == "530112" and me["roles"] == ["handler"]


def test_a_wrong_password_gets_no_token(client, handler_a):
    response = client.post(
        "/api/auth/token/",
        {"username": "xs_cb", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_the_browser_session_works_for_the_api(client_for, handler_a):
    assert client_for(handler_a).get("/api/me/").json()["username"] == "xs_cb"


def test_the_schema_and_docs_are_served_offline(client_for, handler_a):
    client = client_for(handler_a)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/units/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs and "https://" not in docs
