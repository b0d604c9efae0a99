"""A real HTTP server on 127.0.0.1 standing in for DingTalk and WeCom group robots (no mocks):
it records every request (path, JSON body; None for a GET) and answers with the next
scripted answer. Robots may post there only when 127.0.0.1 is allow-listed
(settings.WEBHOOK_ALLOWED_HOSTS, as for an intranet relay)."""

import base64
import contextlib
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse

OK = (200, {"errcode": 0, "errmsg": "ok"})
DOWN = (500, {"error": "upstream down"})


@contextlib.contextmanager
def serve(*script):
    """with serve(answers…) as (base_url, received): … — the last answer repeats (OK by default).
    An answer is (status, body) or (status, body, headers); a dict body is sent as JSON, a
    string as plain text."""
    received: list = []
    answers = list(script) or [OK]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            self.answer(*answers[min(len(received), len(answers)) - 1])

        def do_GET(self):
            received.append((self.path, None))
            self.answer(*answers[min(len(received), len(answers)) - 1])

        def answer(self, status, body, headers=None):
            is_json = isinstance(body, dict)
            data = (json.dumps(body) if is_json else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if is_json else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()


def dingtalk_signature_ok(path: str, secret: str) -> bool:
    """Does the request path carry DingTalk's 加签 (timestamp, sign) for `secret`?"""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    ts = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    return query["sign"] == [expected]
