"""Robot webhooks of DingTalk and WeCom (企业微信) groups.

DingTalk: https://oapi.dingtalk.com/robot/send?access_token=…, optionally "加签": timestamp in
milliseconds; string_to_sign = timestamp + "\\n" + secret;
sign = urlencode(base64(HMAC-SHA256(key=secret, msg=string_to_sign))); both appended to the URL.
WeCom: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…, not signed: the key in the URL
is the credential. Both take {"msgtype": "text", "text": {"content": …}}.

Robots reach only robots: an address is https on its platform's robot host, or on a host of
`settings.WEBHOOK_ALLOWED_HOSTS` (an intranet relay, which the operator vouches for: http or
https, any port, any path). Checked when a robot is saved (`address_problem`) and again at
send time, where the host is resolved, an address that is not public is refused unless the
host is allow-listed (`vetted_ip`), and the connection goes to that very address (a DNS
answer that changes between the check and the connection changes nothing). Redirects are
not followed. What a robot answers is never kept: a failure is a short fixed reason, the
HTTP status or the platform's errcode (`RobotError`).
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse

from django.conf import settings
from django.utils.translation import gettext as _

ROBOT_ADDRESSES = {  # kind → (host, path): what the platforms hand out
    "dingtalk": ("oapi.dingtalk.com", "/robot/send"),
    "wecom": ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send"),
}
ANSWER_MAX_BYTES = 64 * 1024  # a robot's answer is a small JSON object


class RobotError(Exception):
    """A failed send; its message is a short fixed reason, safe to store and show."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(kind: str, url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if kind != "dingtalk" or not secret:
        return url
    ts = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"


def payload(text: str) -> bytes:
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()


def allow_listed(host: str) -> bool:
    return host.lower() in {h.strip("[]").lower() for h in settings.WEBHOOK_ALLOWED_HOSTS}


def address_problem(kind: str, url: str) -> str | None:
    """Why `url` may not be the address of a `kind` robot (a message naming the field), or
    None when it may."""
    from xiaoneng.notifications.models import WebhookKind

    robot_host, robot_path = ROBOT_ADDRESSES.get(kind, ("", ""))
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is not a number
        parts, host, port = None, "", None
    if host and "@" not in parts.netloc:  # no user:password@ in front of the host
        if allow_listed(host) and parts.scheme in ("http", "https"):
            return None
        if (parts.scheme, host, port, parts.path) in (
            ("https", robot_host, None, robot_path),
            ("https", robot_host, 443, robot_path),
        ):
            return None
    return _(
        "Webhook 地址：%(kind)s的地址应为 https://%(address)s?…（从群机器人设置中复制）；"
        "内网转发地址须由系统管理员加入 XIAONENG_WEBHOOK_ALLOWED_HOSTS。"
    ) % {
        "kind": dict(WebhookKind.choices).get(kind, _("群机器人")),
        "address": robot_host + robot_path,
    }


def is_public(address: str) -> bool:
    """Is `address` one that the internet routes (not loopback, private, link-local, carrier-
    grade NAT, multicast, reserved, unspecified, a cloud metadata address …)?"""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6:
        ip = ip.ipv4_mapped or ip.sixtofour or ip  # an IPv4 address wrapped in IPv6
    return ip.is_global and not ip.is_multicast


def vetted_ip(host: str, port: int) -> str:
    """The address to connect to for `host`: the first one it resolves to. Unless the host is
    allow-listed, every address it resolves to must be public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RobotError(_("域名解析失败")) from None
    addresses = [info[4][0] for info in found]
    if not addresses:
        raise RobotError(_("域名解析失败"))
    if not allow_listed(host) and not all(is_public(a) for a in addresses):
        raise RobotError(_("地址不允许（内网地址）"))
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `ip`, the address that was checked, and names `host` in the Host header."""

    def __init__(self, host: str, port: int, ip: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.ip = ip

    def connect(self):
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """…and speaks TLS to it with `host` as the server name, checking the certificate."""

    tls = ssl.create_default_context()

    def connect(self):
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def post(kind: str, url: str, secret: str, text: str, timeout: float = 10) -> None:
    """Send one message. Raises RobotError unless the platform accepted it (HTTP 200 with
    errcode 0): the address is not allowed, the connection failed, an HTTP status other
    than 200 (a redirect included: it is not followed), an answer that is not the
    platform's JSON, or errcode ≠ 0."""
    if address_problem(kind, url):
        raise RobotError(_("地址不允许"))
    parts = urllib.parse.urlsplit(signed_url(kind, url, secret))
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    ip = vetted_ip(parts.hostname, port)
    connection = (PinnedHTTPSConnection if https else PinnedHTTPConnection)(
        parts.hostname, port, ip, timeout
    )
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request(
            "POST",
            target,
            body=payload(text),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        response = connection.getresponse()
        status, body = response.status, response.read(ANSWER_MAX_BYTES)
    except TimeoutError:
        raise RobotError(_("连接超时")) from None
    except ssl.SSLError:
        raise RobotError(_("证书校验失败")) from None
    except OSError:
        raise RobotError(_("连接失败")) from None
    except http.client.HTTPException:
        raise RobotError(_("回复无法识别")) from None
    finally:
        connection.close()
    if status != 200:
        raise RobotError(f"HTTP {status}")
    try:
        errcode = json.loads(body).get("errcode", 0)
    except (ValueError, AttributeError):
        raise RobotError(_("回复无法识别")) from None
    if errcode != 0:
        raise RobotError(f"errcode {errcode}" if type(errcode) is int else _("回复无法识别"))
