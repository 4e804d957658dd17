"""A chat webhook receiver on loopback, to test alert delivery against real HTTP.

Each POST takes the next scripted answer (status, JSON body), else 200 with `{"errcode": 0}`; every request
is recorded (path, headers, JSON body, the status answered). `stop()` closes the port, so a sender meets
"connection refused", and `start()` opens the same port again: the receiver going down and coming back.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers import free_port


class FakeWebhook:
    def __init__(self, answers: list[tuple[int, Any]] | None = None) -> None:
        self.answers = list(answers or [])
        self.delay_s = 0.0  # how long each answer takes (senders racing each other overlap)
        self.requests: list[dict[str, Any]] = []
        self.port = free_port()
        self.server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def delivered(self, path_prefix: str = "/") -> list[dict[str, Any]]:
        """The requests it accepted (answered 200) under a path."""
        return [r for r in self.requests if r["status"] == 200 and r["path"].startswith(path_prefix)]

    def start(self) -> FakeWebhook:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> FakeWebhook:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(fake.delay_s)
                with fake._lock:
                    status, body = fake.answers.pop(0) if fake.answers else (200, {"errcode": 0, "errmsg": "ok"})
                    fake.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "json": json.loads(raw or b"null"), "status": status})
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
