"""Robots reach only robots: a unit admin cannot make the server post to an internal service
and read its answer (issue 10). Against real local HTTP(S) servers (robots.serve)."""

import http.server
import socket
import ssl
import subprocess
import threading

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import version_of
from xiaoneng.notifications import services, webhooks
from xiaoneng.notifications.models import Webhook, WebhookDelivery
from xiaoneng.notifications.tests.robots import OK, serve

pytestmark = pytest.mark.django_db
SECRET = "INTERNAL-SECRET-7f3a9c"
INTERNAL = (200, f"db_password={SECRET}")  # what an internal service answers
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=t"
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WEBHOOK_ALLOWED_HOSTS = []


def send(county_a, handler_a) -> WebhookDelivery:
    services.deliver([handler_a.pk], verb="urge", title="催办：供水整改", unit_ids=[county_a.pk])
    return WebhookDelivery.objects.get()


def nothing_stored_contains(text: str) -> bool:
    hooks = Webhook.objects.values_list("last_status", flat=True)
    errors = WebhookDelivery.objects.values_list("last_error", flat=True)
    return not any(text in value for value in [*hooks, *errors])


def test_saving_an_internal_address_is_refused(county_a, admin_a, client_for):
    with serve(INTERNAL) as (base, received):
        url = f"{base}/cgi-bin/webhook/send?key=k"
        r = client_for(admin_a).post(
            reverse("notifications:webhook_create"),
            {"unit": county_a.pk, "name": "内网", "kind": "wecom", "url": url, "active": "on"},
        )
        html = r.content.decode()
        assert r.status_code == 200 and "Webhook 地址" in html
        assert "https://qyapi.weixin.qq.com/cgi-bin/webhook/send" in html
        assert "XIAONENG_WEBHOOK_ALLOWED_HOSTS" in html
        with pytest.raises(ValidationError) as refused:
            services.save_webhook(
                None, actor=admin_a, unit=county_a, name="内网", kind="wecom", url=url
            )
        assert "url" in refused.value.message_dict
        assert not Webhook.objects.exists() and received == []


def test_an_old_robot_must_get_a_robot_address_before_it_can_be_saved(
    county_a, admin_a, client_for
):
    hook = Webhook.objects.create(
        unit=county_a,
        name="旧",
        kind="dingtalk",
        url="http://10.0.0.8:8799/robot/send",
        actor=SYSTEM,
    )
    edit = reverse("notifications:webhook_edit", args=[hook.pk])
    data = {"unit": county_a.pk, "name": "旧", "kind": "dingtalk", "url": "", "active": "on"}
    data["version"] = version_of(hook)
    r = client_for(admin_a).post(edit, data)
    assert r.status_code == 200 and "Webhook 地址" in r.content.decode()
    assert client_for(admin_a).post(edit, {**data, "url": DINGTALK}).status_code == 302
    hook.refresh_from_db()
    assert hook.url == DINGTALK


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("dingtalk", DINGTALK),
        ("dingtalk", "https://OAPI.dingtalk.com:443/robot/send?access_token=t"),
        ("wecom", WECOM),
    ],
)
def test_robot_addresses_are_accepted(kind, url):
    assert webhooks.address_problem(kind, url) is None


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=t"),  # not https
        ("dingtalk", WECOM),  # the other platform's host
        ("wecom", "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k"),
        ("wecom", "https://qyapi.weixin.qq.com@127.0.0.1/cgi-bin/webhook/send?key=k"),
        ("dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=t"),
        ("dingtalk", "https://oapi.dingtalk.com/gettoken?corpid=x"),
        ("wecom", "http://127.0.0.1:8799/cgi-bin/webhook/send?key=k"),
        ("wecom", "http://[::1]:8799/cgi-bin/webhook/send?key=k"),
        ("wecom", "http://169.254.169.254/latest/meta-data/"),
        ("wecom", "https://qyapi.weixin.qq.com:notaport/cgi-bin/webhook/send"),
        ("wecom", "file:///etc/passwd"),
    ],
)
def test_other_addresses_are_refused(kind, url):
    assert "Webhook 地址" in webhooks.address_problem(kind, url)


def test_an_allow_listed_relay_may_be_http_on_any_port_and_path(settings):
    url = "http://relay.example.gov.cn:8080/robot?key=k"
    assert webhooks.address_problem("wecom", url)
    settings.WEBHOOK_ALLOWED_HOSTS = ["Relay.example.gov.cn"]
    assert webhooks.address_problem("wecom", url) is None
    assert webhooks.address_problem("dingtalk", url) is None
    assert webhooks.address_problem("wecom", "ftp://relay.example.gov.cn/x")


