"""Robot webhooks of DingTalk and WeCom (企业微信) groups.

DingTalk "加签": timestamp in milliseconds; string_to_sign = timestamp + "\\n" + secret;
sign = urlencode(base64(HMAC-SHA256(key=secret, msg=string_to_sign))); both appended to the URL.
WeCom group robots are not signed: the key in the URL is the credential.
Both take {"msgtype": "text", "text": {"content": …}}.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request


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


def post(kind: str, url: str, secret: str, text: str, timeout: float = 10) -> str:
    """Send one message; returns "ok" when the platform accepted it (errcode 0). Raises on a
    network or HTTP error, an answer that is not JSON, or errcode ≠ 0."""
    request = urllib.request.Request(
        signed_url(kind, url, secret),
        data=payload(text),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (admin-set URL)
        body = response.read().decode("utf-8", errors="replace")
    try:
        answer = json.loads(body)
    except ValueError:
        raise RuntimeError(f"HTTP {response.status} {body[:100]}") from None
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"{answer.get('errcode')} {answer.get('errmsg', '')}")
    return "ok"
