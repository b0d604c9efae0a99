from django.urls import reverse

from xiaoneng.conftest import PASSWORD


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_in_with_argon2(client, handler_a):
    assert handler_a.password.startswith("argon2")
    assert login(client, "xs_cb", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_gets_a_clear_message(client, handler_a):
    response = login(client, "xs_cb", "nope")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_it_locks_out_after_repeated_failures(client, handler_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "xs_cb", "wrong")
    response = login(client, "xs_cb", PASSWORD)
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in


def test_the_token_endpoint_counts_failures_too(client, handler_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "xs_cb", "password": "wrong"})
    response = client.post("/api/auth/token/", {"username": "xs_cb", "password": PASSWORD})
    # Locked: the right password gets no token either.
    assert response.status_code == 400
    assert "token" not in response.json()


def test_security_headers(client, handler_a):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no external origin at all
    assert response["X-Frame-Options"] == "DENY"
    login(client, "xs_cb", PASSWORD)
    assert client.cookies["sessionid"]["httponly"]


def test_logout_needs_a_post(client_for, handler_a):
    client = client_for(handler_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_password_change(client_for, handler_a):
    client = client_for(handler_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-new-2026",
            "new_password2": "Brand-new-2026",
        },
    )
    assert response.status_code == 302
    handler_a.refresh_from_db()
    assert handler_a.check_password("Brand-new-2026")


def test_a_forced_reset_makes_the_user_change_the_password(client_for, client, admin_a, handler_a):
    response = client_for(admin_a).post(
        reverse("accounts:user_reset_password", args=[handler_a.pk])
    )
    assert response.status_code == 302
    handler_a.refresh_from_db()
    assert handler_a.must_change_password
    temporary = response.wsgi_request._messages._queued_messages[0].message.split("临时密码：")[1][
        :12
    ]
    assert login(client, "xs_cb", temporary).status_code == 302
    assert client.get("/").url == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": temporary,
            "new_password1": "Mine-again-2026",
            "new_password2": "Mine-again-2026",
        },
    )
    assert client.get("/").status_code == 200


def test_an_admin_cannot_reset_a_password_outside_the_subtree(client_for, admin_a, handler_b):
    response = client_for(admin_a).post(
        reverse("accounts:user_reset_password", args=[handler_b.pk])
    )
    assert response.status_code == 404
    handler_b.refresh_from_db()
    assert not handler_b.must_change_password


def test_the_people_list_reads_roles_once_for_all_rows(
    client_for, admin_a, county_a, django_assert_max_num_queries
):
    from xiaoneng.conftest import make_user

    for i in range(10):
        make_user(f"p{i}", county_a, "handler")
    client = client_for(admin_a)
    client.get(reverse("accounts:user_list"))
    with django_assert_max_num_queries(8):
        html = client.get(reverse("accounts:user_list")).content.decode()
    assert html.count("承办人") >= 10