def test_a_stored_internal_address_is_refused_at_send_time(
    county_a, handler_a, admin_a, client_for
):
    with serve(INTERNAL) as (base, received):
        hook = Webhook.objects.create(  # as an old row: written without the form's check
            unit=county_a,
            name="内网",
            kind="wecom",
            url=f"{base}/cgi-bin/webhook/send?key=k",
            actor=SYSTEM,
        )
        d = send(county_a, handler_a)
        assert received == []
    assert (d.status, d.attempts, d.last_error) == ("pending", 1, "地址不允许")
    assert Webhook.objects.get(pk=hook.pk).last_status == "失败（第 1 次）：地址不允许"
    page = client_for(admin_a).get(reverse("notifications:webhook_list")).content.decode()
    assert "地址不允许" in page and SECRET not in page


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (INTERNAL, "回复无法识别"),
        ((500, f"Traceback … {SECRET}"), "HTTP 500"),
        ((200, {"errcode": 310000, "errmsg": SECRET}), "errcode 310000"),
        ((200, {"errcode": SECRET}), "回复无法识别"),
    ],
)
def test_what_a_relay_answers_is_never_stored_or_shown(
    answer, reason, settings, county_a, handler_a, admin_a, client_for
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with serve(answer) as (base, received):
        Webhook.objects.create(
            unit=county_a, name="转发", kind="wecom", url=f"{base}/send?key=k", actor=SYSTEM
        )
        d = send(county_a, handler_a)
        assert len(received) == 1
    assert d.last_error == reason
    page = client_for(admin_a).get(reverse("notifications:webhook_list")).content.decode()
    assert reason in page and SECRET not in page
    assert nothing_stored_contains(SECRET)


def test_redirects_are_not_followed(settings, county_a, handler_a):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with serve(INTERNAL) as (inside, hits):
        moved = (302, "", {"Location": f"{inside}/admin/secrets"})
        with serve(moved) as (relay, received):
            Webhook.objects.create(
                unit=county_a, name="转发", kind="wecom", url=f"{relay}/s?key=k", actor=SYSTEM
            )
            d = send(county_a, handler_a)
        assert len(received) == 1 and hits == []
    assert d.last_error == "HTTP 302" and nothing_stored_contains(SECRET)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",  # cloud metadata
        "fd00:ec2::254",  # cloud metadata (IPv6)
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",
        "240.0.0.1",
        "::1",
        "::",
        "::ffff:10.0.0.1",
        "fe80::1",
    ],
)
def test_internal_addresses_are_not_public(address):
    assert not webhooks.is_public(address)
    with pytest.raises(webhooks.RobotError, match="地址不允许"):
        webhooks.vetted_ip(address, 443)


def test_a_name_that_resolves_to_an_internal_address_is_refused_unless_allow_listed(settings):
    with pytest.raises(webhooks.RobotError, match="地址不允许"):
        webhooks.vetted_ip("localhost", 443)
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost"]
    assert not webhooks.is_public(webhooks.vetted_ip("localhost", 443))
    assert webhooks.is_public("1.1.1.1") and webhooks.vetted_ip("1.1.1.1", 443) == "1.1.1.1"
    with pytest.raises(webhooks.RobotError, match="域名解析失败"):
        webhooks.vetted_ip("no-such-host.invalid", 443)


def test_the_connection_goes_to_the_vetted_address_with_the_right_host():
    """A DNS answer that changes after the check cannot redirect the message: the connection
    is made to the checked address, the host name only travels in the Host header."""
    with serve(OK) as (base, received):
        port = int(base.rsplit(":", 1)[1])
        connection = webhooks.PinnedHTTPConnection("robot.invalid", port, "127.0.0.1", 5)
        connection.request("POST", "/send?key=k", body=webhooks.payload("hi"))
        assert connection.getresponse().status == 200
        connection.close()
    assert received == [("/send?key=k", {"msgtype": "text", "text": {"content": "hi"}})]


@pytest.fixture
def tls_robot(tmp_path):
    """A local HTTPS server with a certificate for robot.test (made by openssl): (port, CA)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
            *["-keyout", str(key), "-out", str(cert), "-subj", "/CN=robot.test"],
            *["-addext", "subjectAltName=DNS:robot.test"],
        ],
        check=True,
        capture_output=True,
    )
    hosts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, cert, hosts
    server.shutdown()
    server.server_close()


def test_tls_names_the_host_and_checks_its_certificate(tls_robot):
    port, cert, hosts = tls_robot
    connection = webhooks.PinnedHTTPSConnection("robot.test", port, "127.0.0.1", 5)
    connection.tls = ssl.create_default_context(cafile=cert)  # trust the test certificate
    connection.request("POST", "/send", body=b"{}")
    assert connection.getresponse().status == 200
    connection.close()
    assert hosts == [f"robot.test:{port}"]
    # The default trust store does not know it: refused before anything is sent.
    connection = webhooks.PinnedHTTPSConnection("robot.test", port, "127.0.0.1", 5)
    with pytest.raises(ssl.SSLCertVerificationError):
        connection.request("POST", "/send", body=b"{}")
    connection.close()
    assert len(hosts) == 1


def test_a_closed_port_is_a_connection_failure(settings, county_a, handler_a):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    Webhook.objects.create(
        unit=county_a, name="转发", kind="wecom", url=f"http://127.0.0.1:{port}/s", actor=SYSTEM
    )
    assert send(county_a, handler_a).last_error == "连接失败"


def test_the_migration_forgets_stored_replies(county_a):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "xiaoneng.notifications.migrations.0004_forget_robot_replies"
    )
    old = Webhook.objects.create(
        unit=county_a,
        name="旧",
        kind="wecom",
        url=WECOM,
        last_status=f"失败：HTTP 200 {SECRET}",
        actor=SYSTEM,
    )
    fine = Webhook.objects.create(
        unit=county_a, name="好", kind="wecom", url=WECOM, last_status="ok", actor=SYSTEM
    )
    WebhookDelivery.objects.create(
        webhook=old, text="x", last_error=f"HTTP 200 {SECRET}", actor=SYSTEM
    )
    migration.forget(apps, None)
    assert nothing_stored_contains(SECRET)
    assert Webhook.objects.get(pk=fine.pk).last_status == "ok"
