"""A real HTTP server on 127.0.0.1 standing in for DingTalk and WeCom group robots (no mocks):
it records every message (path, JSON body) and answers with the next scripted answer."""

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
    """with serve([answers…]) as (base_url, received): … — the last answer repeats (OK by default)."""
    received: list = []
    answers = list(script) or [OK]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            status, answer = answers[min(len(received), len(answers)) - 1]
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
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
