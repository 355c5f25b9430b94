"""A local HTTP server standing in for a third party's JSON API (WeChat), for tests of our real HTTP calls."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse


class JsonHandler(BaseHTTPRequestHandler):
    """Answers JSON with 200, as WeChat does even for its errors; quiet."""

    def answer(self, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[JsonHandler]) -> Iterator[str]:
    """The handler on a free local port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class FakeWeChat(JsonHandler):
    """WeChat's jscode2session as documented: openid for a good code, errcode otherwise."""

    answers: ClassVar[dict[str, dict[str, object]]] = {
        "good-code": {"openid": "o-user-1", "session_key": "k", "unionid": "u-1"},
        "used-code": {"errcode": 40163, "errmsg": "code been used"},
        "busy": {"errcode": -1, "errmsg": "system error"},
    }
    seen: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        FakeWeChat.seen.append(query)
        if url.path != "/sns/jscode2session" or query.get("secret") != ["app-secret"]:
            body = {"errcode": 40125, "errmsg": "invalid appsecret"}
        else:
            body = self.answers.get(query["js_code"][0], {"errcode": 40029, "errmsg": "invalid code"})
        self.answer(body)
